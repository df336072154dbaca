/*
 * The blocklist: entries by node ID and by key, kept in a file that is
 * written whole and read back the same; a bad line names its line and loads
 * nothing; a missing file is an empty list.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "blocklist.h"

static const char key_text[] = "hDqAvDRvMbrd4RpZpV4mwqyBnPaWx7ZTeHIJ5XpvD2Y=";

static char dir[] = "/tmp/test_blocklist.XXXXXX";
static char path[64];

static int make_dir(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/blocks", dir);
	return 0;
}

static int remove_dir(void **state)
{
	return rmdir(dir);
}

static int remove_file(void **state)
{
	unlink(path);
	return 0;
}

static void test_parse(void **state)
{
	struct blocked entry;
	char text[BLOCKED_TEXT_LEN];

	assert_int_equal(blocked_parse("10.26.0.5", &entry), 0);
	assert_false(entry.is_key);
	blocked_format(&entry, text, sizeof(text));
	assert_string_equal(text, "10.26.0.5");
	assert_int_equal(blocked_parse(key_text, &entry), 0);
	assert_true(entry.is_key);
	blocked_format(&entry, text, sizeof(text));
	assert_string_equal(text, key_text);
	for (const char *const *bad = (const char *const[]){"", "0.0.0.0", "10.26.0", "10.26.0.5/24",
							    "hDqAvDRvMbrd4RpZ", "x y", NULL};
	     *bad; bad++)
		assert_int_equal(blocked_parse(*bad, &entry), -EINVAL);
}

static void test_add_remove(void **state)
{
	struct blocklist list = {0};
	struct blocked node, key;

	assert_int_equal(blocked_parse("10.26.0.5", &node), 0);
	assert_int_equal(blocked_parse(key_text, &key), 0);
	assert_int_equal(blocklist_add(&list, &node), 0);
	assert_int_equal(blocklist_add(&list, &node), -EEXIST);
	assert_int_equal(blocklist_add(&list, &key), 0);
	assert_true(blocklist_has_node(&list, node.node_id));
	assert_true(blocklist_has_key(&list, key.key));
	assert_false(blocklist_has_node(&list, (struct in_addr){.s_addr = 0}));
	assert_int_equal(blocklist_remove(&list, &node), 0);
	assert_int_equal(blocklist_remove(&list, &node), -ENOENT);
	assert_false(blocklist_has_node(&list, node.node_id));
	assert_true(blocklist_has_key(&list, key.key));
	for (uint32_t i = list.count; i < BLOCKLIST_MAX; i++) {
		node.node_id.s_addr = htonl(0x0a000000 | i);
		assert_int_equal(blocklist_add(&list, &node), 0);
	}
	node.node_id.s_addr = htonl(0x0b000000);
	assert_int_equal(blocklist_add(&list, &node), -ENOSPC);
}

static void test_file(void **state)
{
	struct blocklist list = {0}, loaded;
	struct blocked node, key;
	char error[256];

	assert_int_equal(blocklist_load(&loaded, path, error, sizeof(error)), 0);
	assert_int_equal(loaded.count, 0);
	assert_int_equal(blocked_parse("10.26.0.5", &node), 0);
	assert_int_equal(blocked_parse(key_text, &key), 0);
	blocklist_add(&list, &node);
	blocklist_add(&list, &key);
	assert_int_equal(blocklist_save(&list, path), 0);
	assert_int_equal(blocklist_load(&loaded, path, error, sizeof(error)), 0);
	assert_int_equal(loaded.count, 2);
	assert_true(blocklist_has_node(&loaded, node.node_id));
	assert_true(blocklist_has_key(&loaded, key.key));
}

static void test_bad_line(void **state)
{
	struct blocklist loaded = {.count = 7};
	char error[256], want[128];
	FILE *out = fopen(path, "w");

	fprintf(out, "# hand-edited\n  10.26.0.5  # a comment\n\n10.26.0.300\n");
	fclose(out);
	assert_int_equal(blocklist_load(&loaded, path, error, sizeof(error)), -EINVAL);
	snprintf(want, sizeof(want), "%s:4: not a node ID or a base64 public key", path);
	assert_string_equal(error, want);
	assert_int_equal(loaded.count, 7); /* untouched */
}

/* A comment longer than a line buffer is one line, not two. */
static void test_long_line(void **state)
{
	struct blocklist loaded;
	char error[256], want[128];
	FILE *out = fopen(path, "w");

	fprintf(out, "10.26.0.5\n# %0300d\n", 0);
	fclose(out);
	assert_int_equal(blocklist_load(&loaded, path, error, sizeof(error)), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: line too long", path);
	assert_string_equal(error, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_add_remove),
	    cmocka_unit_test_teardown(test_file, remove_file),
	    cmocka_unit_test_teardown(test_bad_line, remove_file),
	    cmocka_unit_test_teardown(test_long_line, remove_file),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}

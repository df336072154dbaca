/* The controller's registry: IDs held by keys, token uses, an old
 * .enrolled file imported once, and all of it still there when reopened. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vectors.h"

#include "registry.h"

static char dir[64], db[96], enrolled[96];
static const uint8_t token_a[16] = {0xa}, token_b[16] = {0xb};

static struct in_addr ip(const char *text)
{
	struct in_addr addr;

	inet_pton(AF_INET, text, &addr);
	return addr;
}

static void key_of(uint8_t key[X25519_KEY_LEN], uint8_t n)
{
	memset(key, n, X25519_KEY_LEN);
}

static struct registry *open_registry(void)
{
	struct registry *reg;
	char why[256];

	if (registry_open(&reg, db, why, sizeof(why)))
		fail_msg("%s", why);
	return reg;
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/vpnd-registry-test.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/vpn0.registry", dir);
	snprintf(enrolled, sizeof(enrolled), "%s/vpn0.enrolled", dir);
	return 0;
}

static int teardown(void **state)
{
	unlink(db);
	unlink(enrolled);
	rmdir(dir);
	return 0;
}

static void test_issue_and_uses(void **state)
{
	struct registry *reg = open_registry();
	uint8_t k1[32], k2[32], k3[32];
	struct in_addr id;

	key_of(k1, 1), key_of(k2, 2), key_of(k3, 3);
	assert_int_equal(registry_issue(reg, ip("10.26.0.1"), k1, 5000, token_a, 16, 2, 100), 0);
	/* The same key again uses no more of the token. */
	assert_int_equal(registry_issue(reg, ip("10.26.0.1"), k1, 6000, token_a, 16, 2, 100), 0);
	assert_int_equal(registry_token_used(reg, token_a, 16), 1);
	/* Another key cannot have that ID, whatever the token. */
	assert_int_equal(registry_issue(reg, ip("10.26.0.1"), k2, 5000, token_b, 16, 9, 100),
			 -EEXIST);
	assert_int_equal(registry_issue(reg, ip("10.26.0.2"), k2, 5000, token_a, 16, 2, 100), 0);
	assert_int_equal(registry_issue(reg, ip("10.26.0.3"), k3, 5000, token_a, 16, 2, 100),
			 -EDQUOT);
	/* Refused means unchanged. */
	assert_int_equal(registry_id_of(reg, k3, &id), 0);
	assert_int_equal(id.s_addr, 0);
	assert_int_equal(registry_token_used(reg, token_a, 16), 2);
	assert_int_equal(registry_id_of(reg, k1, &id), 0);
	assert_int_equal(id.s_addr, ip("10.26.0.1").s_addr);
	registry_close(reg);

	/* On disk: all of it after reopening. */
	reg = open_registry();
	assert_int_equal(registry_id_taken(reg, ip("10.26.0.2"), k3, 100), 1);
	assert_int_equal(registry_id_taken(reg, ip("10.26.0.2"), k2, 100), 0);
	assert_int_equal(registry_token_used(reg, token_a, 16), 2);
	registry_close(reg);
}

/* A certificate seen or signed by hand holds its ID until it expires. */
static void test_records_expire(void **state)
{
	struct registry *reg = open_registry();
	uint8_t k1[32], k2[32];

	key_of(k1, 1), key_of(k2, 2);
	assert_int_equal(registry_record(reg, ip("10.26.0.50"), k1, 1000, REGISTRY_SIGNED, 10), 0);
	assert_int_equal(registry_id_taken(reg, ip("10.26.0.50"), k2, 999), 1);
	assert_int_equal(registry_id_taken(reg, ip("10.26.0.50"), k2, 1000), 0);
	registry_close(reg);
}

static void test_import_once(void **state)
{
	FILE *f = fopen(enrolled, "w");
	struct registry *reg;
	uint8_t k9[32];
	struct in_addr id;

	fputs("10.26.0.9 CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=\n", f);
	fputs("garbage line\n", f);
	fclose(f);
	key_of(k9, 9);
	reg = open_registry();
	assert_int_equal(registry_import_enrolled(reg, enrolled, 100), 1);
	assert_int_equal(registry_id_of(reg, k9, &id), 0);
	assert_int_equal(id.s_addr, ip("10.26.0.9").s_addr);
	assert_int_equal(registry_import_enrolled(reg, enrolled, 100), 0);
	registry_close(reg);
}

/* An old file that cannot be read is an error, not nothing to import: the
 * IDs in it would be given away again. */
static void test_import_unreadable(void **state)
{
	struct registry *reg = open_registry();

	assert_int_equal(mkdir(enrolled, 0700), 0);
	assert_int_equal(registry_import_enrolled(reg, enrolled, 100), -EIO);
	rmdir(enrolled);
	assert_int_equal(registry_import_enrolled(reg, enrolled, 100), 0); /* none: done */
	registry_close(reg);
}

/* What cannot be opened is an error, not an empty registry. */
static void test_cannot_open(void **state)
{
	struct registry *reg;
	char why[256];

	assert_int_equal(mkdir(db, 0700), 0);
	assert_int_equal(registry_open(&reg, db, why, sizeof(why)), -EIO);
	assert_null(reg);
	assert_non_null(strstr(why, "cannot open the registry"));
	rmdir(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_issue_and_uses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_records_expire, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_unreadable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cannot_open, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

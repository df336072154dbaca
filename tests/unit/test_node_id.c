/* Node ID text: by value, so two in one printf stay two. */
#include "vectors.h"

#include <arpa/inet.h>

#include "node_id.h"

static struct in_addr id(const char *text)
{
	struct in_addr addr;

	assert_int_equal(inet_pton(AF_INET, text, &addr), 1);
	return addr;
}

static void test_two_in_one_call(void **state)
{
	char buf[2 * NODE_ID_STRLEN + 4];

	snprintf(buf, sizeof(buf), "%s -> %s", NODE_ID(id("10.26.0.5")), NODE_ID(id("10.26.1.77")));
	assert_string_equal(buf, "10.26.0.5 -> 10.26.1.77");
}

static void test_extremes(void **state)
{
	static const char *const rows[] = {"0.0.0.0", "255.255.255.255", "10.26.0.5"};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct node_id_text t = node_id_format(id(rows[i]));

		assert_string_equal(t.text, rows[i]);
	}
	assert_int_equal(strlen("255.255.255.255") + 1, NODE_ID_STRLEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_in_one_call),
	    cmocka_unit_test(test_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

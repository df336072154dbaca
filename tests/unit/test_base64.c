/* base64 against RFC 4648's test vectors, and strict rejection. */
#include "vectors.h"

#include "base64.h"

static void test_rfc4648_vectors(void **state)
{
	static const char *const rows[][2] = {
	    {"", ""},
	    {"f", "Zg=="},
	    {"fo", "Zm8="},
	    {"foo", "Zm9v"},
	    {"foob", "Zm9vYg=="},
	    {"fooba", "Zm9vYmE="},
	    {"foobar", "Zm9vYmFy"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char enc[16];
		uint8_t dec[16];
		long n;

		base64_encode(enc, (const uint8_t *)rows[i][0], strlen(rows[i][0]));
		assert_string_equal(enc, rows[i][1]);
		n = base64_decode(dec, sizeof(dec), rows[i][1]);
		assert_int_equal(n, (long)strlen(rows[i][0]));
		assert_memory_equal(dec, rows[i][0], (size_t)n);
	}
}

static void test_rejects_invalid(void **state)
{
	uint8_t out[32];

	assert_int_equal(base64_decode(out, sizeof(out), "Zm9"), -1);
	assert_int_equal(base64_decode(out, sizeof(out), "Zm9v!A=="), -1);
	assert_int_equal(base64_decode(out, sizeof(out), "Zg==Zm9v"), -1);
	assert_int_equal(base64_decode(out, sizeof(out), "Z=9v"), -1);
	assert_int_equal(base64_decode(out, 2, "Zm9v"), -1);
	assert_int_equal(base64_decode_exact(out, 3, "Zm9vYg=="), -1);
	assert_int_equal(base64_decode_exact(out, 3, "Zm9v"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc4648_vectors),
	    cmocka_unit_test(test_rejects_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* HMAC-BLAKE2s and the Noise KDF against Python's hmac + hashlib.blake2s. */
#include <stdio.h>

#include "vectors.h"

#include "hmac.h"

static void test_hmac_blake2s(void **state)
{
	uint8_t key[100], out[32], expected[32];

	for (int i = 0; i < 100; i++)
		key[i] = (uint8_t)i;
	hex_decode(expected, 32,
		   "48440b49455279620154f9465c40d7f67f77809c733aa81fb83f71b9ea95dc73");
	assert_int_equal(hmac_blake2s(out, key, 32, (const uint8_t *)"vpnd hmac test", 14), 0);
	assert_memory_equal(out, expected, 32);
	/* A key longer than the 64-byte block is hashed first. */
	hex_decode(expected, 32,
		   "553b1fd844881acbb1d41312f1acbc0c9e557b18e883f0ae25a3c5ba8e3fa651");
	assert_int_equal(hmac_blake2s(out, key, 100, (const uint8_t *)"vpnd", 4), 0);
	assert_memory_equal(out, expected, 32);
}

static void test_noise_kdf(void **state)
{
	uint8_t ck[32], t1[32], t2[32], t3[32], expected[32], only[32];
	const char *input = "vpnd kdf input";

	for (int i = 0; i < 32; i++)
		ck[i] = (uint8_t)i;
	assert_int_equal(noise_kdf(t1, t2, t3, ck, (const uint8_t *)input, strlen(input)), 0);
	hex_decode(expected, 32,
		   "ac69a8d1104aa63b896146e5deb8e326fc5a0a47181d74cb19e4bd6d916e7ab0");
	assert_memory_equal(t1, expected, 32);
	hex_decode(expected, 32,
		   "68dba07298d5c5802c2008a058866c7c77b5715d4ff3be70370274bf153e4adb");
	assert_memory_equal(t2, expected, 32);
	hex_decode(expected, 32,
		   "29d4b9ccd6dad80529829eae930cbdc1a418986bc64a7d8a0f8498367401af82");
	assert_memory_equal(t3, expected, 32);
	/* KDF1 gives the first output alone; the output may alias the chaining key. */
	assert_int_equal(noise_kdf(only, NULL, NULL, ck, (const uint8_t *)input, strlen(input)), 0);
	assert_memory_equal(only, t1, 32);
	assert_int_equal(noise_kdf(ck, NULL, NULL, ck, (const uint8_t *)input, strlen(input)), 0);
	assert_memory_equal(ck, t1, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hmac_blake2s),
	    cmocka_unit_test(test_noise_kdf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* TAI64N: the format WireGuard peers compare, and its ordering. */
#include <time.h>

#include "vectors.h"

#include "tai64n.h"

static void test_format_and_order(void **state)
{
	uint8_t first[TAI64N_LEN], later[TAI64N_LEN];
	uint64_t seconds = 0;
	struct timespec pause = {.tv_nsec = 40 * 1000 * 1000};

	tai64n_now(first);
	for (int i = 0; i < 8; i++)
		seconds = seconds << 8 | first[i];
	/* Seconds carry the TAI64 offset 2^62 + 10 over the Unix epoch. */
	assert_true(seconds - (1ULL << 62) - 10 >= (uint64_t)time(NULL) - 1);
	assert_true(seconds - (1ULL << 62) - 10 <= (uint64_t)time(NULL));
	/* Nanoseconds are rounded down to 2^24 ns: the low 24 bits are zero. */
	assert_int_equal(first[9] | first[10] | first[11], 0);
	assert_false(tai64n_after(first, first));
	/* 40 ms is more than one 16.8 ms granule: strictly later. */
	nanosleep(&pause, NULL);
	tai64n_now(later);
	assert_true(tai64n_after(later, first));
	assert_false(tai64n_after(first, later));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_and_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

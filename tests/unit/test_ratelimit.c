/* The per-source token bucket: burst, refill, independence of sources, and
 * a flood from ever new sources held to the table's bursts. */
#include "vectors.h"

#include "ratelimit.h"

static struct ratelimiter rl;

static void test_burst_then_refill(void **state)
{
	const uint8_t a[4] = {192, 0, 2, 1}, b[4] = {192, 0, 2, 2};
	int allowed = 0;

	ratelimit_init(&rl, 1234);
	for (int i = 0; i < 50; i++)
		allowed += ratelimit_allow(&rl, a, 4, 1000);
	assert_int_equal(allowed, RATELIMIT_BURST);
	assert_true(ratelimit_allow(&rl, b, 4, 1000));
	/* One packet's worth of time later, one more passes. */
	assert_false(ratelimit_allow(&rl, a, 4, 1000 + 1000 / RATELIMIT_PACKETS_PER_SECOND - 1));
	assert_true(ratelimit_allow(&rl, a, 4, 1000 + 2 * 1000 / RATELIMIT_PACKETS_PER_SECOND));
	/* Over a long run the rate holds at the configured figure. */
	allowed = 0;
	for (uint64_t t = 100000; t < 110000; t += 5)
		allowed += ratelimit_allow(&rl, a, 4, t);
	assert_in_range(allowed, 10 * RATELIMIT_PACKETS_PER_SECOND,
			10 * RATELIMIT_PACKETS_PER_SECOND + RATELIMIT_BURST + 1);
}

/* Ever new sources (a spoofed flood) in one second: each slot they land
 * on gives its burst once, not a full bucket to every newcomer. */
static void test_new_sources_drain_slots(void **state)
{
	const uint32_t sources = 20 * RATELIMIT_SLOTS;
	uint32_t allowed = 0;

	ratelimit_init(&rl, 99);
	for (uint32_t i = 0; i < sources; i++) {
		uint8_t addr[4] = {10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};

		allowed += ratelimit_allow(&rl, addr, 4, 5000);
	}
	assert_in_range(allowed, 1, RATELIMIT_SLOTS * RATELIMIT_BURST);
	/* A slot left alone for a second is a new source's in full again. */
	allowed = 0;
	for (uint32_t i = 0; i < RATELIMIT_BURST; i++)
		allowed += ratelimit_allow(&rl, (uint8_t[4]){192, 0, 2, 9}, 4, 7000);
	assert_int_equal(allowed, RATELIMIT_BURST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burst_then_refill),
	    cmocka_unit_test(test_new_sources_drain_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

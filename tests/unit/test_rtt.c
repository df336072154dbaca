/* RTT estimation (RFC 6298) and the path cost, table-driven. */
#include "vectors.h"

#include "rtt.h"

enum { LOST = 0 };

struct case_ {
	const char *name;
	uint32_t samples[40]; /* RTTs in us; LOST for a lost probe; ends at 0 after count */
	size_t count;
	uint32_t srtt_us, rttvar_us;
	unsigned int loss_permille;
	uint32_t cost_us;
};

static const struct case_ cases[] = {
    /* First sample: srtt = R, rttvar = R/2 (RFC 6298 2.2). */
    {"one sample", {10000}, 1, 10000, 5000, 0, 20000},
    /* Second: rttvar = 3/4 * 5000 + 1/4 * |10000 - 20000|, srtt = 7/8 * 10000 + 1/8 * 20000. */
    {"two samples", {10000, 20000}, 2, 11250, 6250, 0, 23750},
    /* Steady samples: rttvar decays towards 0 and srtt stays. */
    {"steady", {5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000}, 8, 5000, 333, 0, 5666},
    /* One loss in four: 250 permille, 125 ms of penalty; one loss is not down. */
    {"a loss", {5000, LOST, 5000, 5000}, 4, 5000, 1406, 250, 5000 + 2812 + 125000},
    /* Two losses in a row: down, whatever was measured. */
    {"down", {5000, 5000, LOST, LOST}, 4, 5000, 1875, 500, RTT_COST_INFINITE},
    /* An answer after an outage brings it back, and the outage is forgotten. */
    {"back", {5000, LOST, LOST, 5000}, 4, 5000, 1875, 0, 5000 + 3750},
    /* Scattered losses are a loss rate. */
    {"lossy", {5000, LOST, 5000, LOST, 5000, 5000}, 6, 5000, 1054, 333, 5000 + 2108 + 166500},
    /* Nothing answered yet: no cost. */
    {"unmeasured", {LOST}, 1, 0, 0, 1000, RTT_COST_INFINITE},
};

static void test_cases(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct rtt_estimate e = {0};

		for (size_t j = 0; j < c->count; j++) {
			if (c->samples[j] == LOST)
				rtt_lost(&e);
			else
				rtt_answered(&e, c->samples[j]);
		}
		if (e.srtt_us != c->srtt_us || e.rttvar_us != c->rttvar_us ||
		    rtt_loss_permille(&e) != c->loss_permille || rtt_cost_us(&e) != c->cost_us)
			fail_msg("%s: srtt %u rttvar %u loss %u cost %u; expected %u %u %u %u",
				 c->name, e.srtt_us, e.rttvar_us, rtt_loss_permille(&e),
				 rtt_cost_us(&e), c->srtt_us, c->rttvar_us, c->loss_permille,
				 c->cost_us);
	}
}

/* The windowed minimum: the lowest sample of the last RTT_MIN_WINDOW_MS
 * (at the granularity of a third of it), whatever the samples after it. */
static void test_min_filter(void **state)
{
	static const struct {
		uint64_t at_ms;
		uint32_t rtt_us;
		uint32_t min_after; /* rtt_min_us right after the sample */
	} steps[] = {
	    {1000, 900, 900},
	    {1150, 8000, 900},	 /* queueing: the minimum stays */
	    {9000, 12000, 900},	 /* same third */
	    {12000, 7000, 900},	 /* next third: 900 still in the window */
	    {32000, 6000, 6000}, /* the first third (from 1000) aged out */
	    {45000, 5000, 5000},
	    {90000, 20000, 20000}, /* all of it aged out: the path is slower now */
	};
	struct rtt_min_filter f = {0};
	struct rtt_estimate e = {0};

	assert_int_equal(rtt_min_us(&f, 0), 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		rtt_min_sample(&f, steps[i].rtt_us, steps[i].at_ms);
		if (rtt_min_us(&f, steps[i].at_ms) != steps[i].min_after)
			fail_msg("step %zu: min %u, expected %u", i, rtt_min_us(&f, steps[i].at_ms),
				 steps[i].min_after);
	}
	/* The base cost: the minimum and the loss penalty, no variance. */
	rtt_answered(&e, 9000);
	rtt_answered(&e, 3000);
	assert_int_equal(rtt_base_cost_us(&e, 1000), 1000);
	rtt_lost(&e);
	assert_int_equal(rtt_base_cost_us(&e, 1000), 1000 + 166500); /* 333 permille lost */
	assert_int_equal(rtt_base_cost_us(&e, 0), e.srtt_us + 166500);
	rtt_lost(&e);
	assert_int_equal(rtt_base_cost_us(&e, 1000), RTT_COST_INFINITE);
	rtt_min_reset(&f);
	assert_int_equal(rtt_min_us(&f, 90000), 0);
}

/* The loss share looks at the last RTT_HISTORY probes only. */
static void test_loss_window(void **state)
{
	struct rtt_estimate e = {0};

	rtt_answered(&e, 1000);
	rtt_lost(&e);
	assert_int_equal(rtt_loss_permille(&e), 500);
	for (int i = 0; i < RTT_HISTORY - 1; i++)
		rtt_answered(&e, 1000);
	assert_int_equal(rtt_loss_permille(&e), 1000 / RTT_HISTORY);
	rtt_answered(&e, 1000);
	assert_int_equal(rtt_loss_permille(&e), 0);
}

static void test_cost_add_saturates(void **state)
{
	assert_int_equal(rtt_cost_add(1, 2), 3);
	assert_int_equal(rtt_cost_add(RTT_COST_INFINITE, 1), RTT_COST_INFINITE);
	assert_int_equal(rtt_cost_add(RTT_COST_INFINITE - 1, 5), RTT_COST_INFINITE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_loss_window),
	    cmocka_unit_test(test_min_filter),
	    cmocka_unit_test(test_cost_add_saturates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

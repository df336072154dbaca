/* The RFC 6479 window, table-driven: each row is one packet in sequence. */
#include "vectors.h"

#include "replay.h"

struct step {
	uint64_t counter;
	bool accepted;
};

static void run_steps(const struct step *steps, size_t count, uint64_t limit)
{
	struct replay_window w;

	replay_init(&w);
	for (size_t i = 0; i < count; i++) {
		bool checked = replay_check(&w, steps[i].counter, limit);
		bool updated = replay_update(&w, steps[i].counter, limit);

		if (checked != steps[i].accepted || updated != steps[i].accepted)
			fail_msg("step %zu (counter %llu): expected %s", i,
				 (unsigned long long)steps[i].counter,
				 steps[i].accepted ? "accept" : "reject");
	}
}

#define RUN(steps) run_steps(steps, sizeof(steps) / sizeof(steps[0]), UINT64_MAX - 8192)

static void test_in_order(void **state)
{
	static const struct step steps[] = {
	    {0, true}, {1, true}, {2, true}, {3, true}, {4, true},
	};
	RUN(steps);
}

/* Inside the window and marked: a duplicate; too old or new: not. */
static void test_seen(void **state)
{
	struct replay_window w;

	replay_init(&w);
	assert_false(replay_seen(&w, 0));
	replay_update(&w, 0, UINT64_MAX);
	replay_update(&w, 5, UINT64_MAX);
	assert_true(replay_seen(&w, 0));
	assert_true(replay_seen(&w, 5));
	assert_false(replay_seen(&w, 3));
	assert_false(replay_seen(&w, 6));
	replay_update(&w, 5 + REPLAY_WINDOW_SIZE + 10, UINT64_MAX);
	assert_false(replay_seen(&w, 0)); /* too old: a replay, not a duplicate */
}

static void test_duplicates(void **state)
{
	static const struct step steps[] = {
	    {0, true}, {0, false}, {1, true}, {1, false}, {0, false}, {9, true}, {9, false},
	};
	RUN(steps);
}

static void test_reordered_within_window(void **state)
{
	static const struct step steps[] = {
	    {5, true}, {3, true},  {4, true}, {0, true},   {2, true},
	    {1, true}, {3, false}, {6, true}, {100, true}, {50, true},
	};
	RUN(steps);
}

static void test_window_edges(void **state)
{
	static const struct step steps[] = {
	    {REPLAY_WINDOW_SIZE + 10, true},
	    {10, false}, /* exactly the window size behind: too old */
	    {11, true},	 /* just inside */
	    {11, false},
	    {REPLAY_WINDOW_SIZE + 9, true},
	    {0, false},
	};
	RUN(steps);
}

static void test_big_jump_clears_bits(void **state)
{
	static const struct step steps[] = {
	    {1, true},	    {2, true},	      {1000000, true}, {1000000 - 64, true},
	    {999999, true}, {1000000, false}, {2, false},
	};
	RUN(steps);
}

static void test_wrap_of_ring(void **state)
{
	struct replay_window w;

	/* Walk three times round the ring; every counter is fresh exactly once. */
	replay_init(&w);
	for (uint64_t c = 0; c < 3 * REPLAY_BITS_TOTAL; c++) {
		assert_true(replay_update(&w, c, UINT64_MAX));
		assert_false(replay_update(&w, c, UINT64_MAX));
		if (c >= REPLAY_WINDOW_SIZE)
			assert_false(replay_check(&w, c - REPLAY_WINDOW_SIZE, UINT64_MAX));
	}
}

static void test_limit(void **state)
{
	static const struct step steps[] = {
	    {10, true},
	    {20, false}, /* at the limit */
	    {19, true},
	};
	run_steps(steps, 3, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_order),	 cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_seen),	 cmocka_unit_test(test_reordered_within_window),
	    cmocka_unit_test(test_window_edges), cmocka_unit_test(test_big_jump_clears_bits),
	    cmocka_unit_test(test_wrap_of_ring), cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

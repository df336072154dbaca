/* The event loop's timers: the heap fires exactly what is due, in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "io/loop.h"

enum { MANY = 500 };

struct probe_timer {
	struct timer timer;
	int fired;
	uint64_t order; /* when it fired, counting from 1 */
};

static uint64_t fired_so_far;

static void expired(struct timer *timer)
{
	struct probe_timer *p = container_of(timer, struct probe_timer, timer);

	p->fired++;
	p->order = ++fired_so_far;
}

static struct loop *new_loop(void)
{
	struct loop *loop = calloc(1, sizeof(*loop));

	assert_int_equal(loop_init(loop), 0);
	fired_so_far = 0;
	return loop;
}

static void free_loop(struct loop *loop)
{
	loop_close(loop);
	free(loop);
}

/* One row: a timer armed (or not) for a deadline; what a run at `now`
 * fires and what it says is left. */
static void test_due_only(void **state)
{
	static const struct {
		uint64_t deadlines[4]; /* 0: not armed */
		uint64_t now;
		int fired[4];
		int next_ms; /* -1: nothing left */
	} rows[] = {
	    {{0, 0, 0, 0}, 100, {0, 0, 0, 0}, -1},
	    {{100, 0, 0, 0}, 100, {1, 0, 0, 0}, -1},
	    {{100, 200, 0, 0}, 150, {1, 0, 0, 0}, 50},
	    {{300, 200, 100, 0}, 99, {0, 0, 0, 0}, 1},
	    {{300, 200, 100, 400}, 250, {0, 1, 1, 0}, 50},
	    {{100000, 0, 0, 0}, 0, {0, 0, 0, 0}, LOOP_MAX_SLEEP_MS},
	};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct loop *loop = new_loop();
		struct probe_timer t[4] = {0};

		for (int i = 0; i < 4; i++) {
			timer_init(&t[i].timer, loop, expired);
			if (rows[r].deadlines[i])
				timer_arm(&t[i].timer, rows[r].deadlines[i]);
		}
		assert_int_equal(loop_run_timers(loop, rows[r].now), rows[r].next_ms);
		for (int i = 0; i < 4; i++) {
			assert_int_equal(t[i].fired, rows[r].fired[i]);
			/* A fired timer is disarmed; the others stay. */
			assert_int_equal(timer_armed(&t[i].timer),
					 rows[r].deadlines[i] && !rows[r].fired[i]);
		}
		free_loop(loop);
	}
}

static void test_rearm_and_cancel(void **state)
{
	struct loop *loop = new_loop();
	struct probe_timer a = {0}, b = {0};

	timer_init(&a.timer, loop, expired);
	timer_init(&b.timer, loop, expired);
	timer_arm(&a.timer, 100);
	timer_arm(&b.timer, 200);
	timer_arm(&a.timer, 300); /* re-armed: one entry, the later deadline */
	assert_int_equal(loop_run_timers(loop, 150), 50);
	assert_int_equal(a.fired + b.fired, 0);
	timer_cancel(&b.timer);
	timer_cancel(&b.timer); /* twice is harmless */
	assert_int_equal(loop_run_timers(loop, 250), 50);
	assert_int_equal(b.fired, 0);
	timer_arm(&a.timer, 260); /* earlier: moves */
	assert_int_equal(loop_run_timers(loop, 250), 10);
	assert_int_equal(loop_run_timers(loop, 260), -1);
	assert_int_equal(a.fired, 1);
	free_loop(loop);
}

/* A callback may arm its own timer again (periodic timers do), for a
 * deadline after now, and cancel others that are due in the same run. */
struct chain {
	struct timer timer;
	struct timer *victim;
	int runs;
};

static void periodic(struct timer *timer)
{
	struct chain *c = container_of(timer, struct chain, timer);

	c->runs++;
	if (c->victim)
		timer_cancel(c->victim);
	timer_arm(timer, timer->deadline_ms + 100);
}

static void test_callbacks_rearm_and_cancel(void **state)
{
	struct loop *loop = new_loop();
	struct chain c = {0};
	struct probe_timer victim = {0};

	timer_init(&c.timer, loop, periodic);
	timer_init(&victim.timer, loop, expired);
	timer_arm(&c.timer, 100);
	timer_arm(&victim.timer, 100);
	c.victim = &victim.timer;
	/* Whichever of the two runs first, the periodic one fires once per
	 * 100 ms up to now and is left armed for the next. */
	assert_int_equal(loop_run_timers(loop, 450), 50);
	assert_int_equal(c.runs, 4);
	assert_true(timer_armed(&c.timer));
	free_loop(loop);
}

/* Many timers armed, re-armed and cancelled at random fire in deadline
 * order, each exactly once, and only those still armed. */
static void test_many_in_order(void **state)
{
	struct loop *loop = new_loop();
	struct probe_timer *t = calloc(MANY, sizeof(*t));
	uint64_t deadline[MANY];

	srand(7);
	for (int i = 0; i < MANY; i++) {
		timer_init(&t[i].timer, loop, expired);
		deadline[i] = 1 + (uint64_t)(rand() % 10000);
		timer_arm(&t[i].timer, deadline[i]);
	}
	for (int i = 0; i < MANY; i += 3) {
		deadline[i] = 1 + (uint64_t)(rand() % 10000);
		timer_arm(&t[i].timer, deadline[i]);
	}
	for (int i = 1; i < MANY; i += 7) {
		timer_cancel(&t[i].timer);
		deadline[i] = 0;
	}
	assert_int_equal(loop_run_timers(loop, 20000), -1);
	for (int i = 0; i < MANY; i++) {
		assert_int_equal(t[i].fired, deadline[i] ? 1 : 0);
		for (int j = 0; j < MANY && deadline[i]; j++)
			if (deadline[j] && deadline[j] < deadline[i])
				assert_true(t[j].order < t[i].order);
	}
	free(t);
	free_loop(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_due_only),
	    cmocka_unit_test(test_rearm_and_cancel),
	    cmocka_unit_test(test_callbacks_rearm_and_cancel),
	    cmocka_unit_test(test_many_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * A member that keeps "moving": it re-registers a hundred times in a second,
 * each time from somewhere new, to make its rendezvous introduce it over and
 * over and every other member punch and spray probes at whatever it names.
 * Each test counts the messages sealed (a probe or an introduction is one
 * sealed message: the sending counter's rise) and holds them to the budget:
 * one round of introductions per INTRODUCTION_INTERVAL_MS (with the news
 * held back, not lost), one fresh punching round per PUNCH_BACKOFF_MIN_S,
 * BIRTHDAY_ATTEMPTS_PER_MINUTE sprays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/receive.h"
#include "members/rendezvous.h"
#include "nat/birthday.h"
#include "nat/punch.h"
#include "test_device.h"

enum { MOVES = 100, OTHERS = 3, PROBES = 256, RATE = 10000 };

static struct device *dev;

static int setup(void **state)
{
	dev = test_device_new();
	dev->cfg.punch_probes = PROBES;
	dev->cfg.punch_rate = RATE;
	dev->cfg.punch_sockets = 16;
	return 0;
}

static int teardown(void **state)
{
	test_device_free(dev);
	return 0;
}

static union endpoint somewhere(uint32_t n)
{
	union endpoint ep = {.in = {.sin_family = AF_INET, .sin_port = htons(4000)}};

	ep.in.sin_addr.s_addr = htonl(0xc6120000 | n); /* 198.18.x.y */
	return ep;
}

/* Fires the timer as the loop would over the next second (its other timers
 * are left alone: some re-arm in a few ms, and would spin till real time
 * caught up with the second). */
static void run_for_a_second(struct timer *timer)
{
	uint64_t until = clock_ms() + 1000;

	for (int fired = 0; timer_armed(timer) && timer->deadline_ms <= until; fired++) {
		assert_true(fired < 1000);
		timer_cancel(timer);
		timer->expired(timer);
	}
}

static void test_introductions(void **state)
{
	struct peer *mover = test_device_add_peer(dev, 2, false);
	struct peer *others[OTHERS];
	struct registration reg = {.nat = NAT_CONE, .candidates = {.count = 1}};
	union endpoint last;
	uint8_t msg[256];
	int len;

	dev->cfg.rendezvous_enabled = true;
	test_make_member(mover, 0);
	for (size_t i = 0; i < OTHERS; i++) {
		others[i] = test_device_add_peer(dev, 3 + (uint32_t)i, false);
		test_make_member(others[i], 0);
	}
	for (uint32_t n = 1; n <= MOVES; n++) {
		reg.candidates.items[0] = somewhere(n);
		len = wire_encode_register(msg, sizeof(msg), &reg);
		assert_true(len > 0);
		rendezvous_receive_register(mover, msg, (size_t)len, &(struct origin){.fd = -1});
	}
	/* One round at once (the mover to every other, every other to it);
	 * the rest is news held back for INTRODUCTION_INTERVAL_MS. */
	for (size_t i = 0; i < OTHERS; i++)
		assert_int_equal(others[i]->current.sending_counter, 1);
	assert_int_equal(mover->current.sending_counter, OTHERS);
	assert_true(timer_armed(&mover->registered->later));

	/* When it is due, one round with where the mover is by then; and the
	 * same registration again brings nothing new. */
	run_for_a_second(&mover->registered->later);
	rendezvous_receive_register(mover, msg, (size_t)len, &(struct origin){.fd = -1});
	run_for_a_second(&mover->registered->later);
	for (size_t i = 0; i < OTHERS; i++)
		assert_int_equal(others[i]->current.sending_counter, 2);
	last = somewhere(MOVES);
	assert_true(endpoint_equal(&mover->registered->candidates.items[0], &last));
}

/* The mover, a peer learned from the rendezvous, moves MOVES times (with a
 * second of punching and spraying after each, all within one real second);
 * returns the probes sent to it. */
static uint64_t move_around(struct peer *mover, uint8_t nat)
{
	struct candidate_list candidates = {.count = 1};

	for (uint32_t n = 1; n <= MOVES; n++) {
		union endpoint reflexive = somewhere(1000 + n);

		candidates.items[0] = somewhere(2000 + n);
		peer_set_location(mover, nat, &reflexive, &candidates);
		events_peer_located(mover, true);
		run_for_a_second(&mover->punch->round);
		run_for_a_second(&mover->spray->tick);
		run_for_a_second(&mover->spray->open_mappings);
	}
	return mover->current.sending_counter;
}

static struct peer *new_mover(void)
{
	struct peer *mover = test_device_add_peer(dev, 2, false);

	test_make_member(mover, 0);
	mover->dynamic = true;
	return mover;
}

/* Both cone: only punching. A round sends each destination (reflexive
 * endpoint, last source, the candidate) one probe per interval. */
static void test_punching(void **state)
{
	struct peer *mover = new_mover();
	uint64_t round = PUNCH_PROBES_PER_ROUND * 3;

	dev->nat_type = NAT_CONE;
	/* The first move punches at once; the others wait for the budget,
	 * then one round goes to where the mover is by then, with no backoff
	 * left from before. */
	assert_int_equal(move_around(mover, NAT_CONE), round);
	assert_true(timer_armed(&mover->punch->round));
	assert_true(mover->punch->round.deadline_ms <=
		    mover->punch->restarts.window_start_ms + PUNCH_BACKOFF_MIN_S * 1000ULL);
	assert_int_equal(mover->punch->backoff_s, 0);
}

/* We are cone, it claims symmetric: each attempt sprays PROBES guesses. */
static void test_spraying(void **state)
{
	struct peer *mover = new_mover();
	uint64_t punching = PUNCH_PROBES_PER_ROUND * 3;

	dev->nat_type = NAT_CONE;
	assert_int_equal(move_around(mover, NAT_SYMMETRIC),
			 punching + BIRTHDAY_ATTEMPTS_PER_MINUTE * PROBES);
	assert_int_equal(mover->spray->sent, BIRTHDAY_ATTEMPTS_PER_MINUTE * PROBES);
}

/* We are symmetric: each attempt opens punch_sockets sockets. */
static void test_sockets(void **state)
{
	struct peer *mover = new_mover();

	dev->nat_type = NAT_SYMMETRIC;
	move_around(mover, NAT_CONE);
	assert_int_equal(dev->birthday->count,
			 BIRTHDAY_ATTEMPTS_PER_MINUTE * dev->cfg.punch_sockets);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_introductions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_punching, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_spraying, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sockets, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

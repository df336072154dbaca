/*
 * Measuring a direct path without sockets: probes armed on the measure
 * timer, pongs answering them, losses counted, the pace (busy or idle), the
 * direct path put in doubt after one loss, and given up after many.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/receive.h"
#include "route/measure.h"
#include "test_device.h"

static struct device *dev;
static struct peer *peer;
static const union endpoint where = {.in = {.sin_family = AF_INET, .sin_port = 9}};
static const struct origin direct = {.endpoint = &where, .fd = -1};

static int setup(void **state)
{
	dev = test_device_new();
	peer = test_device_add_peer(dev, 2, false);
	test_make_member(peer, 0);
	peer->dynamic = true; /* learned from a rendezvous: measured */
	path_direct_received(peer, &where, -1);
	return 0;
}

static int teardown(void **state)
{
	test_device_free(dev);
	return 0;
}

/* The probe the last tick armed (the one sent latest). */
static const struct probe_slot *latest_probe(void)
{
	const struct probe_slot *latest = NULL;

	for (int i = 0; i < PROBE_SLOTS; i++)
		if (peer->measure->probes[i].sent_us &&
		    (!latest || peer->measure->probes[i].sent_us > latest->sent_us))
			latest = &peer->measure->probes[i];
	return latest;
}

/* Ticks at now_us; the probe is answered after rtt_us (0: never). */
static void tick_and_answer(uint64_t now_us, uint32_t rtt_us)
{
	const struct probe_slot *probe;

	measure_tick(peer, now_us);
	probe = latest_probe();
	assert_non_null(probe);
	assert_int_equal(probe->sent_us, now_us);
	if (rtt_us)
		measure_answered(peer, probe->nonce, &direct, now_us + rtt_us);
}

static uint64_t next_tick_in_ms(uint64_t now_us)
{
	assert_true(timer_armed(&peer->measure->tick));
	return peer->measure->tick.deadline_ms - now_us / 1000;
}

static void test_answers_are_samples(void **state)
{
	static const uint32_t rtts[] = {800, 1200, 1000, 900, 1100};
	uint64_t now = 1000000;

	for (size_t i = 0; i < sizeof(rtts) / sizeof(rtts[0]); i++, now += 150000)
		tick_and_answer(now, rtts[i]);
	assert_true(peer->measure->direct_rtt.measured);
	assert_int_equal(peer->measure->direct_rtt.outcomes, 5);
	assert_int_equal(rtt_loss_permille(&peer->measure->direct_rtt), 0);
	assert_in_range(peer->measure->direct_rtt.srtt_us, 800, 1200);
	/* A pong nobody asked for is no sample, nor one for a probe of the
	 * direct path that came back through a relay. */
	tick_and_answer(now, 0);
	measure_answered(peer, latest_probe()->nonce ^ 1, &direct, now + 500);
	measure_answered(
	    peer, latest_probe()->nonce,
	    &(struct origin){.fd = -1, .via = peer, .relayed_from = peer->config.node_id},
	    now + 500);
	assert_int_equal(peer->measure->direct_rtt.outcomes, 5);
	assert_non_null(latest_probe()); /* still waiting */
}

/* New paths and busy ones are probed at the busy pace, idle ones slower. */
static void test_pace(void **state)
{
	uint64_t now = 100000000;

	for (int i = 0; i < MEASURE_FIRST_PROBES; i++, now += 150000) {
		tick_and_answer(now, 500);
		assert_int_equal(next_tick_in_ms(now), MEASURE_BUSY_MS);
	}
	now += MEASURE_BUSY_WINDOW_MS * 1000ULL;
	tick_and_answer(now, 500);
	assert_int_equal(next_tick_in_ms(now), MEASURE_IDLE_MS);
	/* Traffic brings the next probe forward to the busy pace. */
	measure_traffic(peer, now / 1000, 100);
	assert_int_equal(next_tick_in_ms(now), MEASURE_BUSY_MS);
}

/* One probe lost puts the path in doubt (packets also go on the fallback
 * route), an answer takes the doubt away; many in a row give it up. */
static void test_losses(void **state)
{
	uint64_t now = 1000000, step = MEASURE_LOSS_MAX_MS * 1000ULL;

	tick_and_answer(now, 500);
	assert_false(peer->path.direct_doubtful);
	tick_and_answer(now += step, 0);
	measure_tick(peer, now += step); /* counts the one before lost */
	assert_true(peer->path.direct_doubtful);
	measure_answered(peer, latest_probe()->nonce, &direct, now + 500);
	assert_false(peer->path.direct_doubtful); /* the last one was answered */
	for (int i = 0; i < 2 * MEASURE_GIVE_UP_LOSSES && peer->path.direct_up; i++) {
		measure_tick(peer, now += step);
		assert_false(peer->path.direct_doubtful && i > 1);
	}
	assert_false(peer->path.direct_up);
	assert_true(rtt_down(&peer->measure->direct_rtt));
}

/* Our own bulk traffic makes a path loaded: it then costs its minimum RTT
 * (not the queue we built), and a probe lost while data kept arriving on
 * it is no loss. */
static void test_load(void **state)
{
	uint64_t now = 100000000, step = MEASURE_LOSS_MAX_MS * 1000ULL;

	for (int i = 0; i < 4; i++, now += 150000)
		tick_and_answer(now, 300); /* idle: 0.3 ms */
	for (int i = 0; i < 8; i++, now += 150000)
		tick_and_answer(now, 8000); /* our queue: 8 ms */
	assert_false(measure_loaded(peer->measure, now / 1000));
	assert_true(measure_cost_us(peer, now / 1000) > 6000);
	/* 128 packets of 1400 bytes (175 KiB) in a second: not yet; 256 are. */
	for (int i = 0; i < 128; i++)
		measure_traffic(peer, now / 1000, 1400);
	assert_false(measure_loaded(peer->measure, now / 1000));
	for (int i = 0; i < 128; i++)
		measure_traffic(peer, now / 1000 + 500, 1400);
	assert_true(measure_loaded(peer->measure, now / 1000 + 500));
	now += 600000;
	assert_int_equal(measure_cost_us(peer, now / 1000), 300);
	/* A probe drowned in our burst while data arrives: excused. */
	tick_and_answer(now, 0);
	measure_data_heard(peer, now + 1000);
	measure_tick(peer, now += step);
	assert_int_equal(peer->measure->direct_rtt.consecutive_losses, 0);
	assert_int_equal(peer->measure->losses_excused, 1);
	/* Lost with no data since it was sent: a loss. */
	measure_tick(peer, now += step);
	assert_int_equal(peer->measure->direct_rtt.consecutive_losses, 1);
	/* Ten quiet seconds later the path is no longer loaded. */
	assert_false(measure_loaded(peer->measure, now / 1000 + MEASURE_LOAD_HOLD_MS));
}

static void test_ping(void **state)
{
	uint64_t nonce;

	measure_ping(peer); /* sealed and armed; there is no socket to send it on */
	nonce = peer->measure->ping.probe.nonce;
	assert_false(peer->measure->ping.answered);
	measure_answered(peer, nonce, &direct, peer->measure->ping.probe.sent_us + 700);
	assert_true(peer->measure->ping.answered);
	assert_true(peer->measure->ping.direct);
	assert_int_equal(peer->measure->ping.rtt_us, 700);
	/* A ping is not a sample of the direct path. */
	assert_int_equal(peer->measure->direct_rtt.outcomes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_answers_are_samples, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pace, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_losses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ping, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

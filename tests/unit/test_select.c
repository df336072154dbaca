/*
 * The path selector without sockets: a device whose peers have measured
 * direct paths and whose relays advertise links; each row says what the
 * selector must choose, and after how many evaluations.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "route/links.h"
#include "route/measure.h"
#include "route/select.h"
#include "test_device.h"

enum { TARGET = 2, RELAY_A = 11, RELAY_B = 12, NONE = 0, DOWN = UINT32_MAX };

/* Measured RTTs in µs: NONE no direct path, DOWN a path that stopped answering. */
struct lab {
	uint32_t direct;	     /* us -> target */
	uint32_t to_relay[2];	     /* us -> relay A, B */
	uint32_t relay_to_target[2]; /* as A, B advertise; NONE: no link */
};

static struct device *dev;
static struct peer *target, *relays[2];

static void measure_direct(struct peer *peer, uint32_t rtt_us)
{
	struct measure *m = peer->measure;

	memset(&m->direct_rtt, 0, sizeof(m->direct_rtt));
	peer->path.direct_up = rtt_us != NONE;
	peer->endpoint.in.sin_family = rtt_us != NONE ? AF_INET : 0;
	for (int i = 0; i < 8 && rtt_us != NONE; i++) {
		if (rtt_us == DOWN)
			rtt_lost(&m->direct_rtt);
		else
			rtt_answered(&m->direct_rtt, rtt_us);
	}
}

static void advertise(struct peer *relay, uint32_t cost_us)
{
	struct links_heard *heard = relay->links ? relay->links : calloc(1, sizeof(*heard));

	heard->advert.count = cost_us != NONE;
	heard->advert.links[0].node = target->config.node_id;
	heard->advert.links[0].cost_us = cost_us;
	heard->received_ms = clock_ms();
	relay->links = heard;
}

static void set_lab(const struct lab *lab)
{
	measure_direct(target, lab->direct);
	for (int i = 0; i < 2; i++) {
		measure_direct(relays[i], lab->to_relay[i]);
		advertise(relays[i], lab->relay_to_target[i]);
	}
}

static int setup(void **state)
{
	dev = test_device_new();
	target = test_device_add_peer(dev, TARGET, false);
	relays[0] = test_device_add_peer(dev, RELAY_A, false);
	relays[1] = test_device_add_peer(dev, RELAY_B, false);
	test_make_member(target, 0);
	test_make_member(relays[0], CERT_FLAG_RELAY);
	test_make_member(relays[1], CERT_FLAG_RELAY);
	return 0;
}

static int teardown(void **state)
{
	test_device_free(dev);
	return 0;
}

/* 0: direct; else the first relay's host part. */
static uint32_t chosen(void)
{
	if (!target->path.routed)
		return UINT32_MAX;
	return target->path.route.hop_count ? ntohl(target->path.route.hops[0].s_addr) & 0xffff : 0;
}

static void forget_choice(void)
{
	path_clear_route(target);
	memset(target->choice, 0, sizeof(*target->choice));
}

static void test_first_choice(void **state)
{
	static const struct {
		const char *what;
		struct lab lab;
		uint32_t expect; /* 0 direct, a relay, UINT32_MAX unrouted */
	} rows[] = {
	    {"direct and cheaper", {1000, {500, 500}, {800, 900}}, 0},
	    {"no direct path: the cheaper relay", {NONE, {500, 500}, {900, 400}}, RELAY_B},
	    {"direct much slower", {40000, {1000, 1000}, {1000, 9000}}, RELAY_A},
	    {"direct down", {DOWN, {1000, 1000}, {9000, 1000}}, RELAY_B},
	    {"nothing measured", {NONE, {NONE, NONE}, {NONE, NONE}}, UINT32_MAX},
	    {"a relay we cannot reach", {NONE, {NONE, 800}, {100, 5000}}, RELAY_B},
	};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		forget_choice();
		set_lab(&rows[r].lab);
		select_routes(dev);
		if (chosen() != rows[r].expect)
			fail_msg("%s: chose %u, expected %u", rows[r].what, chosen(),
				 rows[r].expect);
	}
}

/* A relayed route that costs exactly what the direct path costs loses:
 * the direct path spares the relay. */
static void test_tie_goes_direct(void **state)
{
	static const struct lab lab = {3000, {1000, NONE}, {NONE, NONE}};
	uint32_t direct, to_relay;

	forget_choice();
	set_lab(&lab);
	direct = rtt_cost_us(&target->measure->direct_rtt);
	to_relay = rtt_cost_us(&relays[0]->measure->direct_rtt);
	advertise(relays[0], direct - to_relay - ROUTE_HOP_PENALTY_US);
	select_routes(dev);
	assert_int_equal(chosen(), 0);
	advertise(relays[0], direct - to_relay - ROUTE_HOP_PENALTY_US - 1);
	forget_choice();
	select_routes(dev);
	assert_int_equal(chosen(), RELAY_A);
}

/* A route in use is left only for one clearly and steadily cheaper: not
 * for a few evaluations of a better one, nor for one barely better. */
static void test_hysteresis(void **state)
{
	static const struct lab start = {2000, {1000, 1000}, {1000, 9000}};
	static const struct {
		const char *what;
		struct lab lab;
		int evaluations;
		uint32_t expect;
	} rows[] = {
	    {"a relay cheaper by under 2 ms", {5000, {1500, 1000}, {2000, 9000}}, 20, 0},
	    {"clearly cheaper, not yet steadily", {30000, {1000, 1000}, {1000, 9000}}, 4, 0},
	    {"clearly and steadily cheaper", {30000, {1000, 1000}, {1000, 9000}}, 8, RELAY_A},
	    {"the route in use stops answering", {2000, {DOWN, 1000}, {1000, 1500}}, 1, 0},
	};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		forget_choice();
		set_lab(r == 3 ? &(struct lab){30000, {1000, 1000}, {1000, 9000}} : &start);
		select_routes(dev);
		if (r == 3) /* in use: the relay */
			assert_int_equal(chosen(), RELAY_A);
		else
			assert_int_equal(chosen(), 0);
		set_lab(&rows[r].lab);
		for (int i = 0; i < rows[r].evaluations; i++)
			select_routes(dev);
		if (chosen() != rows[r].expect)
			fail_msg("%s: chose %u, expected %u", rows[r].what, chosen(),
				 rows[r].expect);
	}
}

/* A direct path this node loads with bulk traffic is not left for an idle
 * relay because of the queue the traffic built: loaded, it costs its
 * minimum RTT. Unloaded, the same samples would move it. */
static void test_queueing_is_not_distance(void **state)
{
	static const struct lab idle = {300, {1000, 1000}, {1000, 9000}};

	for (int loaded = 1; loaded >= 0; loaded--) {
		forget_choice();
		set_lab(&idle);
		rtt_min_sample(&target->measure->min_rtt, 300, clock_ms());
		select_routes(dev);
		assert_int_equal(chosen(), 0);
		if (loaded)
			measure_traffic(target, clock_ms(), MEASURE_LOAD_BYTES_PER_S);
		else
			target->measure->loaded_until_ms = 0;
		for (int i = 0; i < 12; i++)
			rtt_answered(&target->measure->direct_rtt, 14000); /* our queue */
		for (int i = 0; i < 4 * ROUTE_SWITCH_STEADY; i++)
			select_routes(dev);
		if (chosen() != (loaded ? 0 : RELAY_A))
			fail_msg("%s: chose %u", loaded ? "loaded" : "not loaded", chosen());
	}
}

static void test_pins(void **state)
{
	static const struct lab lab = {1000, {1000, 3000}, {1000, 1000}};

	forget_choice();
	set_lab(&lab);
	assert_int_equal(select_pin(target, PIN_VIA, relays[1]->config.node_id), 0);
	assert_int_equal(chosen(), RELAY_B);
	assert_string_equal(target->choice->reason, "pinned");
	assert_int_equal(select_pin(target, PIN_RELAY, (struct in_addr){0}), 0);
	assert_int_equal(chosen(), RELAY_A);
	assert_int_equal(select_pin(target, PIN_DIRECT, (struct in_addr){0}), 0);
	assert_int_equal(chosen(), 0);
	/* Not a relay of ours: refused, the pin stays. */
	assert_int_equal(select_pin(target, PIN_VIA, target->config.node_id), -ENOENT);
	assert_int_equal(target->choice->pin.kind, PIN_DIRECT);
	assert_int_equal(select_pin(target, PIN_AUTO, (struct in_addr){0}), 0);
	assert_int_equal(chosen(), 0);
}

/* What a direct path in doubt sends on: the best relayed route. */
static void test_fallback(void **state)
{
	static const struct lab lab = {1000, {1000, 1000}, {5000, 2000}};

	forget_choice();
	set_lab(&lab);
	select_routes(dev);
	assert_int_equal(chosen(), 0);
	assert_int_equal(target->path.fallback.hop_count, 1);
	assert_int_equal(ntohl(target->path.fallback.hops[0].s_addr) & 0xffff, RELAY_B);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_first_choice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tie_goes_direct, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hysteresis, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_queueing_is_not_distance, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pins, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

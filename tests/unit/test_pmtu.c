/*
 * Path MTU discovery without sockets: a path that carries datagrams up to
 * some size answers the probes that fit and loses the others; each row says
 * what the search must settle on. Then a path whose MTU drops: the check
 * finds the black hole and the search starts over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "route/pmtu.h"
#include "test_device.h"

enum { FULL = 1420 + 32 }; /* the test device's MTU, sealed */

static struct device *dev;
static struct peer *peer;

static int setup(void **state)
{
	static const union endpoint where = {.in = {.sin_family = AF_INET, .sin_port = 9}};

	dev = test_device_new();
	peer = test_device_add_peer(dev, 2, false);
	test_make_member(peer, 0);
	path_direct_received(peer, &where, -1);
	return 0;
}

static int teardown(void **state)
{
	test_device_free(dev);
	return 0;
}

/* The path answers what is at most carries bytes; returns the probes sent. */
static int run_search(size_t carries)
{
	struct pmtu *p = peer->pmtu;
	int probes = 0;

	for (; p->probing && probes < 100; probes++) {
		if (p->probing <= carries)
			assert_true(pmtu_answered(peer, p->nonce));
		else
			p->step.expired(&p->step); /* no answer in time */
	}
	assert_int_equal(p->probing, 0);
	return probes;
}

static void test_search(void **state)
{
	static const struct {
		size_t carries; /* the largest UDP payload the path takes */
		size_t packet;	/* the inner MTU it must settle on */
	} rows[] = {
	    {1500 - 28, 1420}, /* IPv4 on 1500: everything */
	    {1452, 1420},      /* exactly the full size */
	    {1451, 1408},      /* a byte short: the next step of the padding down */
	    {1400 - 28, 1328}, {1300 - 28, 1232}, {1280 - 28, 1216},
	    {1280 - 48, 1200}, {1000, 1200}, /* below IPv6's minimum: the floor is assumed */
	};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		pmtu_forget(peer);
		pmtu_start(peer);
		run_search(rows[r].carries);
		if (path_direct_mtu(peer) != rows[r].packet)
			fail_msg("a path of %zu: settled on %zu, expected %zu", rows[r].carries,
				 path_direct_mtu(peer), rows[r].packet);
		assert_int_equal(path_inner_mtu(peer), rows[r].packet);
	}
}

/* A path that took full-size datagrams stops doing so: the check (while
 * large packets go out on the path) finds out, the path is capped at the floor at once,
 * and the search finds the new size. */
static void test_black_hole(void **state)
{
	struct pmtu *p = peer->pmtu;

	pmtu_start(peer);
	run_search(1500 - 28);
	assert_int_equal(path_direct_mtu(peer), 1420);
	/* Idle: no check probe. */
	p->step.expired(&p->step);
	assert_int_equal(p->probing, 0);
	pmtu_sent(peer, 100, clock_ms()); /* a ping: no check */
	p->step.expired(&p->step);
	assert_int_equal(p->probing, 0);
	pmtu_sent(peer, 1400, clock_ms());
	p->step.expired(&p->step);
	assert_int_equal(p->probing, FULL);
	for (int i = 0; i < PMTU_TRIES; i++)
		p->step.expired(&p->step);
	assert_int_equal(path_direct_mtu(peer), PMTU_FLOOR - 32);
	run_search(1300 - 28);
	assert_int_equal(path_direct_mtu(peer), 1232);
}

/* Every PMTU_RAISE_MS a path capped below the full size tries it again;
 * while that fails, the cap in use stays (it is not a black hole). */
static void test_raise(void **state)
{
	struct pmtu *p = peer->pmtu;

	pmtu_start(peer);
	run_search(1300 - 28);
	assert_int_equal(path_direct_mtu(peer), 1232);
	p->settled_ms -= PMTU_RAISE_MS;
	p->step.expired(&p->step);
	assert_int_equal(p->probing, FULL);
	for (int i = 0; i < PMTU_TRIES; i++)
		p->step.expired(&p->step);
	assert_int_equal(path_direct_mtu(peer), 1232);
	run_search(1300 - 28);
	assert_int_equal(path_direct_mtu(peer), 1232);
	/* Without a session, nothing is probed and nothing concluded. */
	p->settled_ms -= PMTU_RAISE_MS;
	peer->current.valid = false;
	p->step.expired(&p->step);
	assert_int_equal(path_direct_mtu(peer), 1232);
}

/* Relayed routes leave room for the envelope on top of what the first
 * hop's direct path carries. */
static void test_relayed(void **state)
{
	struct peer *relay = test_device_add_peer(dev, 11, false);
	static const union endpoint relay_at = {.in = {.sin_family = AF_INET, .sin_port = 10}};
	struct route via = {.cost_us = 1000, .hop_count = 1}, none = {0};

	test_make_member(relay, CERT_FLAG_RELAY);
	path_direct_received(relay, &relay_at, -1);
	via.hops[0] = relay->config.node_id;
	path_set_route(peer, &via, &none);
	assert_int_equal(path_inner_mtu(peer), 1360);
	/* 1252-byte datagrams carry hop plaintexts of 1216 (rounded down to
	 * the padding); the envelope needs 13 + 32: 1171, padded down. The
	 * datagram: 16 + 13 + (1168 + 32) + 16 = 1245. */
	path_set_direct_mtu(relay, 1280 - 28);
	assert_int_equal(path_inner_mtu(peer), 1168);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_search, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_black_hole, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_raise, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_relayed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

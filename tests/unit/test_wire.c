/* Control message codecs: round trips, and truncations refused. */
#include <arpa/inet.h>

#include "vectors.h"

#include "messages.h"
#include "wire.h"

static void test_register_roundtrip_and_truncation(void **state)
{
	struct registration in = {.nat = NAT_SYMMETRIC}, out;
	uint8_t buf[128];
	union endpoint ep;
	int len;

	endpoint_parse(&ep, "10.1.0.2:51820");
	candidate_list_add(&in.candidates, &ep);
	endpoint_parse(&ep, "[2001:db8::2]:51820");
	candidate_list_add(&in.candidates, &ep);
	assert_int_equal(candidate_list_add(&in.candidates, &ep), 0); /* no duplicates */
	len = wire_encode_register(buf, sizeof(buf), &in);
	assert_int_equal(len, 1 + 1 + 1 + 7 + 19);
	assert_int_equal(wire_decode_register(buf, (size_t)len, &out), 0);
	assert_int_equal(out.nat, NAT_SYMMETRIC);
	assert_int_equal(out.candidates.count, 2);
	assert_true(endpoint_equal(&out.candidates.items[1], &in.candidates.items[1]));
	for (int cut = 0; cut < len; cut++)
		assert_int_equal(wire_decode_register(buf, (size_t)cut, &out), -EINVAL);
	buf[1] = 7; /* no such NAT type */
	assert_int_equal(wire_decode_register(buf, (size_t)len, &out), -EINVAL);
	buf[1] = NAT_CONE;
	buf[2] = WIRE_MAX_CANDIDATES + 1;
	assert_int_equal(wire_decode_register(buf, sizeof(buf), &out), -EINVAL);
}

/* A beacon: only the network secret makes or reads one; every byte counts. */
static void test_beacon(void **state)
{
	uint8_t secret[32], other[32], buf[WIRE_BEACON_MAX_LEN + 1];
	struct beacon in = {.port = 51820, .time_s = 1800000000}, out;
	int len;

	memset(secret, 0x5a, sizeof(secret));
	memset(other, 0x5b, sizeof(other));
	in.cert.node_id.s_addr = htonl(0x0a1a0005);
	in.cert.not_after = 1900000000;
	strcpy(in.cert.network, "lab");
	memset(in.cert.public_key, 7, sizeof(in.cert.public_key));
	len = wire_encode_beacon(buf, sizeof(buf), &in, secret);
	assert_true(len > 0);
	assert_int_equal(wire_decode_beacon(buf, (size_t)len, &out, secret), 0);
	assert_int_equal(out.port, 51820);
	assert_int_equal(out.time_s, 1800000000);
	assert_true(cert_equal(&out.cert, &in.cert));
	assert_int_equal(wire_decode_beacon(buf, (size_t)len, &out, other), -EACCES);
	for (int cut = 0; cut < len; cut++)
		assert_int_not_equal(wire_decode_beacon(buf, (size_t)cut, &out, secret), 0);
	assert_int_equal(wire_decode_beacon(buf, (size_t)len + 1, &out, secret), -EINVAL);
	for (int i = 5; i < len; i++) { /* past magic and version: the MAC catches it */
		buf[i] ^= 1;
		/* (byte 15, the certificate's length, makes it no beacon at all) */
		assert_int_equal(wire_decode_beacon(buf, (size_t)len, &out, secret),
				 i == 15 ? -EINVAL : -EACCES);
		buf[i] ^= 1;
	}
}

static void test_relay_roundtrip(void **state)
{
	struct relay_header in = {
	    .hop_limit = 3, .payload = (const uint8_t *)"abc", .payload_len = 3};
	struct relay_header out;
	uint8_t buf[64];
	int len;

	inet_pton(AF_INET, "10.26.0.1", &in.src);
	inet_pton(AF_INET, "10.26.0.2", &in.dst);
	len = wire_encode_relay_header(buf, sizeof(buf), &in);
	assert_int_equal(len, WIRE_RELAY_HEADER_LEN);
	memcpy(buf + len, "abc", 3);
	memset(buf + len + 3, 0, 5); /* transport padding follows */
	assert_int_equal(wire_decode_relay(buf, (size_t)len + 8, &out), 0);
	assert_int_equal(out.hop_limit, 3);
	assert_int_equal(out.src.s_addr, in.src.s_addr);
	assert_int_equal(out.payload_len, 3);
	assert_memory_equal(out.payload, "abc", 3);
	assert_int_equal(wire_decode_relay(buf, (size_t)len + 2, &out), -EINVAL);
}

static void test_relay_waypoints(void **state)
{
	struct relay_header in = {.hop_limit = 4,
				  .waypoint_count = 2,
				  .payload = (const uint8_t *)"xy",
				  .payload_len = 2};
	struct relay_header out;
	uint8_t buf[64];
	int len;

	inet_pton(AF_INET, "10.26.0.12", &in.waypoints[0]);
	inet_pton(AF_INET, "10.26.0.13", &in.waypoints[1]);
	len = wire_encode_relay_header(buf, sizeof(buf), &in);
	assert_int_equal(len, WIRE_RELAY_HEADER_LEN + 8);
	memcpy(buf + len, "xy", 2);
	assert_int_equal(wire_decode_relay(buf, (size_t)len + 2, &out), 0);
	assert_int_equal(out.waypoint_count, 2);
	assert_int_equal(out.waypoints[1].s_addr, in.waypoints[1].s_addr);
	assert_memory_equal(out.payload, "xy", 2);
	/* More waypoints than a route can have, or cut short: malformed. */
	buf[WIRE_RELAY_HEADER_LEN - 1] = WIRE_MAX_WAYPOINTS + 1;
	assert_int_equal(wire_decode_relay(buf, (size_t)len + 2, &out), -EINVAL);
	buf[WIRE_RELAY_HEADER_LEN - 1] = 2;
	assert_int_equal(wire_decode_relay(buf, WIRE_RELAY_HEADER_LEN + 5, &out), -EINVAL);
	in.waypoint_count = WIRE_MAX_WAYPOINTS + 1;
	assert_int_equal(wire_encode_relay_header(buf, sizeof(buf), &in), -EINVAL);
}

static void test_links(void **state)
{
	static struct link_advert in = {.count = 2}, out;
	uint8_t buf[3 + WIRE_LINK_LEN * 2];

	inet_pton(AF_INET, "10.26.0.2", &in.links[0].node);
	in.links[0].cost_us = 5123;
	in.links[0].datagram_max = 1248;
	inet_pton(AF_INET, "10.26.0.3", &in.links[1].node);
	in.links[1].cost_us = 0xfffffffe;
	assert_int_equal(wire_encode_links(buf, sizeof(buf), &in), sizeof(buf));
	assert_int_equal(wire_decode_links(buf, sizeof(buf), &out), 0);
	assert_int_equal(out.count, 2);
	assert_int_equal(out.links[0].cost_us, 5123);
	assert_int_equal(out.links[0].datagram_max, 1248);
	assert_int_equal(out.links[1].cost_us, 0xfffffffe);
	assert_int_equal(out.links[1].datagram_max, 0);
	assert_int_equal(out.links[1].node.s_addr, in.links[1].node.s_addr);
	/* From an older node, without the MTUs: not known. */
	assert_int_equal(wire_decode_links(buf, 3 + 8 * 2, &out), 0);
	assert_int_equal(out.links[0].datagram_max, 0);
	assert_int_equal(wire_decode_links(buf, 3 + 8 * 2 - 1, &out), -EINVAL);
	buf[1] = 0xff; /* a count over WIRE_MAX_LINKS */
	assert_int_equal(wire_decode_links(buf, sizeof(buf), &out), -EINVAL);
}

static void test_probe(void **state)
{
	uint8_t buf[WIRE_PROBE_LEN];
	uint64_t nonce;

	assert_int_equal(wire_encode_probe(buf, sizeof(buf), CONTROL_PONG, 0x0102030405060708ULL),
			 WIRE_PROBE_LEN);
	assert_int_equal(wire_decode_probe(buf, sizeof(buf), &nonce), 0);
	assert_true(nonce == 0x0102030405060708ULL);
	buf[0] = CONTROL_RELAY;
	assert_int_equal(wire_decode_probe(buf, sizeof(buf), &nonce), -EINVAL);
}

static union endpoint endpoint_of(const char *addr, uint16_t port)
{
	union endpoint ep = {0};

	if (inet_pton(AF_INET, addr, &ep.in.sin_addr) == 1) {
		ep.in.sin_family = AF_INET;
		ep.in.sin_port = htons(port);
	} else {
		assert_int_equal(inet_pton(AF_INET6, addr, &ep.in6.sin6_addr), 1);
		ep.in6.sin6_family = AF_INET6;
		ep.in6.sin6_port = htons(port);
	}
	return ep;
}

/* What a member may register as where it can be reached - and what it
 * may not send other members to probe. */
static void test_candidates_sanitized(void **state)
{
	static const char *const refused[] = {
	    "127.0.0.1", "0.0.0.0", "224.0.0.251", "239.1.2.3", "255.255.255.255", "169.254.7.7",
	    "10.26.0.5", "::1",	    "ff02::1",	   "fe80::1",	"::ffff:127.0.0.1", "::",
	};
	static const char *const usable[] = {"192.0.2.1", "10.1.0.2", "2001:db8::1"};
	struct candidate_list list = {0};
	struct ipv4_prefix overlay;
	union endpoint ep;

	ipv4_prefix_parse("10.26.0.0/24", &overlay);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		ep = endpoint_of(refused[i], 51820);
		if (candidate_usable(&ep, &overlay))
			fail_msg("%s taken as a candidate", refused[i]);
		if (list.count < 2) /* with the usable ones twice: WIRE_MAX_CANDIDATES */
			list.items[list.count++] = ep;
	}
	ep = endpoint_of("192.0.2.1", 0);
	assert_false(candidate_usable(&ep, &overlay)); /* no port */
	for (size_t i = 0; i < sizeof(usable) / sizeof(usable[0]); i++) {
		ep = endpoint_of(usable[i], 51820);
		assert_true(candidate_usable(&ep, &overlay));
		list.items[list.count++] = ep;
		list.items[list.count++] = ep; /* each twice */
	}
	assert_int_equal(candidate_list_sanitize(&list, &overlay), 2 + 3);
	assert_int_equal(list.count, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_register_roundtrip_and_truncation),
	    cmocka_unit_test(test_beacon),
	    cmocka_unit_test(test_relay_roundtrip),
	    cmocka_unit_test(test_relay_waypoints),
	    cmocka_unit_test(test_links),
	    cmocka_unit_test(test_probe),
	    cmocka_unit_test(test_candidates_sanitized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

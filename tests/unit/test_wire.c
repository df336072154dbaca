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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_register_roundtrip_and_truncation),
	    cmocka_unit_test(test_relay_roundtrip),
	    cmocka_unit_test(test_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* STUN Binding against RFC 5769's sample IPv4 response, and round trips. */
#include <arpa/inet.h>

#include "vectors.h"

#include "stun.h"

static void test_rfc5769_ipv4_response(void **state)
{
	uint8_t msg[80], txid[STUN_TXID_LEN], want_txid[STUN_TXID_LEN];
	union endpoint mapped;
	char text[ENDPOINT_STRLEN];
	size_t len = hex_decode(msg, sizeof(msg),
				"0101003c2112a442b7e7a701bc34d686fa87dfae"
				"8022000b7465737420766563746f7220"
				"002000080001a147e112a643"
				"000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
				"80280004c07d4c96");

	/* SOFTWARE, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT. */
	assert_int_equal(len, 80);
	assert_true(stun_is_message(msg, len));
	assert_int_equal(stun_parse_response(msg, len, txid, &mapped), 0);
	hex_decode(want_txid, sizeof(want_txid), "b7e7a701bc34d686fa87dfae");
	assert_memory_equal(txid, want_txid, STUN_TXID_LEN);
	endpoint_format(&mapped, text, sizeof(text));
	assert_string_equal(text, "192.0.2.1:32853");
}

static void test_roundtrip_v4_and_v6(void **state)
{
	const char *addresses[] = {"198.51.100.7:3478", "[2001:db8::1:2]:40000"};

	for (size_t i = 0; i < 2; i++) {
		uint8_t request[STUN_HEADER_LEN], reply[STUN_MAX_RESPONSE_LEN];
		uint8_t txid[STUN_TXID_LEN] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
			seen[STUN_TXID_LEN];
		union endpoint ep, mapped;
		char text[ENDPOINT_STRLEN];
		int len;

		assert_int_equal(endpoint_parse(&ep, addresses[i]), 0);
		assert_int_equal(stun_build_request(request, sizeof(request), txid),
				 STUN_HEADER_LEN);
		assert_int_equal(stun_parse_request(request, sizeof(request), seen), 0);
		assert_memory_equal(seen, txid, STUN_TXID_LEN);
		len = stun_build_response(reply, sizeof(reply), txid, &ep);
		assert_true(len > 0);
		assert_int_equal(stun_parse_response(reply, (size_t)len, seen, &mapped), 0);
		endpoint_format(&mapped, text, sizeof(text));
		assert_string_equal(text, addresses[i]);
	}
}

static void test_not_stun(void **state)
{
	uint8_t wireguard[148] = {1, 0, 0, 0};
	uint8_t request[STUN_HEADER_LEN], txid[STUN_TXID_LEN] = {0};
	union endpoint mapped;

	/* A WireGuard initiation is not STUN, nor a truncated or misdeclared one. */
	assert_false(stun_is_message(wireguard, sizeof(wireguard)));
	stun_build_request(request, sizeof(request), txid);
	assert_false(stun_is_message(request, sizeof(request) - 1));
	request[3] = 4; /* declares an attribute that is not there */
	assert_false(stun_is_message(request, sizeof(request)));
	request[3] = 0;
	assert_int_equal(stun_parse_response(request, sizeof(request), txid, &mapped), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc5769_ipv4_response),
	    cmocka_unit_test(test_roundtrip_v4_and_v6),
	    cmocka_unit_test(test_not_stun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* mac1, mac2 and the cookie reply round trip between initiator and responder. */
#include "vectors.h"

#include "cookie.h"

static void test_mac1_and_cookie_roundtrip(void **state)
{
	uint8_t responder_priv[32], responder_pub[32];
	struct cookie_checker checker;
	struct cookie cookie;
	struct message_handshake_initiation msg;
	struct message_handshake_cookie reply;
	struct cookie_source src = {.bytes = {10, 0, 0, 1, 0x1f, 0x90}, .len = 6};
	struct cookie_source other = {.bytes = {10, 0, 0, 2, 0x1f, 0x90}, .len = 6};

	assert_int_equal(x25519_generate_private(responder_priv), 0);
	assert_int_equal(x25519_public(responder_pub, responder_priv), 0);
	cookie_checker_init(&checker, responder_pub);
	cookie_init(&cookie, responder_pub);
	memset(&msg, 0xab, sizeof(msg));

	cookie_add_macs(&cookie, &msg, sizeof(msg), 1000);
	assert_int_equal(cookie_validate_packet(&checker, &msg, sizeof(msg), &src, false, 1000),
			 COOKIE_MAC_VALID_NO_COOKIE);
	/* Under load, a valid mac1 without a cookie earns a cookie reply. */
	assert_int_equal(cookie_validate_packet(&checker, &msg, sizeof(msg), &src, true, 1000),
			 COOKIE_MAC_VALID_NO_COOKIE);
	assert_int_equal(cookie_message_create(&reply, &checker, &msg, sizeof(msg), 7, &src, 1000),
			 0);
	assert_int_equal(cookie_message_consume(&cookie, &reply, 1001), 0);
	/* A reply answers one mac1: consumed twice, it is refused. */
	assert_int_equal(cookie_message_consume(&cookie, &reply, 1001), -EINVAL);
	/* The next message carries mac2 bound to this source address only. */
	cookie_add_macs(&cookie, &msg, sizeof(msg), 1002);
	assert_int_equal(cookie_validate_packet(&checker, &msg, sizeof(msg), &src, true, 1002),
			 COOKIE_MAC_VALID_WITH_COOKIE);
	assert_int_equal(cookie_validate_packet(&checker, &msg, sizeof(msg), &other, true, 1002),
			 COOKIE_MAC_VALID_NO_COOKIE);

	msg.sender_index ^= 1;
	assert_int_equal(cookie_validate_packet(&checker, &msg, sizeof(msg), &src, false, 1002),
			 COOKIE_MAC_INVALID);
}

static void test_mac1_bound_to_responder_key(void **state)
{
	uint8_t key_a[32] = {9}, key_b[32] = {10};
	struct cookie_checker checker;
	struct cookie cookie;
	struct message_handshake_response msg;
	struct cookie_source src = {.len = 6};

	cookie_checker_init(&checker, key_a);
	cookie_init(&cookie, key_b);
	memset(&msg, 1, sizeof(msg));
	cookie_add_macs(&cookie, &msg, sizeof(msg), 1);
	assert_int_equal(cookie_validate_packet(&checker, &msg, sizeof(msg), &src, false, 1),
			 COOKIE_MAC_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mac1_and_cookie_roundtrip),
	    cmocka_unit_test(test_mac1_bound_to_responder_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Two ends of the IKpsk2 handshake talk to each other through the real
 * message structs; the interop test in tests/netns checks against wireguard-go. */
#include "vectors.h"

#include "noise.h"

struct side {
	struct noise_static_identity identity;
	struct noise_handshake hs; /* this side's view of the other */
};

static struct noise_handshake *lookup_one(void *ctx, const uint8_t key[32])
{
	struct side *side = ctx;

	return memcmp(key, side->hs.remote_static, 32) == 0 ? &side->hs : NULL;
}

static void make_identity(struct noise_static_identity *id)
{
	assert_int_equal(x25519_generate_private(id->static_private), 0);
	assert_int_equal(x25519_public(id->static_public, id->static_private), 0);
}

static void make_pair(struct side *a, struct side *b, const uint8_t psk_a[32],
		      const uint8_t psk_b[32])
{
	make_identity(&a->identity);
	make_identity(&b->identity);
	assert_int_equal(
	    noise_handshake_init(&a->hs, &a->identity, b->identity.static_public, psk_a), 0);
	assert_int_equal(
	    noise_handshake_init(&b->hs, &b->identity, a->identity.static_public, psk_b), 0);
}

static void test_handshake_derives_matching_keys(void **state)
{
	static struct side a, b;
	uint8_t psk[32] = {42};
	struct message_handshake_initiation init;
	struct message_handshake_response resp;
	struct noise_keypair ka, kb;

	make_pair(&a, &b, psk, psk);
	assert_int_equal(sizeof(init), 148);
	assert_int_equal(sizeof(resp), 92);
	assert_int_equal(noise_handshake_create_initiation(&init, &a.hs, 0x11111111), 0);
	assert_ptr_equal(
	    noise_handshake_consume_initiation(&init, &b.identity, lookup_one, &b, 1000), &b.hs);
	assert_int_equal(b.hs.remote_index, 0x11111111);
	assert_int_equal(noise_handshake_create_response(&resp, &b.hs, 0x22222222), 0);
	assert_int_equal(noise_handshake_consume_response(&resp, &a.hs), 0);
	assert_int_equal(noise_handshake_begin_session(&a.hs, &ka, 1), 0);
	assert_int_equal(noise_handshake_begin_session(&b.hs, &kb, 1), 0);
	assert_memory_equal(ka.sending_key, kb.receiving_key, 32);
	assert_memory_equal(ka.receiving_key, kb.sending_key, 32);
	assert_memory_not_equal(ka.sending_key, ka.receiving_key, 32);
	assert_true(ka.i_am_the_initiator);
	assert_false(kb.i_am_the_initiator);
	assert_int_equal(ka.remote_index, 0x22222222);
	assert_int_equal(kb.remote_index, 0x11111111);
	assert_int_equal(a.hs.state, HANDSHAKE_ZEROED);
}

static void test_replayed_initiation_rejected(void **state)
{
	static struct side a, b;
	uint8_t psk[32] = {0};
	struct message_handshake_initiation init;

	make_pair(&a, &b, psk, psk);
	assert_int_equal(noise_handshake_create_initiation(&init, &a.hs, 1), 0);
	assert_non_null(
	    noise_handshake_consume_initiation(&init, &b.identity, lookup_one, &b, 1000));
	/* Same timestamp, long after the flood window: still refused. */
	assert_null(noise_handshake_consume_initiation(&init, &b.identity, lookup_one, &b, 99000));
}

static void test_initiation_flood_rejected(void **state)
{
	static struct side a, b;
	uint8_t psk[32] = {0};
	struct message_handshake_initiation first, second;

	make_pair(&a, &b, psk, psk);
	assert_int_equal(noise_handshake_create_initiation(&first, &a.hs, 1), 0);
	assert_non_null(
	    noise_handshake_consume_initiation(&first, &b.identity, lookup_one, &b, 1000));
	/* A fresh timestamp (forced later) but within 1/50 s of the last one. */
	assert_int_equal(noise_handshake_create_initiation(&second, &a.hs, 2), 0);
	b.hs.latest_timestamp[0] = 0;
	assert_null(noise_handshake_consume_initiation(&second, &b.identity, lookup_one, &b, 1010));
}

static void test_wrong_psk_fails_response(void **state)
{
	static struct side a, b;
	uint8_t psk_a[32] = {1}, psk_b[32] = {2};
	struct message_handshake_initiation init;
	struct message_handshake_response resp;

	/* A node of another network (other PSK) never completes a handshake. */
	make_pair(&a, &b, psk_a, psk_b);
	assert_int_equal(noise_handshake_create_initiation(&init, &a.hs, 1), 0);
	assert_non_null(noise_handshake_consume_initiation(&init, &b.identity, lookup_one, &b, 5));
	assert_int_equal(noise_handshake_create_response(&resp, &b.hs, 2), 0);
	assert_int_equal(noise_handshake_consume_response(&resp, &a.hs), -EBADMSG);
	assert_int_equal(a.hs.state, HANDSHAKE_CREATED_INITIATION);
}

static void test_unknown_or_tampered_initiator(void **state)
{
	static struct side a, b, stranger;
	uint8_t psk[32] = {0};
	struct message_handshake_initiation init;

	make_pair(&a, &b, psk, psk);
	make_identity(&stranger.identity);
	assert_int_equal(
	    noise_handshake_init(&stranger.hs, &stranger.identity, b.identity.static_public, psk),
	    0);
	assert_int_equal(noise_handshake_create_initiation(&init, &stranger.hs, 1), 0);
	assert_null(noise_handshake_consume_initiation(&init, &b.identity, lookup_one, &b, 5));

	assert_int_equal(noise_handshake_create_initiation(&init, &a.hs, 1), 0);
	init.encrypted_timestamp[3] ^= 0x80;
	assert_null(noise_handshake_consume_initiation(&init, &b.identity, lookup_one, &b, 5));
	assert_int_equal(b.hs.state, HANDSHAKE_ZEROED);
}

static void test_response_needs_initiation(void **state)
{
	static struct side a, b;
	uint8_t psk[32] = {0};
	struct message_handshake_response resp;

	make_pair(&a, &b, psk, psk);
	assert_int_equal(noise_handshake_create_response(&resp, &b.hs, 1), -EINVAL);
	memset(&resp, 0, sizeof(resp));
	assert_int_equal(noise_handshake_consume_response(&resp, &a.hs), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_handshake_derives_matching_keys),
	    cmocka_unit_test(test_replayed_initiation_rejected),
	    cmocka_unit_test(test_initiation_flood_rejected),
	    cmocka_unit_test(test_wrong_psk_fails_response),
	    cmocka_unit_test(test_unknown_or_tampered_initiator),
	    cmocka_unit_test(test_response_needs_initiation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

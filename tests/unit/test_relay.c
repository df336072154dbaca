/*
 * Relay envelopes in the clear (MESSAGE_CLEAR) as a stranger or a member
 * could send them to a node: built here from the wire format, not by the
 * daemon's sender, and fed to the real receive path. Taken only when the
 * session's tag covers every byte, once, from a member (whose certificate
 * has not expired) speaking for itself or a relay, and only when what
 * travels in the clear is a relay envelope.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/receive.h"
#include "test_device.h"
#include "wire.h"

static struct device *dev;
static struct peer *member;
static const union endpoint member_at = {.in = {.sin_family = AF_INET, .sin_port = 7}};

static int setup(void **state)
{
	dev = test_device_new();
	member = test_device_add_peer(dev, 2, false);
	test_make_member(member, 0);
	test_session(member);
	return 0;
}

static int teardown(void **state)
{
	test_device_free(dev);
	return 0;
}

/* A clear message from peer: header, the content, and the tag over both. */
static size_t clear_message(uint8_t *buf, const struct peer *peer, uint64_t counter,
			    const uint8_t *content, size_t len)
{
	const struct noise_keypair *keypair = &peer->current;
	struct message_data *msg = (struct message_data *)buf;
	size_t covered = MESSAGE_DATA_HEADER_LEN + len;

	msg->header.type = htole32(MESSAGE_CLEAR);
	msg->key_idx = htole32(keypair->remote_index);
	msg->counter = htole64(counter);
	if (len)
		memcpy(msg->encrypted_data, content, len);
	assert_int_equal(aead_encrypt(buf + covered, NULL, 0, buf, covered, counter,
				      keypair->sending_key),
			 0);
	return covered + NOISE_AUTHTAG_LEN;
}

/* An envelope for this node from src, handed over by peer from, carrying
 * a (junk) outer message; returns the clear message's length. */
static size_t envelope_from(uint8_t *buf, const struct peer *from, struct in_addr src,
			    uint64_t counter)
{
	static const uint8_t carried[48] = {MESSAGE_DATA};
	struct relay_header header = {
	    .hop_limit = 1,
	    .src = src,
	    .dst = dev->cfg.cert.node_id,
	    .payload = carried,
	    .payload_len = sizeof(carried),
	};
	uint8_t envelope[64];
	int len = wire_encode_relay_header(envelope, sizeof(envelope), &header);

	assert_true(len > 0);
	memcpy(envelope + len, carried, sizeof(carried));
	return clear_message(buf, from, counter, envelope, (size_t)len + sizeof(carried));
}

/* The same, from the member itself. */
static size_t envelope_for_us(uint8_t *buf, const struct peer *from, uint64_t counter)
{
	return envelope_from(buf, from, from->config.node_id, counter);
}

/* What reached this node's receive path from an envelope: the junk it
 * carries names no session. */
static uint64_t delivered(void)
{
	return dev->unattributed.drops[DROP_NO_SESSION];
}

static void receive(uint8_t *buf, size_t len)
{
	receive_datagram(dev, buf, len, &(struct origin){.endpoint = &member_at, .fd = -1});
}

static uint64_t relays_taken(void)
{
	return dev->control.received[CONTROL_RELAY];
}

static void test_taken(void **state)
{
	uint8_t buf[256];
	size_t len = envelope_for_us(buf, member, 0);

	receive(buf, len);
	assert_int_equal(relays_taken(), 1);
	assert_int_equal(member->stats.rx_packets, 1);
	assert_int_equal(delivered(), 1);
}

/* One bit changed anywhere - header, envelope or tag - and nothing is taken. */
static void test_every_byte_covered(void **state)
{
	uint8_t buf[256], copy[256];
	size_t len = envelope_for_us(buf, member, 0);

	for (size_t i = 0; i < len; i++) {
		memcpy(copy, buf, len);
		copy[i] ^= 0x01;
		receive(copy, len);
	}
	assert_int_equal(relays_taken(), 0);
	/* A changed index names no session, the type's upper bytes no type
	 * (and its lowest makes it transport data, which fails to decrypt):
	 * every other change fails the tag. */
	assert_int_equal(member->stats.drops[DROP_DECRYPT], len - 4 - 3);
	assert_int_equal(dev->unattributed.drops[DROP_MALFORMED], 3);
	receive(buf, len); /* the window did not move for the forgeries */
	assert_int_equal(relays_taken(), 1);
}

static void test_replay(void **state)
{
	uint8_t buf[256], copy[256];
	size_t len = envelope_for_us(buf, member, 5);

	memcpy(copy, buf, len);
	receive(buf, len);
	receive(copy, len);
	assert_int_equal(relays_taken(), 1);
	assert_int_equal(member->stats.drops[DROP_DUPLICATE], 1);
}

/* Only relay envelopes may travel in the clear: not control messages, not
 * IP packets, not a keepalive. */
static void test_only_envelopes(void **state)
{
	static const uint8_t probe[WIRE_PROBE_LEN] = {CONTROL_PROBE};
	static const uint8_t ip[20] = {0x45};
	uint8_t buf[256];

	receive(buf, clear_message(buf, member, 0, probe, sizeof(probe)));
	receive(buf, clear_message(buf, member, 1, ip, sizeof(ip)));
	receive(buf, clear_message(buf, member, 2, NULL, 0));
	assert_int_equal(member->stats.drops[DROP_MALFORMED], 2);
	assert_int_equal(dev->unattributed.drops[DROP_MALFORMED], 1); /* too short to be one */
	assert_int_equal(dev->control.received[CONTROL_PROBE], 0);
	assert_int_equal(member->stats.rx_packets, 2);
}

/* A session is not membership: a plain WireGuard peer, or a node whose
 * certificate we have not verified, cannot hand us envelopes. */
static void test_members_only(void **state)
{
	struct peer *wireguard = test_device_add_peer(dev, 3, true);
	struct peer *unverified = test_device_add_peer(dev, 4, false);
	uint8_t buf[256];

	test_session(wireguard);
	test_session(unverified);
	receive(buf, envelope_for_us(buf, wireguard, 0));
	receive(buf, envelope_for_us(buf, unverified, 0));
	assert_int_equal(relays_taken(), 0);
	assert_int_equal(wireguard->stats.drops[DROP_RELAY], 1);
	assert_int_equal(unverified->stats.drops[DROP_RELAY], 1);
}

/* At the last hop as at every other, a member speaks only for itself: an
 * envelope "from" another node is taken only from a relay (which checked
 * the source at its own hop). */
static void test_source_checked(void **state)
{
	struct peer *relay = test_device_add_peer(dev, 11, false);
	struct in_addr someone = test_node(5);
	uint8_t buf[256];

	test_make_member(relay, CERT_FLAG_RELAY);
	test_session(relay);
	receive(buf, envelope_from(buf, member, someone, 0));
	assert_int_equal(member->stats.drops[DROP_RELAY], 1);
	assert_int_equal(delivered(), 0);
	receive(buf, envelope_from(buf, relay, someone, 0));
	assert_int_equal(relay->stats.drops[DROP_RELAY], 0);
	assert_int_equal(delivered(), 1);
}

/* An expired certificate is no membership, whatever was verified. */
static void test_expired_member(void **state)
{
	uint8_t buf[256];

	member->certificate_not_after = time(NULL) - 1;
	receive(buf, envelope_for_us(buf, member, 0));
	assert_int_equal(relays_taken(), 0);
	assert_int_equal(delivered(), 0);
	assert_int_equal(member->stats.drops[DROP_RELAY], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_taken, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_byte_covered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_only_envelopes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_members_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_source_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_expired_member, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

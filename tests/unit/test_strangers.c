/*
 * A rendezvous against strangers who know only its public key: handshake
 * initiations valid up to the network secret, each from a new random key,
 * fed to the real receive path. Once UNDER_LOAD_STRANGERS wait to prove
 * themselves, an initiation needs a cookie (which a spoofed source never
 * sees); at RENDEZVOUS_MAX_UNVERIFIED the stranger that waited longest
 * makes way; the rate limit takes an IPv6 /64 as one source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/receive.h"
#include "members/rendezvous.h"
#include "test_device.h"

static struct device *dev;

static int setup(void **state)
{
	dev = test_device_new();
	dev->cfg.rendezvous_enabled = true;
	return 0;
}

static int teardown(void **state)
{
	test_device_free(dev);
	return 0;
}

/* A valid initiation to the device from a new key; its public key in key. */
static void make_initiation(struct message_handshake_initiation *msg, struct cookie *cookie,
			    uint8_t key[NOISE_PUBLIC_KEY_LEN])
{
	static const uint8_t no_psk[NOISE_SYMMETRIC_KEY_LEN];
	struct noise_static_identity identity;
	struct noise_handshake hs;

	assert_int_equal(crypto_random(identity.static_private, NOISE_PUBLIC_KEY_LEN), 0);
	assert_int_equal(x25519_public(identity.static_public, identity.static_private), 0);
	memcpy(key, identity.static_public, NOISE_PUBLIC_KEY_LEN);
	assert_int_equal(noise_handshake_init(&hs, &identity, dev->identity.static_public, no_psk),
			 0);
	assert_int_equal(noise_handshake_create_initiation(msg, &hs, 7), 0);
	cookie_init(cookie, dev->identity.static_public);
	cookie_add_macs(cookie, msg, sizeof(*msg), clock_ms());
}

static union endpoint source_v4(uint32_t n)
{
	union endpoint ep = {.in = {.sin_family = AF_INET, .sin_port = htons(4000)}};

	ep.in.sin_addr.s_addr = htonl(0xc6120000 | n); /* 198.18.x.y */
	return ep;
}

static void receive_from(struct message_handshake_initiation *msg, const union endpoint *from)
{
	receive_datagram(dev, (uint8_t *)msg, sizeof(*msg),
			 &(struct origin){.endpoint = from, .fd = -1});
}

/* The cookie the device would send that source, taken and used (mac2). */
static void add_cookie(struct message_handshake_initiation *msg, struct cookie *cookie,
		       const union endpoint *from)
{
	struct message_handshake_cookie reply;
	struct cookie_source source;

	cookie_source_of(from, &source);
	assert_int_equal(cookie_message_create(&reply, &dev->cookie_checker, msg, sizeof(*msg),
					       msg->sender_index, &source, clock_ms()),
			 0);
	assert_int_equal(cookie_message_consume(cookie, &reply, clock_ms()), 0);
	cookie_add_macs(cookie, msg, sizeof(*msg), clock_ms());
}

/* Stranger i initiates from an address of its own, with the cookie the
 * device would send it if asked to; its key in key. */
static void stranger_initiates(uint32_t i, bool with_cookie, uint8_t key[NOISE_PUBLIC_KEY_LEN])
{
	struct message_handshake_initiation msg;
	struct cookie cookie;
	union endpoint from = source_v4(i);

	make_initiation(&msg, &cookie, key);
	if (with_cookie)
		add_cookie(&msg, &cookie, &from);
	receive_from(&msg, &from);
}

/* Without cookies, strangers stop at UNDER_LOAD_STRANGERS. */
static void test_cookies_before_the_table_fills(void **state)
{
	uint8_t key[NOISE_PUBLIC_KEY_LEN];

	for (uint32_t i = 0; i < UNDER_LOAD_STRANGERS + 40; i++)
		stranger_initiates(i, false, key);
	assert_int_equal(device_strangers(dev), UNDER_LOAD_STRANGERS);
}

/* With cookies (sources that are real), the table fills to its cap and
 * then the oldest unproven stranger makes way for each new one. */
static void test_oldest_makes_way(void **state)
{
	uint8_t first[NOISE_PUBLIC_KEY_LEN], last[NOISE_PUBLIC_KEY_LEN];

	for (uint32_t i = 0; i < RENDEZVOUS_MAX_UNVERIFIED + 8; i++) {
		uint8_t key[NOISE_PUBLIC_KEY_LEN];

		stranger_initiates(i, device_strangers(dev) >= UNDER_LOAD_STRANGERS, key);
		if (i == 0)
			memcpy(first, key, sizeof(first));
		memcpy(last, key, sizeof(last));
		/* Not all in one millisecond: "oldest" must mean something. */
		if (i == 0)
			usleep(5000);
	}
	assert_int_equal(device_strangers(dev), RENDEZVOUS_MAX_UNVERIFIED);
	assert_null(peer_lookup_by_key(dev, first));
	assert_non_null(peer_lookup_by_key(dev, last));
}

/* Addresses of one IPv6 /64 share one budget (RATELIMIT_BURST at once). */
static void test_ipv6_prefix_is_one_source(void **state)
{
	struct message_handshake_initiation msg;
	struct cookie cookie;
	uint8_t key[NOISE_PUBLIC_KEY_LEN];
	union endpoint from = {.in6 = {.sin6_family = AF_INET6, .sin6_port = htons(4000)}};

	make_initiation(&msg, &cookie, key);
	inet_pton(AF_INET6, "2001:db8:1:2::", &from.in6.sin6_addr);
	for (int i = 0; i < RATELIMIT_BURST + 1; i++) {
		from.in6.sin6_addr.s6_addr[15] = (uint8_t)(i + 1); /* a new address each */
		receive_from(&msg, &from);
	}
	assert_int_equal(dev->unattributed.drops[DROP_RATELIMIT], 1);
	from.in6.sin6_addr.s6_addr[7] = 3; /* another /64 */
	receive_from(&msg, &from);
	assert_int_equal(dev->unattributed.drops[DROP_RATELIMIT], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cookies_before_the_table_fills, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oldest_makes_way, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ipv6_prefix_is_one_source, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Certificates presented in a session, as a member could send them: the
 * one a peer holds, presented again, is taken without a second Ed25519
 * verification; new ones cost one each, at most one per
 * CERTIFICATE_VERIFY_MS per peer - a flood of them is dropped as rate
 * limited, not verified.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/certificate.h"
#include "core/dispatch.h"
#include "core/receive.h"
#include "test_device.h"

static const uint8_t network_seed[ED25519_SEED_LEN] = {5, 4, 3, 2, 1};
static struct device *dev;
static struct peer *peer;

static int setup(void **state)
{
	dev = test_device_new();
	assert_int_equal(ed25519_public(dev->cfg.network.public_key, network_seed), 0);
	peer = test_device_add_peer(dev, 2, false);
	peer->current.valid = true;
	return 0;
}

static int teardown(void **state)
{
	test_device_free(dev);
	return 0;
}

/* The peer's certificate as a CERTIFICATE message; not_after varies it. */
static size_t certificate_message(uint8_t *msg, size_t len, uint64_t not_after)
{
	struct cert cert = {.node_id = peer->config.node_id, .not_before = 0, .not_after = not_after};
	int encoded;

	strcpy(cert.network, dev->cfg.network.name);
	memcpy(cert.public_key, peer->config.public_key, sizeof(cert.public_key));
	assert_int_equal(cert_sign(&cert, network_seed), 0);
	msg[0] = CONTROL_CERTIFICATE;
	encoded = cert_encode(&cert, msg + 1, len - 1);
	assert_true(encoded > 0);
	return 1 + (size_t)encoded;
}

static void present(const uint8_t *msg, size_t len)
{
	uint8_t copy[1 + CERT_MAX_LEN];

	memcpy(copy, msg, len);
	dispatch_control(peer, copy, len, &(struct origin){.fd = -1});
}

static void test_held_certificate_again(void **state)
{
	uint8_t msg[1 + CERT_MAX_LEN];
	size_t len = certificate_message(msg, sizeof(msg), (uint64_t)time(NULL) + 3600);

	present(msg, len);
	assert_true(peer->certificate_verified);
	for (int i = 0; i < 100; i++)
		present(msg, len);
	assert_true(peer->certificate_verified);
	assert_int_equal(peer->stats.drops[DROP_RATELIMIT], 0);
	assert_int_equal(peer->stats.drops[DROP_BAD_CERT], 0);
}

static void test_new_certificates_rate_limited(void **state)
{
	uint8_t msg[1 + CERT_MAX_LEN];
	uint64_t not_after = (uint64_t)time(NULL) + 3600;
	size_t len = certificate_message(msg, sizeof(msg), not_after);

	present(msg, len);
	for (int i = 1; i <= 50; i++) {
		len = certificate_message(msg, sizeof(msg), not_after + (uint64_t)i);
		present(msg, len);
	}
	assert_int_equal(peer->stats.drops[DROP_RATELIMIT], 50);
	assert_int_equal(peer->certificate.not_after, not_after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_held_certificate_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_new_certificates_rate_limited, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

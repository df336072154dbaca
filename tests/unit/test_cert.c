/* Certificates: sign, encode, decode, verify, expiry, tampering. */
#include <arpa/inet.h>

#include "vectors.h"

#include "cert.h"

static uint8_t network_seed[32], network_pub[32];

static void make_cert(struct cert *cert, uint64_t not_before, uint64_t not_after)
{
	memset(cert, 0, sizeof(*cert));
	strcpy(cert->network, "lab");
	inet_pton(AF_INET, "10.26.0.5", &cert->node_id);
	memset(cert->public_key, 0x5a, sizeof(cert->public_key));
	cert->not_before = not_before;
	cert->not_after = not_after;
	cert->flags = CERT_FLAG_RELAY;
	assert_int_equal(cert_sign(cert, network_seed), 0);
}

static int setup(void **state)
{
	for (int i = 0; i < 32; i++)
		network_seed[i] = (uint8_t)(i * 7);
	return ed25519_public(network_pub, network_seed);
}

static void test_sign_verify_roundtrip(void **state)
{
	struct cert cert, decoded;
	char text[CERT_BASE64_MAX];

	make_cert(&cert, 100, 200);
	assert_int_equal(cert_verify(&cert, network_pub, "lab", 150), CERT_OK);
	assert_int_equal(cert_to_base64(&cert, text, sizeof(text)), 0);
	assert_int_equal(cert_from_base64(&decoded, text), 0);
	assert_memory_equal(&decoded, &cert, sizeof(cert));
	assert_int_equal(cert_verify(&decoded, network_pub, "lab", 150), CERT_OK);
}

static void test_validity_window(void **state)
{
	struct cert cert;

	make_cert(&cert, 100, 200);
	assert_int_equal(cert_verify(&cert, network_pub, "lab", 99), CERT_NOT_YET_VALID);
	assert_int_equal(cert_verify(&cert, network_pub, "lab", 100), CERT_OK);
	assert_int_equal(cert_verify(&cert, network_pub, "lab", 199), CERT_OK);
	assert_int_equal(cert_verify(&cert, network_pub, "lab", 200), CERT_EXPIRED);
}

static void test_wrong_network_and_key(void **state)
{
	struct cert cert;
	uint8_t other_seed[32] = {1}, other_pub[32];

	make_cert(&cert, 0, 1000);
	assert_int_equal(cert_verify(&cert, network_pub, "other", 5), CERT_WRONG_NETWORK);
	assert_int_equal(ed25519_public(other_pub, other_seed), 0);
	assert_int_equal(cert_verify(&cert, other_pub, "lab", 5), CERT_BAD_SIGNATURE);
}

static void test_any_field_change_breaks_signature(void **state)
{
	struct cert cert, changed;

	make_cert(&cert, 0, 1000);
	changed = cert;
	changed.node_id.s_addr ^= htonl(1);
	assert_int_equal(cert_verify(&changed, network_pub, "lab", 5), CERT_BAD_SIGNATURE);
	changed = cert;
	changed.public_key[31] ^= 1;
	assert_int_equal(cert_verify(&changed, network_pub, "lab", 5), CERT_BAD_SIGNATURE);
	changed = cert;
	changed.not_after = 5000;
	assert_int_equal(cert_verify(&changed, network_pub, "lab", 5), CERT_BAD_SIGNATURE);
	changed = cert;
	changed.flags |= CERT_FLAG_RENDEZVOUS;
	assert_int_equal(cert_verify(&changed, network_pub, "lab", 5), CERT_BAD_SIGNATURE);
}

static void test_decode_rejects_malformed(void **state)
{
	struct cert cert, out;
	uint8_t raw[CERT_MAX_LEN];
	int len;

	make_cert(&cert, 0, 1000);
	len = cert_encode(&cert, raw, sizeof(raw));
	assert_true(len > 0);
	assert_int_equal(cert_decode(&out, raw, (size_t)len), 0);
	assert_int_equal(cert_decode(&out, raw, (size_t)len - 1), -EINVAL);
	assert_int_equal(cert_decode(&out, raw, 10), -EINVAL);
	raw[0] = 'X';
	assert_int_equal(cert_decode(&out, raw, (size_t)len), -EINVAL);
	raw[0] = 'V';
	raw[5] = 0x80; /* unknown flag */
	assert_int_equal(cert_decode(&out, raw, (size_t)len), -EINVAL);
	assert_int_equal(cert_from_base64(&out, "not base64!"), -EINVAL);
}

static void test_wire_len_ignores_padding(void **state)
{
	struct cert cert;
	uint8_t raw[CERT_MAX_LEN + 16] = {0};
	int len;

	/* In a session the certificate is followed by zero padding to 16 bytes. */
	make_cert(&cert, 0, 1000);
	len = cert_encode(&cert, raw, sizeof(raw));
	assert_int_equal(cert_wire_len(raw, (size_t)len + 13), len);
	assert_int_equal(cert_wire_len(raw, (size_t)len), len);
	assert_int_equal(cert_wire_len(raw, (size_t)len - 1), -EINVAL);
	assert_int_equal(cert_wire_len(raw, 10), -EINVAL);
}

static void test_flags(void **state)
{
	uint8_t flags;
	char text[64];

	assert_int_equal(cert_flags_parse("relay,rendezvous", &flags), 0);
	assert_int_equal(flags, CERT_FLAG_RELAY | CERT_FLAG_RENDEZVOUS);
	cert_flags_format(flags, text, sizeof(text));
	assert_string_equal(text, "relay,rendezvous");
	assert_int_equal(cert_flags_parse("none", &flags), 0);
	assert_int_equal(flags, 0);
	cert_flags_format(0, text, sizeof(text));
	assert_string_equal(text, "none");
	assert_int_equal(cert_flags_parse("relay,bogus", &flags), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sign_verify_roundtrip),
	    cmocka_unit_test(test_validity_window),
	    cmocka_unit_test(test_wrong_network_and_key),
	    cmocka_unit_test(test_any_field_change_breaks_signature),
	    cmocka_unit_test(test_decode_rejects_malformed),
	    cmocka_unit_test(test_wire_len_ignores_padding),
	    cmocka_unit_test(test_flags),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

/* Published vectors: RFC 7748 (X25519), RFC 8439 (ChaCha20-Poly1305),
 * RFC 8032 (Ed25519), RFC 7693 (BLAKE2s). */
#include <stdio.h>

#include "vectors.h"

#include "crypto.h"

static const struct {
	const char *scalar, *u, *out;
} x25519_vectors[] = {
    /* RFC 7748 5.2: the second has the top bit of u set, which must be masked. */
    {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
     "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
     "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
    {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
     "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
     "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
    /* RFC 7748 6.1: Alice's private key with Bob's public key. */
    {"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
     "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
     "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"},
};

static void test_x25519_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(x25519_vectors) / sizeof(x25519_vectors[0]); i++) {
		uint8_t scalar[32], u[32], expected[32], out[32];

		hex_decode(scalar, 32, x25519_vectors[i].scalar);
		hex_decode(u, 32, x25519_vectors[i].u);
		hex_decode(expected, 32, x25519_vectors[i].out);
		assert_int_equal(x25519_shared(out, scalar, u), 0);
		assert_memory_equal(out, expected, 32);
	}
}

static void test_x25519_public_and_dh(void **state)
{
	uint8_t alice[32], alice_pub[32], expected[32];
	uint8_t a[32], b[32], a_pub[32], b_pub[32], ab[32], ba[32];

	hex_decode(alice, 32, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	hex_decode(expected, 32,
		   "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
	assert_int_equal(x25519_public(alice_pub, alice), 0);
	assert_memory_equal(alice_pub, expected, 32);

	assert_int_equal(x25519_generate_private(a), 0);
	assert_int_equal(x25519_generate_private(b), 0);
	assert_int_equal(x25519_public(a_pub, a), 0);
	assert_int_equal(x25519_public(b_pub, b), 0);
	assert_int_equal(x25519_shared(ab, a, b_pub), 0);
	assert_int_equal(x25519_shared(ba, b, a_pub), 0);
	assert_memory_equal(ab, ba, 32);
}

static void test_x25519_rejects_zero_result(void **state)
{
	uint8_t priv[32], low_order[32] = {0}, out[32];

	/* u = 0 and u = 1 are of low order: the shared secret is all zeros. */
	assert_int_equal(x25519_generate_private(priv), 0);
	assert_int_equal(x25519_shared(out, priv, low_order), -EINVAL);
	low_order[0] = 1;
	assert_int_equal(x25519_shared(out, priv, low_order), -EINVAL);
}

static const char sunscreen[] =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
    "future, sunscreen would be it.";

static void test_chacha20poly1305_rfc8439(void **state)
{
	uint8_t key[32], nonce[12], ad[12], expected[200], out[200], plain[200];
	size_t len = strlen(sunscreen), expected_len;

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(0x80 + i);
	hex_decode(nonce, 12, "070000004041424344454647");
	hex_decode(ad, 12, "50515253c0c1c2c3c4c5c6c7");
	expected_len = hex_decode(
	    expected, sizeof(expected),
	    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca96712"
	    "82fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58"
	    "fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
	    "1ae10b594f09e26a7e902ecbd0600691");
	assert_int_equal(expected_len, len + AEAD_TAG_LEN);
	assert_int_equal(
	    chacha20poly1305_seal(out, (const uint8_t *)sunscreen, len, ad, 12, nonce, key), 0);
	assert_memory_equal(out, expected, expected_len);
	assert_int_equal(chacha20poly1305_open(plain, out, expected_len, ad, 12, nonce, key), 0);
	assert_memory_equal(plain, sunscreen, len);

	out[10] ^= 1;
	assert_int_equal(chacha20poly1305_open(plain, out, expected_len, ad, 12, nonce, key),
			 -EBADMSG);
}

static void test_aead_counter_nonce_and_empty(void **state)
{
	uint8_t key[32] = {1}, sealed[AEAD_TAG_LEN], nonce[12] = {0}, other[AEAD_TAG_LEN];

	/* WireGuard's nonce is 4 zero bytes then the little-endian counter. */
	assert_int_equal(aead_encrypt(sealed, NULL, 0, NULL, 0, 0x0102, key), 0);
	nonce[4] = 0x02;
	nonce[5] = 0x01;
	assert_int_equal(chacha20poly1305_seal(other, NULL, 0, NULL, 0, nonce, key), 0);
	assert_memory_equal(sealed, other, AEAD_TAG_LEN);
	assert_int_equal(aead_decrypt(NULL, sealed, sizeof(sealed), NULL, 0, 0x0102, key), 0);
	assert_int_equal(aead_decrypt(NULL, sealed, sizeof(sealed), NULL, 0, 0x0103, key),
			 -EBADMSG);
	assert_int_equal(aead_decrypt(NULL, sealed, AEAD_TAG_LEN - 1, NULL, 0, 0, key), -EBADMSG);
}

static void test_xchacha_roundtrip(void **state)
{
	uint8_t key[32] = {7}, nonce[24] = {9}, ad[3] = {1, 2, 3};
	uint8_t msg[16] = "sixteen bytes!!", sealed[32], opened[16];

	assert_int_equal(xaead_encrypt(sealed, msg, 16, ad, 3, nonce, key), 0);
	assert_int_equal(xaead_decrypt(opened, sealed, 32, ad, 3, nonce, key), 0);
	assert_memory_equal(opened, msg, 16);
	ad[0] = 0;
	assert_int_equal(xaead_decrypt(opened, sealed, 32, ad, 3, nonce, key), -EBADMSG);
}

static void test_ed25519_rfc8032(void **state)
{
	uint8_t seed[32], pub[32], expected_pub[32], sig[64], expected_sig[64];

	hex_decode(seed, 32, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
	hex_decode(expected_pub, 32,
		   "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	hex_decode(expected_sig, 64,
		   "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33b"
		   "acc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	assert_int_equal(ed25519_public(pub, seed), 0);
	assert_memory_equal(pub, expected_pub, 32);
	assert_int_equal(ed25519_sign(sig, "", 0, seed), 0);
	assert_memory_equal(sig, expected_sig, 64);
	assert_int_equal(ed25519_verify(sig, "", 0, pub), 0);
	assert_int_equal(ed25519_verify(sig, "x", 1, pub), -EBADMSG);
	sig[0] ^= 1;
	assert_int_equal(ed25519_verify(sig, "", 0, pub), -EBADMSG);
}

static void test_blake2s(void **state)
{
	uint8_t out[32], expected[32], key[32], mac[16], expected_mac[16];
	struct blake2s_ctx ctx;

	hex_decode(expected, 32,
		   "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
	assert_int_equal(blake2s_digest(out, 32, NULL, 0, "abc", 3), 0);
	assert_memory_equal(out, expected, 32);
	/* Streaming gives the same digest. */
	assert_int_equal(blake2s_begin(&ctx, 32, NULL, 0), 0);
	assert_int_equal(blake2s_add(&ctx, "a", 1), 0);
	assert_int_equal(blake2s_add(&ctx, "bc", 2), 0);
	assert_int_equal(blake2s_end(&ctx, out, 32), 0);
	assert_memory_equal(out, expected, 32);
	/* Keyed, 16-byte output (WireGuard's MAC); expected from Python's hashlib. */
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	hex_decode(expected_mac, 16, "a5880d78960c7f68215f614b03165045");
	assert_int_equal(blake2s_digest(mac, 16, key, 32, "vpnd", 4), 0);
	assert_memory_equal(mac, expected_mac, 16);
}

static void test_memneq(void **state)
{
	assert_int_equal(crypto_memneq("abcd", "abcd", 4), 0);
	assert_int_not_equal(crypto_memneq("abcd", "abce", 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_x25519_vectors),
	    cmocka_unit_test(test_x25519_public_and_dh),
	    cmocka_unit_test(test_x25519_rejects_zero_result),
	    cmocka_unit_test(test_chacha20poly1305_rfc8439),
	    cmocka_unit_test(test_aead_counter_nonce_and_empty),
	    cmocka_unit_test(test_xchacha_roundtrip),
	    cmocka_unit_test(test_ed25519_rfc8032),
	    cmocka_unit_test(test_blake2s),
	    cmocka_unit_test(test_memneq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

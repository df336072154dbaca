/*
 * The cryptographic primitives vpnd uses, as thin wrappers over wolfCrypt.
 * This is the only file pair that knows about wolfSSL; everything else sees
 * fixed-size byte arrays and plain return codes (0, or a negative errno).
 */
#ifndef VPND_CRYPTO_H
#define VPND_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

enum crypto_sizes {
	X25519_KEY_LEN = 32,
	ED25519_SEED_LEN = 32,
	ED25519_PUBLIC_LEN = 32,
	ED25519_SIGNATURE_LEN = 64,
	BLAKE2S_HASH_LEN = 32,
	BLAKE2S_BLOCK_LEN = 64,
	BLAKE2S_MAC_LEN = 16,
	AEAD_KEY_LEN = 32,
	AEAD_TAG_LEN = 16,
	XAEAD_NONCE_LEN = 24,
};

/* Opaque storage for wolfCrypt's Blake2s state; crypto.c checks the size. */
struct blake2s_ctx {
	_Alignas(16) uint8_t opaque[240];
};

int crypto_init(void);
int crypto_random(void *buf, size_t len);

/* Compare in time independent of the contents. Returns 0 when equal. */
int crypto_memneq(const void *a, const void *b, size_t len);
void crypto_wipe(void *buf, size_t len);

int x25519_generate_private(uint8_t private_key[X25519_KEY_LEN]);
int x25519_public(uint8_t public_key[X25519_KEY_LEN], const uint8_t private_key[X25519_KEY_LEN]);
/* -EINVAL for an all-zero result (a low-order peer key). */
int x25519_shared(uint8_t out[X25519_KEY_LEN], const uint8_t private_key[X25519_KEY_LEN],
		  const uint8_t public_key[X25519_KEY_LEN]);

int blake2s_begin(struct blake2s_ctx *ctx, size_t out_len, const uint8_t *key, size_t key_len);
int blake2s_add(struct blake2s_ctx *ctx, const void *data, size_t len);
int blake2s_end(struct blake2s_ctx *ctx, uint8_t *out, size_t out_len);
int blake2s_digest(uint8_t *out, size_t out_len, const uint8_t *key, size_t key_len,
		   const void *data, size_t len);

/* RFC 8439 ChaCha20-Poly1305 with an explicit 96-bit nonce. */
int chacha20poly1305_seal(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t *ad,
			  size_t ad_len, const uint8_t nonce[12], const uint8_t key[AEAD_KEY_LEN]);
int chacha20poly1305_open(uint8_t *dst, const uint8_t *src, size_t src_len, const uint8_t *ad,
			  size_t ad_len, const uint8_t nonce[12], const uint8_t key[AEAD_KEY_LEN]);

/* ChaCha20-Poly1305 with WireGuard's nonce: 4 zero bytes then a 64-bit LE counter.
 * dst holds len + AEAD_TAG_LEN bytes for encryption. */
int aead_encrypt(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t *ad, size_t ad_len,
		 uint64_t counter, const uint8_t key[AEAD_KEY_LEN]);
/* src_len includes the tag; -EBADMSG when it does not verify. */
int aead_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len, const uint8_t *ad, size_t ad_len,
		 uint64_t counter, const uint8_t key[AEAD_KEY_LEN]);
int xaead_encrypt(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t *ad, size_t ad_len,
		  const uint8_t nonce[XAEAD_NONCE_LEN], const uint8_t key[AEAD_KEY_LEN]);
int xaead_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len, const uint8_t *ad,
		  size_t ad_len, const uint8_t nonce[XAEAD_NONCE_LEN],
		  const uint8_t key[AEAD_KEY_LEN]);

int ed25519_public(uint8_t public_key[ED25519_PUBLIC_LEN], const uint8_t seed[ED25519_SEED_LEN]);
int ed25519_sign(uint8_t signature[ED25519_SIGNATURE_LEN], const void *msg, size_t len,
		 const uint8_t seed[ED25519_SEED_LEN]);
/* 0 when the signature is valid, -EBADMSG when not. */
int ed25519_verify(const uint8_t signature[ED25519_SIGNATURE_LEN], const void *msg, size_t len,
		   const uint8_t public_key[ED25519_PUBLIC_LEN]);

#endif

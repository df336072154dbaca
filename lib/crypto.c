/*
 * wolfCrypt behind vpnd's own small interface. Pitfalls handled here:
 * curve25519 keys are imported little-endian through the _ex functions,
 * private scalars are clamped and the public u-coordinate's top bit is
 * masked (RFC 7748 section 5), all-zero shared secrets are refused, and
 * zero-length AEAD inputs get non-NULL pointers.
 */
#include "crypto.h"

#include <errno.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/blake2.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/random.h>

_Static_assert(sizeof(Blake2s) <= sizeof(struct blake2s_ctx), "blake2s_ctx too small");

static WC_RNG rng;
static int rng_ready;

int crypto_init(void)
{
	if (rng_ready)
		return 0;
	if (wc_InitRng(&rng) != 0)
		return -EIO;
	rng_ready = 1;
	return 0;
}

int crypto_random(void *buf, size_t len)
{
	if (crypto_init() < 0)
		return -EIO;
	return wc_RNG_GenerateBlock(&rng, buf, (word32)len) == 0 ? 0 : -EIO;
}

int crypto_memneq(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff != 0;
}

void crypto_wipe(void *buf, size_t len)
{
	volatile uint8_t *p = buf;

	while (len--)
		*p++ = 0;
}

static void x25519_clamp(uint8_t key[X25519_KEY_LEN])
{
	key[0] &= 248;
	key[31] = (key[31] & 127) | 64;
}

int x25519_generate_private(uint8_t private_key[X25519_KEY_LEN])
{
	int ret = crypto_random(private_key, X25519_KEY_LEN);

	if (ret == 0)
		x25519_clamp(private_key);
	return ret;
}

int x25519_public(uint8_t public_key[X25519_KEY_LEN], const uint8_t private_key[X25519_KEY_LEN])
{
	uint8_t scalar[X25519_KEY_LEN];
	int ret;

	memcpy(scalar, private_key, sizeof(scalar));
	x25519_clamp(scalar);
	ret = wc_curve25519_make_pub(X25519_KEY_LEN, public_key, X25519_KEY_LEN, scalar);
	crypto_wipe(scalar, sizeof(scalar));
	return ret == 0 ? 0 : -EINVAL;
}

int x25519_shared(uint8_t out[X25519_KEY_LEN], const uint8_t private_key[X25519_KEY_LEN],
		  const uint8_t public_key[X25519_KEY_LEN])
{
	static const uint8_t zero[X25519_KEY_LEN];
	curve25519_key local, remote;
	uint8_t scalar[X25519_KEY_LEN], point[X25519_KEY_LEN];
	word32 out_len = X25519_KEY_LEN;
	int ret = -EINVAL;

	memcpy(scalar, private_key, sizeof(scalar));
	x25519_clamp(scalar);
	memcpy(point, public_key, sizeof(point));
	point[31] &= 127;
	if (wc_curve25519_init(&local) != 0)
		return -ENOMEM;
	if (wc_curve25519_init(&remote) != 0)
		goto out_local;
	if (wc_curve25519_import_private_ex(scalar, X25519_KEY_LEN, &local, EC25519_LITTLE_ENDIAN))
		goto out;
	if (wc_curve25519_import_public_ex(point, X25519_KEY_LEN, &remote, EC25519_LITTLE_ENDIAN))
		goto out;
	if (wc_curve25519_shared_secret_ex(&local, &remote, out, &out_len, EC25519_LITTLE_ENDIAN))
		goto out;
	ret = crypto_memneq(out, zero, X25519_KEY_LEN) ? 0 : -EINVAL;
out:
	wc_curve25519_free(&remote);
out_local:
	wc_curve25519_free(&local);
	crypto_wipe(scalar, sizeof(scalar));
	if (ret < 0)
		crypto_wipe(out, X25519_KEY_LEN);
	return ret;
}

int blake2s_begin(struct blake2s_ctx *ctx, size_t out_len, const uint8_t *key, size_t key_len)
{
	Blake2s *state = (Blake2s *)ctx->opaque;
	int ret;

	if (key_len)
		ret = wc_InitBlake2s_WithKey(state, (word32)out_len, key, (word32)key_len);
	else
		ret = wc_InitBlake2s(state, (word32)out_len);
	return ret == 0 ? 0 : -EINVAL;
}

int blake2s_add(struct blake2s_ctx *ctx, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	return wc_Blake2sUpdate((Blake2s *)ctx->opaque, data, (word32)len) == 0 ? 0 : -EINVAL;
}

int blake2s_end(struct blake2s_ctx *ctx, uint8_t *out, size_t out_len)
{
	int ret = wc_Blake2sFinal((Blake2s *)ctx->opaque, out, (word32)out_len);

	crypto_wipe(ctx, sizeof(*ctx));
	return ret == 0 ? 0 : -EINVAL;
}

int blake2s_digest(uint8_t *out, size_t out_len, const uint8_t *key, size_t key_len,
		   const void *data, size_t len)
{
	struct blake2s_ctx ctx;

	if (blake2s_begin(&ctx, out_len, key, key_len) || blake2s_add(&ctx, data, len))
		return -EINVAL;
	return blake2s_end(&ctx, out, out_len);
}

static void aead_nonce(uint8_t nonce[CHACHA20_POLY1305_AEAD_IV_SIZE], uint64_t counter)
{
	memset(nonce, 0, 4);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(counter >> (8 * i));
}

/* wolfCrypt refuses NULL even for zero lengths. */
static const uint8_t *nonnull(const uint8_t *p)
{
	static const uint8_t empty[1];

	return p ? p : empty;
}

int chacha20poly1305_seal(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t *ad,
			  size_t ad_len, const uint8_t nonce[12], const uint8_t key[AEAD_KEY_LEN])
{
	uint8_t scratch[1];

	return wc_ChaCha20Poly1305_Encrypt(key, nonce, nonnull(ad), (word32)ad_len, nonnull(src),
					   (word32)len, len ? dst : scratch, dst + len) == 0
		   ? 0
		   : -EINVAL;
}

int chacha20poly1305_open(uint8_t *dst, const uint8_t *src, size_t src_len, const uint8_t *ad,
			  size_t ad_len, const uint8_t nonce[12], const uint8_t key[AEAD_KEY_LEN])
{
	uint8_t scratch[1];
	size_t len;

	if (src_len < AEAD_TAG_LEN)
		return -EBADMSG;
	len = src_len - AEAD_TAG_LEN;
	return wc_ChaCha20Poly1305_Decrypt(key, nonce, nonnull(ad), (word32)ad_len, nonnull(src),
					   (word32)len, src + len, len ? dst : scratch) == 0
		   ? 0
		   : -EBADMSG;
}

int aead_encrypt(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t *ad, size_t ad_len,
		 uint64_t counter, const uint8_t key[AEAD_KEY_LEN])
{
	uint8_t nonce[CHACHA20_POLY1305_AEAD_IV_SIZE];

	aead_nonce(nonce, counter);
	return chacha20poly1305_seal(dst, src, len, ad, ad_len, nonce, key);
}

int aead_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len, const uint8_t *ad, size_t ad_len,
		 uint64_t counter, const uint8_t key[AEAD_KEY_LEN])
{
	uint8_t nonce[CHACHA20_POLY1305_AEAD_IV_SIZE];

	aead_nonce(nonce, counter);
	return chacha20poly1305_open(dst, src, src_len, ad, ad_len, nonce, key);
}

int xaead_encrypt(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t *ad, size_t ad_len,
		  const uint8_t nonce[XAEAD_NONCE_LEN], const uint8_t key[AEAD_KEY_LEN])
{
	return wc_XChaCha20Poly1305_Encrypt(dst, len + AEAD_TAG_LEN, nonnull(src), len, nonnull(ad),
					    ad_len, nonce, XAEAD_NONCE_LEN, key, AEAD_KEY_LEN) == 0
		   ? 0
		   : -EINVAL;
}

int xaead_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len, const uint8_t *ad,
		  size_t ad_len, const uint8_t nonce[XAEAD_NONCE_LEN],
		  const uint8_t key[AEAD_KEY_LEN])
{
	uint8_t scratch[1];

	if (src_len < AEAD_TAG_LEN)
		return -EBADMSG;
	return wc_XChaCha20Poly1305_Decrypt(src_len > AEAD_TAG_LEN ? dst : scratch,
					    src_len - AEAD_TAG_LEN + (src_len == AEAD_TAG_LEN), src,
					    src_len, nonnull(ad), ad_len, nonce, XAEAD_NONCE_LEN,
					    key, AEAD_KEY_LEN) == 0
		   ? 0
		   : -EBADMSG;
}

static int ed25519_load(ed25519_key *key, const uint8_t seed[ED25519_SEED_LEN])
{
	uint8_t public_key[ED25519_PUBLIC_LEN];

	if (wc_ed25519_init(key) != 0)
		return -ENOMEM;
	if (wc_ed25519_import_private_only(seed, ED25519_SEED_LEN, key) != 0 ||
	    wc_ed25519_make_public(key, public_key, sizeof(public_key)) != 0 ||
	    wc_ed25519_import_private_key(seed, ED25519_SEED_LEN, public_key, sizeof(public_key),
					  key) != 0) {
		wc_ed25519_free(key);
		return -EINVAL;
	}
	return 0;
}

int ed25519_public(uint8_t public_key[ED25519_PUBLIC_LEN], const uint8_t seed[ED25519_SEED_LEN])
{
	ed25519_key key;
	word32 len = ED25519_PUBLIC_LEN;
	int ret = ed25519_load(&key, seed);

	if (ret < 0)
		return ret;
	ret = wc_ed25519_export_public(&key, public_key, &len) == 0 ? 0 : -EINVAL;
	wc_ed25519_free(&key);
	return ret;
}

int ed25519_sign(uint8_t signature[ED25519_SIGNATURE_LEN], const void *msg, size_t len,
		 const uint8_t seed[ED25519_SEED_LEN])
{
	ed25519_key key;
	word32 sig_len = ED25519_SIGNATURE_LEN;
	int ret = ed25519_load(&key, seed);

	if (ret < 0)
		return ret;
	ret = wc_ed25519_sign_msg(msg, (word32)len, signature, &sig_len, &key) == 0 ? 0 : -EINVAL;
	wc_ed25519_free(&key);
	return ret;
}

int ed25519_verify(const uint8_t signature[ED25519_SIGNATURE_LEN], const void *msg, size_t len,
		   const uint8_t public_key[ED25519_PUBLIC_LEN])
{
	ed25519_key key;
	int valid = 0, ret = -EBADMSG;

	if (wc_ed25519_init(&key) != 0)
		return -ENOMEM;
	if (wc_ed25519_import_public(public_key, ED25519_PUBLIC_LEN, &key) == 0 &&
	    wc_ed25519_verify_msg(signature, ED25519_SIGNATURE_LEN, msg, (word32)len, &valid,
				  &key) == 0 &&
	    valid == 1)
		ret = 0;
	wc_ed25519_free(&key);
	return ret;
}

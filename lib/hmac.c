/* HMAC over BLAKE2s and the Noise key derivation function. */
#include "hmac.h"

#include <errno.h>
#include <string.h>

int hmac_blake2s(uint8_t out[BLAKE2S_HASH_LEN], const uint8_t *key, size_t key_len,
		 const uint8_t *data, size_t data_len)
{
	uint8_t block[BLAKE2S_BLOCK_LEN] = {0};
	uint8_t inner[BLAKE2S_HASH_LEN];
	struct blake2s_ctx ctx;
	int ret;

	if (key_len > BLAKE2S_BLOCK_LEN) {
		if (blake2s_digest(block, BLAKE2S_HASH_LEN, NULL, 0, key, key_len))
			return -EINVAL;
	} else if (key_len) {
		memcpy(block, key, key_len);
	}

	for (size_t i = 0; i < sizeof(block); i++)
		block[i] ^= 0x36;
	ret = blake2s_begin(&ctx, BLAKE2S_HASH_LEN, NULL, 0) ||
	      blake2s_add(&ctx, block, sizeof(block)) || blake2s_add(&ctx, data, data_len) ||
	      blake2s_end(&ctx, inner, sizeof(inner));

	for (size_t i = 0; i < sizeof(block); i++)
		block[i] ^= 0x36 ^ 0x5c;
	ret = ret || blake2s_begin(&ctx, BLAKE2S_HASH_LEN, NULL, 0) ||
	      blake2s_add(&ctx, block, sizeof(block)) || blake2s_add(&ctx, inner, sizeof(inner)) ||
	      blake2s_end(&ctx, out, BLAKE2S_HASH_LEN);

	crypto_wipe(block, sizeof(block));
	crypto_wipe(inner, sizeof(inner));
	return ret ? -EINVAL : 0;
}

int noise_kdf(uint8_t *out1, uint8_t *out2, uint8_t *out3,
	      const uint8_t chaining_key[BLAKE2S_HASH_LEN], const uint8_t *data, size_t data_len)
{
	uint8_t secret[BLAKE2S_HASH_LEN];
	uint8_t output[BLAKE2S_HASH_LEN + 1];
	uint8_t *outs[3] = {out1, out2, out3};
	size_t prev_len = 0;
	int ret = hmac_blake2s(secret, chaining_key, BLAKE2S_HASH_LEN, data, data_len);

	for (uint8_t i = 0; ret == 0 && i < 3 && outs[i]; i++) {
		/* T(i) = HMAC(secret, T(i-1) || i), with T(0) empty. */
		output[prev_len] = i + 1;
		ret = hmac_blake2s(output, secret, sizeof(secret), output, prev_len + 1);
		if (ret == 0)
			memcpy(outs[i], output, BLAKE2S_HASH_LEN);
		prev_len = BLAKE2S_HASH_LEN;
	}
	crypto_wipe(secret, sizeof(secret));
	crypto_wipe(output, sizeof(output));
	return ret;
}

/* HMAC-BLAKE2s (RFC 2104 with a 64-byte block) and Noise's HKDF built on it.
 * wolfSSL 5.5 has no HMAC-BLAKE2s, so it is built here over the hash. */
#ifndef VPND_HMAC_H
#define VPND_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

int hmac_blake2s(uint8_t out[BLAKE2S_HASH_LEN], const uint8_t *key, size_t key_len,
		 const uint8_t *data, size_t data_len);

/* Noise HKDF: up to three 32-byte outputs from a chaining key and input. */
int noise_kdf(uint8_t *out1, uint8_t *out2, uint8_t *out3,
	      const uint8_t chaining_key[BLAKE2S_HASH_LEN], const uint8_t *data, size_t data_len);

#endif

/*
 * Join tokens: everything a new node needs to enroll with a controller (a
 * rendezvous holding the network key), authenticated by a MAC only the
 * network key's holder can make or check.
 *
 * Wire form: "VPNT" | version u8 | name_len u8 | name | subnet (4) | prefix u8
 *   | network public key (32) | network secret (32) | controller node ID (4)
 *   | controller public key (32) | controller endpoint (family u8 4|6, address,
 *   port u16) | not_after u64 | [version 2: uses u16] | token ID (16) | mac (16)
 * uses: how many keys the token may enroll (the controller's registry
 * counts them); a version 1 token enrolls one.
 * mac = BLAKE2s-128 keyed with BLAKE2s-256("vpnd join token v1" || signing key),
 * over everything before it. Integers are big-endian.
 */
#ifndef VPND_TOKEN_H
#define VPND_TOKEN_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "cert.h"
#include "crypto.h"
#include "network.h"

enum token_limits {
	TOKEN_ID_LEN = 16,
	TOKEN_MAC_LEN = 16,
	TOKEN_MAX_LEN =
	    4 + 2 + CERT_NAME_MAX + 5 + 32 + 32 + 4 + 32 + 19 + 8 + 2 + TOKEN_ID_LEN + TOKEN_MAC_LEN,
	TOKEN_VERSION = 2,
	TOKEN_BASE64_MAX = ((TOKEN_MAX_LEN + 2) / 3) * 4 + 1,
};

struct join_token {
	struct network_config network; /* without the signing key */
	struct in_addr controller_id;
	uint8_t controller_key[X25519_KEY_LEN];
	union endpoint controller;
	uint64_t not_after;
	uint16_t uses; /* keys it may enroll, at least 1 */
	uint8_t id[TOKEN_ID_LEN];
	uint8_t mac[TOKEN_MAC_LEN];
};

/* Fills in the MAC with the network's signing key; returns the encoded length. */
int token_sign(struct join_token *token, const uint8_t signing_key[ED25519_SEED_LEN], uint8_t *buf,
	       size_t len);
/* Structure only. */
int token_decode(struct join_token *token, const uint8_t *buf, size_t len);
/* 0 when the MAC is the network's and the token has not expired. */
int token_verify(const uint8_t *buf, size_t len, const uint8_t signing_key[ED25519_SEED_LEN],
		 uint64_t now);

#endif

/*
 * Node certificates: the network key's Ed25519 signature over
 * {network name, node ID, node static key, validity, flags}.
 *
 * Wire form (all integers big-endian):
 *   "VPNC" | version u8 | flags u8 | name_len u8 | 0 u8 | node_id[4]
 *   | not_before u64 | not_after u64 | public_key[32] | name | signature[64]
 * The signature covers every byte before it.
 */
#ifndef VPND_CERT_H
#define VPND_CERT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

enum cert_limits {
	CERT_VERSION = 1,
	CERT_NAME_MAX = 32,
	CERT_HEADER_LEN = 60,
	CERT_MAX_LEN = CERT_HEADER_LEN + CERT_NAME_MAX + ED25519_SIGNATURE_LEN,
	CERT_BASE64_MAX = ((CERT_MAX_LEN + 2) / 3) * 4 + 1,
};

enum cert_flags {
	CERT_FLAG_RELAY = 1 << 0,
	CERT_FLAG_RENDEZVOUS = 1 << 1,
	CERT_FLAGS_KNOWN = CERT_FLAG_RELAY | CERT_FLAG_RENDEZVOUS,
};

enum cert_status {
	CERT_OK,
	CERT_BAD_SIGNATURE,
	CERT_WRONG_NETWORK,
	CERT_NOT_YET_VALID,
	CERT_EXPIRED,
};

struct cert {
	char network[CERT_NAME_MAX + 1];
	struct in_addr node_id;
	uint8_t public_key[X25519_KEY_LEN];
	uint64_t not_before;
	uint64_t not_after;
	uint8_t flags;
	uint8_t signature[ED25519_SIGNATURE_LEN];
};

int cert_sign(struct cert *cert, const uint8_t network_seed[ED25519_SEED_LEN]);
/* The same certificate: every field and the signature. */
bool cert_equal(const struct cert *a, const struct cert *b);
/* Returns the encoded length, or -EINVAL. */
int cert_encode(const struct cert *cert, uint8_t *buf, size_t len);
/* The length the encoding at buf claims, or -EINVAL if buf cannot hold it.
 * Certificates inside sessions are followed by transport padding. */
int cert_wire_len(const uint8_t *buf, size_t len);
/* Structure only: the signature is checked by cert_verify. */
int cert_decode(struct cert *cert, const uint8_t *buf, size_t len);
enum cert_status cert_verify(const struct cert *cert,
			     const uint8_t network_public[ED25519_PUBLIC_LEN],
			     const char *network_name, uint64_t now);
const char *cert_status_string(enum cert_status status);

int cert_to_base64(const struct cert *cert, char *buf, size_t len);
int cert_from_base64(struct cert *cert, const char *text);

/* "relay,rendezvous" <-> flags; "" or "none" for none. */
int cert_flags_parse(const char *text, uint8_t *flags);
void cert_flags_format(uint8_t flags, char *buf, size_t len);

#endif

/*
 * STUN Binding (RFC 5389 / RFC 8489): the request a client sends, the
 * answer with XOR-MAPPED-ADDRESS a server gives, and telling STUN from
 * WireGuard messages on a shared socket (top two bits zero and the magic
 * cookie; WireGuard's first byte is 1 to 4 followed by three zero bytes).
 */
#ifndef VPND_STUN_H
#define VPND_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum stun_values {
	STUN_HEADER_LEN = 20,
	STUN_TXID_LEN = 12,
	STUN_MAGIC_COOKIE = 0x2112A442,
	STUN_BINDING_REQUEST = 0x0001,
	STUN_BINDING_SUCCESS = 0x0101,
	STUN_ATTR_MAPPED_ADDRESS = 0x0001,
	STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020,
	STUN_MAX_RESPONSE_LEN = STUN_HEADER_LEN + 4 + 20,
};

bool stun_is_message(const uint8_t *buf, size_t len);
int stun_build_request(uint8_t *buf, size_t len, const uint8_t txid[STUN_TXID_LEN]);
/* 0 and the transaction ID for a Binding request; -EINVAL otherwise. */
int stun_parse_request(const uint8_t *buf, size_t len, uint8_t txid[STUN_TXID_LEN]);
int stun_build_response(uint8_t *buf, size_t len, const uint8_t txid[STUN_TXID_LEN],
			const union endpoint *mapped);
/* A Binding success: its transaction ID and mapped address
 * (XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from old servers). */
int stun_parse_response(const uint8_t *buf, size_t len, uint8_t txid[STUN_TXID_LEN],
			union endpoint *mapped);

#endif

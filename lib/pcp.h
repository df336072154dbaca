/*
 * PCP (RFC 6887) MAP requests and answers: asking the gateway to forward
 * an external port to ours, for a while. Addresses are carried as IPv6
 * (IPv4 mapped into ::ffff:0:0/96); one MAP request and its answer are 60
 * bytes each. A lifetime of 0 deletes the mapping.
 */
#ifndef VPND_PCP_H
#define VPND_PCP_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum pcp_values {
	PCP_PORT = 5351,
	PCP_VERSION = 2,
	PCP_OPCODE_MAP = 1,
	PCP_RESPONSE_BIT = 0x80,
	PCP_MAP_LEN = 60, /* 24-byte header and 36-byte MAP body */
	PCP_MAX_LEN = 1100, /* RFC 6887 section 7 */
	PCP_NONCE_LEN = 12,
	PCP_SUCCESS = 0,
};

struct pcp_map {
	uint8_t nonce[PCP_NONCE_LEN]; /* ties answers and renewals to the request */
	uint8_t protocol;	      /* IPPROTO_UDP */
	uint32_t lifetime_s;
	union endpoint internal; /* request: the client's address and port */
	union endpoint external; /* request: suggested (any if family 0); answer: given */
	uint8_t result;		 /* answer: PCP_SUCCESS or an RFC 6887 result code */
	uint32_t epoch_s;	 /* answer: the server's epoch */
};

int pcp_encode_map_request(uint8_t *buf, size_t len, const struct pcp_map *map);
/* 0 for the answer to request (its nonce, protocol and internal port),
 * whatever its result code (answer->result); -EINVAL for anything else. */
int pcp_decode_map_response(const uint8_t *buf, size_t len, const struct pcp_map *request,
			    struct pcp_map *answer);
const char *pcp_result_name(uint8_t result);

#endif

/* The inner packets carried in transport data: what they are, and the
 * addresses cryptokey routing needs from them. */
#ifndef VPND_PACKET_H
#define VPND_PACKET_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

enum inner_kind {
	INNER_INVALID,
	INNER_KEEPALIVE, /* empty */
	INNER_IPV4,
	INNER_IPV6,
	INNER_CONTROL,
};

struct inner_packet {
	enum inner_kind kind;
	size_t length;	    /* of the IP packet by its own header, padding excluded */
	struct in_addr src; /* IPv4 only */
	struct in_addr dst;
	uint8_t control_type;
};

/* Classifies a decrypted plaintext (which may carry trailing padding). */
struct inner_packet packet_classify(const uint8_t *data, size_t len);

#endif

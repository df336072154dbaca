/*
 * Fields of IPv4, TCP and UDP headers as the offload code (gso.c, gro.c)
 * reads and rewrites them: offsets, flags, big-endian loads and stores.
 */
#ifndef VPND_IP_FIELDS_H
#define VPND_IP_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "checksum.h"

enum {
	IPV4_HEADER_MIN = 20,
	IPV4_FRAGMENT_MASK = 0x3fff, /* more fragments, offset */
	TCP_HEADER_MIN = 20,
	TCP_FLAGS_OFFSET = 13,
	TCP_CHECKSUM_OFFSET = 16,
	TCP_FLAG_FIN = 0x01,
	TCP_FLAG_PSH = 0x08,
	TCP_FLAG_ACK = 0x10,
	TCP_FLAG_CWR = 0x80,
	UDP_HEADER_LEN = 8,
	UDP_CHECKSUM_OFFSET = 6,
};

static inline uint16_t load16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store16(uint8_t *p, uint16_t value)
{
	p[0] = (uint8_t)(value >> 8);
	p[1] = (uint8_t)value;
}

/* A new total length for an IPv4 header, and its checksum to match. */
static inline void ipv4_set_length(uint8_t *ip, size_t header_len, size_t total)
{
	uint16_t checksum;

	store16(ip + 2, (uint16_t)total);
	memset(ip + 10, 0, 2);
	checksum = checksum_finish(checksum_add(0, ip, header_len));
	memcpy(ip + 10, &checksum, sizeof(checksum));
}

#endif

/* Helpers of the offload tests: IPv4 TCP and UDP packets to cut and merge,
 * and checks of their checksums. */
#ifndef VPND_TEST_PACKETS_H
#define VPND_TEST_PACKETS_H

#include "vectors.h"

#include <netinet/in.h>
#include <stdbool.h>

#include "checksum.h"
#include "vnet.h"

enum { TEST_TCP_OPTIONS = 12, TEST_TCP_HEADER = 20 + 20 + TEST_TCP_OPTIONS };

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16)), put16(p + 2, (uint16_t)v);
}

static inline uint8_t payload_byte(size_t i)
{
	return (uint8_t)(i * 7 + i / 251);
}

/* 10.26.0.1 -> 10.26.0.2, ID 0x1000, DF; the IPv4 checksum is left to the caller. */
static inline void ipv4_header(uint8_t *ip, uint8_t protocol, size_t total)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, 0x1000);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = protocol;
	ip[12] = 10, ip[13] = 26, ip[15] = 1;
	ip[16] = 10, ip[17] = 26, ip[19] = 2;
}

/* A TCP packet with timestamps and the given payload bytes (from offset
 * first of the stream); both checksums valid. */
static inline size_t tcp_packet(uint8_t *ip, uint32_t seq, uint8_t flags, size_t first,
				size_t payload)
{
	uint8_t *tcp = ip + 20;
	size_t total = TEST_TCP_HEADER + payload;
	uint16_t check;

	ipv4_header(ip, IPPROTO_TCP, total);
	memset(tcp, 0, 20 + TEST_TCP_OPTIONS);
	put16(tcp, 40000), put16(tcp + 2, 5201);
	put32(tcp + 4, seq);
	put32(tcp + 8, 0xabcdef01);
	tcp[12] = (20 + TEST_TCP_OPTIONS) / 4 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 502);
	tcp[20] = 1, tcp[21] = 1, tcp[22] = 8, tcp[23] = 10; /* NOP NOP timestamps */
	put32(tcp + 24, 1111), put32(tcp + 28, 2222);
	for (size_t i = 0; i < payload; i++)
		ip[TEST_TCP_HEADER + i] = payload_byte(first + i);
	check = checksum_finish(checksum_add(0, ip, 20));
	memcpy(ip + 10, &check, 2);
	check = checksum_finish(checksum_add(
	    checksum_pseudo_ipv4(ip + 12, ip + 16, IPPROTO_TCP, (uint16_t)(total - 20)), tcp,
	    total - 20));
	memcpy(tcp + 16, &check, 2);
	return total;
}

static inline void assert_checksums_valid(const uint8_t *ip, size_t len)
{
	assert_int_equal(checksum_fold(checksum_add(0, ip, 20)), 0xffff);
	assert_int_equal(checksum_fold(checksum_add(
			     checksum_pseudo_ipv4(ip + 12, ip + 16, ip[9], (uint16_t)(len - 20)),
			     ip + 20, len - 20)),
			 0xffff);
}

#endif

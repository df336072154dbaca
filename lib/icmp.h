/*
 * ICMP "fragmentation needed" (RFC 792 type 3 code 4, with RFC 1191's
 * next-hop MTU) for an IPv4 packet too big for the path to its
 * destination: written back into the TUN, it lowers the local stack's PMTU
 * for that destination, and TCP's MSS with it.
 */
#ifndef VPND_ICMP_H
#define VPND_ICMP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	ICMP_QUOTED_MAX = 548, /* of the packet: 576 bytes in all (RFC 1812 4.3.2.3) */
	ICMP_FRAG_NEEDED_MAX = 20 + 8 + ICMP_QUOTED_MAX,
};

/* The packet (a whole IPv4 header at least) must not be fragmented. */
bool ipv4_dont_fragment(const uint8_t *packet, size_t len);
/* Writes the ICMP message about packet, from `from` to the packet's source,
 * into out (ICMP_FRAG_NEEDED_MAX bytes); returns its length, or 0 when
 * packet is no IPv4 packet to answer (too short, a fragment after the
 * first, or itself an ICMP error). */
size_t icmp_frag_needed(uint8_t *out, const uint8_t *packet, size_t len, struct in_addr from,
			uint16_t mtu);

#endif

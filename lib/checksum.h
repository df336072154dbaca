/*
 * The Internet checksum (RFC 1071), summed in 64-bit words: the ones'
 * complement sum does not depend on the word size or the byte order, so a
 * sum of bytes loaded in host order, folded and stored as it is, is the
 * checksum in network order.
 */
#ifndef VPND_CHECKSUM_H
#define VPND_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds len bytes to a running sum; every call but the last must add an
 * even number of bytes. */
uint64_t checksum_add(uint64_t sum, const void *data, size_t len);
/* The TCP/UDP pseudo-header of IPv4: addresses as in the packet,
 * protocol, and the length of the transport header and payload. */
uint64_t checksum_pseudo_ipv4(const uint8_t src[4], const uint8_t dst[4], uint8_t protocol,
			      uint16_t length);
/* The 16-bit ones' complement sum, not inverted. */
uint16_t checksum_fold(uint64_t sum);
/* The checksum to store: the inverted sum. */
uint16_t checksum_finish(uint64_t sum);

#endif

/*
 * IPv4 fragmentation (RFC 791 section 3.2), as a router does it: an inner
 * packet without DF that is larger than the path to its destination carries
 * is cut into fragments that fit, for the destination to reassemble. (With
 * DF the sender learns the path's MTU instead: icmp.h.)
 */
#ifndef VPND_IPFRAG_H
#define VPND_IPFRAG_H

#include <stddef.h>
#include <stdint.h>

/* Called with each fragment in turn (valid only during the call). */
typedef void ipv4_fragment_fn(void *ctx, const uint8_t *fragment, size_t len);

/* Cuts an IPv4 packet (len bytes, its header's total length) into
 * fragments of at most mtu bytes, in order, each written to scratch (mtu
 * bytes) and handed to emit. Later fragments carry only the options that
 * ask to be copied. Returns how many were emitted: 0 when the packet is
 * malformed or mtu leaves no room for 8 bytes of data after a header. The
 * caller checks DF. */
size_t ipv4_fragment(const uint8_t *packet, size_t len, size_t mtu, uint8_t *scratch,
		     ipv4_fragment_fn *emit, void *ctx);

#endif

/*
 * Cutting a super-packet read from the TUN into the packets it stands for,
 * as a NIC does for TSO and USO: every segment gets the headers with its own
 * IPv4 length, ID and checksum, its TCP sequence number and flags or UDP
 * length, and its transport checksum. A single packet whose transport
 * checksum the kernel left to us gets it, in place.
 */
#ifndef VPND_GSO_H
#define VPND_GSO_H

#include <stddef.h>
#include <stdint.h>

#include "vnet.h"

struct gso_split {
	uint8_t *packet;
	size_t len;
	size_t header_len;   /* IPv4 and TCP or UDP; 0 for a single packet */
	size_t segment_size; /* payload per segment */
	size_t offset;	     /* of the next segment's payload */
	unsigned int index;
	uint8_t protocol;
};

/* Returns 0, or -EINVAL when the header does not describe the packet
 * (which then goes nowhere). IPv6 super-packets are -EAFNOSUPPORT: the
 * overlay carries IPv4. */
int gso_split_begin(struct gso_split *split, const struct virtio_net_hdr *hdr, uint8_t *packet,
		    size_t len);
/* The next packet: the one read, or a segment written to scratch (room for
 * the packet read). NULL after the last. */
const uint8_t *gso_split_next(struct gso_split *split, uint8_t *scratch, size_t *len);

#endif

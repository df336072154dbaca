/*
 * Merging the TCP segments of one flow that arrive in a row into one
 * super-packet for the TUN, as GRO does in a NIC driver: one write and one
 * trip through the receiving stack instead of one per segment. Only plain
 * data segments of IPv4 without options merge - ACK set, PSH allowed on the
 * last, every other flag ends the run - with the same addresses, ports,
 * acknowledgement, window and options, in sequence, all of the first one's
 * size but the last. Anything else goes alone.
 *
 * The merged packet asks the kernel to compute the TCP checksum
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM): the segments' own checksums are not
 * checked, their contents being authenticated by the transport's AEAD.
 */
#ifndef VPND_GRO_H
#define VPND_GRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vnet.h"

struct gro {
	size_t len;	     /* of the packet after the virtio-net header; 0: empty */
	size_t header_len;   /* IPv4 and TCP */
	size_t segment_size; /* the first segment's payload */
	unsigned int count;
	uint32_t next_seq;
	bool closed; /* a short or PSH segment ended the run */
	uint8_t buffer[VNET_HDR_LEN + VNET_MAX_PACKET];
};

void gro_init(struct gro *gro);
/* Takes a packet that starts a run (when empty) or continues it; false
 * when it does neither: finish the run, then try again or write it alone. */
bool gro_add(struct gro *gro, const uint8_t *packet, size_t len);
/* The run as one write (the virtio-net header, then the packet), and
 * empties it; 0 when there was nothing. */
size_t gro_finish(struct gro *gro);

#endif

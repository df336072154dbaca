/* A virtio-net header and what follows it, as a TUN read might be: cut
 * into segments, which (and then the read itself) go through GRO, as the
 * receiving side would see them. No segment or merged packet may be
 * longer than an IPv4 packet, or claim another length than it has. */
#include <stdlib.h>
#include <string.h>

#include "gro.h"
#include "gso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_merged(struct gro *gro)
{
	size_t len = gro_finish(gro);
	const uint8_t *ip = gro->buffer + VNET_HDR_LEN;

	if (len &&
	    (len > sizeof(gro->buffer) || (size_t)(ip[2] << 8 | ip[3]) != len - VNET_HDR_LEN))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t packet[VNET_MAX_PACKET], scratch[VNET_MAX_PACKET];
	static struct gro gro;
	struct virtio_net_hdr hdr;
	struct gso_split split;
	const uint8_t *segment;
	size_t len;

	if (size < VNET_HDR_LEN || size - VNET_HDR_LEN > sizeof(packet))
		return 0;
	memcpy(&hdr, data, VNET_HDR_LEN);
	memcpy(packet, data + VNET_HDR_LEN, size - VNET_HDR_LEN);
	gro_init(&gro);
	if (gso_split_begin(&split, &hdr, packet, size - VNET_HDR_LEN) == 0) {
		while ((segment = gso_split_next(&split, scratch, &len))) {
			if (len > size - VNET_HDR_LEN)
				abort();
			if (!gro_add(&gro, segment, len)) {
				check_merged(&gro);
				gro_add(&gro, segment, len);
			}
		}
	}
	check_merged(&gro);
	gro_add(&gro, data + VNET_HDR_LEN, size - VNET_HDR_LEN);
	check_merged(&gro);
	return 0;
}

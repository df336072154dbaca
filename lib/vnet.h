/*
 * The virtio-net header a TUN device opened with IFF_VNET_HDR puts before
 * every packet: how a super-packet of many TCP (or UDP) segments is to be
 * cut, and where a checksum the kernel left to us belongs. Its fields are
 * in host byte order (the legacy layout on a little-endian host).
 */
#ifndef VPND_VNET_H
#define VPND_VNET_H

#include <linux/if_tun.h>
#include <linux/virtio_net.h>

/* Debian 12's headers predate UDP segmentation offload on TUN (Linux 6.2). */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5
#endif

enum {
	VNET_HDR_LEN = sizeof(struct virtio_net_hdr), /* 10 */
	VNET_MAX_PACKET = 65535,		      /* an IPv4 packet's limit */
};

#endif

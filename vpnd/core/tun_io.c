/* Reading super-packets from the TUN and writing merged ones to it. */
#include "core/tun_io.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/device.h"
#include "core/hub.h"
#include "gso.h"
#include "log.h"
#include "core/send.h"

enum { TUN_READS_PER_EVENT = 64 }; /* then the sockets get their turn */

/* Segments are cut where seal() wants the plaintext, so it moves nothing. */
static uint8_t *segment_scratch(struct device *dev)
{
	return dev->send_buffer + MESSAGE_DATA_HEADER_LEN;
}

static void send_read(struct device *dev, size_t len)
{
	struct virtio_net_hdr hdr;
	struct gso_split split;
	const uint8_t *packet;
	size_t packet_len;
	int ret;

	if (len < VNET_HDR_LEN) {
		dev->unattributed.drops[DROP_MALFORMED]++;
		return;
	}
	memcpy(&hdr, dev->tun_buffer, VNET_HDR_LEN);
	ret = gso_split_begin(&split, &hdr, dev->tun_buffer + VNET_HDR_LEN, len - VNET_HDR_LEN);
	if (ret) {
		dev->unattributed.drops[ret == -EAFNOSUPPORT ? DROP_NO_ROUTE : DROP_MALFORMED]++;
		return;
	}
	while ((packet = gso_split_next(&split, segment_scratch(dev), &packet_len)))
		send_packet_from_tun(dev, packet, packet_len);
	if (split.header_len) {
		dev->offload.super_packets++;
		dev->offload.super_segments += split.index;
	}
}

static void tun_io_read(struct watch *watch, uint32_t events)
{
	struct device *dev = container_of(watch, struct device, tun_watch);

	send_batch_open(&dev->hub->send_batch);
	for (int i = 0; i < TUN_READS_PER_EVENT; i++) {
		ssize_t n = read(dev->tun_fd, dev->tun_buffer, sizeof(dev->tun_buffer));

		if (n <= 0)
			break;
		send_read(dev, (size_t)n);
	}
	send_batch_close(&dev->hub->send_batch);
}

static void tun_write(struct device *dev, const struct iovec *iov, int count)
{
	if (writev(dev->tun_fd, iov, count) < 0)
		log_debug("write to TUN: %s", strerror(errno));
}

void tun_io_flush(struct device *dev)
{
	unsigned int segments = dev->gro.count;
	size_t len = gro_finish(&dev->gro);

	if (segments > 1) {
		dev->offload.merged_writes++;
		dev->offload.merged_segments += segments;
	}
	if (len)
		tun_write(dev, &(struct iovec){.iov_base = dev->gro.buffer, .iov_len = len}, 1);
}

static void write_alone(struct device *dev, const uint8_t *packet, size_t len)
{
	struct virtio_net_hdr hdr = {0};
	struct iovec iov[2] = {{.iov_base = &hdr, .iov_len = sizeof(hdr)},
			       {.iov_base = (void *)packet, .iov_len = len}};

	tun_write(dev, iov, 2);
}

void tun_io_deliver(struct device *dev, const uint8_t *packet, size_t len)
{
	if (!(dev->tun_offloads & TUN_F_TSO4)) {
		write_alone(dev, packet, len);
		return;
	}
	if (gro_add(&dev->gro, packet, len))
		return;
	tun_io_flush(dev);
	if (!gro_add(&dev->gro, packet, len))
		write_alone(dev, packet, len);
}

int tun_io_watch(struct device *dev)
{
	return loop_watch(&dev->hub->loop, &dev->tun_watch, dev->tun_fd, EPOLLIN, tun_io_read);
}

void tun_io_unwatch(struct device *dev)
{
	if (!dev->tun_watch.ready)
		return; /* never watched */
	loop_unwatch(&dev->hub->loop, &dev->tun_watch);
	dev->tun_watch.ready = NULL;
}

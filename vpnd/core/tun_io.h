/*
 * The TUN's side of the data path. A read may be a super-packet of many
 * TCP or UDP segments (tun.h): it is cut into packets (gso.h), whose
 * datagrams leave in UDP GSO batches (send_batch.h). Packets for the TUN
 * pass through GRO (gro.h): TCP segments of one flow that arrive in a row
 * become one write.
 */
#ifndef VPND_TUN_IO_H
#define VPND_TUN_IO_H

#include <stddef.h>
#include <stdint.h>

struct device;

/* The event loop reads the TUN (a bounded number of reads per event) and
 * sends what it reads. */
int tun_io_watch(struct device *dev);
void tun_io_unwatch(struct device *dev);
/* An IPv4 packet for this host. */
void tun_io_deliver(struct device *dev, const uint8_t *packet, size_t len);
/* Writes what GRO holds; after every event, before the loop sleeps. */
void tun_io_flush(struct device *dev);

#endif

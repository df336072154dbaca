/*
 * Link adverts: a node that may relay tells every member it has a session
 * with, every LINKS_INTERVAL_MS, the cost of each direct path it measured.
 * With them, each node knows the whole graph of relay links and can route
 * through any relay, over more than one hop (select.c), and knows the MTU
 * of each link a route takes (pmtu.c measures it, the advert carries it). An advert older
 * than LINKS_MAX_AGE_MS is forgotten: the relay is gone or cut off.
 *
 * Timer: advertiser->tick, every LINKS_INTERVAL_MS (a node that may not
 * relay advertises nothing).
 */
#ifndef VPND_LINKS_H
#define VPND_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/loop.h"
#include "wire.h"

struct device;
struct origin;
struct peer;

enum { LINKS_INTERVAL_MS = 1000, LINKS_MAX_AGE_MS = 3500 };

struct advertiser {
	struct device *dev;
	struct timer tick;
};

/* A relay's links as it last advertised them. */
struct links_heard {
	struct link_advert advert;
	uint64_t received_ms;
};

int links_device_init(struct device *dev);
void links_device_free(struct device *dev);
void links_peer_free(struct peer *peer);
void links_advertise(struct device *dev);
void links_receive(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);
/* The peer's last advert, if it is recent enough to route by. */
const struct link_advert *links_of(const struct peer *peer, uint64_t now_ms);
/* The largest datagram the advertised link to a node carries; 0: not known. */
uint16_t links_datagram_max(const struct link_advert *advert, struct in_addr to);

#endif

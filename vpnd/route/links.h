/*
 * Link adverts: a node that may relay tells every member it has a session
 * with, every LINKS_INTERVAL_MS, the cost of each direct path it measured.
 * With them, each node knows the whole graph of relay links and can route
 * through any relay, over more than one hop (select.c). An advert older
 * than LINKS_MAX_AGE_MS is forgotten: the relay is gone or cut off.
 */
#ifndef VPND_LINKS_H
#define VPND_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct device;
struct peer;

enum { LINKS_INTERVAL_MS = 1000, LINKS_MAX_AGE_MS = 3500 };

void links_advertise(struct device *dev);
void links_receive(struct peer *peer, const uint8_t *data, size_t len);
/* The peer's last advert, if it is recent enough to route by. */
const struct link_advert *links_of(const struct peer *peer, uint64_t now_ms);

#endif

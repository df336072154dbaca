/*
 * The path selector. Every SELECT_INTERVAL_MS, and at once when a path
 * goes down, it builds the link graph - our measured direct paths and the
 * relays' adverts - and picks each peer's route: the direct path or the
 * cheapest relayed route (route.h), unless pinned. It moves only when the
 * new route is clearly and steadily better, or the current one is down.
 */
#ifndef VPND_SELECT_H
#define VPND_SELECT_H

#include <stddef.h>

#include "core/peer.h"

enum { SELECT_INTERVAL_MS = 250, SELECT_MAX_CANDIDATES = 16 };

void select_routes(struct device *dev);
/* Pins the peer's route (PIN_AUTO undoes it) and applies it at once;
 * -ENOENT when a PIN_VIA relay is no relay of ours. */
int select_pin(struct peer *peer, enum route_pin_kind kind, struct in_addr via);
/* Every route to the peer the last graph has: direct first, then the best
 * through each first relay. Returns how many. */
size_t select_candidates(const struct peer *peer, struct route *out, size_t max);
/* "direct", or "via 10.26.0.11, 10.26.0.12". */
void select_format_route(const struct route *route, char *buf, size_t len);
/* Why the peer is not reached directly, for humans ("" when it is). */
void select_why_not_direct(const struct peer *peer, char *buf, size_t len);

#endif

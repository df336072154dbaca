/*
 * The path selector. Every SELECT_INTERVAL_MS, and at once when a path
 * goes down, it builds the link graph - our measured direct paths and the
 * relays' adverts - and picks each peer's route: the direct path or the
 * cheapest relayed route (route.h), unless pinned. It moves only when the
 * new route is clearly and steadily better, or the current one is down.
 * The choice goes to the peer's path (core/path.h).
 *
 * Timer: selector->tick, every SELECT_INTERVAL_MS.
 */
#ifndef VPND_SELECT_H
#define VPND_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "io/loop.h"
#include "route.h"

struct device;
struct peer;

enum { SELECT_INTERVAL_MS = 250, SELECT_MAX_CANDIDATES = 16 };

enum route_pin_kind { PIN_AUTO, PIN_DIRECT, PIN_RELAY, PIN_VIA };

struct route_pin {
	enum route_pin_kind kind;
	struct in_addr via; /* PIN_VIA: the first relay */
};

/* Per device: the graph as last built. */
struct selector {
	struct device *dev;
	struct timer tick;
	struct route_graph graph;
	size_t relays_known; /* relay-capable peers in it */
};

/* Per peer: how its route was chosen. */
struct route_choice {
	struct route_hysteresis hysteresis;
	struct route_pin pin;
	unsigned int switches;
	uint64_t last_switch_ms;
	char reason[96]; /* why the route is what it is */
};

int select_device_init(struct device *dev);
void select_device_free(struct device *dev);
int select_peer_init(struct peer *peer);
void select_peer_free(struct peer *peer);

void select_routes(struct device *dev);
size_t select_relays_known(const struct device *dev);
/* Pins the peer's route (PIN_AUTO undoes it) and applies it at once;
 * -ENOENT when a PIN_VIA relay is no relay of ours. */
int select_pin(struct peer *peer, enum route_pin_kind kind, struct in_addr via);
/* Every route to the peer the last graph has: direct first, then the best
 * through each first relay. Returns how many. */
size_t select_candidates(const struct peer *peer, struct route *out, size_t max);
/* "direct", or "via 10.26.0.11, 10.26.0.12". */
void select_format_route(const struct route *route, char *buf, size_t len);

#endif

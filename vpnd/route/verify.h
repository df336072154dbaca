/*
 * Relayed routes checked end to end. A relay's link adverts and its
 * answers to our probes say nothing of whether it forwards what we hand
 * it: one that drops relay envelopes (broken, or lying to attract traffic)
 * would swallow a peer's traffic for as long as it stays the cheapest
 * route. So every VERIFY_INTERVAL_MS each peer reached over a relayed route
 * gets a PROBE along that route; after VERIFY_MISSES in a row go
 * unanswered, the route's first relay is avoided for that peer for
 * VERIFY_AVOID_MS, twice as long each time it does so again (up to
 * VERIFY_AVOID_MAX_MS): the selector routes around it at once, and a relay
 * that keeps attracting traffic to swallow it gets less and less of it.
 *
 * Timer: verifier->tick, every VERIFY_INTERVAL_MS.
 */
#ifndef VPND_VERIFY_H
#define VPND_VERIFY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "io/loop.h"

struct device;
struct peer;

enum {
	VERIFY_INTERVAL_MS = 1000,
	VERIFY_MISSES = 5,
	VERIFY_AVOID_MS = 60000,
	VERIFY_AVOID_MAX_MS = 3600000,
};

/* Per device. */
struct verifier {
	struct device *dev;
	struct timer tick;
};

/* Per peer: the probes out along its relayed route (the last few: an
 * answer slower than VERIFY_INTERVAL_MS still counts). */
struct route_check {
	uint64_t nonces[VERIFY_MISSES];
	unsigned int next; /* the slot of the next probe */
	bool answered;	   /* since the last tick */
	unsigned int misses;
	struct in_addr avoid; /* the relay that swallowed them, until avoid_until_ms */
	uint64_t avoid_until_ms;
	uint64_t avoid_ms; /* how long it was avoided the last time */
};

int verify_device_init(struct device *dev);
void verify_device_free(struct device *dev);
int verify_peer_init(struct peer *peer);
void verify_peer_free(struct peer *peer);
/* A PONG's nonce: true when it answered our check. */
bool verify_answered(struct peer *peer, uint64_t nonce);
/* The relay to route around for this peer now (0.0.0.0: none). */
struct in_addr verify_avoided(const struct peer *peer, uint64_t now_ms);

#endif

/*
 * The LAN beacon: members on one link find each other with no rendezvous
 * at all (two laptops on one Wi-Fi). Every BEACON_INTERVAL_MS each node
 * sends a beacon (lib/wire.h: its certificate, UDP port and the time, under
 * an HMAC keyed by the network secret) to the IPv4 multicast group
 * BEACON_GROUP on each of its addresses, and to the link-local IPv6 group
 * BEACON_GROUP6 on each link with an IPv6 link-local address (a link with
 * no IPv4 at all still works), TTL / hop limit 1: it never leaves the link.
 * A member that hears one from a member it did not know learns it (the
 * certificate verified as any), answers with its own beacon to the sender
 * at once (so both know each other), and the lower node ID of the two
 * starts the handshake BEACON_HANDSHAKE_DELAY_MS later, to the address the
 * beacon came from: one side only, as two initiations that cross undo each
 * other. Strangers' beacons fail the HMAC; old ones (replayed) are refused;
 * at most BEACON_PER_SECOND are taken in.
 *
 * Timers: beacon->send, every BEACON_INTERVAL_MS; beacon->greet,
 * BEACON_HANDSHAKE_DELAY_MS after a member was learned.
 */
#ifndef VPND_BEACON_H
#define VPND_BEACON_H

#include <netinet/in.h>
#include <stdint.h>

#include "budget.h"
#include "io/loop.h"

struct device;

#define BEACON_GROUP "239.255.26.26"
#define BEACON_GROUP6 "ff02::7670:6e64" /* "vpnd" */

enum {
	BEACON_INTERVAL_MS = 5000,
	BEACON_HANDSHAKE_DELAY_MS = 100,
	BEACON_MAX_AGE_S = 60,
	BEACON_PER_SECOND = 50,
	BEACON_MAX_GREETINGS = 32,
};

struct beacon_state {
	struct device *dev;
	struct watch watch;  /* IPv4 */
	struct watch watch6; /* IPv6; fd -1: none */
	struct timer send;
	struct timer greet;
	struct budget heard; /* BEACON_PER_SECOND */
	/* Members learned from beacons that we are to start a handshake with. */
	struct in_addr greetings[BEACON_MAX_GREETINGS];
	size_t greeting_count;
};

/* Nothing when lan_beacon is off, or without a certificate yet. */
int beacon_device_init(struct device *dev);
void beacon_device_free(struct device *dev);
/* The interface is up: the first beacon now. */
void beacon_start(struct device *dev);

#endif

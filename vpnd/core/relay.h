/* Relay envelopes: carrying another node's outer messages inside a session. */
#ifndef VPND_RELAY_H
#define VPND_RELAY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct device;
struct origin;
struct peer;

/* Whether this node relays for others: a rendezvous, or a relay certificate. */
bool relay_allowed(const struct device *dev);
/* Sends an outer message for node dst through the relay peer, and from
 * there through the waypoints (more relays) in order. */
int relay_send(struct peer *relay, struct in_addr dst, const struct in_addr *waypoints,
	       size_t waypoint_count, const void *msg, size_t len);
/* A RELAY control message from a peer: deliver it here, or forward it. */
void relay_receive(struct peer *from, uint8_t *msg, size_t len, const struct origin *origin);

#endif

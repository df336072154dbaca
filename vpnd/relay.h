/* Relay envelopes: carrying another node's outer messages inside a session. */
#ifndef VPND_RELAY_H
#define VPND_RELAY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct peer;

/* Sends an outer message for node dst through the relay peer. */
int relay_send(struct peer *relay, struct in_addr dst, const void *msg, size_t len);
/* A RELAY control message from a peer: deliver it here, or forward it. */
void relay_receive(struct peer *from, uint8_t *data, size_t len);

#endif

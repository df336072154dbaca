/*
 * Probes: authenticated PROBE messages with a nonce, sent to one endpoint
 * whatever the peer's path, and answered with a PONG carrying the nonce
 * back the way the probe came. Punching (nat/) opens paths with them,
 * measurement (route/) times them.
 */
#ifndef VPND_PROBE_H
#define VPND_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct origin;
struct peer;

/* From socket fd (-1: the hub's) to ep. */
int probe_send(struct peer *peer, int fd, const union endpoint *ep, uint64_t nonce);
/* The same, padded to a sealed datagram of size bytes: a probe of the
 * path's MTU. */
int probe_send_padded(struct peer *peer, int fd, const union endpoint *ep, uint64_t nonce,
		      size_t size);
/* The same with a random nonce: for probes nobody times. */
int probe_send_untimed(struct peer *peer, int fd, const union endpoint *ep);
/* A PROBE from the peer: answer it. */
void probe_receive(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);

#endif

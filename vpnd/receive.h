/* Everything a node receives on its UDP socket. */
#ifndef VPND_RECEIVE_H
#define VPND_RECEIVE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct device;
struct peer;

/* Where an outer message came from: a UDP source on one of our sockets (or a
 * TCP stream), or (endpoint NULL) a relay peer, with the node ID the relay
 * says sent it. */
struct origin {
	const union endpoint *endpoint;
	int fd;
	struct peer *via;
	struct in_addr relayed_from;
};

/* Handles one outer message; buf is modified (decrypted in place). */
void receive_datagram(struct device *dev, uint8_t *buf, size_t len, const struct origin *from);

#endif

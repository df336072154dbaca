/* Everything a node receives on its UDP socket. */
#ifndef VPND_RECEIVE_H
#define VPND_RECEIVE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct device;
struct peer;

/* Handles one outer message; buf is modified (decrypted in place). It came
 * from src on the UDP socket, or (src NULL) through the relay peer via. */
void receive_datagram(struct device *dev, uint8_t *buf, size_t len, const union endpoint *src,
		      struct peer *via);

#endif

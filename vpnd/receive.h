/* Everything a node receives on its UDP socket. */
#ifndef VPND_RECEIVE_H
#define VPND_RECEIVE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct device;

/* Handles one datagram; buf is modified (decrypted in place). */
void receive_datagram(struct device *dev, uint8_t *buf, size_t len, const union endpoint *src);

#endif

/* Everything a node receives on its UDP socket. */
#ifndef VPND_RECEIVE_H
#define VPND_RECEIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct aead_job;
struct device;
struct peer;
struct stream;

/* Where an outer message came from: a UDP source on one of our sockets (or a
 * TCP stream), or (endpoint NULL) a relay peer, with the node ID the relay
 * says sent it. */
struct origin {
	const union endpoint *endpoint;
	int fd;
	struct peer *via;
	struct in_addr relayed_from;
	const struct aead_job *opened; /* decrypted already, by the workers */
	struct stream *stream;	       /* the TCP stream it came over, if any */
};

/* Handles one outer message; buf is modified (decrypted in place). */
void receive_datagram(struct device *dev, uint8_t *buf, size_t len, const struct origin *from);
/* A transport message the replay window would take now, as a job for the
 * workers (receive_datagram checks it again, and moves the window, after
 * the job has run); false for anything else. */
bool receive_data_job(struct device *dev, uint8_t *buf, size_t len, struct aead_job *job);

#endif

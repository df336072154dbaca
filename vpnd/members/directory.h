/*
 * The member side of a rendezvous: registering, and learning other members.
 *
 * Timer: register_refresh->again, REGISTER_INTERVAL_S after each registration
 * with a rendezvous: register again (our candidates may have changed).
 */
#ifndef VPND_DIRECTORY_H
#define VPND_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

#include "io/loop.h"

struct cert;
struct device;
struct origin;
struct peer;

enum { REGISTER_INTERVAL_S = 30 };

struct register_refresh {
	struct peer *rendezvous;
	struct timer again;
};

int directory_peer_init(struct peer *peer);
void directory_peer_free(struct peer *peer);
/* Tells a rendezvous peer our host candidates (and re-arms the refresh). */
void directory_register(struct peer *rendezvous);
/* Registers now if registering at all: our UDP source may have changed. */
void directory_register_soon(struct peer *rendezvous);
/* A member known by its certificate (verified unless we hold it already):
 * its peer, found or made (logged as learned how), or NULL if the
 * certificate is refused, names us, a blocked node or another key's ID. */
struct peer *directory_learn(struct device *dev, const struct cert *cert, const char *how);
/* A PEER_INFO from a rendezvous: create or update that member's peer. */
void directory_receive_peer_info(struct peer *rendezvous, uint8_t *msg, size_t len,
				 const struct origin *from);

#endif

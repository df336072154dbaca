/* The member side of a rendezvous: registering, and learning other members. */
#ifndef VPND_DIRECTORY_H
#define VPND_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

struct peer;

/* Tells a rendezvous peer our host candidates (and re-arms the refresh). */
void directory_register(struct peer *rendezvous);
/* A PEER_INFO from a rendezvous: create or update that member's peer. */
void directory_receive_peer_info(struct peer *rendezvous, const uint8_t *data, size_t len);

#endif

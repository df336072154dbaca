/*
 * Peers named by DNS name (endpoint = "name:port" in the configuration), as
 * a rendezvous on a dynamic address is: resolved without blocking the loop
 * (glibc's getaddrinfo_a), at start, every NAMES_REFRESH_S, and every
 * NAMES_RETRY_S while the peer is silent (no session, or nothing heard
 * from it in NAMES_SILENCE_S although we probed it each NAMES_RETRY_S it
 * was quiet): a peer whose name moved is found again where it went. A new
 * address becomes the peer's configured endpoint and a handshake goes
 * there.
 *
 * Timer: name->tick, every NAMES_POLL_MS while a lookup runs, else every
 * NAMES_RETRY_S.
 */
#ifndef VPND_NAMES_H
#define VPND_NAMES_H

#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "io/loop.h"

struct peer;

enum { NAMES_REFRESH_S = 60, NAMES_RETRY_S = 5, NAMES_SILENCE_S = 15, NAMES_POLL_MS = 50 };

struct peer_name {
	struct peer *peer;
	struct timer tick;
	/* The lookup: glibc reads these while it runs, so they are ours, not
	 * the configuration's (a reload may rewrite that meanwhile). */
	struct gaicb request;
	struct addrinfo hints;
	char host[ENDPOINT_NAME_MAX + 1];
	char service[8];
	bool running;
	uint64_t started_ms;  /* the lookup running, or the last one */
	uint64_t answered_ms; /* the last that gave an address */
	uint64_t heard_packets, heard_ms; /* the peer's received count, when it last grew */
};

/* Only for peers with a name; others get none. */
int names_peer_init(struct peer *peer);
void names_peer_free(struct peer *peer);

#endif

/*
 * The rendezvous role: accept any member of the network, record where it
 * is (the endpoint its packets come from, and the host addresses it
 * registers), and introduce members to each other (PEER_INFO).
 *
 * Timers: rendezvous->sweep, every RENDEZVOUS_SWEEP_MS: forget unknown
 * initiators that did not prove themselves in DYNAMIC_PEER_UNVERIFIED_MAX_S;
 * registered->later, per member: its news held back (see struct registered).
 */
#ifndef VPND_RENDEZVOUS_H
#define VPND_RENDEZVOUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "io/loop.h"
#include "messages.h"
#include "wire.h"

struct device;
struct origin;
struct peer;

enum {
	DYNAMIC_PEER_UNVERIFIED_MAX_S = 30, /* an unknown initiator must prove itself */
	RENDEZVOUS_MAX_UNVERIFIED = 1024,   /* strangers proving themselves at once */
	RENDEZVOUS_SWEEP_MS = 5000,
	INTRODUCTION_INTERVAL_MS = 1000, /* between rounds of news about one member */
};

struct rendezvous {
	struct device *dev;
	struct timer sweep;
};

/* Per member, at a rendezvous: what was last introduced, and in which
 * session - introductions go out only when that changes, at most once per
 * INTRODUCTION_INTERVAL_MS (news that comes sooner waits for the timer). */
struct registered {
	struct peer *peer;
	bool known;
	uint8_t nat;
	union endpoint reflexive;
	struct candidate_list candidates;
	uint32_t session; /* our index of the session it registered in */
	uint64_t introduced_ms;
	struct timer later; /* news held back */
};

int rendezvous_device_init(struct device *dev);
void rendezvous_device_free(struct device *dev);
int rendezvous_peer_init(struct peer *peer);
void rendezvous_peer_free(struct peer *peer);
/* A peer for an initiator not in the configuration, when serving. */
struct peer *rendezvous_accept_unknown(struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN]);
/* A member proved its node ID: take it, unless another key holds it. */
bool rendezvous_claim_node_id(struct peer *peer, const struct cert *cert);
void rendezvous_receive_register(struct peer *peer, uint8_t *msg, size_t len,
				 const struct origin *from);

#endif

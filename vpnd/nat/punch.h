/*
 * Hole punching: once a session with a peer learned from a rendezvous
 * exists, authenticated probes go to every candidate it has - its reflexive
 * endpoint, where its packets last came from, its host addresses - every
 * PUNCH_INTERVAL_MS for a round of PUNCH_PROBES_PER_ROUND, both sides at
 * once. The first probe answered makes a direct path (core/path.c). A round
 * that opened nothing is followed by another after a backoff that doubles
 * from PUNCH_BACKOFF_MIN_S up to PUNCH_BACKOFF_MAX_S.
 *
 * The budget: a destination gets at most PUNCH_PROBES_PER_ROUND probes a
 * round, and the backoff starts over (a move, a lost direct path) at most
 * once per PUNCH_BACKOFF_MIN_S, so a member that keeps re-registering from
 * new addresses cannot turn every other member into a stream of probes.
 */
#ifndef VPND_PUNCH_H
#define VPND_PUNCH_H

#include <stdbool.h>
#include <stdint.h>

#include "budget.h"
#include "io/loop.h"

struct peer;

enum {
	PUNCH_INTERVAL_MS = 200,
	PUNCH_PROBES_PER_ROUND = 15,
	PUNCH_BACKOFF_MIN_S = 30,
	PUNCH_BACKOFF_MAX_S = 300,
};

struct punch {
	struct peer *peer;
	struct timer round; /* the next probes */
	unsigned int probes_left;
	unsigned int backoff_s;
	struct budget restarts; /* the backoff started over */
};

int punch_peer_init(struct peer *peer);
void punch_peer_free(struct peer *peer);
/* A session exists: punch unless a direct path or a round is under way;
 * true when a round starts. */
bool punch_start(struct peer *peer);
/* The peer is somewhere new, or its direct path was lost: no backoff; if
 * the backoff already started over within PUNCH_BACKOFF_MIN_S, the next
 * round goes when that time is over. */
void punch_restart(struct peer *peer);
/* A direct path is up. */
void punch_stop(struct peer *peer);

#endif

/*
 * Hole punching across a symmetric NAT (the birthday method): the
 * symmetric side opens many sockets and probes the cone side from each,
 * making many mappings; the cone side probes random ports of the symmetric
 * side's address until one lands on a mapping. Bounded and paced by the
 * configured budget (punch.sockets, punch.probes, punch.rate), and at most
 * BIRTHDAY_ATTEMPTS_PER_MINUTE attempts per peer: a peer whose address keeps
 * changing gets no more (a spray under way follows it to the new address).
 *
 * Timers: spray->tick, every BIRTHDAY_TICK_MS while guessed ports are left
 * to probe; sockets->sweep, every BIRTHDAY_SWEEP_MS, closes sockets past
 * their lifetime unless a direct path uses them.
 */
#ifndef VPND_BIRTHDAY_H
#define VPND_BIRTHDAY_H

#include <stddef.h>
#include <stdint.h>

#include "budget.h"
#include "core/hub.h"
#include "io/loop.h"

struct device;
struct peer;

enum {
	BIRTHDAY_MAX_SOCKETS = 512,
	BIRTHDAY_SOCKET_LIFETIME_MS = 15000,
	BIRTHDAY_TICK_MS = 10,
	BIRTHDAY_SWEEP_MS = 5000,
	BIRTHDAY_ATTEMPTS_PER_MINUTE = 2,
};

struct birthday_socket {
	struct udp_socket socket;
	struct peer *peer;
	uint64_t expires_ms;
};

/* The symmetric side's extra sockets, per device. */
struct birthday_sockets {
	struct birthday_socket *slots[BIRTHDAY_MAX_SOCKETS];
	size_t count;
	struct timer sweep;
};

/* Per peer: the cone side's probes to guessed ports, and either side's
 * attempts in the current minute. */
struct birthday_spray {
	struct peer *peer;
	struct timer tick;
	unsigned int left; /* probes still to send */
	unsigned int sent;
	struct budget attempts; /* BIRTHDAY_ATTEMPTS_PER_MINUTE */
};

int birthday_device_init(struct device *dev);
void birthday_device_free(struct device *dev);
int birthday_peer_init(struct peer *peer);
/* Also closes every socket opened for the peer. */
void birthday_peer_free(struct peer *peer);
/* Starts an attempt if one side is symmetric and the other not. */
void birthday_start(struct peer *peer);

#endif

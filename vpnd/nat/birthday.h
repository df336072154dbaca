/*
 * Hole punching across a symmetric NAT (the birthday method): the cone
 * side probes random ports of the symmetric side's address, which leaves a
 * mapping on its own NAT towards each; then the symmetric side opens many
 * sockets and probes the cone side from each, and one lands on a port its
 * NAT gives a socket that the cone side's NAT expects an answer from.
 *
 * The cone side goes first: a router with no firewall of its own answers
 * the symmetric side's unsolicited probes (ICMP port unreachable) and
 * keeps a conntrack entry for each, on exactly the ports the cone side
 * would later send to; its NAT would then give those packets another
 * source port (Linux's NAT port clash), and nothing could land. So the
 * symmetric side waits for the spray to be over (the time the configured
 * punch.probes take at punch.rate, and BIRTHDAY_SLACK_MS) before it opens
 * its sockets. Where the cone side's router drops unsolicited inbound,
 * either order works. Bounded and paced by the
 * configured budget (punch.sockets, punch.probes, punch.rate), and at most
 * BIRTHDAY_ATTEMPTS_PER_MINUTE attempts per peer: a peer whose address keeps
 * changing gets no more (a spray under way follows it to the new address).
 *
 * Timers: spray->tick, every BIRTHDAY_TICK_MS while guessed ports are left
 * to probe; spray->open_mappings, on the symmetric side when the cone
 * side's spray is over, then every BIRTHDAY_TICK_MS while sockets are left
 * to open; sockets->sweep, every BIRTHDAY_SWEEP_MS, closes sockets past
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
	BIRTHDAY_SLACK_MS = 500, /* the two sides start an attempt this close together */
	BIRTHDAY_SOCKETS_PER_TICK = 16,
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

/* Per peer: the cone side's probes to guessed ports, the symmetric side's
 * wait for them, and either side's attempts in the current minute. */
struct birthday_spray {
	struct peer *peer;
	struct timer tick;
	struct timer open_mappings;
	unsigned int left; /* probes still to send */
	unsigned int sockets_left; /* the symmetric side's, still to open */
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

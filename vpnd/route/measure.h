/*
 * Measuring direct paths: authenticated PROBEs with random nonces to the
 * peer's direct endpoint, answered by PONGs; each answer is an RTT sample,
 * each probe unanswered in time a loss (rtt.h). A path that carries traffic
 * is probed every MEASURE_BUSY_MS, so that a dead one is noticed within
 * about two intervals, and so is a new path until its first few answers;
 * others every MEASURE_IDLE_MS, which also holds their NAT mappings open.
 * Also tunctl ping: one probe over the chosen route.
 *
 * A path that carries more than MEASURE_LOAD_BYTES_PER_S of our traffic is
 * loaded, and stays so for MEASURE_LOAD_HOLD_MS after: its probes wait in
 * the queues that traffic builds, so it costs what the path itself does -
 * its windowed minimum RTT and its losses (rtt.h) - and a probe lost while
 * IP data kept arriving on it is no loss (the data proves the path alive;
 * the probe drowned in our own burst).
 *
 * Timer: measure->tick, the next probe of the direct path.
 */
#ifndef VPND_MEASURE_H
#define VPND_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdint.h>

#include "addr.h"
#include "io/loop.h"
#include "rtt.h"

struct peer;
struct origin;

enum {
	MEASURE_BUSY_MS = 150,
	MEASURE_IDLE_MS = 2000,
	MEASURE_FIRST_PROBES = 8,      /* a new path is probed at the busy pace at first */
	MEASURE_BUSY_WINDOW_MS = 5000, /* traffic this recent makes a path busy */
	MEASURE_LOSS_MIN_MS = 150,     /* a probe is lost after 2 srtt + 4 rttvar, */
	MEASURE_LOSS_MAX_MS = 1000,    /* within these bounds */
	/* Down this many probes in a row (15 s with traffic), the path is
	 * given up and punching starts over; until then, probes go on, and
	 * the first answer brings the path back. */
	MEASURE_GIVE_UP_LOSSES = 60,
	MEASURE_LOAD_BYTES_PER_S = 256 * 1024,
	MEASURE_LOAD_HOLD_MS = 10000,
};

enum { PROBE_SLOTS = 4 };

/* A probe of the direct path (or a tunctl ping) waiting for its pong. */
struct probe_slot {
	uint64_t nonce;
	uint64_t sent_us; /* 0: free */
};

/* The last tunctl ping: sent over the chosen route, answered or not. */
struct ping {
	struct probe_slot probe;
	bool answered;
	uint32_t rtt_us;
	bool direct;	      /* the pong came straight from the peer... */
	union endpoint from;  /* ...from here */
	struct in_addr relay; /* or through this relay */
};

struct measure {
	struct peer *peer;
	struct timer tick;
	struct rtt_estimate direct_rtt; /* what probes of the direct path measured */
	struct rtt_min_filter min_rtt;	/* and the lowest of them, lately */
	struct probe_slot probes[PROBE_SLOTS];
	uint64_t last_traffic_ms; /* an IP packet sent or received, or relayed */
	uint64_t load_second_ms;  /* the second the bytes below were counted in */
	uint64_t load_bytes;
	uint64_t loaded_until_ms;
	uint64_t data_heard_us;	 /* IP data last came straight from the peer */
	uint64_t losses_excused; /* probes lost while data kept arriving, loaded */
	struct ping ping;
};

int measure_peer_init(struct peer *peer);
void measure_peer_free(struct peer *peer);
/* Whether the peer's direct path is measured at all: where routes matter. */
bool measure_wanted(const struct peer *peer);
/* A direct path just opened: measure it from now on. */
void measure_start(struct peer *peer);
/* A direct path is up again, after the last was given up (re-punched, or
 * somewhere new): what the old one measured (its losses above all) says
 * nothing of it. */
void measure_forget_path(struct peer *peer);
/* The path carries bytes of traffic now: probe it at the busy pace. */
void measure_traffic(struct peer *peer, uint64_t now_ms, size_t bytes);
void measure_data_heard(struct peer *peer, uint64_t now_us);
bool measure_loaded(const struct measure *m, uint64_t now_ms);
/* What the direct path costs the selector: rtt_cost_us, or loaded, its
 * base cost; RTT_COST_INFINITE when down or unmeasured. */
uint32_t measure_cost_us(const struct peer *peer, uint64_t now_ms);
/* The measure timer fired: count late probes lost, send the next. */
void measure_tick(struct peer *peer, uint64_t now_us);
/* A PONG with this nonce: a probe of the direct path, or a ping, answered. */
void measure_answered(struct peer *peer, uint64_t nonce, const struct origin *from,
		      uint64_t now_us);
void measure_receive_pong(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);
/* tunctl ping: a probe over the chosen route; the answer lands in measure->ping. */
int measure_ping(struct peer *peer);

#endif

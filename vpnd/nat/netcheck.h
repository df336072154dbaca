/*
 * What the network does to this node: STUN Binding requests from the
 * node's own UDP socket to every rendezvous and configured STUN server,
 * compared. Also answers STUN requests when serving as rendezvous.
 *
 * Timers: finish, NETCHECK_TIMEOUT_MS after a run started: what came back
 * is kept and analysed; next_run, NETCHECK_INTERVAL_S after each run (and
 * NETCHECK_FIRST_RUN_MS after the interface came up): a new run.
 */
#ifndef VPND_NETCHECK_H
#define VPND_NETCHECK_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "io/loop.h"
#include "ratelimit.h"
#include "stun.h"

struct device;

enum {
	NETCHECK_MAX_PROBES = 8,
	NETCHECK_TIMEOUT_MS = 1000,
	NETCHECK_INTERVAL_S = 300,
	NETCHECK_FIRST_RUN_MS = 500,
};

struct netcheck_probe {
	union endpoint server;
	uint8_t txid[STUN_TXID_LEN];
	bool answered;
	union endpoint mapped;
	uint64_t rtt_ms;
	uint64_t sent_ms;
};

struct netcheck {
	struct device *dev;
	struct netcheck_probe probes[NETCHECK_MAX_PROBES];
	size_t count;
	struct timer finish; /* armed: a run is in progress */
	struct timer next_run;
	time_t finished; /* of the last complete run; 0: none yet */
	struct netcheck_probe last[NETCHECK_MAX_PROBES];
	size_t last_count;
	struct ratelimiter answers; /* serving: STUN answers per source */
};

int netcheck_device_init(struct device *dev);
void netcheck_device_free(struct device *dev);
void netcheck_start(struct device *dev);
/* The first run, soon after the interface came up. */
void netcheck_schedule_first(struct device *dev);
/* Handles a datagram if it is STUN (answering requests from fd when
 * serving); false when it is not STUN. */
bool netcheck_receive(struct device *dev, int fd, const uint8_t *buf, size_t len,
		      const union endpoint *src);
/* The IPv4 address STUN servers saw us at in the last run. */
bool netcheck_public_address(const struct device *dev, struct in_addr *address);
/* The last complete run, analysed, into a control reply. */
void netcheck_report(const struct device *dev, json_object *reply);

#endif

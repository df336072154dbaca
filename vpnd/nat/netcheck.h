/*
 * What the network does to this node: STUN Binding requests from the
 * node's own UDP socket to every rendezvous and configured STUN server,
 * compared. Also answers STUN requests when serving as rendezvous.
 */
#ifndef VPND_NETCHECK_H
#define VPND_NETCHECK_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "stun.h"

struct device;

enum { NETCHECK_MAX_PROBES = 8, NETCHECK_TIMEOUT_MS = 1000, NETCHECK_INTERVAL_S = 300 };

struct netcheck_probe {
	union endpoint server;
	uint8_t txid[STUN_TXID_LEN];
	bool answered;
	union endpoint mapped;
	uint64_t rtt_ms;
	uint64_t sent_ms;
};

struct netcheck {
	struct netcheck_probe probes[NETCHECK_MAX_PROBES];
	size_t count;
	uint64_t deadline_ms; /* of the run in progress; 0: none */
	uint64_t next_run_ms;
	time_t finished; /* of the last complete run; 0: none yet */
	struct netcheck_probe last[NETCHECK_MAX_PROBES];
	size_t last_count;
};

void netcheck_start(struct device *dev);
/* Handles a datagram if it is STUN (answering requests from fd when
 * serving); false when it is not STUN. */
bool netcheck_receive(struct device *dev, int fd, const uint8_t *buf, size_t len,
		      const union endpoint *src);
/* Finishes a run at its deadline and starts the periodic ones. */
void netcheck_tick(struct device *dev, uint64_t now_ms);
/* The last complete run, analysed, into a control reply. */
void netcheck_report(const struct device *dev, json_object *reply);

#endif

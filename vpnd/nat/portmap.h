/*
 * Port mapping: the gateway asked to forward a UDP port to ours (PCP, then
 * NAT-PMP, then UPnP IGD: nat/gateway.c), at start and whenever the
 * machine's network changes, renewed at half its lifetime, deleted on
 * exit. The external endpoint it gives becomes dev->mapped_candidate of
 * every network on the hub (they share the port: the first device owns
 * the mapping), the first candidate registered with rendezvous nodes: a
 * peer's probes to it pass our NAT, even a symmetric one.
 *
 * The protocols block (discovery, HTTP), so they run in a thread of their
 * own; it hands each result to the event loop through an eventfd, and
 * shares nothing else. Timer: fill, every PORTMAP_FILL_MS while the gateway
 * gave a port but not its address and no STUN answer has said it yet.
 */
#ifndef VPND_PORTMAP_H
#define VPND_PORTMAP_H

#include <json-c/json.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "config.h"
#include "io/loop.h"

struct device;

enum {
	PORTMAP_RETRY_S = 300,	 /* after an attempt no protocol answered */
	PORTMAP_MIN_RENEW_S = 1, /* however short a lifetime the gateway grants */
	PORTMAP_MAX_RENEW_S = 3600, /* however long (a permanent UPnP lease) */
	PORTMAP_STOP_WAIT_S = 5, /* for the thread to delete the mapping and end */
	PORTMAP_FILL_MS = 1000,
	PORTMAP_FILL_TRIES = 60,
	PORTMAP_WHY_LEN = 256,
};

/* What the last attempt got. */
struct portmap_status {
	bool attempted;
	bool mapped;
	enum portmap_protocol protocol;
	union endpoint external; /* as the gateway said; family 0 with a port: no address */
	struct in_addr gateway;
	uint32_t lifetime_s;
	uint64_t granted_ms; /* clock_ms() of the answer */
	unsigned int renewals;
	bool renewal_failed; /* kept while the grant lasts, renewed again soon */
	char why[PORTMAP_WHY_LEN]; /* each protocol's failure, when none answered */
};

struct portmap {
	struct device *dev;
	uint16_t port;
	uint8_t protocols[PORTMAP_PROTOCOLS];
	size_t protocol_count;

	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop, again;		/* under lock: the loop's requests */
	struct portmap_status shared;	/* under lock: the thread's news */
	int news_fd;			/* eventfd: news is waiting */
	struct watch news;

	struct portmap_status status; /* the loop's copy */
	struct timer fill;
	unsigned int fill_tries;
};

int portmap_device_init(struct device *dev);
/* Stops the thread, which deletes the mapping first (bounded). */
void portmap_device_free(struct device *dev);
/* The machine's network changed: ask again at once. */
void portmap_network_changed(struct device *dev);
/* For tunctl netcheck: {"portmap": {...}}. */
void portmap_report(const struct device *dev, json_object *reply);

#endif

/* Peers named by DNS name (see names.h). */
#include "members/names.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/probe.h"
#include "core/send.h"
#include "log.h"
#include "node_id.h"
#include "wire.h"

enum { FREE_WAIT_MS = 200 };

static void tick(struct timer *timer);

int names_peer_init(struct peer *peer)
{
	struct peer_name *name;

	if (!peer->config.endpoint_host[0])
		return 0;
	name = calloc(1, sizeof(*name));
	if (!name)
		return -ENOMEM;
	name->peer = peer;
	name->heard_ms = clock_ms();
	timer_init(&name->tick, &peer->dev->hub->loop, tick);
	timer_arm(&name->tick, clock_ms());
	peer->name = name;
	return 0;
}

/* A lookup still running when its peer goes is waited for briefly (glibc
 * writes into it when done), then left to glibc: the loop must not stall
 * on a slow DNS server. */
void names_peer_free(struct peer *peer)
{
	struct peer_name *name = peer->name;
	const struct gaicb *list[] = {name ? &name->request : NULL};

	if (!name)
		return;
	timer_cancel(&name->tick);
	if (name->running && gai_cancel(&name->request) == EAI_NOTCANCELED)
		gai_suspend(list, 1, &(struct timespec){.tv_nsec = FREE_WAIT_MS * 1000000L});
	if (name->running && gai_error(&name->request) == EAI_INPROGRESS) {
		log_warnx("peer %s: the lookup of %s outlived it", NODE_ID(peer->config.node_id),
			  name->host);
		peer->name = NULL; /* left to glibc rather than freed under it */
		return;
	}
	if (name->running && gai_error(&name->request) == 0)
		freeaddrinfo(name->request.ar_result);
	free(name);
	peer->name = NULL;
}

static void start_lookup(struct peer_name *name)
{
	const struct config_peer *config = &name->peer->config;
	struct gaicb *list[] = {&name->request};

	if (!config->endpoint_host[0]) /* a reload gave it an address instead */
		return;
	snprintf(name->host, sizeof(name->host), "%s", config->endpoint_host);
	snprintf(name->service, sizeof(name->service), "%u", config->endpoint_port);
	name->hints = (struct addrinfo){
	    .ai_family = name->peer->dev->hub->udp_family == AF_INET ? AF_INET : AF_UNSPEC,
	    .ai_socktype = SOCK_DGRAM,
	    .ai_flags = AI_NUMERICSERV,
	};
	name->request = (struct gaicb){
	    .ar_name = name->host, .ar_service = name->service, .ar_request = &name->hints};
	name->started_ms = clock_ms();
	name->running = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL) == 0;
	if (!name->running)
		log_warnx("peer %s: cannot start looking up %s",
			  NODE_ID(name->peer->config.node_id), name->host);
}

/* Notes what the peer sent since; a peer quiet for a while is probed, so
 * that one that is there answers. */
static void listen_to(struct peer_name *name, uint64_t now)
{
	struct peer *peer = name->peer;

	if (peer->stats.rx_packets != name->heard_packets) {
		name->heard_packets = peer->stats.rx_packets;
		name->heard_ms = now;
	} else if (peer->current.valid && peer->config.endpoint.sa.sa_family &&
		   now - name->heard_ms >= NAMES_RETRY_S * 1000ULL) {
		probe_send_untimed(peer, -1, &peer->config.endpoint);
	}
}

static bool silent(const struct peer_name *name, uint64_t now)
{
	return !name->peer->current.valid || now - name->heard_ms >= NAMES_SILENCE_S * 1000ULL;
}

static bool lookup_due(const struct peer_name *name, uint64_t now)
{
	if (!name->started_ms)
		return true;
	if (name->answered_ms && now - name->answered_ms >= NAMES_REFRESH_S * 1000ULL)
		return true;
	return (!name->answered_ms || silent(name, now)) &&
	       now - name->started_ms >= NAMES_RETRY_S * 1000ULL;
}

/* The first address a peer may be at (DNS is not authenticated: nothing
 * on loopback, multicast or the overlay), in where; false if none. */
static bool usable_answer(const struct peer_name *name, union endpoint *where)
{
	const struct device *dev = name->peer->dev;

	for (const struct addrinfo *a = name->request.ar_result; a; a = a->ai_next) {
		if (a->ai_addrlen > sizeof(*where))
			continue;
		memset(where, 0, sizeof(*where));
		memcpy(where, a->ai_addr, a->ai_addrlen);
		if (candidate_usable(where, &dev->cfg.network.subnet))
			return true;
	}
	return false;
}

static void take_answer(struct peer_name *name, int status)
{
	struct peer *peer = name->peer;
	union endpoint where;
	char text[ENDPOINT_STRLEN];
	bool usable = !status && usable_answer(name, &where);

	if (!status)
		freeaddrinfo(name->request.ar_result);
	/* The configuration may have changed while the lookup ran. */
	if (strcmp(name->host, peer->config.endpoint_host) != 0)
		return;
	if (!usable) {
		log_warnx("peer %s: cannot resolve %s: %s", NODE_ID(peer->config.node_id),
			  name->host, status ? gai_strerror(status) : "no usable address");
		return;
	}
	name->answered_ms = clock_ms();
	if (endpoint_equal(&where, &peer->config.endpoint))
		return;
	endpoint_format(&where, text, sizeof(text));
	log_info("peer %s: %s is at %s", NODE_ID(peer->config.node_id), name->host, text);
	path_set_configured_endpoint(peer, &where);
	/* Silent where it was: the name is the better guess. (A peer heard
	 * from keeps the endpoint its packets come from.) */
	if (silent(name, name->answered_ms))
		path_set_endpoint(peer, &where);
	send_handshake_initiation(peer, false);
}

static void tick(struct timer *timer)
{
	struct peer_name *name = container_of(timer, struct peer_name, tick);
	uint64_t now = clock_ms();

	if (name->running) {
		int status = gai_error(&name->request);

		if (status != EAI_INPROGRESS) {
			name->running = false;
			take_answer(name, status);
		}
	} else {
		listen_to(name, now);
		if (lookup_due(name, now))
			start_lookup(name);
	}
	timer_arm(timer, now + (name->running ? NAMES_POLL_MS : NAMES_RETRY_S * 1000ULL));
}

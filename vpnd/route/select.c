/* The path selector (see select.h). */
#include "route/select.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "log.h"
#include "node_id.h"
#include "route/links.h"
#include "route/measure.h"
#include "route/pmtu.h"
#include "route/verify.h"

static bool in_graph(const struct peer *peer)
{
	return !peer->config.wireguard && peer->config.node_id.s_addr;
}

static void build_graph(struct device *dev, uint64_t now_ms)
{
	struct route_graph *g = &dev->selector->graph;
	struct in_addr self = dev->cfg.cert.node_id;

	route_graph_init(g, self);
	dev->selector->relays_known = 0;
	for (size_t i = 0; i < dev->peer_count; i++) {
		bool relay = peer_can_relay(dev->peers[i]);

		if (!in_graph(dev->peers[i]))
			continue;
		route_graph_node(g, dev->peers[i]->config.node_id, relay);
		dev->selector->relays_known += relay;
	}
	for (size_t i = 0; i < dev->peer_count; i++) {
		const struct peer *peer = dev->peers[i];
		const struct link_advert *advert;

		if (!in_graph(peer))
			continue;
		if (path_has_direct(peer))
			route_graph_link(g, self, peer->config.node_id,
					 measure_cost_us(peer, now_ms));
		if (!peer_can_relay(peer) || !(advert = links_of(peer, now_ms)))
			continue;
		for (size_t l = 0; l < advert->count; l++)
			route_graph_link(g, peer->config.node_id, advert->links[l].node,
					 advert->links[l].cost_us);
	}
}

static struct route best_route(const struct route_graph *g, const struct peer *peer)
{
	struct in_addr any = {0}, dst = peer->config.node_id;
	struct route direct = {0}, relayed;

	direct.cost_us = route_cost(g, &direct, dst);
	switch (peer->choice->pin.kind) {
	case PIN_DIRECT:
		return direct;
	case PIN_RELAY:
		return route_relayed(g, dst, any);
	case PIN_VIA:
		return route_relayed(g, dst, peer->choice->pin.via);
	case PIN_AUTO:
		break;
	}
	relayed = route_relayed(g, dst, any);
	return relayed.cost_us < direct.cost_us ? relayed : direct;
}

void select_format_route(const struct route *route, char *buf, size_t len)
{
	size_t used;

	if (!route->hop_count) {
		snprintf(buf, len, "direct");
		return;
	}
	used = (size_t)snprintf(buf, len, "via");
	for (size_t i = 0; i < route->hop_count && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : " ",
					 NODE_ID(route->hops[i]));
}

static void set_reason(struct route_choice *choice, const char *why)
{
	snprintf(choice->reason, sizeof(choice->reason), "%s", why);
}

static void log_choice(const struct peer *peer, const struct route *route, const char *why)
{
	char text[64];

	select_format_route(route, text, sizeof(text));
	if (route->cost_us == RTT_COST_INFINITE)
		log_info("peer %s: route %s (unusable): %s", NODE_ID(peer->config.node_id), text,
			 why);
	else
		log_info("peer %s: route %s (%.1f ms): %s", NODE_ID(peer->config.node_id), text,
			 route->cost_us / 1000.0, why);
}

static void adopt(struct peer *peer, const struct route *route, const struct route *fallback,
		  const char *why)
{
	struct route_choice *choice = peer->choice;
	bool change = peer->path.routed && !route_equal(&peer->path.route, route);

	if (change || !peer->path.routed)
		log_choice(peer, route, why);
	if (change) {
		choice->switches++;
		choice->last_switch_ms = clock_ms();
	}
	path_set_route(peer, route, fallback);
	set_reason(choice, why);
}

static const char *why_switch(const struct route *current, const struct route *best)
{
	if (current->cost_us == RTT_COST_INFINITE)
		return "the route in use stopped answering";
	return best->hop_count == 0 ? "a direct path is no worse" : "clearly and steadily cheaper";
}

/* The smallest MTU the relays advertise for the links of a relayed route
 * past its first hop (that one is our own direct path). */
static size_t hops_mtu(const struct peer *peer, const struct route *route, uint64_t now_ms)
{
	size_t smallest = 0;

	for (size_t i = 0; i < route->hop_count; i++) {
		const struct peer *hop = peer_lookup_by_node_id(peer->dev, route->hops[i]);
		struct in_addr next =
		    i + 1 < route->hop_count ? route->hops[i + 1] : peer->config.node_id;
		const struct link_advert *advert = hop ? links_of(hop, now_ms) : NULL;
		size_t mtu = advert ? links_datagram_max(advert, next) : 0;

		/* Below what any IPv6 path carries: not believed, not known. */
		if (mtu >= PMTU_FLOOR && (!smallest || mtu < smallest))
			smallest = mtu;
	}
	return smallest;
}

/* The graph the peer's route is chosen on: without the relay the route
 * check found swallowing its traffic, if any. */
static const struct route_graph *graph_for(const struct route_graph *g, const struct peer *peer,
					   uint64_t now_ms)
{
	static struct route_graph without;
	struct in_addr avoid = verify_avoided(peer, now_ms);

	if (!avoid.s_addr)
		return g;
	without = *g;
	route_graph_cut(&without, avoid);
	return &without;
}

static void select_peer(const struct route_graph *g, struct peer *peer)
{
	struct route_choice *choice = peer->choice;
	struct route best = best_route(g, peer), current = peer->path.route;
	struct in_addr any = {0};
	struct route fallback = route_relayed(g, peer->config.node_id, any);
	bool routed = peer->path.routed;

	current.cost_us = route_cost(g, &current, peer->config.node_id);
	if (choice->pin.kind != PIN_AUTO) {
		adopt(peer, &best, &fallback, "pinned");
	} else if (best.cost_us == RTT_COST_INFINITE &&
		   (!routed || current.cost_us == RTT_COST_INFINITE)) {
		path_clear_route(peer); /* nothing measured works: the fallback */
		set_reason(choice, "no route measured yet");
	} else if (!routed && path_has_direct(peer) && !peer->measure->direct_rtt.outcomes) {
		/* A direct path not probed yet: wait for it before judging. */
		set_reason(choice, "the direct path is not measured yet");
	} else if (!routed) {
		adopt(peer, &best, &fallback, "the cheapest route measured");
	} else if (route_should_switch(&choice->hysteresis, &current, &best)) {
		adopt(peer, &best, &fallback, why_switch(&current, &best));
	} else {
		path_set_route(peer, &current, &fallback);
	}
}

void select_routes(struct device *dev)
{
	uint64_t now = clock_ms();

	build_graph(dev, now);
	for (size_t i = 0; i < dev->peer_count; i++) {
		struct peer *peer = dev->peers[i];

		if (!in_graph(peer) || !peer->current.valid)
			continue;
		select_peer(graph_for(&dev->selector->graph, peer, now), peer);
		path_set_route_hops_mtu(peer, hops_mtu(peer, &peer->path.route, now));
	}
}

size_t select_relays_known(const struct device *dev)
{
	return dev->selector ? dev->selector->relays_known : 0;
}

int select_pin(struct peer *peer, enum route_pin_kind kind, struct in_addr via)
{
	struct peer *relay = kind == PIN_VIA ? peer_lookup_by_node_id(peer->dev, via) : NULL;

	if (kind == PIN_VIA && (!relay || !peer_can_relay(relay)))
		return -ENOENT;
	peer->choice->pin.kind = kind;
	peer->choice->pin.via = via;
	peer->choice->hysteresis.steady = 0;
	select_routes(peer->dev);
	return 0;
}

static int by_cost(const void *a, const void *b)
{
	uint32_t x = ((const struct route *)a)->cost_us, y = ((const struct route *)b)->cost_us;

	return (x > y) - (x < y);
}

size_t select_candidates(const struct peer *peer, struct route *out, size_t max)
{
	const struct route_graph *g = &peer->dev->selector->graph;
	struct in_addr dst = peer->config.node_id;
	size_t count = 0;

	if (max == 0)
		return 0;
	memset(&out[0], 0, sizeof(out[0]));
	out[count].cost_us = route_cost(g, &out[0], dst);
	count++;
	for (size_t i = 1; i < g->count && count < max; i++) {
		if (!g->relay[i] || g->nodes[i].s_addr == dst.s_addr ||
		    g->cost[0][i] == RTT_COST_INFINITE)
			continue;
		out[count] = route_relayed(g, dst, g->nodes[i]);
		if (out[count].cost_us != RTT_COST_INFINITE)
			count++;
	}
	qsort(out + 1, count - 1, sizeof(*out), by_cost);
	return count;
}

static void tick(struct timer *timer)
{
	struct selector *selector = container_of(timer, struct selector, tick);

	select_routes(selector->dev);
	timer_arm(timer, clock_ms() + SELECT_INTERVAL_MS);
}

int select_device_init(struct device *dev)
{
	dev->selector = calloc(1, sizeof(*dev->selector));
	if (!dev->selector)
		return -ENOMEM;
	dev->selector->dev = dev;
	route_graph_init(&dev->selector->graph, dev->cfg.cert.node_id);
	timer_init(&dev->selector->tick, &dev->hub->loop, tick);
	timer_arm(&dev->selector->tick, clock_ms());
	return 0;
}

void select_device_free(struct device *dev)
{
	if (!dev->selector)
		return;
	timer_cancel(&dev->selector->tick);
	free(dev->selector);
	dev->selector = NULL;
}

int select_peer_init(struct peer *peer)
{
	peer->choice = calloc(1, sizeof(*peer->choice));
	return peer->choice ? 0 : -ENOMEM;
}

void select_peer_free(struct peer *peer)
{
	free(peer->choice);
	peer->choice = NULL;
}

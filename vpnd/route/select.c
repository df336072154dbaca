/* The path selector (see select.h). */
#include "route/select.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/device.h"
#include "route/links.h"
#include "log.h"
#include "core/path.h"

static bool in_graph(const struct peer *peer)
{
	return !peer->config.wireguard && peer->config.node_id.s_addr;
}

static void build_graph(struct device *dev, uint64_t now_ms)
{
	struct route_graph *g = &dev->graph;
	struct in_addr self = dev->cfg.cert.node_id;

	route_graph_init(g, self);
	dev->relays_known = 0;
	for (size_t i = 0; i < dev->peer_count; i++) {
		bool relay = peer_can_relay(dev->peers[i]);

		if (!in_graph(dev->peers[i]))
			continue;
		route_graph_node(g, dev->peers[i]->config.node_id, relay);
		dev->relays_known += relay;
	}
	for (size_t i = 0; i < dev->peer_count; i++) {
		const struct peer *peer = dev->peers[i];
		const struct link_advert *advert;

		if (!in_graph(peer))
			continue;
		if (path_has_direct(peer))
			route_graph_link(g, self, peer->config.node_id,
					 rtt_cost_us(&peer->path.direct_rtt));
		if (!peer_can_relay(peer) || !(advert = links_of(peer, now_ms)))
			continue;
		for (size_t l = 0; l < advert->count; l++)
			route_graph_link(g, peer->config.node_id, advert->links[l].node,
					 advert->links[l].cost_us);
	}
}

static struct route best_route(const struct device *dev, const struct peer *peer)
{
	struct in_addr any = {0}, dst = peer->config.node_id;
	struct route direct = {0}, relayed;

	direct.cost_us = route_cost(&dev->graph, &direct, dst);
	switch (peer->path.pin.kind) {
	case PIN_DIRECT:
		return direct;
	case PIN_RELAY:
		return route_relayed(&dev->graph, dst, any);
	case PIN_VIA:
		return route_relayed(&dev->graph, dst, peer->path.pin.via);
	case PIN_AUTO:
		break;
	}
	relayed = route_relayed(&dev->graph, dst, any);
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
					 inet_ntoa(route->hops[i]));
}

static void adopt(struct peer *peer, const struct route *route, const char *why)
{
	bool change = peer->path.routed && !route_equal(&peer->path.route, route);
	char text[64];

	select_format_route(route, text, sizeof(text));
	if ((change || !peer->path.routed) && route->cost_us == RTT_COST_INFINITE)
		log_info("peer %s: route %s (unusable): %s", inet_ntoa(peer->config.node_id), text,
			 why);
	else if (change || !peer->path.routed)
		log_info("peer %s: route %s (%.1f ms): %s", inet_ntoa(peer->config.node_id), text,
			 route->cost_us / 1000.0, why);
	if (change) {
		peer->path.switches++;
		peer->path.last_switch_ms = clock_ms();
	}
	peer->path.route = *route;
	peer->path.routed = true;
	snprintf(peer->path.reason, sizeof(peer->path.reason), "%s", why);
}

static void select_peer(struct device *dev, struct peer *peer)
{
	struct route best = best_route(dev, peer), current = peer->path.route;
	struct in_addr any = {0};

	peer->path.fallback = route_relayed(&dev->graph, peer->config.node_id, any);

	current.cost_us = route_cost(&dev->graph, &current, peer->config.node_id);
	if (peer->path.pin.kind != PIN_AUTO) {
		adopt(peer, &best, "pinned");
	} else if (best.cost_us == RTT_COST_INFINITE &&
		   (!peer->path.routed || current.cost_us == RTT_COST_INFINITE)) {
		peer->path.routed = false; /* nothing measured works: the fallback */
		snprintf(peer->path.reason, sizeof(peer->path.reason), "no route measured yet");
	} else if (!peer->path.routed && path_has_direct(peer) && !peer->path.direct_rtt.outcomes) {
		/* A direct path not probed yet: wait for it before judging. */
		snprintf(peer->path.reason, sizeof(peer->path.reason),
			 "the direct path is not measured yet");
	} else if (!peer->path.routed) {
		adopt(peer, &best, "the cheapest route measured");
	} else if (route_should_switch(&peer->path.hysteresis, &current, &best)) {
		adopt(peer, &best,
		      current.cost_us == RTT_COST_INFINITE ? "the route in use stopped answering"
		      : best.hop_count == 0		   ? "a direct path is no worse"
							   : "clearly and steadily cheaper");
	} else {
		peer->path.route.cost_us = current.cost_us;
	}
}

void select_routes(struct device *dev)
{
	build_graph(dev, clock_ms());
	for (size_t i = 0; i < dev->peer_count; i++)
		if (in_graph(dev->peers[i]) && dev->peers[i]->current.valid)
			select_peer(dev, dev->peers[i]);
}

int select_pin(struct peer *peer, enum route_pin_kind kind, struct in_addr via)
{
	struct peer *relay = kind == PIN_VIA ? peer_lookup_by_node_id(peer->dev, via) : NULL;

	if (kind == PIN_VIA && (!relay || !peer_can_relay(relay)))
		return -ENOENT;
	peer->path.pin.kind = kind;
	peer->path.pin.via = via;
	peer->path.hysteresis.steady = 0;
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
	const struct route_graph *g = &peer->dev->graph;
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

void select_why_not_direct(const struct peer *peer, char *buf, size_t len)
{
	const struct rtt_estimate *e = &peer->path.direct_rtt;
	uint32_t direct = rtt_cost_us(e);

	if (peer->path.routed && peer->path.route.hop_count == 0)
		snprintf(buf, len, "%s", "");
	else if (!path_has_direct(peer) && peer->path.nat == NAT_SYMMETRIC &&
		 peer->dev->nat_type == NAT_SYMMETRIC)
		snprintf(buf, len, "both sides are behind symmetric NATs");
	else if (!path_has_direct(peer))
		snprintf(buf, len,
			 "no direct path: probes to its candidates unanswered "
			 "(%u guessed ports tried)",
			 peer->path.spray_sent);
	else if (rtt_down(e))
		snprintf(buf, len, "the direct path is down: %u probes in a row unanswered",
			 e->consecutive_losses);
	else if (direct == RTT_COST_INFINITE)
		snprintf(buf, len, "the direct path is not measured yet");
	else
		snprintf(buf, len, "the direct path costs %.1f ms, the route in use %.1f ms",
			 direct / 1000.0, peer->path.route.cost_us / 1000.0);
}

/* Dijkstra over the link graph, and the hysteresis rule (see route.h). */
#include "route.h"

#include <string.h>

#include "rtt.h"

void route_graph_init(struct route_graph *g, struct in_addr self)
{
	g->count = 0;
	route_graph_node(g, self, false);
}

int route_graph_node(struct route_graph *g, struct in_addr id, bool relay)
{
	for (size_t i = 0; i < g->count; i++) {
		if (g->nodes[i].s_addr == id.s_addr) {
			g->relay[i] = g->relay[i] || relay;
			return (int)i;
		}
	}
	if (g->count == ROUTE_MAX_NODES)
		return -1;
	g->nodes[g->count] = id;
	g->relay[g->count] = relay;
	for (size_t i = 0; i <= g->count; i++)
		g->cost[g->count][i] = g->cost[i][g->count] = RTT_COST_INFINITE;
	return (int)g->count++;
}

static int index_of(const struct route_graph *g, struct in_addr id)
{
	for (size_t i = 0; i < g->count; i++)
		if (g->nodes[i].s_addr == id.s_addr)
			return (int)i;
	return -1;
}

void route_graph_link(struct route_graph *g, struct in_addr from, struct in_addr to,
		      uint32_t cost_us)
{
	int a = index_of(g, from), b = index_of(g, to);

	if (a >= 0 && b >= 0 && a != b)
		g->cost[a][b] = cost_us;
}

void route_graph_cut(struct route_graph *g, struct in_addr node)
{
	int n = index_of(g, node);

	if (n < 0)
		return;
	for (size_t i = 0; i < g->count; i++)
		g->cost[n][i] = g->cost[i][n] = RTT_COST_INFINITE;
}

struct search {
	uint32_t dist[ROUTE_MAX_NODES];
	int prev[ROUTE_MAX_NODES]; /* -1: reached from this node */
	size_t hops[ROUTE_MAX_NODES];
	bool done[ROUTE_MAX_NODES];
};

static int closest_open(const struct route_graph *g, const struct search *s)
{
	int best = -1;

	for (size_t i = 1; i < g->count; i++)
		if (!s->done[i] && s->dist[i] != RTT_COST_INFINITE &&
		    (best < 0 || s->dist[i] < s->dist[best]))
			best = (int)i;
	return best;
}

/* The first relays: every relay we have a link to, or only first. */
static void start(const struct route_graph *g, struct search *s, int dst, int first)
{
	for (size_t i = 0; i < g->count; i++) {
		s->dist[i] = RTT_COST_INFINITE;
		s->done[i] = false;
		s->prev[i] = -1;
		s->hops[i] = 0;
	}
	for (size_t r = 1; r < g->count; r++) {
		if (!g->relay[r] || (int)r == dst || (first >= 0 && (int)r != first) ||
		    g->cost[0][r] == RTT_COST_INFINITE)
			continue;
		s->dist[r] = rtt_cost_add(g->cost[0][r], ROUTE_HOP_PENALTY_US);
		s->hops[r] = 1;
	}
}

static void relax(const struct route_graph *g, struct search *s, int u, int dst)
{
	for (size_t v = 1; v < g->count; v++) {
		bool to_dst = (int)v == dst;
		uint32_t through;

		if (s->done[v] || g->cost[u][v] == RTT_COST_INFINITE ||
		    (!to_dst && (!g->relay[v] || s->hops[u] == ROUTE_MAX_HOPS)))
			continue;
		through = rtt_cost_add(s->dist[u], g->cost[u][v]);
		if (!to_dst)
			through = rtt_cost_add(through, ROUTE_HOP_PENALTY_US);
		if (through < s->dist[v]) {
			s->dist[v] = through;
			s->prev[v] = u;
			s->hops[v] = s->hops[u] + !to_dst;
		}
	}
}

static struct route path_to(const struct route_graph *g, const struct search *s, int dst)
{
	struct route route = {.cost_us = s->dist[dst]};
	int chain[ROUTE_MAX_HOPS];
	size_t n = 0;

	for (int at = s->prev[dst]; at > 0 && n < ROUTE_MAX_HOPS; at = s->prev[at])
		chain[n++] = at;
	route.hop_count = n;
	for (size_t i = 0; i < n; i++)
		route.hops[i] = g->nodes[chain[n - 1 - i]];
	return route;
}

struct route route_relayed(const struct route_graph *g, struct in_addr dst, struct in_addr first)
{
	struct route none = {.cost_us = RTT_COST_INFINITE};
	int target = index_of(g, dst), via = first.s_addr ? index_of(g, first) : -1;
	struct search s;
	int u;

	if (target <= 0 || (first.s_addr && via <= 0))
		return none;
	start(g, &s, target, via);
	while ((u = closest_open(g, &s)) >= 0 && u != target) {
		s.done[u] = true;
		relax(g, &s, u, target);
	}
	if (u != target)
		return none;
	return path_to(g, &s, target);
}

uint32_t route_cost(const struct route_graph *g, const struct route *r, struct in_addr dst)
{
	uint32_t cost = 0;
	int at = 0;

	for (size_t i = 0; i <= r->hop_count; i++) {
		bool relay_hop = i < r->hop_count;
		int next = index_of(g, relay_hop ? r->hops[i] : dst);

		if (next <= 0 || (relay_hop && !g->relay[next]))
			return RTT_COST_INFINITE;
		cost = rtt_cost_add(cost, g->cost[at][next]);
		if (relay_hop)
			cost = rtt_cost_add(cost, ROUTE_HOP_PENALTY_US);
		at = next;
	}
	return cost;
}

bool route_equal(const struct route *a, const struct route *b)
{
	if (a->hop_count != b->hop_count)
		return false;
	for (size_t i = 0; i < a->hop_count; i++)
		if (a->hops[i].s_addr != b->hops[i].s_addr)
			return false;
	return true;
}

static uint32_t margin_of(uint32_t cost_us, uint32_t percent, uint32_t min_us)
{
	uint32_t margin = cost_us / 100 * percent;

	return margin < min_us ? min_us : margin;
}

/* How much cheaper the candidate must be to take the current route's traffic. */
static uint32_t switch_margin(const struct route *current, const struct route *candidate)
{
	if (candidate->hop_count == 0)
		return 0;
	if (current->hop_count == 0)
		return margin_of(current->cost_us, ROUTE_LEAVE_DIRECT_MARGIN_PERCENT,
				 ROUTE_LEAVE_DIRECT_MARGIN_MIN_US);
	return margin_of(current->cost_us, ROUTE_SWITCH_MARGIN_PERCENT, ROUTE_SWITCH_MARGIN_MIN_US);
}

bool route_should_switch(struct route_hysteresis *h, const struct route *current,
			 const struct route *candidate)
{
	bool direct = candidate->hop_count == 0, clearly_better;
	uint32_t margin = switch_margin(current, candidate);

	if (route_equal(current, candidate) || candidate->cost_us == RTT_COST_INFINITE) {
		h->steady = 0;
		return false;
	}
	if (current->cost_us == RTT_COST_INFINITE) {
		h->steady = 0;
		return true;
	}
	clearly_better = rtt_cost_add(candidate->cost_us, margin) <= current->cost_us;
	if (!clearly_better) {
		h->steady = 0;
		return false;
	}
	if (!route_equal(&h->candidate, candidate))
		h->steady = 0;
	h->candidate = *candidate;
	if (++h->steady < (direct ? ROUTE_SWITCH_STEADY_DIRECT : ROUTE_SWITCH_STEADY))
		return false;
	h->steady = 0;
	return true;
}

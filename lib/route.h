/*
 * Routes over the network's link graph, and the hysteresis rule for moving
 * from one route to another.
 *
 * The graph holds this node (index 0), its peers and the relays, and the
 * cost of each link as measured by the node at its start (rtt.h): ours
 * from our probes, the others' from their link adverts. A relayed route
 * passes only through relay-capable nodes, at most ROUTE_MAX_HOPS of them,
 * and each relay adds ROUTE_HOP_PENALTY_US, so a direct path wins a tie.
 */
#ifndef VPND_ROUTE_H
#define VPND_ROUTE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	ROUTE_MAX_NODES = 64,
	ROUTE_MAX_HOPS = 4,
	ROUTE_HOP_PENALTY_US = 1000,
	/* Clearly better: by 10% of the current cost, and at least 2 ms... */
	ROUTE_SWITCH_MARGIN_PERCENT = 10,
	ROUTE_SWITCH_MARGIN_MIN_US = 2000,
	/* ...and steadily: in this many evaluations in a row. */
	ROUTE_SWITCH_STEADY = 8,
	/* A direct path needs only to be no worse, this many times: it spares
	 * the relays, and wins ties. */
	ROUTE_SWITCH_STEADY_DIRECT = 4,
	/* A relay is shared: to take the traffic of a direct path that works,
	 * a relayed route must be cheaper by 30% of its cost, and 5 ms. */
	ROUTE_LEAVE_DIRECT_MARGIN_PERCENT = 30,
	ROUTE_LEAVE_DIRECT_MARGIN_MIN_US = 5000,
};

struct route_graph {
	size_t count;
	struct in_addr nodes[ROUTE_MAX_NODES];
	bool relay[ROUTE_MAX_NODES];
	uint32_t cost[ROUTE_MAX_NODES][ROUTE_MAX_NODES]; /* RTT_COST_INFINITE: no link */
};

/* No relays (hop_count 0) is the direct path. */
struct route {
	uint32_t cost_us; /* RTT_COST_INFINITE: no such route */
	size_t hop_count;
	struct in_addr hops[ROUTE_MAX_HOPS];
};

void route_graph_init(struct route_graph *g, struct in_addr self);
/* The node's index, adding it if new; -1 when the graph is full. A node
 * added as a relay stays one. */
int route_graph_node(struct route_graph *g, struct in_addr id, bool relay);
void route_graph_link(struct route_graph *g, struct in_addr from, struct in_addr to,
		      uint32_t cost_us);
/* The cheapest route to dst through at least one relay; with first set
 * (not 0.0.0.0), only routes whose first relay is first. */
struct route route_relayed(const struct route_graph *g, struct in_addr dst, struct in_addr first);
/* Takes a node's links out of the graph: no route passes it. */
void route_graph_cut(struct route_graph *g, struct in_addr node);
/* What the route costs in the graph now (RTT_COST_INFINITE when a link of it
 * is gone); a route without hops is the direct path. */
uint32_t route_cost(const struct route_graph *g, const struct route *r, struct in_addr dst);
bool route_equal(const struct route *a, const struct route *b);

struct route_hysteresis {
	struct route candidate;
	unsigned int steady;
};

/* Called once per evaluation with the best candidate: whether to leave
 * the current route for it. A route that is down is left at once. */
bool route_should_switch(struct route_hysteresis *h, const struct route *current,
			 const struct route *candidate);

#endif

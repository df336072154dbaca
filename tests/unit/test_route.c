/* Route computation on hand-made graphs, and the hysteresis rule. */
#include "vectors.h"

#include <arpa/inet.h>

#include "route.h"
#include "rtt.h"

static struct in_addr id(const char *text)
{
	struct in_addr addr;

	inet_pton(AF_INET, text, &addr);
	return addr;
}

/* "A>B:5" is a link from A to B costing 5 ms; every link is given both
 * ways. Nodes named R* are relays; S is this node. */
struct graph_case {
	const char *name;
	const char *links[16];
	const char *dst;
	const char *first;	 /* NULL: any */
	const char *expect_hops; /* "R1 R2", or "" for none; NULL: no route */
	uint32_t expect_cost_ms_x1000;
};

static const char *node_addr(const char *name)
{
	static const char *names[] = {"S", "B", "R1", "R2", "R3", "C"};
	static const char *addrs[] = {"10.0.0.1",  "10.0.0.2",	"10.0.0.11",
				      "10.0.0.12", "10.0.0.13", "10.0.0.3"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return addrs[i];
	fail_msg("unknown node %s", name);
	return NULL;
}

static void build(struct route_graph *g, const char *const *links)
{
	route_graph_init(g, id(node_addr("S")));
	for (size_t i = 0; links[i]; i++) {
		char a[8], b[8];
		unsigned int ms;

		assert_int_equal(sscanf(links[i], "%7[^>]>%7[^:]:%u", a, b, &ms), 3);
		route_graph_node(g, id(node_addr(a)), a[0] == 'R');
		route_graph_node(g, id(node_addr(b)), b[0] == 'R');
		route_graph_link(g, id(node_addr(a)), id(node_addr(b)), ms * 1000);
		route_graph_link(g, id(node_addr(b)), id(node_addr(a)), ms * 1000);
	}
}

static void format_hops(char *buf, size_t len, const struct route *r)
{
	static const char *names[] = {"S", "B", "R1", "R2", "R3", "C"};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->hop_count; i++)
		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
			if (r->hops[i].s_addr == id(node_addr(names[n])).s_addr)
				used += (size_t)snprintf(buf + used, len - used, "%s%s",
							 used ? " " : "", names[n]);
}

static const struct graph_case graph_cases[] = {
    {"cheapest of three relays",
     {"S>R1:5", "R1>B:5", "S>R2:20", "R2>B:20", "S>R3:60", "R3>B:60"},
     "B",
     NULL,
     "R1",
     11000},
    {"the direct link is never a relayed route",
     {"S>B:1", "S>R1:5", "R1>B:5"},
     "B",
     NULL,
     "R1",
     11000},
    {"two hops beat one",
     {"S>R1:5", "R1>R2:5", "R2>B:5", "S>R2:60", "R1>B:60", "S>R3:30", "R3>B:30"},
     "B",
     NULL,
     "R1 R2",
     17000},
    {"a non-relay forwards nothing",
     {"S>C:1", "C>B:1", "S>R1:50", "R1>B:50"},
     "B",
     NULL,
     "R1",
     101000},
    {"no relay: no route", {"S>C:1", "C>B:1"}, "B", NULL, NULL, 0},
    {"first hop pinned", {"S>R1:5", "R1>B:5", "S>R2:20", "R2>B:20"}, "B", "R2", "R2", 41000},
    {"pinned first hop, then the best onwards",
     {"S>R2:20", "R2>R1:1", "R1>B:1", "R2>B:40"},
     "B",
     "R2",
     "R2 R1",
     24000},
};

static void test_graphs(void **state)
{
	for (size_t i = 0; i < sizeof(graph_cases) / sizeof(graph_cases[0]); i++) {
		const struct graph_case *c = &graph_cases[i];
		static struct route_graph g;
		struct in_addr first = {0};
		struct route r;
		char hops[64];

		build(&g, c->links);
		if (c->first)
			first = id(node_addr(c->first));
		r = route_relayed(&g, id(node_addr(c->dst)), first);
		format_hops(hops, sizeof(hops), &r);
		if (!c->expect_hops) {
			if (r.cost_us != RTT_COST_INFINITE)
				fail_msg("%s: expected no route, got \"%s\"", c->name, hops);
			continue;
		}
		if (strcmp(hops, c->expect_hops) || r.cost_us != c->expect_cost_ms_x1000)
			fail_msg("%s: got \"%s\" at %u us, expected \"%s\" at %u us", c->name, hops,
				 r.cost_us, c->expect_hops, c->expect_cost_ms_x1000);
	}
}

/* The hysteresis rule, one evaluation per row. */
struct step {
	uint32_t current_ms, candidate_ms; /* 0: infinite */
	bool same_candidate;		   /* false: a different route than the row before */
	bool expect_switch;
};

static struct route route_of(uint32_t ms, int which)
{
	struct route r = {.cost_us = ms ? ms * 1000 : RTT_COST_INFINITE, .hop_count = 1};

	r.hops[0].s_addr = htonl(0x0a00000b + (uint32_t)which);
	return r;
}

static void run_steps(const char *name, const struct step *steps, size_t count)
{
	struct route_hysteresis h = {0};
	int which = 1;

	for (size_t i = 0; i < count; i++) {
		struct route current = route_of(steps[i].current_ms, 0);
		struct route candidate;

		if (!steps[i].same_candidate)
			which++;
		candidate = route_of(steps[i].candidate_ms, which);
		if (route_should_switch(&h, &current, &candidate) != steps[i].expect_switch)
			fail_msg("%s, step %zu: expected %s", name, i,
				 steps[i].expect_switch ? "a switch" : "no switch");
	}
}

#define STEPS(name, ...)                                                                           \
	do {                                                                                       \
		static const struct step s[] = {__VA_ARGS__};                                      \
		run_steps(name, s, sizeof(s) / sizeof(s[0]));                                      \
	} while (0)

static void test_hysteresis(void **state)
{
	/* 20 ms vs 21 ms: never clearly better. */
	STEPS("close", {20, 19, true, false}, {20, 19, true, false}, {20, 19, true, false},
	      {20, 19, true, false}, {20, 19, true, false}, {20, 19, true, false},
	      {20, 19, true, false}, {20, 19, true, false}, {20, 19, true, false});
	/* 80 ms vs 20 ms: switch on the 8th evaluation in a row. */
	STEPS("clearly better, steadily", {80, 20, true, false}, {80, 20, true, false},
	      {80, 20, true, false}, {80, 20, true, false}, {80, 20, true, false},
	      {80, 20, true, false}, {80, 20, true, false}, {80, 20, true, true});
	/* A blip in the middle starts the count again. */
	STEPS("not steady", {80, 20, true, false}, {80, 20, true, false}, {80, 20, true, false},
	      {80, 78, true, false}, {80, 20, true, false}, {80, 20, true, false},
	      {80, 20, true, false}, {80, 20, true, false}, {80, 20, true, false},
	      {80, 20, true, false}, {80, 20, true, false}, {80, 20, true, true});
	/* Another candidate each time starts the count again. */
	STEPS("changing candidate", {80, 20, false, false}, {80, 20, false, false},
	      {80, 20, false, false}, {80, 20, false, false}, {80, 20, false, false},
	      {80, 20, false, false}, {80, 20, false, false}, {80, 20, false, false},
	      {80, 20, false, false});
	/* The current route is down: move at once; never to a route that is down. */
	STEPS("down", {0, 50, true, true}, {0, 0, true, false});
	/* Small costs: the 2 ms floor of the margin. */
	STEPS("floor", {3, 2, true, false}, {3, 2, true, false}, {3, 2, true, false},
	      {3, 2, true, false}, {3, 2, true, false}, {3, 2, true, false}, {3, 2, true, false},
	      {3, 2, true, false}, {3, 2, true, false});
}

/* A direct path needs only to be no worse, a few times in a row; a relayed
 * route must be clearly better than a direct one. */
static void test_direct_preferred(void **state)
{
	struct route_hysteresis h = {0};
	struct route relayed = route_of(3, 1), direct = {.cost_us = 3000};

	for (int i = 1; i < ROUTE_SWITCH_STEADY_DIRECT; i++)
		assert_false(route_should_switch(&h, &relayed, &direct));
	assert_true(route_should_switch(&h, &relayed, &direct));
	direct.cost_us = 3001;
	assert_false(route_should_switch(&h, &relayed, &direct));
	assert_false(route_should_switch(&h, &relayed, &direct));
	/* From direct at 20 ms to a relay at 19 ms, or 15 ms (25% cheaper):
	 * never; at 13 ms (35% cheaper), once steadily so. */
	direct.cost_us = 20000;
	relayed.cost_us = 19000;
	for (int i = 0; i < 2 * ROUTE_SWITCH_STEADY; i++)
		assert_false(route_should_switch(&h, &direct, &relayed));
	relayed.cost_us = 15000;
	for (int i = 0; i < 2 * ROUTE_SWITCH_STEADY; i++)
		assert_false(route_should_switch(&h, &direct, &relayed));
	relayed.cost_us = 13000;
	for (int i = 1; i < ROUTE_SWITCH_STEADY; i++)
		assert_false(route_should_switch(&h, &direct, &relayed));
	assert_true(route_should_switch(&h, &direct, &relayed));
	/* Small costs: the 5 ms floor. A relay at 1 ms never takes a direct
	 * path of 5.5 ms; one of 7 ms, it does. */
	direct.cost_us = 5500;
	relayed.cost_us = 1000;
	for (int i = 0; i < 2 * ROUTE_SWITCH_STEADY; i++)
		assert_false(route_should_switch(&h, &direct, &relayed));
	direct.cost_us = 7000;
	for (int i = 1; i < ROUTE_SWITCH_STEADY; i++)
		assert_false(route_should_switch(&h, &direct, &relayed));
	assert_true(route_should_switch(&h, &direct, &relayed));
}

static void test_route_cost(void **state)
{
	static struct route_graph g;
	static const char *links[] = {"S>R1:5", "R1>R2:5", "R2>B:5", "S>B:7", NULL};
	struct route r = {.hop_count = 2};

	build(&g, links);
	r.hops[0] = id(node_addr("R1"));
	r.hops[1] = id(node_addr("R2"));
	assert_int_equal(route_cost(&g, &r, id(node_addr("B"))), 17000);
	r.hop_count = 0;
	assert_int_equal(route_cost(&g, &r, id(node_addr("B"))), 7000);
	/* A hop that is no relay, or a link that is gone: no route. */
	r.hop_count = 1;
	r.hops[0] = id(node_addr("B"));
	assert_int_equal(route_cost(&g, &r, id(node_addr("R2"))), RTT_COST_INFINITE);
	route_graph_link(&g, id(node_addr("R1")), id(node_addr("R2")), RTT_COST_INFINITE);
	r.hop_count = 2;
	r.hops[0] = id(node_addr("R1"));
	r.hops[1] = id(node_addr("R2"));
	assert_int_equal(route_cost(&g, &r, id(node_addr("B"))), RTT_COST_INFINITE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_graphs),
	    cmocka_unit_test(test_hysteresis),
	    cmocka_unit_test(test_direct_preferred),
	    cmocka_unit_test(test_route_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

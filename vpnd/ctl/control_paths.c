/*
 * The control commands about routes. Each names a peer by node ID:
 *   {"command": "paths", "peer": "10.26.0.2"}
 *   {"command": "ping", "peer": ...}, then {"command": "ping_result", "peer": ...}
 *   {"command": "pin", "peer": ..., "mode": "auto|direct|relay|via", "via": "10.26.0.11"}
 */
#include "ctl/control_paths.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "core/device.h"
#include "core/path.h"
#include "core/peer.h"
#include "ctl/control.h"
#include "nat/birthday.h"
#include "node_id.h"
#include "route/measure.h"
#include "route/select.h"

static struct peer *requested_peer(json_object *reply, struct device *dev, json_object *request)
{
	const char *text = control_text(request, "peer");
	struct in_addr id;
	struct peer *peer;

	if (!text || inet_pton(AF_INET, text, &id) != 1) {
		control_fail(reply, "bad_request", "name the peer by its node ID");
		return NULL;
	}
	peer = peer_lookup_by_node_id(dev, id);
	if (!peer)
		control_fail(reply, "no_peer", "no peer has that node ID");
	return peer;
}

/* Milliseconds with two decimals; null when there is no such cost. */
static json_object *milliseconds(uint32_t us)
{
	if (us == RTT_COST_INFINITE)
		return NULL;
	return json_object_new_double(round(us / 10.0) / 100.0);
}

static const char *link_state(const struct peer *peer)
{
	if (!path_has_direct(peer))
		return "none";
	if (rtt_down(&peer->measure->direct_rtt))
		return "down";
	if (!peer->measure->direct_rtt.measured)
		return "unmeasured";
	return measure_loaded(peer->measure, clock_ms()) ? "loaded" : "up";
}

/* A candidate route, with what we measured of its first link. */
static json_object *candidate_json(const struct peer *peer, const struct route *route)
{
	json_object *obj = json_object_new_object(), *hops = json_object_new_array();
	static const struct rtt_estimate nothing;
	const struct peer *first =
	    route->hop_count ? peer_lookup_by_node_id(peer->dev, route->hops[0]) : peer;
	/* The graph is up to SELECT_INTERVAL_MS old: its relay may be gone. */
	const struct rtt_estimate *e = first ? &first->measure->direct_rtt : &nothing;
	uint32_t min_rtt = first ? rtt_min_us(&first->measure->min_rtt, clock_ms()) : 0;
	char text[64];

	select_format_route(route, text, sizeof(text));
	for (size_t i = 0; i < route->hop_count; i++)
		json_object_array_add(hops, json_object_new_string(NODE_ID(route->hops[i])));
	json_object_object_add(obj, "route", json_object_new_string(text));
	json_object_object_add(obj, "hops", hops);
	json_object_object_add(obj, "cost_ms", milliseconds(route->cost_us));
	json_object_object_add(obj, "rtt_ms",
			       milliseconds(e->measured ? e->srtt_us : RTT_COST_INFINITE));
	json_object_object_add(obj, "rttvar_ms",
			       milliseconds(e->measured ? e->rttvar_us : RTT_COST_INFINITE));
	json_object_object_add(obj, "min_rtt_ms",
			       milliseconds(min_rtt ? min_rtt : RTT_COST_INFINITE));
	json_object_object_add(obj, "loss", json_object_new_double(rtt_loss_permille(e) / 1000.0));
	json_object_object_add(obj, "state",
			       json_object_new_string(first ? link_state(first) : "none"));
	json_object_object_add(
	    obj, "chosen",
	    json_object_new_boolean(peer->path.routed && route_equal(route, &peer->path.route)));
	return obj;
}

static const char *const pin_names[] = {"auto", "direct", "relay", "via"};

static void format_pin(const struct route_pin *pin, char *buf, size_t len)
{
	if (pin->kind == PIN_VIA)
		snprintf(buf, len, "via %s", NODE_ID(pin->via));
	else
		snprintf(buf, len, "%s", pin_names[pin->kind]);
}

/* Why the peer is not reached directly, for humans ("" when it is). */
static void why_not_direct(const struct peer *peer, char *buf, size_t len)
{
	const struct rtt_estimate *e = &peer->measure->direct_rtt;
	uint32_t direct = rtt_cost_us(e);

	if (peer->path.routed && peer->path.route.hop_count == 0)
		snprintf(buf, len, "%s", "");
	else if (!path_has_direct(peer) && peer->location.nat == NAT_SYMMETRIC &&
		 peer->dev->nat_type == NAT_SYMMETRIC)
		snprintf(buf, len, "both sides are behind symmetric NATs");
	else if (!path_has_direct(peer))
		snprintf(buf, len,
			 "no direct path: probes to its candidates unanswered "
			 "(%u guessed ports tried)",
			 peer->spray->sent);
	else if (rtt_down(e))
		snprintf(buf, len, "the direct path is down: %u probes in a row unanswered",
			 e->consecutive_losses);
	else if (direct == RTT_COST_INFINITE)
		snprintf(buf, len, "the direct path is not measured yet");
	else
		snprintf(buf, len, "the direct path costs %.1f ms, the route in use %.1f ms",
			 direct / 1000.0, peer->path.route.cost_us / 1000.0);
}

void reply_paths(json_object *reply, struct device *dev, json_object *request)
{
	struct peer *peer = requested_peer(reply, dev, request);
	struct route candidates[SELECT_MAX_CANDIDATES];
	json_object *list;
	char text[96];
	size_t count;

	if (!peer)
		return;
	list = json_object_new_array();
	count = select_candidates(peer, candidates, SELECT_MAX_CANDIDATES);
	for (size_t i = 0; i < count; i++)
		json_object_array_add(list, candidate_json(peer, &candidates[i]));
	json_object_object_add(reply, "peer",
			       json_object_new_string(NODE_ID(peer->config.node_id)));
	json_object_object_add(reply, "path", json_object_new_string(path_kind(peer)));
	json_object_object_add(reply, "mtu", json_object_new_int((int)path_inner_mtu(peer)));
	select_format_route(&peer->path.route, text, sizeof(text));
	json_object_object_add(reply, "route",
			       json_object_new_string(peer->path.routed ? text : ""));
	format_pin(&peer->choice->pin, text, sizeof(text));
	json_object_object_add(reply, "pin", json_object_new_string(text));
	json_object_object_add(reply, "reason", json_object_new_string(peer->choice->reason));
	why_not_direct(peer, text, sizeof(text));
	json_object_object_add(reply, "why_not_direct", json_object_new_string(text));
	json_object_object_add(reply, "switches", json_object_new_int((int)peer->choice->switches));
	json_object_object_add(
	    reply, "seconds_since_switch",
	    peer->choice->switches
		? json_object_new_int64(
		      (int64_t)((clock_ms() - peer->choice->last_switch_ms) / 1000))
		: NULL);
	json_object_object_add(reply, "candidates", list);
}

void start_ping(json_object *reply, struct device *dev, json_object *request)
{
	struct peer *peer = requested_peer(reply, dev, request);

	if (!peer)
		return;
	if (peer->config.wireguard) {
		control_fail(reply, "not_vpnd", "a WireGuard peer does not answer probes");
		return;
	}
	if (measure_ping(peer)) {
		control_fail(reply, "no_session", "no session with the peer yet");
		return;
	}
	json_object_object_add(reply, "timeout_ms", json_object_new_int(MEASURE_LOSS_MAX_MS));
}

void report_ping(json_object *reply, struct device *dev, json_object *request)
{
	struct peer *peer = requested_peer(reply, dev, request);
	const struct ping *ping;
	char text[ENDPOINT_STRLEN];

	if (!peer)
		return;
	ping = &peer->measure->ping;
	json_object_object_add(reply, "answered", json_object_new_boolean(ping->answered));
	if (!ping->answered)
		return;
	json_object_object_add(reply, "rtt_ms", milliseconds(ping->rtt_us));
	json_object_object_add(reply, "path",
			       json_object_new_string(ping->direct ? "direct" : "relay"));
	if (ping->direct) {
		endpoint_format(&ping->from, text, sizeof(text));
		json_object_object_add(reply, "endpoint", json_object_new_string(text));
	} else {
		json_object_object_add(reply, "relay",
				       json_object_new_string(NODE_ID(ping->relay)));
	}
}

static bool parse_pin(json_object *request, enum route_pin_kind *kind, struct in_addr *via)
{
	const char *mode = control_text(request, "mode"), *relay = control_text(request, "via");

	for (size_t i = 0; mode && i < sizeof(pin_names) / sizeof(pin_names[0]); i++) {
		if (strcmp(mode, pin_names[i]))
			continue;
		*kind = (enum route_pin_kind)i;
		via->s_addr = 0;
		return *kind != PIN_VIA || (relay && inet_pton(AF_INET, relay, via) == 1);
	}
	return false;
}

void pin_route(json_object *reply, struct device *dev, json_object *request)
{
	struct peer *peer = requested_peer(reply, dev, request);
	enum route_pin_kind kind;
	struct in_addr via;
	char text[64];

	if (!peer)
		return;
	if (!parse_pin(request, &kind, &via)) {
		control_fail(reply, "bad_request",
			     "mode is auto, direct, relay, or via with \"via\": a relay's node ID");
		return;
	}
	if (select_pin(peer, kind, via)) {
		control_fail(reply, "no_relay", "that node is not a relay we have a session with");
		return;
	}
	select_format_route(&peer->path.route, text, sizeof(text));
	json_object_object_add(reply, "route",
			       json_object_new_string(peer->path.routed ? text : ""));
}

/*
 * Sending along a peer's path (see path.h). Until the selector has chosen
 * a route, a peer with a configured endpoint and no relay is sent to
 * directly (static peers, WireGuard peers), and a peer learned from a
 * rendezvous through the rendezvous. The first authenticated packet that
 * arrives straight from the peer makes that source a direct path; route/
 * measures it from then on, nat/ stops punching (the direct_up event).
 */
#include "core/path.h"

#include <errno.h>
#include <string.h>

#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"
#include "core/peer.h"
#include "core/relay.h"
#include "core/send.h"
#include "io/stream.h"
#include "log.h"
#include "node_id.h"

enum {
	TCP_FALLBACK_MS = 1000, /* a rendezvous silent over UDP this long: TCP */
	/* While the direct path is in doubt, messages up to this size (pings,
	 * ACKs, handshakes, interactive traffic) also take the fallback route:
	 * bulk data is not doubled onto a relay just when a path is busiest. */
	DOUBT_COPY_MAX_LEN = 320,
};

static void try_tcp(struct timer *timer);

void path_init(struct peer *peer)
{
	peer->path.fd = -1;
	timer_init(&peer->path.tcp_fallback, &peer->dev->hub->loop, try_tcp);
}

void path_release(struct peer *peer)
{
	timer_cancel(&peer->path.tcp_fallback);
}

static struct peer *relay_of(const struct peer *peer)
{
	struct peer *relay;

	if (!peer->path.relay.s_addr)
		return NULL;
	relay = peer_lookup_by_node_id(peer->dev, peer->path.relay);
	return relay && relay != peer && relay->current.valid ? relay : NULL;
}

static bool has_endpoint(const struct peer *peer)
{
	return peer->endpoint.sa.sa_family != 0;
}

static struct stream *stream_of(const struct peer *peer)
{
	return stream_find(&peer->dev->hub->streams, peer->path.fd);
}

bool path_available(const struct peer *peer)
{
	return has_endpoint(peer) || relay_of(peer) || peer->path.routed;
}

bool path_has_direct(const struct peer *peer)
{
	return has_endpoint(peer) && peer->path.direct_up;
}

void path_direct_lost(struct peer *peer)
{
	if (!peer->path.direct_up)
		return;
	peer->path.direct_up = false;
	log_info("peer %s: direct path given up, punching again", NODE_ID(peer->config.node_id));
	events_direct_lost(peer);
}

static int send_direct(struct peer *peer, const void *msg, size_t len)
{
	return send_to_endpoint_fd(peer->dev, peer->path.fd, &peer->endpoint, msg, len);
}

static int send_relayed(struct peer *peer, const struct route *route, const void *msg, size_t len)
{
	struct peer *first = peer_lookup_by_node_id(peer->dev, route->hops[0]);

	if (!first || first == peer || !first->current.valid)
		return -EHOSTUNREACH;
	return relay_send(first, peer->config.node_id, route->hops + 1, route->hop_count - 1, msg,
			  len);
}

/* The last probe of the direct path went unanswered, the one before did
 * not: it may be dying. Until the next probe tells, packets go both ways. */
static bool direct_in_doubt(const struct peer *peer)
{
	return peer->path.direct_doubtful && peer->path.fallback.hop_count &&
	       peer->path.fallback.cost_us != RTT_COST_INFINITE;
}

static int transmit_routed(struct peer *peer, const void *msg, size_t len)
{
	int ret;

	if (peer->path.route.hop_count)
		return send_relayed(peer, &peer->path.route, msg, len);
	ret = send_direct(peer, msg, len);
	/* After the direct send: relaying reuses the buffer msg is in. */
	if (direct_in_doubt(peer) && len <= DOUBT_COPY_MAX_LEN)
		send_relayed(peer, &peer->path.fallback, msg, len);
	return ret;
}

/* Before the selector has measured anything, a peer without a relay is
 * reached directly, one with a relay through it until the direct path is up. */
static bool unrouted_direct(const struct peer *peer)
{
	return has_endpoint(peer) && (!relay_of(peer) || peer->path.direct_up);
}

int path_transmit(struct peer *peer, const void *msg, size_t len)
{
	struct peer *relay = relay_of(peer);

	if (peer->path.routed)
		return transmit_routed(peer, msg, len);
	if (unrouted_direct(peer))
		return send_direct(peer, msg, len);
	if (relay)
		return relay_send(relay, peer->config.node_id, NULL, 0, msg, len);
	return -EHOSTUNREACH;
}

bool path_direct_udp(const struct peer *peer, int *fd, union endpoint *to)
{
	bool direct = peer->path.routed ? !peer->path.route.hop_count && !direct_in_doubt(peer)
					: unrouted_direct(peer);

	if (!direct || !has_endpoint(peer) || stream_of(peer))
		return false;
	*fd = peer->path.fd >= 0 ? peer->path.fd : peer->dev->hub->udp_fd;
	*to = peer->endpoint;
	return true;
}

/*
 * A TCP stream a node opened is its path while UDP stays silent; the node
 * drops it as soon as UDP answers. The side that accepted the stream keeps
 * using it until it closes, so that a network passing UDP only one way
 * cannot make it flap.
 */
static bool keep_stream(struct peer *peer, const union endpoint *src, int fd)
{
	struct stream *current = stream_of(peer);

	if (!current || current->fd == fd)
		return false;
	if (current->inbound) {
		/* Where to go if the stream closes. */
		peer->path.udp_seen = *src;
		peer->path.udp_seen_fd = fd;
		return true;
	}
	log_info("peer %s: UDP answers again, leaving TCP", NODE_ID(peer->config.node_id));
	stream_close(&peer->dev->hub->streams, current);
	events_udp_answers_again(peer);
	return false;
}

void path_direct_received(struct peer *peer, const union endpoint *src, int fd)
{
	bool was_up = peer->path.direct_up;

	if (keep_stream(peer, src, fd))
		return;
	peer->endpoint = *src;
	peer->path.fd = fd;
	peer->path.direct_up = true;
	events_direct_received(peer);
	if (!was_up && peer->path.relay.s_addr) {
		char text[ENDPOINT_STRLEN];

		endpoint_format(src, text, sizeof(text));
		log_info("peer %s: direct path up via %s", NODE_ID(peer->config.node_id), text);
		events_direct_up(peer);
	}
}

void path_try_stream(struct peer *peer, int fd, const union endpoint *remote)
{
	peer->endpoint = *remote;
	peer->path.fd = fd;
}

void path_stream_closed(struct peer *peer)
{
	/* Back to UDP: where the peer's UDP packets came from meanwhile, its
	 * configured endpoint (a rendezvous), or nowhere until it sends. */
	peer->path.direct_up = peer->path.udp_seen.sa.sa_family != 0;
	peer->endpoint = peer->path.direct_up ? peer->path.udp_seen : peer->config.endpoint;
	peer->path.fd = peer->path.direct_up ? peer->path.udp_seen_fd : -1;
	memset(&peer->path.udp_seen, 0, sizeof(peer->path.udp_seen));
}

static void try_tcp(struct timer *timer)
{
	struct peer *peer = container_of(timer, struct peer, path.tcp_fallback);
	struct stream *stream;

	if (peer->current.valid || stream_of(peer) || !peer->config.endpoint.sa.sa_family)
		return;
	/* From our listening port (the rendezvous passes that address on, for
	 * direct TCP), else from any. */
	stream = stream_connect(&peer->dev->hub->streams, &peer->config.endpoint,
				peer->dev->hub->listen_port);
	if (!stream)
		stream = stream_connect(&peer->dev->hub->streams, &peer->config.endpoint, 0);
	if (!stream)
		return;
	log_info("peer %s: no answer over UDP, trying TCP", NODE_ID(peer->config.node_id));
	peer->endpoint = peer->config.endpoint;
	peer->path.fd = stream->fd;
	peer->last_sent_handshake_ms = 0;
	send_handshake_initiation(peer, true);
}

void path_handshake_sent(struct peer *peer)
{
	/* A rendezvous silent over UDP may sit behind a network that blocks
	 * UDP: TCP is tried if no answer comes soon. */
	if (peer->config.rendezvous && !peer->current.valid && !path_over_tcp(peer) &&
	    !timer_armed(&peer->path.tcp_fallback))
		timer_arm(&peer->path.tcp_fallback, clock_ms() + TCP_FALLBACK_MS);
}

bool path_over_tcp(const struct peer *peer)
{
	return stream_of(peer) != NULL;
}

void path_relayed_received(struct peer *peer, const struct peer *relay)
{
	/* The other side may still be punching: its packets coming through the
	 * relay say nothing against our direct path, which route/ measures. */
	peer->path.relay = relay->config.node_id;
}

void path_set_endpoint(struct peer *peer, const union endpoint *endpoint)
{
	peer->endpoint = *endpoint;
}

void path_set_configured_endpoint(struct peer *peer, const union endpoint *endpoint)
{
	peer->config.endpoint = *endpoint;
	if (!peer->path.direct_up)
		peer->endpoint = *endpoint;
}

void path_set_relay(struct peer *peer, struct in_addr relay)
{
	peer->path.relay = relay;
}

enum { SEAL_OVERHEAD = MESSAGE_DATA_HEADER_LEN + NOISE_AUTHTAG_LEN };

static size_t padding_down(size_t len)
{
	return len & ~(size_t)(MESSAGE_PADDING_MULTIPLE - 1);
}

/* The largest inner packet a datagram of that size carries (0, or a size
 * too small to be one: any). */
static size_t carried_by(const struct peer *peer, size_t datagram)
{
	size_t mtu = peer->dev->cfg.mtu;

	if (datagram < SEAL_OVERHEAD + MESSAGE_PADDING_MULTIPLE || datagram >= mtu + SEAL_OVERHEAD)
		return mtu;
	return padding_down(datagram - SEAL_OVERHEAD);
}

size_t path_direct_mtu(const struct peer *peer)
{
	return carried_by(peer, peer->path.direct_mtu);
}

void path_set_route_hops_mtu(struct peer *peer, size_t datagram)
{
	peer->path.route_hops_mtu = datagram;
}

void path_set_direct_mtu(struct peer *peer, size_t datagram)
{
	peer->path.direct_mtu = datagram;
}

/* A relay hop carries the sealed message in an envelope (with a waypoint
 * per further relay) under its own header and tag, unpadded: the inner
 * packet leaves room for that, rounded to the padding, so that a relayed
 * datagram is no larger than the first hop's direct path carries, nor the
 * later links. */
static size_t relayed_mtu(const struct peer *peer, const struct peer *first, size_t hops)
{
	size_t envelope =
	    WIRE_RELAY_HEADER_LEN + sizeof(struct in_addr) * (hops - 1) + SEAL_OVERHEAD;
	size_t budget = first ? path_direct_mtu(first) : peer->dev->cfg.mtu;
	size_t later = carried_by(peer, peer->path.route_hops_mtu);

	if (peer->path.routed && later < budget)
		budget = later;

	return budget > envelope ? padding_down(budget - envelope) : 0;
}

size_t path_inner_mtu(const struct peer *peer)
{
	if (peer->path.routed && peer->path.route.hop_count)
		return relayed_mtu(peer,
				   peer_lookup_by_node_id(peer->dev, peer->path.route.hops[0]),
				   peer->path.route.hop_count);
	if (peer->path.routed || unrouted_direct(peer) || !relay_of(peer))
		return path_direct_mtu(peer);
	return relayed_mtu(peer, relay_of(peer), 1);
}

struct in_addr path_first_relay(const struct peer *peer)
{
	struct in_addr none = {0};

	if (peer->path.routed)
		return peer->path.route.hop_count ? peer->path.route.hops[0] : none;
	return relay_of(peer) ? peer->path.relay : none;
}

void path_set_route(struct peer *peer, const struct route *route, const struct route *fallback)
{
	peer->path.route = *route;
	peer->path.fallback = *fallback;
	peer->path.routed = true;
}

void path_clear_route(struct peer *peer)
{
	peer->path.routed = false;
}

void path_set_direct_doubt(struct peer *peer, bool doubtful)
{
	peer->path.direct_doubtful = doubtful;
}

const char *path_kind(const struct peer *peer)
{
	if (peer->path.routed)
		return peer->path.route.hop_count ? "relay" : "direct";
	if (has_endpoint(peer) && (peer->path.direct_up || !peer->path.relay.s_addr))
		return "direct";
	return relay_of(peer) ? "relay" : "none";
}

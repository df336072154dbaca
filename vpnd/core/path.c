/*
 * Sending along a peer's path, and finding direct paths. The selector
 * (select.c) picks the route once probes have measured something; until
 * then a peer with a configured endpoint and no relay is sent to directly
 * (static peers, WireGuard peers), and a peer learned from a rendezvous
 * through the rendezvous. Punching sends authenticated PROBEs to every
 * candidate (its reflexive endpoint and host addresses) for a few seconds,
 * both sides at once since both start when the session does. The first
 * authenticated packet that arrives straight from the peer makes that
 * source a direct path, which measure.c then probes; one that stops
 * answering for good is given up and punching starts over.
 */
#include "core/path.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "nat/birthday.h"
#include "core/device.h"
#include "log.h"
#include "route/measure.h"
#include "members/peer_cache.h"
#include "core/relay.h"
#include "core/send.h"
#include "io/stream.h"
#include "core/timers.h"

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
	log_info("peer %s: direct path given up, punching again", inet_ntoa(peer->config.node_id));
	peer->path.punch_backoff_s = 0;
	path_session_started(peer);
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
	return peer->path.direct_rtt.consecutive_losses == 1 && peer->path.fallback.hop_count &&
	       peer->path.fallback.cost_us != RTT_COST_INFINITE;
}

static int transmit_routed(struct peer *peer, const void *msg, size_t len)
{
	int ret;

	if (peer->path.route.hop_count)
		return send_relayed(peer, &peer->path.route, msg, len);
	ret = send_direct(peer, msg, len);
	/* After the direct send: relaying reuses the buffer msg is in. */
	if (direct_in_doubt(peer))
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

	if (!direct || !has_endpoint(peer) || stream_find(peer->dev->hub, peer->path.fd))
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
	struct stream *current = stream_find(peer->dev->hub, peer->path.fd);

	if (!current || current->fd == fd)
		return false;
	if (current->inbound) {
		/* Where to go if the stream closes. */
		peer->path.udp_seen = *src;
		peer->path.udp_seen_fd = fd;
		return true;
	}
	log_info("peer %s: UDP answers again, leaving TCP", inet_ntoa(peer->config.node_id));
	stream_close(peer->dev->hub, current);
	/* Registering now tells the other members where our UDP comes from. */
	if (peer->timers.register_again)
		peer->timers.register_again = clock_ms();
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
	measure_start(peer);
	if (!was_up && peer->path.relay.s_addr) {
		char text[ENDPOINT_STRLEN];

		endpoint_format(src, text, sizeof(text));
		log_info("peer %s: direct path up via %s", inet_ntoa(peer->config.node_id), text);
		peer->timers.punch = 0;
		peer_cache_save(peer->dev);
	}
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

void path_try_tcp(struct peer *peer)
{
	struct stream *stream;

	if (peer->current.valid || stream_find(peer->dev->hub, peer->path.fd) ||
	    !peer->config.endpoint.sa.sa_family)
		return;
	stream = stream_connect(peer->dev->hub, &peer->config.endpoint);
	if (!stream)
		return;
	log_info("peer %s: no answer over UDP, trying TCP", inet_ntoa(peer->config.node_id));
	peer->endpoint = peer->config.endpoint;
	peer->path.fd = stream->fd;
	peer->last_sent_handshake_ms = 0;
	send_handshake_initiation(peer, true);
}

bool path_over_tcp(const struct peer *peer)
{
	return stream_find(peer->dev->hub, peer->path.fd) != NULL;
}

void path_relayed_received(struct peer *peer, const struct peer *relay)
{
	/* The other side may still be punching: its packets coming through the
	 * relay say nothing against our direct path, which measure.c watches. */
	peer->path.relay = relay->config.node_id;
}

static void schedule_punch(struct peer *peer, uint64_t delay_ms)
{
	peer->timers.punch = clock_ms() + delay_ms;
}

void path_session_started(struct peer *peer)
{
	if (!peer->dynamic || peer->path.direct_up || peer->timers.punch)
		return;
	peer->path.punch_probes_left = PUNCH_PROBES_PER_ROUND;
	schedule_punch(peer, 0);
	birthday_start(peer);
}

/* A probe from socket fd (-1: the device's). */
static void probe(struct peer *peer, int fd, const union endpoint *ep)
{
	uint8_t msg[WIRE_PROBE_LEN];
	uint64_t nonce = 0;

	if (!ep->sa.sa_family)
		return;
	crypto_random(&nonce, sizeof(nonce));
	if (wire_encode_probe(msg, sizeof(msg), CONTROL_PROBE, nonce) > 0)
		send_plaintext_to(peer, fd, ep, msg, sizeof(msg));
}

struct in_addr path_first_relay(const struct peer *peer)
{
	struct in_addr none = {0};

	if (peer->path.routed)
		return peer->path.route.hop_count ? peer->path.route.hops[0] : none;
	return relay_of(peer) ? peer->path.relay : none;
}

void path_traffic(struct peer *peer)
{
	uint64_t now = clock_ms();

	peer->path.last_traffic_ms = now;
	measure_busy(peer, now);
}

void path_probe_udp(struct peer *peer)
{
	if (path_over_tcp(peer))
		probe(peer, -1, &peer->config.endpoint);
}

void path_punch(struct peer *peer)
{
	if (peer->path.direct_up || !peer->current.valid)
		return;
	if (peer->path.punch_probes_left == 0) {
		/* A round failed: wait longer each time before the next. */
		unsigned int backoff = peer->path.punch_backoff_s;

		backoff = backoff ? backoff * 2 : PUNCH_BACKOFF_MIN;
		peer->path.punch_backoff_s =
		    backoff > PUNCH_BACKOFF_MAX ? PUNCH_BACKOFF_MAX : backoff;
		peer->path.punch_probes_left = PUNCH_PROBES_PER_ROUND;
		schedule_punch(peer, peer->path.punch_backoff_s * 1000ULL);
		return;
	}
	peer->path.punch_probes_left--;
	probe(peer, -1, &peer->path.reflexive);
	/* Where its packets last came from directly (peer-reflexive). */
	if (!endpoint_equal(&peer->endpoint, &peer->path.reflexive))
		probe(peer, peer->path.fd, &peer->endpoint);
	for (size_t i = 0; i < peer->path.candidates.count; i++)
		probe(peer, -1, &peer->path.candidates.items[i]);
	schedule_punch(peer, PUNCH_INTERVAL_MS);
}

void path_receive_probe(struct peer *peer, const uint8_t *data, size_t len,
			const union endpoint *src, int fd)
{
	uint8_t pong[WIRE_PROBE_LEN];
	uint64_t nonce;

	if (wire_decode_probe(data, len, &nonce) ||
	    wire_encode_probe(pong, sizeof(pong), CONTROL_PONG, nonce) < 0)
		return;
	/* Back the way it came: straight to its source, or (a tunctl ping
	 * through a relay) along our route to the peer. */
	if (src)
		send_plaintext_to(peer, fd, src, pong, sizeof(pong));
	else
		send_plaintext(peer, pong, sizeof(pong));
}

const char *path_kind(const struct peer *peer)
{
	if (peer->path.routed)
		return peer->path.route.hop_count ? "relay" : "direct";
	if (has_endpoint(peer) && (peer->path.direct_up || !peer->path.relay.s_addr))
		return "direct";
	return relay_of(peer) ? "relay" : "none";
}

/*
 * A relayed packet is the end-to-end encrypted outer message of two nodes,
 * in a RELAY envelope {src, dst, waypoints, hop limit} authenticated by each
 * hop's own session (in the clear: MESSAGE_CLEAR, not sealed a second
 * time): relays never see plaintext. A relay forwards to the next
 * waypoint (taking it off), or with none left to dst; only between members
 * whose certificates it verified (and that have not expired), and only
 * envelopes whose source is the node that handed them over - or that a
 * relay handed over, which checked the same at its hop - so no member can
 * speak for another; the last hop checks the same. A sender's hop limit is
 * the route's length: one more than its relays.
 */
#include "core/relay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "core/device.h"
#include "core/events.h"
#include "log.h"
#include "core/receive.h"
#include "core/send.h"
#include "wire.h"

bool relay_allowed(const struct device *dev)
{
	return dev->cfg.rendezvous_enabled || (dev->cfg.cert.flags & CERT_FLAG_RELAY);
}

/* The envelope is the route, and must not be wrapped into another; it
 * goes in the clear (send_clear), as what it carries is sealed end to end. */
static int wrap_and_send(struct peer *next_hop, const struct relay_header *header)
{
	struct device *dev = next_hop->dev;
	uint8_t *envelope = dev->relay_buffer + SEND_CLEAR_HEADROOM;
	size_t room = sizeof(dev->relay_buffer) - SEND_CLEAR_HEADROOM - SEND_CLEAR_TAILROOM;
	int len = wire_encode_relay_header(envelope, room, header);

	if (len < 0 || header->payload_len > room - (size_t)len)
		return -EMSGSIZE;
	memmove(envelope + len, header->payload, header->payload_len);
	events_traffic(next_hop, header->payload_len, true);
	return send_clear(next_hop, dev->relay_buffer, (size_t)len + header->payload_len);
}

int relay_send(struct peer *relay, struct in_addr dst, const struct in_addr *waypoints,
	       size_t waypoint_count, const void *msg, size_t len)
{
	struct relay_header header = {
	    .hop_limit = (uint8_t)(waypoint_count + 2),
	    .src = relay->dev->cfg.cert.node_id,
	    .dst = dst,
	    .waypoint_count = waypoint_count,
	    .payload = msg,
	    .payload_len = len,
	};

	if (waypoint_count > WIRE_MAX_WAYPOINTS)
		return -EINVAL;
	for (size_t i = 0; i < waypoint_count; i++)
		header.waypoints[i] = waypoints[i];
	return wrap_and_send(relay, &header);
}

/* The next hop of an envelope, taking it off the waypoints. */
static struct peer *next_hop(struct device *dev, struct relay_header *header)
{
	struct in_addr next = header->dst;

	if (header->waypoint_count) {
		next = header->waypoints[0];
		header->waypoint_count--;
		memmove(header->waypoints, header->waypoints + 1,
			header->waypoint_count * sizeof(header->waypoints[0]));
	}
	return peer_lookup_by_node_id(dev, next);
}

static void forward(struct peer *from, struct relay_header *header)
{
	struct device *dev = from->dev;
	struct peer *to = next_hop(dev, header);

	if (!relay_allowed(dev) || header->hop_limit <= 1 || !to || to == from ||
	    !peer_is_member(to)) {
		peer_count_drop(from, DROP_RELAY);
		return;
	}
	header->hop_limit--;
	wrap_and_send(to, header);
}

/* A blocked end: counted on its peer where we know it (tunctl blocks). */
static bool refused_as_blocked(struct peer *from, struct in_addr end)
{
	struct peer *holder;

	if (!peer_node_blocked(from->dev, end))
		return false;
	holder = peer_lookup_by_node_id(from->dev, end);
	peer_count_drop(holder ? holder : from, DROP_BLOCKED);
	return true;
}

void relay_receive(struct peer *from, uint8_t *msg, size_t len, const struct origin *origin)
{
	struct device *dev = from->dev;
	struct relay_header header;

	if (wire_decode_relay(msg, len, &header)) {
		peer_count_drop(from, DROP_RELAY);
		return;
	}
	/* At every hop, the last too: a member speaks only for itself. */
	if (header.src.s_addr != from->config.node_id.s_addr && !peer_can_relay(from)) {
		peer_count_drop(from, DROP_RELAY);
		return;
	}
	/* Nothing to or from a blocked node passes here, even in transit. */
	if (refused_as_blocked(from, header.src) || refused_as_blocked(from, header.dst))
		return;
	/* Here the source is the original sender, not the relay; the
	 * end-to-end session inside authenticates it. */
	if (header.dst.s_addr == dev->cfg.cert.node_id.s_addr && !header.waypoint_count) {
		receive_datagram(
		    dev, (uint8_t *)header.payload, header.payload_len,
		    &(struct origin){.fd = -1, .via = from, .relayed_from = header.src});
		return;
	}
	forward(from, &header);
}

/*
 * A relayed packet is the end-to-end encrypted outer message of two nodes,
 * in a RELAY envelope {src, dst, hop limit} sent over each hop's own
 * session: relays never see plaintext. A relay forwards only between
 * members whose certificates it verified, and only envelopes whose source
 * is the node that handed them over, so no member can speak for another.
 */
#include "relay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "device.h"
#include "log.h"
#include "path.h"
#include "receive.h"
#include "send.h"
#include "wire.h"

static int wrap_and_send(struct peer *next_hop, const struct relay_header *header)
{
	struct device *dev = next_hop->dev;
	int len = wire_encode_relay_header(dev->relay_buffer, sizeof(dev->relay_buffer), header);

	if (len < 0 || header->payload_len > sizeof(dev->relay_buffer) - (size_t)len)
		return -EMSGSIZE;
	memmove(dev->relay_buffer + len, header->payload, header->payload_len);
	return send_plaintext(next_hop, dev->relay_buffer, (size_t)len + header->payload_len);
}

int relay_send(struct peer *relay, struct in_addr dst, const void *msg, size_t len)
{
	struct relay_header header = {
	    .hop_limit = WIRE_DEFAULT_HOP_LIMIT,
	    .src = relay->dev->cfg.cert.node_id,
	    .dst = dst,
	    .payload = msg,
	    .payload_len = len,
	};

	return wrap_and_send(relay, &header);
}

static bool may_relay(const struct device *dev)
{
	return dev->cfg.rendezvous_enabled || (dev->cfg.cert.flags & CERT_FLAG_RELAY);
}

static void forward(struct peer *from, struct relay_header *header)
{
	struct device *dev = from->dev;
	struct peer *to = peer_lookup_by_node_id(dev, header->dst);

	if (!may_relay(dev) || header->hop_limit <= 1 || !to || to == from ||
	    !to->certificate_verified || !to->current.valid) {
		peer_count_drop(from, DROP_RELAY);
		return;
	}
	header->hop_limit--;
	wrap_and_send(to, header);
}

void relay_receive(struct peer *from, uint8_t *data, size_t len)
{
	struct device *dev = from->dev;
	struct relay_header header;

	if (!from->certificate_verified || wire_decode_relay(data, len, &header)) {
		peer_count_drop(from, DROP_RELAY);
		return;
	}
	/* At the far end the source is the original sender, not the relay;
	 * the end-to-end session inside authenticates it. */
	if (header.dst.s_addr == dev->cfg.cert.node_id.s_addr) {
		receive_datagram(
		    dev, (uint8_t *)header.payload, header.payload_len,
		    &(struct origin){.fd = -1, .via = from, .relayed_from = header.src});
		return;
	}
	if (header.src.s_addr != from->config.node_id.s_addr) {
		peer_count_drop(from, DROP_RELAY);
		return;
	}
	forward(from, &header);
}

/* Link adverts (see links.h). */
#include "route/links.h"

#include <stdlib.h>

#include "core/device.h"
#include "core/path.h"
#include "core/relay.h"
#include "core/send.h"
#include "wire.h"

static void collect(const struct device *dev, struct link_advert *advert)
{
	advert->count = 0;
	for (size_t i = 0; i < dev->peer_count && advert->count < WIRE_MAX_LINKS; i++) {
		const struct peer *peer = dev->peers[i];
		uint32_t cost = rtt_cost_us(&peer->path.direct_rtt);

		if (!peer_is_member(peer) || !path_has_direct(peer) || cost == RTT_COST_INFINITE)
			continue;
		advert->links[advert->count].node = peer->config.node_id;
		advert->links[advert->count].cost_us = cost;
		advert->count++;
	}
}

void links_advertise(struct device *dev)
{
	struct link_advert advert;
	uint8_t msg[3 + WIRE_MAX_LINKS * 8];
	int len;

	if (!relay_allowed(dev))
		return;
	collect(dev, &advert);
	len = wire_encode_links(msg, sizeof(msg), &advert);
	for (size_t i = 0; len > 0 && i < dev->peer_count; i++)
		if (peer_is_member(dev->peers[i]) && dev->peers[i]->config.node_id.s_addr)
			send_plaintext(dev->peers[i], msg, (size_t)len);
}

void links_receive(struct peer *peer, const uint8_t *data, size_t len)
{
	struct links_heard *heard = peer->path.links;

	if (!peer_can_relay(peer)) {
		peer_count_drop(peer, DROP_RELAY);
		return;
	}
	if (!heard && !(heard = peer->path.links = calloc(1, sizeof(*heard))))
		return;
	if (wire_decode_links(data, len, &heard->advert)) {
		heard->received_ms = 0;
		peer_count_drop(peer, DROP_MALFORMED);
		return;
	}
	heard->received_ms = clock_ms();
}

const struct link_advert *links_of(const struct peer *peer, uint64_t now_ms)
{
	const struct links_heard *heard = peer->path.links;

	if (!heard || !heard->received_ms || now_ms - heard->received_ms > LINKS_MAX_AGE_MS)
		return NULL;
	return &heard->advert;
}

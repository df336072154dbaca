/* Link adverts (see links.h). */
#include "route/links.h"

#include <errno.h>
#include <stdlib.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/relay.h"
#include "core/send.h"
#include "route/measure.h"

static void collect(const struct device *dev, struct link_advert *advert, uint64_t now_ms)
{
	advert->count = 0;
	for (size_t i = 0; i < dev->peer_count && advert->count < WIRE_MAX_LINKS; i++) {
		const struct peer *peer = dev->peers[i];
		uint32_t cost = measure_cost_us(peer, now_ms);

		if (!peer_is_member(peer) || !path_has_direct(peer) || cost == RTT_COST_INFINITE)
			continue;
		advert->links[advert->count].node = peer->config.node_id;
		advert->links[advert->count].cost_us = cost;
		advert->links[advert->count].datagram_max = (uint16_t)peer->path.direct_mtu;
		advert->count++;
	}
}

void links_advertise(struct device *dev)
{
	struct link_advert advert;
	uint8_t msg[3 + WIRE_MAX_LINKS * WIRE_LINK_LEN];
	int len;

	if (!relay_allowed(dev))
		return;
	collect(dev, &advert, clock_ms());
	len = wire_encode_links(msg, sizeof(msg), &advert);
	for (size_t i = 0; len > 0 && i < dev->peer_count; i++)
		if (peer_is_member(dev->peers[i]) && dev->peers[i]->config.node_id.s_addr)
			send_plaintext(dev->peers[i], msg, (size_t)len);
}

void links_receive(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	struct links_heard *heard = peer->links;

	if (!heard && !(heard = peer->links = calloc(1, sizeof(*heard))))
		return;
	if (wire_decode_links(msg, len, &heard->advert)) {
		heard->received_ms = 0;
		peer_count_drop(peer, DROP_MALFORMED);
		return;
	}
	heard->received_ms = clock_ms();
}

uint16_t links_datagram_max(const struct link_advert *advert, struct in_addr to)
{
	for (size_t i = 0; i < advert->count; i++)
		if (advert->links[i].node.s_addr == to.s_addr)
			return advert->links[i].datagram_max;
	return 0;
}

const struct link_advert *links_of(const struct peer *peer, uint64_t now_ms)
{
	const struct links_heard *heard = peer->links;

	if (!heard || !heard->received_ms || now_ms - heard->received_ms > LINKS_MAX_AGE_MS)
		return NULL;
	return &heard->advert;
}

static void tick(struct timer *timer)
{
	struct advertiser *advertiser = container_of(timer, struct advertiser, tick);

	links_advertise(advertiser->dev);
	timer_arm(timer, clock_ms() + LINKS_INTERVAL_MS);
}

int links_device_init(struct device *dev)
{
	dev->advertiser = calloc(1, sizeof(*dev->advertiser));
	if (!dev->advertiser)
		return -ENOMEM;
	dev->advertiser->dev = dev;
	timer_init(&dev->advertiser->tick, &dev->hub->loop, tick);
	timer_arm(&dev->advertiser->tick, clock_ms());
	return 0;
}

void links_device_free(struct device *dev)
{
	if (!dev->advertiser)
		return;
	timer_cancel(&dev->advertiser->tick);
	free(dev->advertiser);
	dev->advertiser = NULL;
}

void links_peer_free(struct peer *peer)
{
	free(peer->links);
	peer->links = NULL;
}

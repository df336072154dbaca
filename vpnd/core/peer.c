/* Peer lifetime, lookups, keypair slots and the queue of staged packets. */
#include "core/peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"
#include "core/timers.h"
#include "log.h"
#include "node_id.h"

struct peer *peer_create(struct device *dev, const struct config_peer *config)
{
	struct peer *peer = calloc(1, sizeof(*peer));
	struct peer **grown;

	if (!peer)
		return NULL;
	grown = realloc(dev->peers, (dev->peer_count + 1) * sizeof(*dev->peers));
	if (!grown) {
		free(peer);
		return NULL;
	}
	dev->peers = grown;
	peer->dev = dev;
	peer->config = *config;
	/* The session with a rendezvous must hold the NAT mapping open. */
	if (config->rendezvous && !config->persistent_keepalive)
		peer->config.persistent_keepalive = NAT_KEEPALIVE_INTERVAL;
	peer->endpoint = config->endpoint;
	if (noise_handshake_init(&peer->handshake, &dev->identity, config->public_key,
				 dev->cfg.network.secret)) {
		log_warnx("peer %s: public key is of low order, ignored", NODE_ID(config->node_id));
		free(peer);
		return NULL;
	}
	cookie_init(&peer->cookie, config->public_key);
	peer->created_ms = clock_ms();
	timers_init(peer);
	path_init(peer);
	if (events_peer_created(peer)) {
		events_peer_removed(peer);
		crypto_wipe(peer, sizeof(*peer));
		free(peer);
		return NULL;
	}
	dev->peers[dev->peer_count++] = peer;
	device_sort_peers(dev);
	return peer;
}

struct peer *peer_create_dynamic(struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN],
				 struct in_addr node_id)
{
	struct config_peer config = {.node_id = node_id,
				     .persistent_keepalive = NAT_KEEPALIVE_INTERVAL};
	struct peer *peer;

	if (dev->peer_count >= MAX_PEERS)
		return NULL;
	memcpy(config.public_key, key, NOISE_PUBLIC_KEY_LEN);
	peer = peer_create(dev, &config);
	if (peer)
		peer->dynamic = true;
	return peer;
}

void peer_remove(struct peer *peer)
{
	struct device *dev = peer->dev;

	for (size_t i = 0; i < dev->peer_count; i++) {
		if (dev->peers[i] == peer) {
			memmove(&dev->peers[i], &dev->peers[i + 1],
				(dev->peer_count - i - 1) * sizeof(*dev->peers));
			dev->peer_count--;
			break;
		}
	}
	events_peer_removed(peer);
	timers_stop(peer);
	path_release(peer);
	peer_keypairs_clear(peer);
	if (peer->handshake_index)
		index_table_remove(&dev->hub->indices, peer->handshake_index);
	peer_staged_clear(peer);
	crypto_wipe(peer, sizeof(*peer));
	free(peer);
}

struct peer *peer_lookup_by_node_id(const struct device *dev, struct in_addr node_id)
{
	uint32_t want = ntohl(node_id.s_addr);
	size_t low = 0, high = dev->peer_count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		uint32_t have = ntohl(dev->peers[mid]->config.node_id.s_addr);

		if (have == want)
			return dev->peers[mid];
		if (have < want)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

struct peer *peer_lookup_by_key(const struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN])
{
	for (size_t i = 0; i < dev->peer_count; i++)
		if (!crypto_memneq(dev->peers[i]->config.public_key, key, NOISE_PUBLIC_KEY_LEN))
			return dev->peers[i];
	return NULL;
}

struct peer *peer_lookup_by_endpoint(const struct device *dev, const union endpoint *ep)
{
	for (size_t i = 0; i < dev->peer_count; i++)
		if (endpoint_equal(&dev->peers[i]->endpoint, ep) ||
		    endpoint_equal(&dev->peers[i]->location.reflexive, ep))
			return dev->peers[i];
	return NULL;
}

void peer_keypair_drop(struct peer *peer, struct noise_keypair *keypair)
{
	if (!keypair->valid)
		return;
	index_table_remove(&peer->dev->hub->indices, keypair->local_index);
	crypto_wipe(keypair, sizeof(*keypair));
}

void peer_keypairs_clear(struct peer *peer)
{
	peer_keypair_drop(peer, &peer->previous);
	peer_keypair_drop(peer, &peer->current);
	peer_keypair_drop(peer, &peer->next);
}

struct noise_keypair *peer_keypair_for_index(struct peer *peer, uint32_t index)
{
	struct noise_keypair *slots[] = {&peer->current, &peer->previous, &peer->next};

	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (slots[i]->valid && slots[i]->local_index == index)
			return slots[i];
	return NULL;
}

uint32_t peer_new_handshake_index(struct peer *peer)
{
	if (peer->handshake_index)
		index_table_remove(&peer->dev->hub->indices, peer->handshake_index);
	peer->handshake_index = index_table_insert(&peer->dev->hub->indices, peer);
	return peer->handshake_index;
}

int peer_stage_packet(struct peer *peer, const uint8_t *data, size_t len)
{
	struct staged_packet *packet;

	if (peer->staged_count == MAX_QUEUED_PACKETS) {
		/* Keep the newest: drop the oldest, as WireGuard does. */
		peer_count_drop(peer, DROP_QUEUE_FULL);
		peer_staged_release(peer, 1);
	}
	packet = malloc(sizeof(*packet) + len);
	if (!packet)
		return -ENOMEM;
	packet->len = len;
	memcpy(packet->data, data, len);
	peer->staged[peer->staged_count++] = packet;
	return 0;
}

void peer_staged_release(struct peer *peer, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		free(peer->staged[i]);
	memmove(&peer->staged[0], &peer->staged[count],
		(peer->staged_count - count) * sizeof(peer->staged[0]));
	peer->staged_count -= count;
}

void peer_staged_clear(struct peer *peer)
{
	peer_staged_release(peer, peer->staged_count);
}

void peer_set_node_id(struct peer *peer, struct in_addr node_id)
{
	peer->config.node_id = node_id;
	device_sort_peers(peer->dev);
}

void peer_set_location(struct peer *peer, uint8_t nat, const union endpoint *reflexive,
		       const struct candidate_list *candidates)
{
	peer->location.nat = nat;
	if (reflexive)
		peer->location.reflexive = *reflexive;
	peer->location.candidates = *candidates;
}

void peer_count_drop(struct peer *peer, enum drop_reason reason)
{
	peer->stats.drops[reason]++;
}

bool peer_blocked(const struct peer *peer)
{
	const struct blocklist *blocks = &peer->dev->blocks;

	if (blocks->count == 0) /* every packet asks */
		return false;
	return blocklist_has_key(blocks, peer->config.public_key) ||
	       blocklist_has_node(blocks, peer->config.node_id) ||
	       (peer->certificate_verified && blocklist_has_node(blocks, peer->certificate.node_id));
}

bool peer_node_blocked(const struct device *dev, struct in_addr node_id)
{
	const struct peer *peer;

	if (dev->blocks.count == 0) /* every relayed packet asks, twice */
		return false;
	peer = peer_lookup_by_node_id(dev, node_id);
	return blocklist_has_node(&dev->blocks, node_id) || (peer && peer_blocked(peer));
}

void peer_block(struct peer *peer)
{
	if (peer->current.valid || peer->handshake_index)
		log_info("peer %s is blocked: sessions ended", NODE_ID(peer->config.node_id));
	peer_keypairs_clear(peer);
	if (peer->handshake_index)
		index_table_remove(&peer->dev->hub->indices, peer->handshake_index);
	peer->handshake_index = 0;
	peer_staged_clear(peer);
}

bool peer_is_member(const struct peer *peer)
{
	return !peer->config.wireguard && peer->certificate_verified && peer->current.valid &&
	       time(NULL) < peer->certificate_not_after;
}

bool peer_can_relay(const struct peer *peer)
{
	return peer_is_member(peer) &&
	       (peer->certificate.flags & (CERT_FLAG_RELAY | CERT_FLAG_RENDEZVOUS));
}

/*
 * A device in a hub with an event loop but no sockets and no TUN, with a
 * fixed identity, for tests and fuzz harnesses that drive the daemon's real
 * code paths. Peers are added by node ID; helpers make one a member with a
 * session, a relay, or give it a measured direct path.
 */
#ifndef VPND_TEST_DEVICE_H
#define VPND_TEST_DEVICE_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"
#include "core/peer.h"

static inline struct in_addr test_node(uint32_t host)
{
	return (struct in_addr){.s_addr = htonl(0x0a1a0000 | host)}; /* 10.26.x.y */
}

static inline struct device *test_device_new(void)
{
	struct hub *hub = calloc(1, sizeof(*hub));
	struct device *dev = calloc(1, sizeof(*dev));

	if (!hub || !dev || hub_init(hub))
		abort();
	hub->udp_family = AF_INET;
	dev->tun_fd = -1;
	dev->hub = hub;
	hub->devices[hub->device_count++] = dev;
	dev->cfg.mtu = 1420;
	dev->cfg.cert.node_id = test_node(1);
	if (ipv4_prefix_parse("10.26.0.0/16", &dev->cfg.network.subnet))
		abort();
	strcpy(dev->cfg.network.name, "test");
	memset(dev->identity.static_private, 0x11, NOISE_PUBLIC_KEY_LEN);
	x25519_public(dev->identity.static_public, dev->identity.static_private);
	cookie_checker_init(&dev->cookie_checker, dev->identity.static_public);
	ratelimit_init(&dev->ratelimiter, 1);
	if (events_device_opened(dev))
		abort();
	return dev;
}

static inline struct peer *test_device_add_peer(struct device *dev, uint32_t host, bool wireguard)
{
	struct config_peer config = {.node_id = test_node(host), .wireguard = wireguard};
	uint8_t private_key[NOISE_PUBLIC_KEY_LEN];
	struct peer *peer;

	memset(private_key, (int)(0x20 + host), sizeof(private_key));
	x25519_public(config.public_key, private_key);
	config.endpoint.in.sin_family = AF_INET;
	config.endpoint.in.sin_port = htons(51820);
	peer = peer_create(dev, &config);
	if (!peer)
		abort();
	return peer;
}

/* A vpnd peer with a session and a verified certificate (flags: CERT_FLAG_*). */
static inline void test_make_member(struct peer *peer, uint8_t flags)
{
	peer->current.valid = true;
	peer->current.birth_ms = clock_ms();
	peer->certificate_verified = true;
	peer->certificate_not_after = time(NULL) + 3600;
	peer->certificate.flags = flags;
	peer->certificate.node_id = peer->config.node_id;
	strcpy(peer->certificate.network, peer->dev->cfg.network.name);
}

/* A session under an index of the hub's table with the same key both ways:
 * a message sealed for the peer opens as one from it. */
static inline void test_session(struct peer *peer)
{
	struct noise_keypair *keypair = &peer->current;

	keypair->valid = true;
	keypair->birth_ms = clock_ms();
	keypair->local_index = index_table_insert(&peer->dev->hub->indices, peer);
	keypair->remote_index = keypair->local_index;
	memset(keypair->sending_key, 0x5a, sizeof(keypair->sending_key));
	memset(keypair->receiving_key, 0x5a, sizeof(keypair->receiving_key));
}

static inline void test_device_free(struct device *dev)
{
	struct hub *hub = dev->hub;

	device_down(dev);
	hub_close(hub);
	free(dev);
	free(hub);
}

#endif

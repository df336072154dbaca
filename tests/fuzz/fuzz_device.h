/* A device with a fixed identity and two peers, in a hub without sockets
 * and with no TUN, for harnesses that drive the daemon's real code paths. */
#ifndef VPND_FUZZ_DEVICE_H
#define VPND_FUZZ_DEVICE_H

#include <stdlib.h>
#include <string.h>

#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"

static struct device *fuzz_device(void)
{
	static struct device *dev;
	static struct hub hub;
	struct config_peer peers[2] = {0};

	if (dev)
		return dev;
	if (hub_init(&hub))
		abort();
	hub.udp_family = AF_INET;
	dev = calloc(1, sizeof(*dev));
	dev->tun_fd = -1;
	dev->hub = &hub;
	hub.devices[hub.device_count++] = dev;
	dev->cfg.mtu = 1420;
	strcpy(dev->cfg.network.name, "fuzz");
	memset(dev->identity.static_private, 0x11, NOISE_PUBLIC_KEY_LEN);
	x25519_public(dev->identity.static_public, dev->identity.static_private);
	cookie_checker_init(&dev->cookie_checker, dev->identity.static_public);
	ratelimit_init(&dev->ratelimiter, 1);
	if (events_device_opened(dev))
		abort();
	for (int i = 0; i < 2; i++) {
		uint8_t private_key[NOISE_PUBLIC_KEY_LEN];

		memset(private_key, 0x22 + i, sizeof(private_key));
		x25519_public(peers[i].public_key, private_key);
		peers[i].node_id.s_addr = htonl(0x0a1a0002 + (uint32_t)i);
		peers[i].wireguard = i == 1;
		peers[i].endpoint.in.sin_family = AF_INET;
		peers[i].endpoint.in.sin_port = htons(51820);
	}
	device_set_peers(dev, peers, 2);
	return dev;
}

#endif

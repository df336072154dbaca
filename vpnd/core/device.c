/*
 * Bringing the device up and down: the TUN with its address, MTU and route
 * (all through netlink), and the peers from the config.
 * device_down undoes exactly what the two device_open steps did.
 */
#include "core/device.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stdio.h>
#include <sys/stat.h>

#include "clock.h"
#include "core/events.h"
#include "core/hub.h"
#include "core/send.h"
#include "core/tun_io.h"
#include "log.h"
#include "netlink.h"
#include "node_id.h"
#include "tun.h"

static int compare_node_ids(const void *a, const void *b)
{
	uint32_t x = ntohl((*(struct peer *const *)a)->config.node_id.s_addr);
	uint32_t y = ntohl((*(struct peer *const *)b)->config.node_id.s_addr);

	return (x > y) - (x < y);
}

void device_sort_peers(struct device *dev)
{
	qsort(dev->peers, dev->peer_count, sizeof(*dev->peers), compare_node_ids);
}

size_t device_strangers(const struct device *dev)
{
	size_t low = 0, high = dev->peer_count;

	/* Sorted by node ID: theirs, 0.0.0.0, come first. */
	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (dev->peers[mid]->config.node_id.s_addr)
			high = mid;
		else
			low = mid + 1;
	}
	return low;
}

/*
 * Handshake messages per second, estimated over a sliding second (the last
 * whole second weighted by how much of it the window still covers). Once
 * over the threshold, the device stays under load for another second, so
 * that the answer does not flicker with the window. Strangers waiting to
 * prove themselves (UNDER_LOAD_STRANGERS or more) are load too: a flood of
 * valid initiations slower than the threshold must not fill their table.
 */
bool device_under_load(struct device *dev, uint64_t now_ms)
{
	uint64_t elapsed = now_ms - dev->load_window_start_ms;
	uint64_t estimate;

	if (elapsed >= 1000) {
		dev->load_previous_second = elapsed >= 2000 ? 0 : dev->load_window_handshakes;
		dev->load_window_handshakes = 0;
		dev->load_window_start_ms = now_ms - elapsed % 1000;
		elapsed %= 1000;
	}
	dev->load_window_handshakes++;
	estimate =
	    dev->load_previous_second * (1000 - elapsed) / 1000 + dev->load_window_handshakes;
	if (estimate > UNDER_LOAD_HANDSHAKES_PER_SECOND ||
	    device_strangers(dev) >= UNDER_LOAD_STRANGERS)
		dev->under_load_until_ms = now_ms + 1000;
	return now_ms < dev->under_load_until_ms;
}

static int configure_tun(struct device *dev)
{
	const struct config *cfg = &dev->cfg;
	int ret;

	dev->ifindex = if_nametoindex(cfg->ifname);
	if (!dev->ifindex)
		return -errno;
	ret = netlink_addr_add(dev->ifindex, cfg->cert.node_id, cfg->network.subnet.length);
	if (ret)
		return ret;
	ret = netlink_link_set(dev->ifindex, cfg->mtu, true);
	if (ret)
		return ret;
	return netlink_route_add(dev->ifindex, &cfg->network.subnet, cfg->cert.node_id);
}

static int load_identity(struct device *dev)
{
	int len;

	memcpy(dev->identity.static_private, dev->cfg.private_key, NOISE_PUBLIC_KEY_LEN);
	memcpy(dev->identity.static_public, dev->cfg.public_key, NOISE_PUBLIC_KEY_LEN);
	cookie_checker_init(&dev->cookie_checker, dev->identity.static_public);
	dev->certificate_len = 0;
	if (!dev->cfg.has_cert)
		return 0; /* enrolling: the certificate comes later */
	len = cert_encode(&dev->cfg.cert, dev->certificate, sizeof(dev->certificate));
	if (len < 0)
		return len;
	dev->certificate_len = (size_t)len;
	return 0;
}

int device_load_blocklist(struct device *dev, char *error, size_t error_len)
{
	char path[512];

	if (!device_state_path(dev, "blocks", path, sizeof(path))) {
		snprintf(error, error_len, "the state directory's path is too long");
		return -ENAMETOOLONG;
	}
	return blocklist_load(&dev->blocks, path, error, error_len);
}

/* A blocklist that cannot be read stops the start: going on without it
 * would let in what it keeps out. */
static int load_blocklist(struct device *dev)
{
	char error[600];
	int ret = device_load_blocklist(dev, error, sizeof(error));

	if (ret)
		log_warnx("cannot read the blocklist: %s", error);
	return ret;
}

void device_apply_blocklist(struct device *dev)
{
	for (size_t i = 0; i < dev->peer_count; i++)
		if (peer_blocked(dev->peers[i]))
			peer_block(dev->peers[i]);
}

int device_open_network(struct device *dev)
{
	uint64_t seed;
	int ret;

	dev->tun_fd = -1;
	if (crypto_init() || crypto_random(&seed, sizeof(seed)))
		return -EIO;
	ratelimit_init(&dev->ratelimiter, seed);
	ratelimit_init(&dev->unknown_index, ~seed);
	ret = load_identity(dev);
	if (ret == 0)
		ret = load_blocklist(dev);
	if (ret == 0)
		ret = events_device_opened(dev);
	if (ret)
		return ret;
	device_set_peers(dev, dev->cfg.peers, dev->cfg.peer_count);
	device_connect_rendezvous(dev);
	return 0;
}

int device_open_interface(struct device *dev)
{
	int ret = load_identity(dev);

	if (ret)
		return ret;
	dev->tun_fd = tun_open(dev->cfg.ifname, &dev->tun_offloads);
	if (dev->tun_fd < 0) {
		ret = dev->tun_fd;
		log_warnx("cannot create interface %s: %s", dev->cfg.ifname,
			  ret == -EEXIST ? "an interface of that name exists" : strerror(-ret));
		goto fail;
	}
	ret = configure_tun(dev);
	if (ret) {
		log_warnx("cannot configure interface %s: %s", dev->cfg.ifname, strerror(-ret));
		goto fail;
	}
	dev->address_configured = true;
	ret = tun_io_watch(dev);
	if (ret)
		goto fail;
	events_interface_up(dev);
	return 0;
fail:
	device_down(dev);
	return ret;
}

static void close_if_open(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void device_down(struct device *dev)
{
	if (dev->address_configured)
		events_interface_down(dev);
	while (dev->peer_count)
		peer_remove(dev->peers[dev->peer_count - 1]);
	free(dev->peers);
	dev->peers = NULL;
	events_device_closed(dev);
	if (dev->address_configured)
		netlink_route_del(dev->ifindex, &dev->cfg.network.subnet);
	dev->address_configured = false;
	/* A non-persistent TUN disappears, with its addresses, when closed. */
	tun_io_unwatch(dev);
	close_if_open(&dev->tun_fd);
	crypto_wipe(&dev->identity, sizeof(dev->identity));
}

void device_present_certificate(struct device *dev)
{
	for (size_t i = 0; i < dev->peer_count; i++)
		if (dev->peers[i]->current.valid)
			send_certificate(dev->peers[i]);
}

void device_connect_rendezvous(struct device *dev)
{
	for (size_t i = 0; i < dev->peer_count; i++)
		if (dev->peers[i]->config.rendezvous && !dev->peers[i]->current.valid)
			send_handshake_initiation(dev->peers[i], false);
}

/* A peer's new configuration; a name it keeps keeps what it resolved to. */
static void keep_config(struct peer *peer, const struct config_peer *wanted)
{
	union endpoint resolved = peer->config.endpoint;
	bool same_name = wanted->endpoint_host[0] &&
			 strcmp(wanted->endpoint_host, peer->config.endpoint_host) == 0 &&
			 wanted->endpoint_port == peer->config.endpoint_port;

	peer->config = *wanted;
	if (same_name)
		peer->config.endpoint = resolved;
}

static const struct config_peer *find_config_peer(const struct config_peer *peers, size_t count,
						  const struct peer *peer)
{
	for (size_t i = 0; i < count; i++)
		if (peers[i].node_id.s_addr == peer->config.node_id.s_addr &&
		    !crypto_memneq(peers[i].public_key, peer->config.public_key,
				   NOISE_PUBLIC_KEY_LEN) &&
		    peers[i].wireguard == peer->config.wireguard)
			return &peers[i];
	return NULL;
}

void device_set_peers(struct device *dev, const struct config_peer *peers, size_t count)
{
	/* Peers that stay keep their sessions; a changed endpoint is taken. */
	for (size_t i = dev->peer_count; i-- > 0;) {
		struct peer *peer = dev->peers[i];
		const struct config_peer *wanted = find_config_peer(peers, count, peer);

		if (!wanted) {
			log_info("peer %s removed", NODE_ID(peer->config.node_id));
			peer_remove(peer);
			continue;
		}
		if (wanted->endpoint.sa.sa_family &&
		    !endpoint_equal(&wanted->endpoint, &peer->config.endpoint))
			peer->endpoint = wanted->endpoint;
		keep_config(peer, wanted);
	}
	for (size_t i = 0; i < count; i++) {
		if (peer_lookup_by_node_id(dev, peers[i].node_id))
			continue;
		if (peer_create(dev, &peers[i]))
			log_info("peer %s added", NODE_ID(peers[i].node_id));
	}
}

enum cert_status device_check_cert(const struct device *dev, const struct cert *cert)
{
	return cert_verify(cert, dev->cfg.network.public_key, dev->cfg.network.name,
			   (uint64_t)time(NULL));
}

bool device_state_path(const struct device *dev, const char *suffix, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s.%s", dev->cfg.state_dir, dev->cfg.ifname, suffix);

	return n > 0 && (size_t)n < len;
}

int device_make_state_dir(const struct device *dev)
{
	return mkdir(dev->cfg.state_dir, 0700) < 0 && errno != EEXIST ? -errno : 0;
}

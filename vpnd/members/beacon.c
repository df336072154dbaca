/* The LAN beacon (see beacon.h). */
#include "members/beacon.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/send.h"
#include "log.h"
#include "members/directory.h"
#include "netlink.h"
#include "node_id.h"
#include "wire.h"

enum { MAX_ADDRESSES = 16 };

static struct in_addr group(void)
{
	struct in_addr addr;

	inet_pton(AF_INET, BEACON_GROUP, &addr);
	return addr;
}

static int encode(const struct device *dev, uint8_t *buf, size_t len)
{
	struct beacon beacon = {
	    .port = dev->hub->listen_port,
	    .time_s = (uint64_t)time(NULL),
	    .cert = dev->cfg.cert,
	};

	return wire_encode_beacon(buf, len, &beacon, dev->cfg.network.secret);
}

/* To the group on each of our IPv4 addresses (joining it there too: the
 * machine's addresses come and go), or to one node. */
static void announce(struct beacon_state *b, const struct sockaddr_in *to)
{
	struct device *dev = b->dev;
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_addr = group(),
				  .sin_port = htons(dev->cfg.beacon_port)};
	union endpoint addrs[MAX_ADDRESSES];
	uint8_t buf[WIRE_BEACON_MAX_LEN];
	int len = dev->cfg.has_cert ? encode(dev, buf, sizeof(buf)) : -EINVAL;
	int count;

	if (len < 0)
		return;
	if (to) {
		sendto(b->watch.fd, buf, (size_t)len, 0, (const struct sockaddr *)to, sizeof(*to));
		return;
	}
	count = netlink_local_addresses(addrs, MAX_ADDRESSES, dev->ifindex, 0);
	for (int i = 0; i < count; i++) {
		struct ip_mreq join = {.imr_multiaddr = group(), .imr_interface = addrs[i].in.sin_addr};

		if (addrs[i].sa.sa_family != AF_INET)
			continue;
		setsockopt(b->watch.fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof(join));
		if (setsockopt(b->watch.fd, IPPROTO_IP, IP_MULTICAST_IF, &addrs[i].in.sin_addr,
			       sizeof(addrs[i].in.sin_addr)) == 0)
			sendto(b->watch.fd, buf, (size_t)len, 0, (const struct sockaddr *)&dst,
			       sizeof(dst));
	}
}

static void send_due(struct timer *timer)
{
	struct beacon_state *b = container_of(timer, struct beacon_state, send);

	announce(b, NULL);
	timer_arm(timer, clock_ms() + BEACON_INTERVAL_MS);
}

/* The lower node ID of two starts the handshake (see beacon.h). */
static void greet_due(struct timer *timer)
{
	struct beacon_state *b = container_of(timer, struct beacon_state, greet);

	for (size_t i = 0; i < b->greeting_count; i++) {
		struct peer *peer = peer_lookup_by_node_id(b->dev, b->greetings[i]);

		if (peer && !peer->current.valid)
			send_handshake_initiation(peer, false);
	}
	b->greeting_count = 0;
}

static void greet_soon(struct beacon_state *b, struct in_addr node_id)
{
	for (size_t i = 0; i < b->greeting_count; i++)
		if (b->greetings[i].s_addr == node_id.s_addr)
			return;
	if (b->greeting_count < BEACON_MAX_GREETINGS)
		b->greetings[b->greeting_count++] = node_id;
	if (!timer_armed(&b->greet))
		timer_arm(&b->greet, clock_ms() + BEACON_HANDSHAKE_DELAY_MS);
}

/* A member's beacon: where it is on our link. Configured peers keep the
 * endpoints they have; a peer with a direct path keeps it. */
static void learn(struct beacon_state *b, const struct beacon *beacon,
		  const struct sockaddr_in *src)
{
	struct device *dev = b->dev;
	union endpoint at = {.in = {.sin_family = AF_INET, .sin_addr = src->sin_addr,
				    .sin_port = htons(beacon->port)}};
	struct candidate_list candidates;
	struct peer *peer;

	if (!candidate_usable(&at, &dev->cfg.network.subnet))
		return;
	peer = directory_learn(dev, &beacon->cert, "from a LAN beacon");
	if (!peer || !peer->dynamic || peer->current.valid)
		return;
	candidates = peer->location.candidates;
	candidate_list_add(&candidates, &at);
	peer_set_location(peer, peer->location.nat, NULL, &candidates);
	if (!peer->path.direct_up)
		path_set_endpoint(peer, &at);
	announce(b, src);
	if (ntohl(dev->cfg.cert.node_id.s_addr) < ntohl(peer->config.node_id.s_addr))
		greet_soon(b, peer->config.node_id);
}

static void heard(struct watch *watch, uint32_t events)
{
	struct beacon_state *b = container_of(watch, struct beacon_state, watch);
	struct device *dev = b->dev;
	uint8_t buf[WIRE_BEACON_MAX_LEN + 1];
	struct sockaddr_in src;
	struct beacon beacon;
	ssize_t len;

	for (int n = 0; n < BEACON_PER_SECOND; n++) {
		socklen_t src_len = sizeof(src);

		len = recvfrom(watch->fd, buf, sizeof(buf), 0, (struct sockaddr *)&src, &src_len);
		if (len < 0)
			return;
		if (!budget_take(&b->heard, BEACON_PER_SECOND, 1000, clock_ms()) ||
		    src_len != sizeof(src) ||
		    wire_decode_beacon(buf, (size_t)len, &beacon, dev->cfg.network.secret))
			continue;
		if (llabs((long long)beacon.time_s - (long long)time(NULL)) > BEACON_MAX_AGE_S ||
		    beacon.cert.node_id.s_addr == dev->cfg.cert.node_id.s_addr)
			continue;
		learn(b, &beacon, &src);
	}
}

static int open_socket(uint16_t port)
{
	struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, ttl = 1, loop = 0;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) ||
	    bind(fd, (struct sockaddr *)&any, sizeof(any))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int beacon_device_init(struct device *dev)
{
	struct beacon_state *b;
	int fd;

	if (!dev->cfg.beacon_enabled)
		return 0;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->dev = dev;
	timer_init(&b->send, &dev->hub->loop, send_due);
	timer_init(&b->greet, &dev->hub->loop, greet_due);
	fd = open_socket(dev->cfg.beacon_port);
	if (fd < 0 || loop_watch(&dev->hub->loop, &b->watch, fd, EPOLLIN, heard)) {
		log_warnx("LAN beacon: cannot listen on UDP port %u: %s", dev->cfg.beacon_port,
			  strerror(fd < 0 ? -fd : errno));
		if (fd >= 0)
			close(fd);
		free(b);
		return 0; /* the node runs without */
	}
	dev->beacon = b;
	return 0;
}

void beacon_device_free(struct device *dev)
{
	struct beacon_state *b = dev->beacon;

	if (!b)
		return;
	timer_cancel(&b->send);
	timer_cancel(&b->greet);
	loop_unwatch(&dev->hub->loop, &b->watch);
	close(b->watch.fd);
	free(b);
	dev->beacon = NULL;
}

void beacon_start(struct device *dev)
{
	if (dev->beacon)
		timer_arm(&dev->beacon->send, clock_ms());
}

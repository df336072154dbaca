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

static struct in6_addr group6(void)
{
	struct in6_addr addr;

	inet_pton(AF_INET6, BEACON_GROUP6, &addr);
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
 * machine's addresses come and go). */
static void announce_ipv4(struct beacon_state *b, const uint8_t *buf, size_t len)
{
	struct device *dev = b->dev;
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_addr = group(),
				  .sin_port = htons(dev->cfg.beacon_port)};
	union endpoint addrs[MAX_ADDRESSES];
	int count = netlink_local_addresses(addrs, MAX_ADDRESSES, dev->ifindex, 0);

	for (int i = 0; i < count; i++) {
		struct ip_mreq join = {.imr_multiaddr = group(), .imr_interface = addrs[i].in.sin_addr};

		if (addrs[i].sa.sa_family != AF_INET)
			continue;
		setsockopt(b->watch.fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof(join));
		if (setsockopt(b->watch.fd, IPPROTO_IP, IP_MULTICAST_IF, &addrs[i].in.sin_addr,
			       sizeof(addrs[i].in.sin_addr)) == 0)
			sendto(b->watch.fd, buf, len, 0, (const struct sockaddr *)&dst, sizeof(dst));
	}
}

/* To the link-local group on each link with an IPv6 link-local address
 * (once per link). */
static void announce_ipv6(struct beacon_state *b, const uint8_t *buf, size_t len)
{
	struct device *dev = b->dev;
	struct sockaddr_in6 dst = {.sin6_family = AF_INET6, .sin6_addr = group6(),
				   .sin6_port = htons(dev->cfg.beacon_port)};
	union endpoint addrs[MAX_ADDRESSES];
	int count = netlink_link_local_addresses(addrs, MAX_ADDRESSES, dev->ifindex);

	for (int i = 0; i < count; i++) {
		unsigned int ifindex = addrs[i].in6.sin6_scope_id;
		struct ipv6_mreq join = {.ipv6mr_multiaddr = group6(), .ipv6mr_interface = ifindex};
		bool sent = false;

		for (int j = 0; j < i; j++)
			sent = sent || addrs[j].in6.sin6_scope_id == ifindex;
		if (sent)
			continue;
		setsockopt(b->watch6.fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &join, sizeof(join));
		dst.sin6_scope_id = ifindex;
		if (setsockopt(b->watch6.fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
			       sizeof(ifindex)) == 0)
			sendto(b->watch6.fd, buf, len, 0, (const struct sockaddr *)&dst, sizeof(dst));
	}
}

/* To every link (to NULL), or to one node. */
static void announce(struct beacon_state *b, const union endpoint *to)
{
	uint8_t buf[WIRE_BEACON_MAX_LEN];
	int len = b->dev->cfg.has_cert ? encode(b->dev, buf, sizeof(buf)) : -EINVAL;

	if (len < 0)
		return;
	if (to) {
		sendto(to->sa.sa_family == AF_INET6 ? b->watch6.fd : b->watch.fd, buf, (size_t)len,
		       0, &to->sa, endpoint_len(to));
		return;
	}
	announce_ipv4(b, buf, (size_t)len);
	if (b->watch6.fd >= 0)
		announce_ipv6(b, buf, (size_t)len);
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

/* Where a beacon may put a member: IPv4 as any candidate; IPv6 only on
 * the link it came from (link-local, with its interface, not our TUN): a
 * global source would be a beacon sent on from elsewhere. */
static bool usable(const struct device *dev, const union endpoint *at)
{
	if (at->sa.sa_family == AF_INET6)
		return IN6_IS_ADDR_LINKLOCAL(&at->in6.sin6_addr) && at->in6.sin6_scope_id &&
		       at->in6.sin6_scope_id != dev->ifindex && at->in6.sin6_port;
	return candidate_usable(at, &dev->cfg.network.subnet);
}

/* A member's beacon: where it is on our link. Configured peers keep the
 * endpoints they have; a peer with a direct path keeps it. */
static void learn(struct beacon_state *b, const struct beacon *beacon, const union endpoint *src)
{
	struct device *dev = b->dev;
	union endpoint at = *src;
	struct candidate_list candidates;
	struct peer *peer;

	if (at.sa.sa_family == AF_INET6)
		at.in6.sin6_port = htons(beacon->port);
	else
		at.in.sin_port = htons(beacon->port);
	if (!usable(dev, &at))
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

/* Reads what waits on fd: at most BEACON_PER_SECOND a second, over both
 * sockets. */
static void read_beacons(struct beacon_state *b, int fd)
{
	struct device *dev = b->dev;
	uint8_t buf[WIRE_BEACON_MAX_LEN + 1];
	struct beacon beacon;
	union endpoint src;
	ssize_t len;

	for (int n = 0; n < BEACON_PER_SECOND; n++) {
		socklen_t src_len = sizeof(src);

		len = recvfrom(fd, buf, sizeof(buf), 0, &src.sa, &src_len);
		if (len < 0)
			return;
		if (!budget_take(&b->heard, BEACON_PER_SECOND, 1000, clock_ms()) ||
		    src_len != endpoint_len(&src) ||
		    wire_decode_beacon(buf, (size_t)len, &beacon, dev->cfg.network.secret))
			continue;
		if (llabs((long long)beacon.time_s - (long long)time(NULL)) > BEACON_MAX_AGE_S ||
		    beacon.cert.node_id.s_addr == dev->cfg.cert.node_id.s_addr)
			continue;
		learn(b, &beacon, &src);
	}
}

static void heard_ipv4(struct watch *watch, uint32_t events)
{
	(void)events;
	read_beacons(container_of(watch, struct beacon_state, watch), watch->fd);
}

static void heard_ipv6(struct watch *watch, uint32_t events)
{
	(void)events;
	read_beacons(container_of(watch, struct beacon_state, watch6), watch->fd);
}

static int configure(int fd, int family, uint16_t port)
{
	union endpoint any = {0};
	int one = 1, zero = 0;

	any.sa.sa_family = (sa_family_t)family;
	if (family == AF_INET6) {
		any.in6.sin6_port = htons(port);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof(one)) ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)))
			return -errno;
	} else {
		any.in.sin_port = htons(port);
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &one, sizeof(one)) ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)))
			return -errno;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, &any.sa, endpoint_len(&any)))
		return -errno;
	return 0;
}

/* The beacon socket of one family, watched; its fd, or a negative errno. */
static int open_socket(struct beacon_state *b, int family, struct watch *watch,
		       void (*ready)(struct watch *, uint32_t))
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int ret = fd < 0 ? -errno : configure(fd, family, b->dev->cfg.beacon_port);

	if (!ret && loop_watch(&b->dev->hub->loop, watch, fd, EPOLLIN, ready))
		ret = -errno;
	if (ret && fd >= 0)
		close(fd);
	watch->fd = ret ? -1 : fd;
	return ret;
}

static void close_socket(struct beacon_state *b, struct watch *watch)
{
	if (watch->fd < 0)
		return;
	loop_unwatch(&b->dev->hub->loop, watch);
	close(watch->fd);
	watch->fd = -1;
}

int beacon_device_init(struct device *dev)
{
	struct beacon_state *b;
	int ret;

	if (!dev->cfg.beacon_enabled)
		return 0;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->dev = dev;
	timer_init(&b->send, &dev->hub->loop, send_due);
	timer_init(&b->greet, &dev->hub->loop, greet_due);
	ret = open_socket(b, AF_INET, &b->watch, heard_ipv4);
	if (ret < 0) {
		log_warnx("LAN beacon: cannot listen on UDP port %u: %s", dev->cfg.beacon_port,
			  strerror(-ret));
		free(b);
		return 0; /* the node runs without */
	}
	/* IPv6 endpoints need a dual-stack main socket to reach them. */
	if (dev->hub->udp_family == AF_INET6)
		open_socket(b, AF_INET6, &b->watch6, heard_ipv6);
	else
		b->watch6.fd = -1;
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
	close_socket(b, &b->watch);
	close_socket(b, &b->watch6);
	free(b);
	dev->beacon = NULL;
}

void beacon_start(struct device *dev)
{
	if (dev->beacon)
		timer_arm(&dev->beacon->send, clock_ms());
}

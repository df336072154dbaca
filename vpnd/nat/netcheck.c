/*
 * NAT detection. One run sends a Binding request to each server (every
 * rendezvous peer's endpoint, and stun_servers) from the node's UDP socket,
 * waits NETCHECK_TIMEOUT_MS, and keeps what came back. The analysis:
 *   - UDP works if any server answered;
 *   - mapping is endpoint-independent ("cone") when every server saw the
 *     same address and port, endpoint-dependent ("symmetric") otherwise
 *     (this needs two servers, or one rendezvous with its second port);
 *   - the port is preserved when the mapped port is our listening port;
 *   - the spread is the range of mapped ports seen.
 */
#include "nat/netcheck.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <stdlib.h>

#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"
#include "core/send.h"
#include "log.h"
#include "netlink.h"

static void add_probe(struct netcheck *nc, const union endpoint *server)
{
	struct netcheck_probe *probe;

	if (nc->count == NETCHECK_MAX_PROBES || !server->sa.sa_family)
		return;
	probe = &nc->probes[nc->count++];
	memset(probe, 0, sizeof(*probe));
	probe->server = *server;
	crypto_random(probe->txid, sizeof(probe->txid));
}

void netcheck_start(struct device *dev)
{
	struct netcheck *nc = dev->netcheck;
	uint64_t now = clock_ms();

	nc->count = 0;
	for (size_t i = 0; i < dev->peer_count; i++)
		if (dev->peers[i]->config.rendezvous)
			add_probe(nc, &dev->peers[i]->config.endpoint);
	for (size_t i = 0; i < dev->cfg.stun_server_count; i++)
		add_probe(nc, &dev->cfg.stun_servers[i]);
	for (size_t i = 0; i < nc->count; i++) {
		uint8_t request[STUN_HEADER_LEN];

		stun_build_request(request, sizeof(request), nc->probes[i].txid);
		nc->probes[i].sent_ms = now;
		send_to_endpoint(dev, &nc->probes[i].server, request, sizeof(request));
	}
	timer_arm(&nc->finish, now + NETCHECK_TIMEOUT_MS);
	timer_arm(&nc->next_run, now + NETCHECK_INTERVAL_S * 1000ULL);
}

void netcheck_schedule_first(struct device *dev)
{
	timer_arm(&dev->netcheck->next_run, clock_ms() + NETCHECK_FIRST_RUN_MS);
}

static void answer(struct device *dev, int fd, const uint8_t *buf, size_t len,
		   const union endpoint *src)
{
	uint8_t txid[STUN_TXID_LEN], reply[STUN_MAX_RESPONSE_LEN];
	union endpoint to = *src;
	int reply_len;

	if (!dev->cfg.rendezvous_enabled || stun_parse_request(buf, len, txid))
		return;
	/* An answer is no bigger than the request, but an answer all the same:
	 * a source (spoofed or not) gets the handshakes' rate of them. */
	if (!ratelimit_allow_from(&dev->netcheck->answers, src, clock_ms())) {
		dev->unattributed.drops[DROP_RATELIMIT]++;
		return;
	}
	reply_len = stun_build_response(reply, sizeof(reply), txid, src);
	if (reply_len < 0)
		return;
	if (dev->hub->udp_family == AF_INET6)
		endpoint_to_v6(&to);
	sendto(fd, reply, (size_t)reply_len, 0, &to.sa, endpoint_len(&to));
}

static void record(struct device *dev, const uint8_t *buf, size_t len)
{
	struct netcheck *nc = dev->netcheck;
	uint8_t txid[STUN_TXID_LEN];
	union endpoint mapped;

	if (!timer_armed(&nc->finish) || stun_parse_response(buf, len, txid, &mapped))
		return;
	for (size_t i = 0; i < nc->count; i++) {
		struct netcheck_probe *probe = &nc->probes[i];

		if (!probe->answered && !memcmp(probe->txid, txid, STUN_TXID_LEN)) {
			probe->answered = true;
			probe->mapped = mapped;
			probe->rtt_ms = clock_ms() - probe->sent_ms;
		}
	}
}

bool netcheck_receive(struct device *dev, int fd, const uint8_t *buf, size_t len,
		      const union endpoint *src)
{
	if (!stun_is_message(buf, len))
		return false;
	if (buf[0] == 0x00)
		answer(dev, fd, buf, len, src);
	else
		record(dev, buf, len);
	return true;
}

static enum nat_type classify(const struct netcheck *nc);

/* A new NAT type is news for the rendezvous (which tells the members) and
 * for punching that waited for it. */
static void learned_nat_type(struct device *dev)
{
	enum nat_type type = classify(dev->netcheck);

	if (type == NAT_UNKNOWN || type == dev->nat_type)
		return;
	dev->nat_type = (uint8_t)type;
	log_info("netcheck: %s NAT", nat_type_name(type));
	events_nat_type_learned(dev);
}

static void finish(struct timer *timer)
{
	struct netcheck *nc = container_of(timer, struct netcheck, finish);

	memcpy(nc->last, nc->probes, sizeof(nc->last));
	nc->last_count = nc->count;
	nc->finished = time(NULL);
	learned_nat_type(nc->dev);
}

static void next_run(struct timer *timer)
{
	struct netcheck *nc = container_of(timer, struct netcheck, next_run);

	if (timer_armed(&nc->finish))
		timer_arm(timer, nc->finish.deadline_ms + 1); /* after the run in progress */
	else
		netcheck_start(nc->dev);
}

int netcheck_device_init(struct device *dev)
{
	struct netcheck *nc = calloc(1, sizeof(*nc));
	uint64_t seed = 0;

	if (!nc)
		return -ENOMEM;
	nc->dev = dev;
	crypto_random(&seed, sizeof(seed)); /* a known seed only lets collisions be aimed */
	ratelimit_init(&nc->answers, seed);
	timer_init(&nc->finish, &dev->hub->loop, finish);
	timer_init(&nc->next_run, &dev->hub->loop, next_run);
	dev->netcheck = nc;
	return 0;
}

void netcheck_device_free(struct device *dev)
{
	if (!dev->netcheck)
		return;
	timer_cancel(&dev->netcheck->finish);
	timer_cancel(&dev->netcheck->next_run);
	free(dev->netcheck);
	dev->netcheck = NULL;
}

bool netcheck_public_address(const struct device *dev, struct in_addr *address)
{
	const struct netcheck *nc = dev->netcheck;

	for (size_t i = 0; nc && i < nc->last_count; i++) {
		union endpoint mapped = nc->last[i].mapped;

		endpoint_unmap_v4(&mapped);
		if (nc->last[i].answered && mapped.sa.sa_family == AF_INET) {
			*address = mapped.in.sin_addr;
			return true;
		}
	}
	return false;
}

static uint16_t port_of(const union endpoint *ep)
{
	return ntohs(ep->sa.sa_family == AF_INET ? ep->in.sin_port : ep->in6.sin6_port);
}

static const char *mapping_kind(const struct netcheck *nc, int *spread, bool *preserved,
				uint16_t listen_port)
{
	const union endpoint *first = NULL;
	uint16_t low = 65535, high = 0;
	size_t answered = 0;
	bool same = true;

	*preserved = false;
	for (size_t i = 0; i < nc->last_count; i++) {
		const struct netcheck_probe *probe = &nc->last[i];
		uint16_t port = port_of(&probe->mapped);

		if (!probe->answered)
			continue;
		answered++;
		if (!first)
			first = &probe->mapped;
		else if (!endpoint_equal(first, &probe->mapped))
			same = false;
		low = port < low ? port : low;
		high = port > high ? port : high;
		*preserved = *preserved || port == listen_port;
	}
	*spread = answered ? high - low : 0;
	if (answered < 2)
		return answered ? "unknown (one server answered)" : "unknown (no answer)";
	return same ? "endpoint-independent" : "endpoint-dependent";
}

static bool has_global_ipv6(const struct device *dev)
{
	union endpoint addrs[16];
	int count = netlink_local_addresses(addrs, 16, dev->ifindex, 0);

	for (int i = 0; i < count; i++)
		if (addrs[i].sa.sa_family == AF_INET6)
			return true;
	return false;
}

static enum nat_type classify(const struct netcheck *nc)
{
	bool preserved;
	int spread;
	const char *mapping = mapping_kind(nc, &spread, &preserved, 0);

	if (strcmp(mapping, "endpoint-independent") == 0)
		return NAT_CONE;
	if (strcmp(mapping, "endpoint-dependent") == 0)
		return NAT_SYMMETRIC;
	return NAT_UNKNOWN;
}

void netcheck_report(const struct device *dev, json_object *reply)
{
	const struct netcheck *nc = dev->netcheck;
	json_object *servers = json_object_new_array();
	bool preserved, udp = false;
	int spread;
	const char *mapping = mapping_kind(nc, &spread, &preserved, dev->hub->listen_port);

	for (size_t i = 0; i < nc->last_count; i++) {
		const struct netcheck_probe *probe = &nc->last[i];
		json_object *entry = json_object_new_object();
		char text[ENDPOINT_STRLEN];

		endpoint_format(&probe->server, text, sizeof(text));
		json_object_object_add(entry, "server", json_object_new_string(text));
		if (probe->answered) {
			endpoint_format(&probe->mapped, text, sizeof(text));
			json_object_object_add(entry, "mapped", json_object_new_string(text));
			json_object_object_add(entry, "rtt_ms",
					       json_object_new_int64((int64_t)probe->rtt_ms));
			udp = true;
		}
		json_object_array_add(servers, entry);
	}
	json_object_object_add(reply, "checked", json_object_new_int64((int64_t)nc->finished));
	json_object_object_add(reply, "udp", json_object_new_boolean(udp));
	json_object_object_add(reply, "mapping", json_object_new_string(mapping));
	json_object_object_add(reply, "nat", json_object_new_string(nat_type_name(classify(nc))));
	json_object_object_add(reply, "port_preserved", json_object_new_boolean(preserved));
	json_object_object_add(reply, "port_spread", json_object_new_int(spread));
	json_object_object_add(reply, "ipv6", json_object_new_boolean(has_global_ipv6(dev)));
	json_object_object_add(reply, "servers", servers);
}

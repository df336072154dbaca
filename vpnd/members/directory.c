/*
 * Registering with rendezvous nodes and learning members from them. A
 * member's certificate in a PEER_INFO is verified against the network key
 * like one presented in a session, so a learned peer needs no certificate
 * exchange of its own; its static key is the one the handshake will prove.
 */
#include "members/directory.h"

#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "nat/birthday.h"
#include "core/device.h"
#include "log.h"
#include "netlink.h"
#include "core/path.h"
#include "core/relay.h"
#include "core/send.h"
#include "wire.h"

void directory_register(struct peer *rendezvous)
{
	struct device *dev = rendezvous->dev;
	struct registration reg = {.nat = dev->nat_type};
	uint8_t msg[3 + WIRE_CANDIDATE_MAX_LEN * WIRE_MAX_CANDIDATES];
	int count, len;

	count = netlink_local_addresses(reg.candidates.items, WIRE_MAX_CANDIDATES, dev->ifindex,
					dev->hub->listen_port);
	reg.candidates.count = count > 0 ? (size_t)count : 0;
	len = wire_encode_register(msg, sizeof(msg), &reg);
	if (len > 0 && send_plaintext(rendezvous, msg, (size_t)len) == 0)
		log_debug("registered %zu host candidates with %s", reg.candidates.count,
			  inet_ntoa(rendezvous->config.node_id));
	rendezvous->timers.register_again = clock_ms() + REGISTER_INTERVAL * 1000ULL;
	path_probe_udp(rendezvous);
}

static bool acceptable(const struct device *dev, const struct peer_info *info)
{
	enum cert_status status = cert_verify(&info->cert, dev->cfg.network.public_key,
					      dev->cfg.network.name, (uint64_t)time(NULL));

	if (status != CERT_OK) {
		log_warnx("directory: certificate of %s refused: %s", inet_ntoa(info->cert.node_id),
			  cert_status_string(status));
		return false;
	}
	return info->cert.node_id.s_addr != dev->cfg.cert.node_id.s_addr &&
	       ipv4_prefix_contains(&dev->cfg.network.subnet, info->cert.node_id);
}

static struct peer *member_peer(struct device *dev, const struct peer_info *info)
{
	struct peer *peer = peer_lookup_by_key(dev, info->cert.public_key);
	struct peer *holder = peer_lookup_by_node_id(dev, info->cert.node_id);

	if (peer)
		return peer->config.node_id.s_addr == info->cert.node_id.s_addr ? peer : NULL;
	if (holder) {
		log_warnx("directory: %s already belongs to another key",
			  inet_ntoa(holder->config.node_id));
		return NULL;
	}
	peer = peer_create_dynamic(dev, info->cert.public_key, info->cert.node_id);
	if (peer)
		log_info("peer %s learned from the directory", inet_ntoa(info->cert.node_id));
	return peer;
}

/*
 * Relay links are measured before anyone needs them: a session starts with
 * every member that may relay, and a relay starts one with every member.
 * Both sides learn of each other at once, and two initiations that cross
 * undo each other (each side's answer replaces its own handshake), so only
 * the lower node ID starts.
 */
static bool wants_relay_link(const struct device *dev, const struct cert *other)
{
	return ((other->flags & CERT_FLAG_RELAY) || relay_allowed(dev)) &&
	       ntohl(dev->cfg.cert.node_id.s_addr) < ntohl(other->node_id.s_addr);
}

void directory_receive_peer_info(struct peer *rendezvous, const uint8_t *data, size_t len)
{
	struct device *dev = rendezvous->dev;
	struct peer_info info;
	struct peer *peer;

	if (!rendezvous->config.rendezvous || !rendezvous->certificate_verified ||
	    wire_decode_peer_info(data, len, &info)) {
		peer_count_drop(rendezvous, DROP_MALFORMED);
		return;
	}
	if (!acceptable(dev, &info))
		return;
	peer = member_peer(dev, &info);
	if (!peer || peer->config.wireguard)
		return;
	peer->certificate = info.cert;
	peer->certificate_verified = true;
	peer->certificate_not_after = (time_t)info.cert.not_after;
	if (!endpoint_equal(&peer->path.reflexive, &info.reflexive) && !peer->path.direct_up) {
		/* Somewhere new to punch to: no need to wait out a backoff. */
		peer->timers.punch = 0;
		peer->path.punch_backoff_s = 0;
	}
	peer->path.reflexive = info.reflexive;
	peer->path.nat = info.nat;
	peer->path.candidates = info.candidates;
	if (peer->dynamic)
		peer->path.relay = rendezvous->config.node_id;
	if (peer->current.valid) {
		path_session_started(peer);
		birthday_start(peer); /* the NAT type may be news */
	} else if (wants_relay_link(dev, &info.cert)) {
		send_handshake_initiation(peer, false);
	}
}

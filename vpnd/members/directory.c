/*
 * Registering with rendezvous nodes and learning members from them. A
 * member's certificate in a PEER_INFO is verified against the network key
 * like one presented in a session, so a learned peer needs no certificate
 * exchange of its own; its static key is the one the handshake will prove.
 */
#include "members/directory.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "core/certificate.h"
#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/probe.h"
#include "core/relay.h"
#include "core/send.h"
#include "log.h"
#include "netlink.h"
#include "node_id.h"
#include "wire.h"

void directory_register(struct peer *rendezvous)
{
	struct device *dev = rendezvous->dev;
	struct registration reg = {.nat = dev->nat_type};
	uint8_t msg[3 + WIRE_CANDIDATE_MAX_LEN * WIRE_MAX_CANDIDATES];
	int count, len;

	/* The gateway's mapped port first: it passes any NAT. */
	if (dev->mapped_candidate.sa.sa_family)
		reg.candidates.items[reg.candidates.count++] = dev->mapped_candidate;
	count = netlink_local_addresses(reg.candidates.items + reg.candidates.count,
					WIRE_MAX_CANDIDATES - reg.candidates.count, dev->ifindex,
					dev->hub->listen_port);
	reg.candidates.count += count > 0 ? (size_t)count : 0;
	len = wire_encode_register(msg, sizeof(msg), &reg);
	if (len > 0 && send_plaintext(rendezvous, msg, (size_t)len) == 0)
		log_debug("registered %zu candidates with %s", reg.candidates.count,
			  NODE_ID(rendezvous->config.node_id));
	timer_arm(&rendezvous->register_refresh->again, clock_ms() + REGISTER_INTERVAL_S * 1000ULL);
	/* While on TCP, ask over UDP whether it works (again). */
	if (path_over_tcp(rendezvous))
		probe_send_untimed(rendezvous, -1, &rendezvous->config.endpoint);
}

void directory_register_soon(struct peer *rendezvous)
{
	struct timer *again = &rendezvous->register_refresh->again;

	if (timer_armed(again))
		timer_arm(again, clock_ms());
}

static void register_again(struct timer *timer)
{
	directory_register(container_of(timer, struct register_refresh, again)->rendezvous);
}

int directory_peer_init(struct peer *peer)
{
	peer->register_refresh = calloc(1, sizeof(*peer->register_refresh));
	if (!peer->register_refresh)
		return -ENOMEM;
	peer->register_refresh->rendezvous = peer;
	timer_init(&peer->register_refresh->again, &peer->dev->hub->loop, register_again);
	return 0;
}

void directory_peer_free(struct peer *peer)
{
	if (!peer->register_refresh)
		return;
	timer_cancel(&peer->register_refresh->again);
	free(peer->register_refresh);
	peer->register_refresh = NULL;
}

/* A certificate the directory sends again (with every introduction) that
 * a peer holds is not verified again. */
static bool known(const struct device *dev, const struct cert *cert)
{
	const struct peer *peer = peer_lookup_by_key(dev, cert->public_key);

	return peer && certificate_held(peer, cert);
}

static bool acceptable(const struct device *dev, const struct cert *cert)
{
	enum cert_status status = known(dev, cert) ? CERT_OK : device_check_cert(dev, cert);

	if (status != CERT_OK) {
		log_warnx("directory: certificate of %s refused: %s", NODE_ID(cert->node_id),
			  cert_status_string(status));
		return false;
	}
	return cert->node_id.s_addr != dev->cfg.cert.node_id.s_addr &&
	       ipv4_prefix_contains(&dev->cfg.network.subnet, cert->node_id) &&
	       !peer_node_blocked(dev, cert->node_id) &&
	       !blocklist_has_key(&dev->blocks, cert->public_key);
}

static struct peer *member_peer(struct device *dev, const struct cert *cert, const char *how)
{
	struct peer *peer = peer_lookup_by_key(dev, cert->public_key);
	struct peer *holder = peer_lookup_by_node_id(dev, cert->node_id);

	if (peer)
		return peer->config.node_id.s_addr == cert->node_id.s_addr ? peer : NULL;
	if (holder) {
		log_warnx("directory: %s already belongs to another key",
			  NODE_ID(holder->config.node_id));
		return NULL;
	}
	peer = peer_create_dynamic(dev, cert->public_key, cert->node_id);
	if (peer)
		log_info("peer %s learned %s", NODE_ID(cert->node_id), how);
	return peer;
}

struct peer *directory_learn(struct device *dev, const struct cert *cert, const char *how)
{
	struct peer *peer;

	if (!acceptable(dev, cert))
		return NULL;
	peer = member_peer(dev, cert, how);
	if (!peer || peer->config.wireguard)
		return NULL;
	certificate_adopt(peer, cert);
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

void directory_receive_peer_info(struct peer *rendezvous, uint8_t *msg, size_t len,
				 const struct origin *from)
{
	struct device *dev = rendezvous->dev;
	struct peer_info info;
	struct peer *peer;
	bool moved;

	if (wire_decode_peer_info(msg, len, &info)) {
		peer_count_drop(rendezvous, DROP_MALFORMED);
		return;
	}
	peer = directory_learn(dev, &info.cert, "from the directory");
	if (!peer)
		return;
	/* Where we will send probes: only places a member may be. */
	candidate_list_sanitize(&info.candidates, &dev->cfg.network.subnet);
	if (!candidate_usable(&info.reflexive, &dev->cfg.network.subnet))
		memset(&info.reflexive, 0, sizeof(info.reflexive));
	moved = !endpoint_equal(&peer->location.reflexive, &info.reflexive);
	peer_set_location(peer, info.nat, &info.reflexive, &info.candidates);
	if (peer->dynamic)
		path_set_relay(peer, rendezvous->config.node_id);
	events_peer_located(peer, moved);
	if (!peer->current.valid && wants_relay_link(dev, &info.cert))
		send_handshake_initiation(peer, false);
}

/*
 * Serving as rendezvous. An initiator we do not know gets a provisional
 * peer (node ID 0.0.0.0) so that the handshake can finish; it becomes a
 * member when its certificate verifies, and is forgotten after
 * DYNAMIC_PEER_UNVERIFIED_MAX_S otherwise. Each REGISTER updates the
 * member's host candidates; when where it is changed, it is introduced to
 * every other member, and them to it.
 */
#include "members/rendezvous.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/send.h"
#include "log.h"
#include "node_id.h"
#include "wire.h"

/* The stranger that waited longest without a confirmed session (one that
 * has one knows the network secret), or NULL. */
static struct peer *oldest_unproven(const struct device *dev, size_t strangers)
{
	struct peer *oldest = NULL;

	for (size_t i = 0; i < strangers; i++) {
		struct peer *peer = dev->peers[i];

		if (!peer->current.valid && (!oldest || peer->created_ms < oldest->created_ms))
			oldest = peer;
	}
	return oldest;
}

struct peer *rendezvous_accept_unknown(struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN])
{
	struct in_addr unknown = {0};
	size_t strangers = device_strangers(dev);

	/* An initiation decrypts without the network secret: anyone can get
	 * this far, so strangers waiting to prove themselves are capped, and
	 * at the cap the one that waited longest makes way (a member proves
	 * itself within a round trip; cookies keep spoofed floods out). */
	if (!dev->cfg.rendezvous_enabled)
		return NULL;
	if (strangers >= RENDEZVOUS_MAX_UNVERIFIED) {
		struct peer *oldest = oldest_unproven(dev, strangers);

		if (!oldest)
			return NULL;
		peer_remove(oldest);
	}
	return peer_create_dynamic(dev, key, unknown);
}

bool rendezvous_claim_node_id(struct peer *peer, const struct cert *cert)
{
	struct device *dev = peer->dev;
	struct peer *holder = peer_lookup_by_node_id(dev, cert->node_id);

	if (peer->config.node_id.s_addr)
		return peer->config.node_id.s_addr == cert->node_id.s_addr;
	if (cert->node_id.s_addr == dev->cfg.cert.node_id.s_addr || (holder && holder != peer)) {
		log_warnx("refusing a second node claiming %s", NODE_ID(cert->node_id));
		return false;
	}
	peer_set_node_id(peer, cert->node_id);
	log_info("member %s joined", NODE_ID(cert->node_id));
	return true;
}

static void introduce(struct peer *to, const struct peer *about)
{
	uint8_t msg[1 + 1 + CERT_MAX_LEN + WIRE_CANDIDATE_MAX_LEN * (WIRE_MAX_CANDIDATES + 2)];
	struct peer_info info = {
	    .cert = about->certificate,
	    .nat = about->location.nat,
	    /* Over TCP, where its listening port's connections come from (its
	     * streams leave from that port): peers connect there for direct
	     * TCP (nat/tcp_punch.c); their UDP probes to it are wasted at worst. */
	    .reflexive = about->endpoint,
	    .candidates = about->location.candidates,
	};
	int len = wire_encode_peer_info(msg, sizeof(msg), &info);

	if (len > 0)
		send_plaintext(to, msg, (size_t)len);
}

/*
 * A member registers every REGISTER_INTERVAL_S; introductions (two per
 * other member, each costing its receiver work) go out only for news: the
 * member is introduced to the others when where it is changed or it comes
 * back (its last registration was in neither its current session nor the
 * one before: it was away, or restarted, and members may have joined
 * meanwhile), and the others to it then and at a rekey (it may have
 * restarted and forgotten them).
 */
static void introduce_news(struct peer *peer)
{
	struct device *dev = peer->dev;
	struct registered *last = peer->registered;
	const struct peer_location *at = &peer->location;
	bool back = !last->known || (last->session != peer->current.local_index &&
				     last->session != peer->previous.local_index);
	bool moved = back || last->nat != at->nat ||
		     !endpoint_equal(&last->reflexive, &peer->endpoint) ||
		     !candidate_list_equal(&last->candidates, &at->candidates);
	bool new_session = moved || last->session != peer->current.local_index;

	if (!moved && !new_session)
		return;
	last->known = true;
	last->nat = at->nat;
	last->reflexive = peer->endpoint;
	last->candidates = at->candidates;
	last->session = peer->current.local_index;
	last->introduced_ms = clock_ms();
	for (size_t i = 0; i < dev->peer_count; i++) {
		struct peer *other = dev->peers[i];

		if (other == peer || !peer_is_member(other)) /* (a blocked one has no session) */
			continue;
		if (moved)
			introduce(other, peer);
		introduce(peer, other);
	}
}

/* A member that registers anew faster than INTRODUCTION_INTERVAL_MS has
 * its news sent once, when the interval is over, with where it is then. */
static void introduce_when_due(struct peer *peer)
{
	struct registered *last = peer->registered;
	uint64_t due = last->introduced_ms + INTRODUCTION_INTERVAL_MS;

	if (timer_armed(&last->later))
		return;
	if (!last->known || clock_ms() >= due)
		introduce_news(peer);
	else
		timer_arm(&last->later, due);
}

static void held_news_due(struct timer *timer)
{
	struct registered *last = container_of(timer, struct registered, later);

	if (peer_is_member(last->peer))
		introduce_news(last->peer);
}

void rendezvous_receive_register(struct peer *peer, uint8_t *msg, size_t len,
				 const struct origin *from)
{
	struct device *dev = peer->dev;
	struct registration reg;

	if (!dev->cfg.rendezvous_enabled || wire_decode_register(msg, len, &reg)) {
		peer_count_drop(peer, DROP_MALFORMED);
		return;
	}
	/* Members will probe these: nothing a member could aim them at. */
	if (candidate_list_sanitize(&reg.candidates, &dev->cfg.network.subnet))
		log_info("member %s registered candidates it may not (loopback, multicast, "
			 "link-local, reserved, overlay or repeated): left out",
			 NODE_ID(peer->config.node_id));
	peer_set_location(peer, reg.nat, NULL, &reg.candidates);
	introduce_when_due(peer);
}

static void sweep(struct timer *timer)
{
	struct rendezvous *rendezvous = container_of(timer, struct rendezvous, sweep);
	struct device *dev = rendezvous->dev;
	uint64_t now = clock_ms();

	for (size_t i = dev->peer_count; i-- > 0;) {
		struct peer *peer = dev->peers[i];

		if (peer->dynamic && !peer->config.node_id.s_addr &&
		    now - peer->created_ms > DYNAMIC_PEER_UNVERIFIED_MAX_S * 1000ULL)
			peer_remove(peer);
	}
	timer_arm(timer, now + RENDEZVOUS_SWEEP_MS);
}

int rendezvous_device_init(struct device *dev)
{
	dev->rendezvous = calloc(1, sizeof(*dev->rendezvous));
	if (!dev->rendezvous)
		return -ENOMEM;
	dev->rendezvous->dev = dev;
	timer_init(&dev->rendezvous->sweep, &dev->hub->loop, sweep);
	if (dev->cfg.rendezvous_enabled)
		timer_arm(&dev->rendezvous->sweep, clock_ms() + RENDEZVOUS_SWEEP_MS);
	return 0;
}

int rendezvous_peer_init(struct peer *peer)
{
	peer->registered = calloc(1, sizeof(*peer->registered));
	if (!peer->registered)
		return -ENOMEM;
	peer->registered->peer = peer;
	timer_init(&peer->registered->later, &peer->dev->hub->loop, held_news_due);
	return 0;
}

void rendezvous_peer_free(struct peer *peer)
{
	if (!peer->registered)
		return;
	timer_cancel(&peer->registered->later);
	free(peer->registered);
	peer->registered = NULL;
}

void rendezvous_device_free(struct device *dev)
{
	if (!dev->rendezvous)
		return;
	timer_cancel(&dev->rendezvous->sweep);
	free(dev->rendezvous);
	dev->rendezvous = NULL;
}

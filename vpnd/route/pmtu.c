/* Path MTU discovery of direct paths (see pmtu.h). Timer: pmtu->step. */
#include "route/pmtu.h"

#include <errno.h>
#include <stdlib.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/probe.h"
#include "log.h"
#include "netlink.h"
#include "node_id.h"

static void step(struct timer *timer);

int pmtu_peer_init(struct peer *peer)
{
	peer->pmtu = calloc(1, sizeof(*peer->pmtu));
	if (!peer->pmtu)
		return -ENOMEM;
	peer->pmtu->peer = peer;
	timer_init(&peer->pmtu->step, &peer->dev->hub->loop, step);
	return 0;
}

void pmtu_peer_free(struct peer *peer)
{
	if (!peer->pmtu)
		return;
	timer_cancel(&peer->pmtu->step);
	free(peer->pmtu);
	peer->pmtu = NULL;
}

/* The largest datagram the interface MTU makes: a full packet, sealed. */
static size_t full_size(const struct peer *peer)
{
	return peer->dev->cfg.mtu + MESSAGE_DATA_HEADER_LEN + NOISE_AUTHTAG_LEN;
}

/* The largest datagram the path is let carry now. */
static size_t in_use(const struct peer *peer)
{
	return peer->path.direct_mtu ? peer->path.direct_mtu : full_size(peer);
}

/* A probe of size bytes; its retries keep the nonce, so that an answer
 * slower than PMTU_STEP_MS still counts. */
static void probe(struct pmtu *p, size_t size)
{
	struct peer *peer = p->peer;
	int ret;

	if (p->probing != size) {
		p->probing = size;
		p->tries = 0;
		crypto_random(&p->nonce, sizeof(p->nonce));
	}
	ret = probe_send_padded(peer, peer->path.fd, &peer->endpoint, p->nonce, size);
	if (ret == -ENOKEY) { /* no session: wait for the next (pmtu_start) */
		p->probing = 0;
		p->done = false;
		return;
	}
	/* Too big for our own interface: as good as unanswered, at once. */
	if (ret == -EMSGSIZE)
		p->tries = PMTU_TRIES - 1;
	timer_arm(&p->step, clock_ms() + PMTU_STEP_MS);
}

static void settle(struct pmtu *p, size_t mtu)
{
	struct peer *peer = p->peer;
	bool news = mtu != peer->path.direct_mtu;

	path_set_direct_mtu(peer, mtu);
	if (news)
		log_info("peer %s: the direct path carries datagrams of %zu bytes, packets of %zu",
			 NODE_ID(peer->config.node_id), mtu, path_direct_mtu(peer));
	p->probing = 0;
	p->done = true;
	p->settled_ms = clock_ms();
	timer_arm(&p->step, p->settled_ms + PMTU_CHECK_MS);
}

/* The next size to try: of the sizes a sealed message can have (steps of
 * PMTU_PRECISION) between what passed and what did not, the middle one. */
static void next(struct pmtu *p)
{
	size_t first = p->confirmed / PMTU_PRECISION * PMTU_PRECISION + PMTU_PRECISION;
	size_t last = p->too_big ? (p->too_big - 1) / PMTU_PRECISION * PMTU_PRECISION : 0;

	if (!p->too_big || first > last) {
		settle(p, p->confirmed);
		return;
	}
	probe(p, first + (last - first) / PMTU_PRECISION / 2 * PMTU_PRECISION);
}

/* A search from the full size down to what is known to pass. */
static void begin(struct pmtu *p, size_t known)
{
	p->confirmed = known;
	p->too_big = 0;
	p->probing = 0;
	probe(p, full_size(p->peer));
}

/* Whether we sent the peer packets a black hole would swallow lately. */
static bool large_sent_lately(const struct pmtu *p, uint64_t now)
{
	return now - p->large_sent_ms < 2 * PMTU_CHECK_MS;
}

/* A plain WireGuard peer answers no probes: while we send it large packets,
 * the kernel's path MTU to its endpoint caps the path instead. Our DF
 * datagrams draw ICMP "fragmentation needed" from the router before a
 * smaller link, which the kernel keeps (for 10 minutes by default). */
static void follow_kernel(struct pmtu *p)
{
	struct peer *peer = p->peer;
	uint64_t now = clock_ms();
	size_t headers = endpoint_is_ipv4(&peer->endpoint) ? 20 + 8 : 40 + 8, datagram;
	int mtu;

	timer_arm(&p->step, now + PMTU_CHECK_MS);
	/* While capped, packets large enough to say so may never be sent. */
	if (!large_sent_lately(p, now) && !peer->path.direct_mtu)
		return;
	mtu = netlink_route_mtu(&peer->endpoint);
	if (mtu < 0)
		return;
	datagram = (size_t)mtu > headers ? (size_t)mtu - headers : 0;
	if (datagram == peer->path.direct_mtu)
		return;
	path_set_direct_mtu(peer, datagram);
	log_info("peer %s: the kernel's path MTU to it %s: packets of %zu",
		 NODE_ID(peer->config.node_id), datagram ? "is in use" : "expired",
		 path_direct_mtu(peer));
}

void pmtu_start(struct peer *peer)
{
	struct pmtu *p = peer->pmtu;

	if (peer->config.wireguard && !timer_armed(&p->step))
		follow_kernel(p);
	if (peer->config.wireguard || p->done || p->probing || !peer->current.valid)
		return;
	begin(p, PMTU_FLOOR);
}

void pmtu_forget(struct peer *peer)
{
	struct pmtu *p = peer->pmtu;

	timer_cancel(&p->step);
	p->probing = 0;
	p->done = false;
	path_set_direct_mtu(peer, 0);
}

/* Found already: while we send packets a black hole would swallow, check
 * the size found still passes; below the full size, now and then search
 * again from the top. */
static void check(struct pmtu *p)
{
	const struct peer *peer = p->peer;
	uint64_t now = clock_ms();

	if (p->confirmed < full_size(peer) && now - p->settled_ms >= PMTU_RAISE_MS) {
		p->done = false;
		begin(p, p->confirmed);
	} else if (large_sent_lately(p, now)) {
		probe(p, p->confirmed);
	} else {
		timer_arm(&p->step, now + PMTU_CHECK_MS);
	}
}

void pmtu_sent(struct peer *peer, size_t bytes, uint64_t now_ms)
{
	if (bytes + MESSAGE_DATA_HEADER_LEN + NOISE_AUTHTAG_LEN > PMTU_FLOOR)
		peer->pmtu->large_sent_ms = now_ms;
}

bool pmtu_answered(struct peer *peer, uint64_t nonce)
{
	struct pmtu *p = peer->pmtu;

	if (!p->probing || nonce != p->nonce)
		return false;
	p->confirmed = p->probing;
	if (p->probing == full_size(peer))
		p->too_big = 0;
	timer_cancel(&p->step);
	next(p);
	return true;
}

static void step(struct timer *timer)
{
	struct pmtu *p = container_of(timer, struct pmtu, step);
	struct peer *peer = p->peer;

	if (peer->config.wireguard) {
		follow_kernel(p);
		return;
	}
	if (!p->probing) {
		check(p);
		return;
	}
	if (!path_has_direct(peer) || !peer->current.valid) {
		p->probing = 0; /* pmtu_start begins again */
		p->done = false;
		return;
	}
	if (++p->tries < PMTU_TRIES) {
		probe(p, p->probing);
		return;
	}
	p->too_big = p->probing;
	if (p->probing <= p->confirmed) /* what passed no longer does */
		p->confirmed = PMTU_FLOOR;
	/* What we send no longer passes: the floor until the search ends
	 * (a size above what we send failing, as in a raise, changes nothing). */
	if (p->probing <= in_use(peer))
		path_set_direct_mtu(peer, PMTU_FLOOR);
	next(p);
}

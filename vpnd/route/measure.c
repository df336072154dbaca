/* Probing direct paths, and tunctl ping (see measure.h). */
#include "route/measure.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/probe.h"
#include "core/receive.h"
#include "core/relay.h"
#include "core/send.h"
#include "log.h"
#include "node_id.h"
#include "route/pmtu.h"
#include "route/verify.h"
#include "route/select.h"

static void tick(struct timer *timer)
{
	struct measure *m = container_of(timer, struct measure, tick);

	measure_tick(m->peer, clock_us());
}

int measure_peer_init(struct peer *peer)
{
	peer->measure = calloc(1, sizeof(*peer->measure));
	if (!peer->measure)
		return -ENOMEM;
	peer->measure->peer = peer;
	timer_init(&peer->measure->tick, &peer->dev->hub->loop, tick);
	return 0;
}

void measure_peer_free(struct peer *peer)
{
	if (!peer->measure)
		return;
	timer_cancel(&peer->measure->tick);
	free(peer->measure);
	peer->measure = NULL;
}

/* Routes are chosen where there is a relay to choose: then every vpnd
 * peer's direct path is measured, so that it can be compared. */
bool measure_wanted(const struct peer *peer)
{
	return !peer->config.wireguard &&
	       (peer->dynamic || select_relays_known(peer->dev) || relay_allowed(peer->dev));
}

/* A path with traffic, or one not measured enough to trust yet. */
static bool busy(const struct measure *m, uint64_t now_ms)
{
	return now_ms - m->last_traffic_ms < MEASURE_BUSY_WINDOW_MS ||
	       m->direct_rtt.outcomes < MEASURE_FIRST_PROBES;
}

void measure_start(struct peer *peer)
{
	if (measure_wanted(peer) && !timer_armed(&peer->measure->tick))
		timer_arm(&peer->measure->tick, clock_ms());
}

void measure_forget_path(struct peer *peer)
{
	struct measure *m = peer->measure;

	m->direct_rtt = (struct rtt_estimate){0};
	rtt_min_reset(&m->min_rtt);
	memset(m->probes, 0, sizeof(m->probes));
}

static void count_load(struct measure *m, uint64_t now_ms, size_t bytes)
{
	if (now_ms - m->load_second_ms >= 1000) {
		m->load_second_ms = now_ms;
		m->load_bytes = 0;
	}
	m->load_bytes += bytes;
	if (m->load_bytes >= MEASURE_LOAD_BYTES_PER_S)
		m->loaded_until_ms = now_ms + MEASURE_LOAD_HOLD_MS;
}

bool measure_loaded(const struct measure *m, uint64_t now_ms)
{
	return now_ms < m->loaded_until_ms;
}

uint32_t measure_cost_us(const struct peer *peer, uint64_t now_ms)
{
	const struct measure *m = peer->measure;

	if (measure_loaded(m, now_ms))
		return rtt_base_cost_us(&m->direct_rtt, rtt_min_us(&m->min_rtt, now_ms));
	return rtt_cost_us(&m->direct_rtt);
}

void measure_data_heard(struct peer *peer, uint64_t now_us)
{
	peer->measure->data_heard_us = now_us;
}

void measure_traffic(struct peer *peer, uint64_t now_ms, size_t bytes)
{
	struct timer *tick = &peer->measure->tick;

	peer->measure->last_traffic_ms = now_ms;
	count_load(peer->measure, now_ms, bytes);
	if (timer_armed(tick) && tick->deadline_ms > now_ms + MEASURE_BUSY_MS)
		timer_arm(tick, now_ms + MEASURE_BUSY_MS);
}

static uint64_t loss_timeout_us(const struct rtt_estimate *e)
{
	uint64_t timeout = 2ULL * e->srtt_us + 4ULL * e->rttvar_us;

	if (timeout < MEASURE_LOSS_MIN_MS * 1000ULL)
		return MEASURE_LOSS_MIN_MS * 1000ULL;
	return timeout > MEASURE_LOSS_MAX_MS * 1000ULL ? MEASURE_LOSS_MAX_MS * 1000ULL : timeout;
}

/* The direct path may be dying when its last probe alone went unanswered:
 * the path sends on the fallback route too until the next one tells. */
static void update_doubt(struct peer *peer)
{
	path_set_direct_doubt(peer, peer->measure->direct_rtt.consecutive_losses == 1);
}

/* Probes unanswered in time are lost; true when that took the path down. */
static bool count_losses(struct measure *m, uint64_t now_us)
{
	struct rtt_estimate *e = &m->direct_rtt;
	bool was_down = rtt_down(e);

	for (int i = 0; i < PROBE_SLOTS; i++) {
		struct probe_slot *slot = &m->probes[i];

		if (!slot->sent_us || now_us - slot->sent_us < loss_timeout_us(e))
			continue;
		if (measure_loaded(m, now_us / 1000) && m->data_heard_us >= slot->sent_us)
			m->losses_excused++;
		else
			rtt_lost(e);
		slot->sent_us = 0;
	}
	return !was_down && rtt_down(e);
}

static struct probe_slot *free_slot(struct measure *m)
{
	struct probe_slot *oldest = &m->probes[0];

	for (int i = 0; i < PROBE_SLOTS; i++) {
		if (!m->probes[i].sent_us)
			return &m->probes[i];
		if (m->probes[i].sent_us < oldest->sent_us)
			oldest = &m->probes[i];
	}
	return oldest;
}

/* Arms slot with a fresh nonce for a probe sent now. */
static uint64_t arm(struct probe_slot *slot, uint64_t now_us)
{
	crypto_random(&slot->nonce, sizeof(slot->nonce));
	slot->sent_us = now_us;
	return slot->nonce;
}

void measure_tick(struct peer *peer, uint64_t now_us)
{
	struct measure *m = peer->measure;
	uint64_t now_ms = now_us / 1000;
	bool went_down;

	if (!measure_wanted(peer) || !path_has_direct(peer))
		return; /* measure_start arms the timer again */
	went_down = count_losses(m, now_us);

	update_doubt(peer);
	if (went_down) {
		log_info("peer %s: direct path stopped answering", NODE_ID(peer->config.node_id));
		select_routes(peer->dev);
	}
	if (m->direct_rtt.consecutive_losses >= MEASURE_GIVE_UP_LOSSES) {
		path_direct_lost(peer);
		return;
	}
	if (peer->current.valid)
		probe_send(peer, peer->path.fd, &peer->endpoint, arm(free_slot(m), now_us));
	timer_arm(&m->tick, now_ms + (busy(m, now_ms) ? MEASURE_BUSY_MS : MEASURE_IDLE_MS));
}

static bool answer_slot(struct probe_slot *slot, uint64_t nonce, uint64_t now_us, uint32_t *rtt_us)
{
	if (!slot->sent_us || slot->nonce != nonce)
		return false;
	*rtt_us = (uint32_t)(now_us - slot->sent_us);
	slot->sent_us = 0;
	return true;
}

static void ping_answered(struct ping *ping, uint32_t rtt_us, const struct origin *from)
{
	ping->answered = true;
	ping->rtt_us = rtt_us;
	ping->direct = from->endpoint != NULL;
	if (from->endpoint)
		ping->from = *from->endpoint;
	else
		ping->relay = from->via->config.node_id;
}

void measure_receive_pong(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	uint64_t nonce;

	if (!wire_decode_probe(msg, len, &nonce))
		measure_answered(peer, nonce, from, clock_us());
}

void measure_answered(struct peer *peer, uint64_t nonce, const struct origin *from, uint64_t now)
{
	struct measure *m = peer->measure;
	uint32_t rtt_us;
	bool was_down = rtt_down(&m->direct_rtt);

	if (answer_slot(&m->ping.probe, nonce, now, &rtt_us)) {
		ping_answered(&m->ping, rtt_us, from);
		return;
	}
	if (verify_answered(peer, nonce))
		return;
	if (!from->endpoint || pmtu_answered(peer, nonce))
		return; /* probes of the direct path come back directly */
	for (int i = 0; i < PROBE_SLOTS; i++) {
		if (answer_slot(&m->probes[i], nonce, now, &rtt_us)) {
			if (was_down) /* maybe another way now: forget the old minimum */
				rtt_min_reset(&m->min_rtt);
			rtt_answered(&m->direct_rtt, rtt_us);
			rtt_min_sample(&m->min_rtt, rtt_us, now / 1000);
			update_doubt(peer);
			if (was_down)
				log_info("peer %s: direct path answers again",
					 NODE_ID(peer->config.node_id));
			return;
		}
	}
}

int measure_ping(struct peer *peer)
{
	struct ping *ping = &peer->measure->ping;
	uint8_t msg[WIRE_PROBE_LEN];

	memset(ping, 0, sizeof(*ping));
	if (wire_encode_probe(msg, sizeof(msg), CONTROL_PROBE, arm(&ping->probe, clock_us())) < 0)
		return -EINVAL;
	return send_plaintext(peer, msg, sizeof(msg));
}

/* Probing direct paths, and tunctl ping (see measure.h). */
#include "route/measure.h"

#include <arpa/inet.h>
#include <string.h>

#include "core/device.h"
#include "log.h"
#include "core/path.h"
#include "core/receive.h"
#include "core/relay.h"
#include "route/select.h"
#include "core/send.h"

/* Routes are chosen where there is a relay to choose: then every vpnd
 * peer's direct path is measured, so that it can be compared. */
bool measure_wanted(const struct peer *peer)
{
	return !peer->config.wireguard &&
	       (peer->dynamic || peer->dev->relays_known || relay_allowed(peer->dev));
}

/* A path with traffic, or one not measured enough to trust yet. */
static bool busy(const struct peer *peer, uint64_t now_ms)
{
	return now_ms - peer->path.last_traffic_ms < MEASURE_BUSY_WINDOW_MS ||
	       peer->path.direct_rtt.outcomes < MEASURE_FIRST_PROBES;
}

static void schedule(struct peer *peer, uint64_t now_ms)
{
	peer->timers.measure = now_ms + (busy(peer, now_ms) ? MEASURE_BUSY_MS : MEASURE_IDLE_MS);
}

void measure_start(struct peer *peer)
{
	if (measure_wanted(peer) && !peer->timers.measure)
		peer->timers.measure = clock_ms();
}

void measure_busy(struct peer *peer, uint64_t now_ms)
{
	if (peer->timers.measure > now_ms + MEASURE_BUSY_MS)
		peer->timers.measure = now_ms + MEASURE_BUSY_MS;
}

static uint64_t loss_timeout_us(const struct rtt_estimate *e)
{
	uint64_t timeout = 2ULL * e->srtt_us + 4ULL * e->rttvar_us;

	if (timeout < MEASURE_LOSS_MIN_MS * 1000ULL)
		return MEASURE_LOSS_MIN_MS * 1000ULL;
	return timeout > MEASURE_LOSS_MAX_MS * 1000ULL ? MEASURE_LOSS_MAX_MS * 1000ULL : timeout;
}

/* Probes unanswered in time are lost; true when that took the path down. */
static bool count_losses(struct peer *peer, uint64_t now_us)
{
	struct rtt_estimate *e = &peer->path.direct_rtt;
	bool was_down = rtt_down(e);

	for (int i = 0; i < PROBE_SLOTS; i++) {
		struct probe_slot *slot = &peer->path.probes[i];

		if (slot->sent_us && now_us - slot->sent_us >= loss_timeout_us(e)) {
			slot->sent_us = 0;
			rtt_lost(e);
		}
	}
	return !was_down && rtt_down(e);
}

static struct probe_slot *free_slot(struct peer *peer)
{
	struct probe_slot *oldest = &peer->path.probes[0];

	for (int i = 0; i < PROBE_SLOTS; i++) {
		if (!peer->path.probes[i].sent_us)
			return &peer->path.probes[i];
		if (peer->path.probes[i].sent_us < oldest->sent_us)
			oldest = &peer->path.probes[i];
	}
	return oldest;
}

/* Encodes a probe with a fresh nonce into msg and arms slot with it. */
static void arm(struct probe_slot *slot, uint8_t msg[WIRE_PROBE_LEN])
{
	crypto_random(&slot->nonce, sizeof(slot->nonce));
	slot->sent_us = clock_us();
	wire_encode_probe(msg, WIRE_PROBE_LEN, CONTROL_PROBE, slot->nonce);
}

static void probe_direct(struct peer *peer)
{
	uint8_t msg[WIRE_PROBE_LEN];

	arm(free_slot(peer), msg);
	send_plaintext_to(peer, peer->path.fd, &peer->endpoint, msg, sizeof(msg));
}

void measure_tick(struct peer *peer)
{
	uint64_t now = clock_ms();

	if (!measure_wanted(peer) || !path_has_direct(peer))
		return; /* measure_start arms the timer again */
	if (count_losses(peer, clock_us())) {
		log_info("peer %s: direct path stopped answering", inet_ntoa(peer->config.node_id));
		select_routes(peer->dev);
	}
	if (peer->path.direct_rtt.consecutive_losses >= MEASURE_GIVE_UP_LOSSES) {
		path_direct_lost(peer);
		return;
	}
	if (peer->current.valid)
		probe_direct(peer);
	schedule(peer, now);
}

static bool answer_slot(struct probe_slot *slot, uint64_t nonce, uint64_t now_us, uint32_t *rtt_us)
{
	if (!slot->sent_us || slot->nonce != nonce)
		return false;
	*rtt_us = (uint32_t)(now_us - slot->sent_us);
	slot->sent_us = 0;
	return true;
}

static void ping_answered(struct peer *peer, uint32_t rtt_us, const struct origin *from)
{
	struct ping *ping = &peer->path.ping;

	ping->answered = true;
	ping->rtt_us = rtt_us;
	ping->direct = from->endpoint != NULL;
	if (from->endpoint)
		ping->from = *from->endpoint;
	else
		ping->relay = from->via->config.node_id;
}

void measure_receive_pong(struct peer *peer, const uint8_t *data, size_t len,
			  const struct origin *from)
{
	uint64_t nonce, now = clock_us();
	uint32_t rtt_us;
	bool was_down = rtt_down(&peer->path.direct_rtt);

	if (wire_decode_probe(data, len, &nonce))
		return;
	if (answer_slot(&peer->path.ping.probe, nonce, now, &rtt_us)) {
		ping_answered(peer, rtt_us, from);
		return;
	}
	if (!from->endpoint)
		return; /* probes of the direct path come back directly */
	for (int i = 0; i < PROBE_SLOTS; i++) {
		if (answer_slot(&peer->path.probes[i], nonce, now, &rtt_us)) {
			rtt_answered(&peer->path.direct_rtt, rtt_us);
			if (was_down)
				log_info("peer %s: direct path answers again",
					 inet_ntoa(peer->config.node_id));
			return;
		}
	}
}

int measure_ping(struct peer *peer)
{
	struct ping *ping = &peer->path.ping;
	uint8_t msg[WIRE_PROBE_LEN];

	memset(ping, 0, sizeof(*ping));
	arm(&ping->probe, msg);
	return send_plaintext(peer, msg, sizeof(msg));
}

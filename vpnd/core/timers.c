/*
 * Every timer of a peer, as WireGuard's, plus one of vpnd's own:
 *
 * retransmit_handshake  REKEY_TIMEOUT + jitter after an initiation with no
 *                       response: send another, up to MAX_TIMER_HANDSHAKES.
 * send_keepalive        KEEPALIVE_TIMEOUT after data was received with
 *                       nothing sent back: send an empty packet.
 * new_handshake         KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter after data
 *                       was sent with nothing received: start a handshake.
 * zero_key_material     3 * REJECT_AFTER_TIME after the last new session:
 *                       forget every key.
 * persistent_keepalive  the configured interval after any packet: keepalive.
 * resend_certificate    1 s after our certificate was sent and not yet
 *                       acknowledged: send it again.
 * punch                 PUNCH_INTERVAL_MS between rounds of probes to a
 *                       learned peer's candidates, backing off after each
 *                       round that opened nothing (path.c).
 * measure               MEASURE_BUSY_MS (a path with traffic) or
 *                       MEASURE_IDLE_MS: probe the direct path (measure.c);
 *                       the probes also renew NAT mappings from both ends.
 * spray                 BIRTHDAY_TICK_MS between paced batches of probes to
 *                       guessed ports of a symmetric NAT (birthday.c).
 * register_again        REGISTER_INTERVAL with a rendezvous: register again.
 * tcp_fallback          TCP_FALLBACK_MS after an unanswered initiation to a
 *                       rendezvous: reach it over TCP (path.c, stream.c).
 *
 * Per device, every SWEEP_INTERVAL_MS: forget unknown initiators that never
 * proved themselves (rendezvous.c) and close spent punching sockets and
 * idle TCP streams; every SELECT_INTERVAL_MS: choose routes (select.c);
 * every LINKS_INTERVAL_MS: a relay advertises its links (links.c).
 *
 * A timer is a monotonic deadline in ms (0 = not armed); the event loop
 * sleeps until the nearest one.
 */
#include "core/timers.h"

#include "core/device.h"
#include "members/directory.h"
#include "route/links.h"
#include "route/measure.h"
#include "core/path.h"
#include "members/rendezvous.h"
#include "route/select.h"
#include "core/send.h"
#include "io/stream.h"

enum { CERTIFICATE_RESEND_MS = 1000, SWEEP_INTERVAL_MS = 5000 };

static uint64_t jitter_ms(void)
{
	uint32_t r = 0;

	crypto_random(&r, sizeof(r));
	return r % REKEY_TIMEOUT_JITTER_MAX_MS;
}

void timers_data_sent(struct peer *peer)
{
	if (!peer->timers.new_handshake)
		peer->timers.new_handshake =
		    clock_ms() + (KEEPALIVE_TIMEOUT + REKEY_TIMEOUT) * 1000ULL + jitter_ms();
}

void timers_data_received(struct peer *peer)
{
	if (!peer->timers.send_keepalive)
		peer->timers.send_keepalive = clock_ms() + KEEPALIVE_TIMEOUT * 1000ULL;
	else
		peer->timers.need_another_keepalive = true;
}

void timers_any_authenticated_packet_sent(struct peer *peer)
{
	peer->timers.send_keepalive = 0;
}

void timers_any_authenticated_packet_received(struct peer *peer)
{
	peer->timers.new_handshake = 0;
}

void timers_any_authenticated_packet_traversal(struct peer *peer)
{
	if (peer->config.persistent_keepalive)
		peer->timers.persistent_keepalive =
		    clock_ms() + peer->config.persistent_keepalive * 1000ULL;
}

void timers_handshake_initiated(struct peer *peer)
{
	peer->timers.retransmit_handshake = clock_ms() + REKEY_TIMEOUT * 1000ULL + jitter_ms();
	/* A rendezvous silent over UDP may sit behind a network that blocks
	 * UDP: TCP is tried if no answer comes soon. */
	if (peer->config.rendezvous && !peer->current.valid && !path_over_tcp(peer) &&
	    !peer->timers.tcp_fallback)
		peer->timers.tcp_fallback = clock_ms() + TCP_FALLBACK_MS;
}

void timers_handshake_complete(struct peer *peer)
{
	peer->timers.retransmit_handshake = 0;
	peer->timers.handshake_attempts = 0;
	peer->timers.sent_lastminute_handshake = false;
	peer->last_handshake_time = time(NULL);
}

void timers_session_derived(struct peer *peer)
{
	peer->timers.zero_key_material = clock_ms() + REJECT_AFTER_TIME * 3 * 1000ULL;
}

void timers_certificate_sent(struct peer *peer)
{
	peer->timers.resend_certificate = clock_ms() + CERTIFICATE_RESEND_MS;
}

void timers_stop(struct peer *peer)
{
	struct peer_timers cleared = {0};

	peer->timers = cleared;
}

static void expired_retransmit_handshake(struct peer *peer)
{
	/* A rendezvous is never given up on: nodes depend on it to be found. */
	if (peer->timers.handshake_attempts > MAX_TIMER_HANDSHAKES && !peer->config.rendezvous) {
		/* Give up until new data asks for a session again. */
		peer->timers.retransmit_handshake = 0;
		peer->timers.new_handshake = 0;
		peer_staged_clear(peer);
		if (!peer->timers.zero_key_material)
			timers_session_derived(peer);
		return;
	}
	peer->timers.handshake_attempts++;
	send_handshake_initiation(peer, true);
}

static void expired_send_keepalive(struct peer *peer)
{
	send_keepalive(peer);
	if (peer->timers.need_another_keepalive) {
		peer->timers.need_another_keepalive = false;
		peer->timers.send_keepalive = clock_ms() + KEEPALIVE_TIMEOUT * 1000ULL;
	}
}

static void expired_zero_key_material(struct peer *peer)
{
	peer_keypairs_clear(peer);
	noise_handshake_clear(&peer->handshake);
}

static void send_new_handshake(struct peer *peer)
{
	send_handshake_initiation(peer, false);
}

static void fire_if_due(struct peer *peer, uint64_t *deadline, uint64_t now,
			void (*expired)(struct peer *))
{
	if (*deadline && *deadline <= now) {
		*deadline = 0;
		expired(peer);
	}
}

static void fire_expired(struct peer *peer, uint64_t now)
{
	struct peer_timers *t = &peer->timers;

	fire_if_due(peer, &t->retransmit_handshake, now, expired_retransmit_handshake);
	fire_if_due(peer, &t->send_keepalive, now, expired_send_keepalive);
	fire_if_due(peer, &t->new_handshake, now, send_new_handshake);
	fire_if_due(peer, &t->zero_key_material, now, expired_zero_key_material);
	fire_if_due(peer, &t->persistent_keepalive, now, send_keepalive);
	fire_if_due(peer, &t->resend_certificate, now, send_certificate);
	fire_if_due(peer, &t->punch, now, path_punch);
	fire_if_due(peer, &t->measure, now, measure_tick);
	fire_if_due(peer, &t->spray, now, birthday_spray);
	fire_if_due(peer, &t->register_again, now, directory_register);
	fire_if_due(peer, &t->tcp_fallback, now, path_try_tcp);
}

static uint64_t peer_next_deadline(const struct peer *peer)
{
	const struct peer_timers *t = &peer->timers;
	const uint64_t all[] = {t->retransmit_handshake,
				t->send_keepalive,
				t->new_handshake,
				t->zero_key_material,
				t->persistent_keepalive,
				t->resend_certificate,
				t->punch,
				t->measure,
				t->register_again,
				t->spray,
				t->tcp_fallback};
	uint64_t next = 0;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i] && (!next || all[i] < next))
			next = all[i];
	return next;
}

int timers_run(struct device *dev, uint64_t now_ms)
{
	uint64_t next = 0;

	if (now_ms >= dev->next_sweep_ms) {
		rendezvous_sweep(dev);
		birthday_sweep(dev);
		stream_sweep(dev->hub, now_ms);
		dev->next_sweep_ms = now_ms + SWEEP_INTERVAL_MS;
	}
	netcheck_tick(dev, now_ms);
	for (size_t i = 0; i < dev->peer_count; i++)
		fire_expired(dev->peers[i], now_ms);
	if (now_ms >= dev->next_select_ms) {
		select_routes(dev);
		dev->next_select_ms = now_ms + SELECT_INTERVAL_MS;
	}
	if (now_ms >= dev->next_links_ms) {
		links_advertise(dev);
		dev->next_links_ms = now_ms + LINKS_INTERVAL_MS;
	}
	next = dev->next_sweep_ms;
	if (dev->next_select_ms < next)
		next = dev->next_select_ms;
	if (dev->next_links_ms < next)
		next = dev->next_links_ms;
	if (dev->netcheck.deadline_ms && dev->netcheck.deadline_ms < next)
		next = dev->netcheck.deadline_ms;
	if (dev->netcheck.next_run_ms && dev->netcheck.next_run_ms < next)
		next = dev->netcheck.next_run_ms;
	for (size_t i = 0; i < dev->peer_count; i++) {
		uint64_t deadline = peer_next_deadline(dev->peers[i]);

		if (deadline && (!next || deadline < next))
			next = deadline;
	}
	if (!next)
		return -1;
	if (next <= now_ms)
		return 0;
	return next - now_ms > 60000 ? 60000 : (int)(next - now_ms);
}

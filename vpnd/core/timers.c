/*
 * A peer's timers, as WireGuard's, plus one of vpnd's own. Each is a
 * struct timer in the peer (io/loop.h), armed on the protocol events below
 * and fired by the event loop:
 *
 * retransmit_handshake  REKEY_TIMEOUT + jitter after an initiation with no
 *                       response: send another, up to MAX_TIMER_HANDSHAKES
 *                       (a rendezvous is never given up on).
 * send_keepalive        KEEPALIVE_TIMEOUT after data was received with
 *                       nothing sent back: send an empty packet.
 * new_handshake         KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter after data
 *                       was sent with nothing received: start a handshake.
 * zero_key_material     3 * REJECT_AFTER_TIME after the last new session:
 *                       forget every key.
 * persistent_keepalive  the configured interval after any packet: keepalive.
 * resend_certificate    CERTIFICATE_RESEND_MS after our certificate was sent
 *                       and not yet acknowledged: send it again.
 *
 * The other modules' timers are listed at the top of their own files:
 * core/path.c (TCP fallback), nat/punch.c, nat/birthday.c, nat/netcheck.c,
 * route/measure.c, route/select.c, route/links.c, members/directory.c,
 * members/rendezvous.c, io/stream.c.
 */
#include "core/timers.h"

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/send.h"

enum { CERTIFICATE_RESEND_MS = 1000 };

static uint64_t jitter_ms(void)
{
	uint32_t r = 0;

	crypto_random(&r, sizeof(r));
	return r % REKEY_TIMEOUT_JITTER_MAX_MS;
}

static void arm_in(struct timer *timer, uint64_t delay_ms)
{
	timer_arm(timer, clock_ms() + delay_ms);
}

void timers_data_sent(struct peer *peer)
{
	if (!timer_armed(&peer->timers.new_handshake))
		arm_in(&peer->timers.new_handshake,
		       (KEEPALIVE_TIMEOUT + REKEY_TIMEOUT) * 1000ULL + jitter_ms());
}

void timers_data_received(struct peer *peer)
{
	if (!timer_armed(&peer->timers.send_keepalive))
		arm_in(&peer->timers.send_keepalive, KEEPALIVE_TIMEOUT * 1000ULL);
	else
		peer->timers.need_another_keepalive = true;
}

void timers_any_authenticated_packet_sent(struct peer *peer)
{
	timer_cancel(&peer->timers.send_keepalive);
}

void timers_any_authenticated_packet_received(struct peer *peer)
{
	timer_cancel(&peer->timers.new_handshake);
}

void timers_any_authenticated_packet_traversal(struct peer *peer)
{
	if (peer->config.persistent_keepalive)
		arm_in(&peer->timers.persistent_keepalive,
		       peer->config.persistent_keepalive * 1000ULL);
}

void timers_handshake_initiated(struct peer *peer)
{
	arm_in(&peer->timers.retransmit_handshake, REKEY_TIMEOUT * 1000ULL + jitter_ms());
	path_handshake_sent(peer);
}

void timers_handshake_complete(struct peer *peer)
{
	timer_cancel(&peer->timers.retransmit_handshake);
	peer->timers.handshake_attempts = 0;
	peer->timers.sent_lastminute_handshake = false;
	peer->last_handshake_time = time(NULL);
}

void timers_session_derived(struct peer *peer)
{
	arm_in(&peer->timers.zero_key_material, REJECT_AFTER_TIME * 3 * 1000ULL);
}

void timers_certificate_sent(struct peer *peer)
{
	arm_in(&peer->timers.resend_certificate, CERTIFICATE_RESEND_MS);
}

void timers_certificate_acked(struct peer *peer)
{
	timer_cancel(&peer->timers.resend_certificate);
}

#define PEER_OF(timer, name) container_of(timer, struct peer, timers.name)

static void expired_retransmit_handshake(struct timer *timer)
{
	struct peer *peer = PEER_OF(timer, retransmit_handshake);

	if (peer->timers.handshake_attempts > MAX_TIMER_HANDSHAKES && !peer->config.rendezvous) {
		/* Give up until new data asks for a session again. */
		timer_cancel(&peer->timers.new_handshake);
		peer_staged_clear(peer);
		if (!timer_armed(&peer->timers.zero_key_material))
			timers_session_derived(peer);
		return;
	}
	peer->timers.handshake_attempts++;
	send_handshake_initiation(peer, true);
}

static void expired_send_keepalive(struct timer *timer)
{
	struct peer *peer = PEER_OF(timer, send_keepalive);

	send_keepalive(peer);
	if (peer->timers.need_another_keepalive) {
		peer->timers.need_another_keepalive = false;
		arm_in(&peer->timers.send_keepalive, KEEPALIVE_TIMEOUT * 1000ULL);
	}
}

static void expired_new_handshake(struct timer *timer)
{
	send_handshake_initiation(PEER_OF(timer, new_handshake), false);
}

static void expired_zero_key_material(struct timer *timer)
{
	struct peer *peer = PEER_OF(timer, zero_key_material);

	peer_keypairs_clear(peer);
	noise_handshake_clear(&peer->handshake);
}

static void expired_persistent_keepalive(struct timer *timer)
{
	send_keepalive(PEER_OF(timer, persistent_keepalive));
}

static void expired_resend_certificate(struct timer *timer)
{
	send_certificate(PEER_OF(timer, resend_certificate));
}

void timers_init(struct peer *peer)
{
	struct loop *loop = &peer->dev->hub->loop;
	struct peer_timers *t = &peer->timers;

	timer_init(&t->retransmit_handshake, loop, expired_retransmit_handshake);
	timer_init(&t->send_keepalive, loop, expired_send_keepalive);
	timer_init(&t->new_handshake, loop, expired_new_handshake);
	timer_init(&t->zero_key_material, loop, expired_zero_key_material);
	timer_init(&t->persistent_keepalive, loop, expired_persistent_keepalive);
	timer_init(&t->resend_certificate, loop, expired_resend_certificate);
}

void timers_stop(struct peer *peer)
{
	struct peer_timers *t = &peer->timers;

	timer_cancel(&t->retransmit_handshake);
	timer_cancel(&t->send_keepalive);
	timer_cancel(&t->new_handshake);
	timer_cancel(&t->zero_key_material);
	timer_cancel(&t->persistent_keepalive);
	timer_cancel(&t->resend_certificate);
	t->handshake_attempts = 0;
	t->need_another_keepalive = false;
	t->sent_lastminute_handshake = false;
}

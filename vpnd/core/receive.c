/*
 * The receiving half of the data path. Handshake messages must carry a
 * valid mac1 and pass the per-source rate limit; under load they must also
 * carry a cookie (mac2), or are answered with a cookie reply. Transport
 * data is checked against the replay window, decrypted in place, checked
 * again (the window only moves for authentic packets), and its inner packet
 * must come from the sender's node ID before it reaches the TUN. Control
 * messages go to their handlers through dispatch.h; a relay envelope may
 * also come in the clear, under its session's tag alone.
 */
#include "core/receive.h"

#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "core/device.h"
#include "core/dispatch.h"
#include "core/events.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/send.h"
#include "core/timers.h"
#include "core/tun_io.h"
#include "io/stream.h"
#include "io/workers.h"
#include "log.h"
#include "node_id.h"
#include "packet.h"

static void drop(struct device *dev, struct peer *peer, enum drop_reason reason)
{
	if (peer)
		peer_count_drop(peer, reason);
	else
		dev->unattributed.drops[reason]++;
}

/* Whose handshake an initiation continues, found by the key it proves. */
struct initiator_lookup {
	struct device *dev;
	bool blocked;
};

static struct noise_handshake *handshake_of_key(void *ctx, const uint8_t key[NOISE_PUBLIC_KEY_LEN])
{
	struct initiator_lookup *lookup = ctx;
	struct peer *peer = peer_lookup_by_key(lookup->dev, key);

	lookup->blocked =
	    peer ? peer_blocked(peer) : blocklist_has_key(&lookup->dev->blocks, key);
	if (lookup->blocked)
		return NULL;
	if (!peer)
		peer = events_unknown_initiator(lookup->dev, key);
	return peer ? &peer->handshake : NULL;
}

/* The peer a receiver index names, if it is one of this network's: the
 * index table is shared by every network of the hub. */
static struct peer *peer_of_index(const struct device *dev, uint32_t index)
{
	struct peer *peer = index_table_lookup(&dev->hub->indices, index);

	return peer && peer->dev == dev ? peer : NULL;
}

/* Where an authenticated message of the peer came from. */
static void note_path(struct peer *peer, const struct origin *from)
{
	if (from->endpoint)
		path_direct_received(peer, from->endpoint, from->fd);
	else
		path_relayed_received(peer, from->via);
}

/* A TCP stream stays open for messages that prove the network secret:
 * transport messages and handshake responses (a valid initiation needs
 * only our public key). */
static void stream_proven_by(const struct origin *from)
{
	if (from->stream)
		stream_proven(from->stream);
}

/* Cookies and rate limits are keyed on the UDP source or, for a relayed
 * message, on the node that sent it: a relay carries many nodes'
 * handshakes, which must not share one budget. */
static void source_of(const struct origin *from, union endpoint *source)
{
	if (from->endpoint) {
		*source = *from->endpoint;
		return;
	}
	memset(source, 0, sizeof(*source));
	source->in.sin_family = AF_INET;
	source->in.sin_addr = from->relayed_from;
}

/* What every authenticated handshake message of a peer does. */
static void handshake_received(struct peer *peer, const struct origin *from, size_t len)
{
	note_path(peer, from);
	peer->stats.rx_bytes += len;
	peer->stats.rx_packets++;
	timers_any_authenticated_packet_received(peer);
	timers_any_authenticated_packet_traversal(peer);
}

/* mac1, the rate limit, and mac2 under load. False when the message stops here. */
static bool handshake_admitted(struct device *dev, const uint8_t *buf, size_t len,
			       const struct origin *from, uint32_t sender_index)
{
	struct cookie_source source;
	union endpoint sender;
	uint64_t now = clock_ms();
	bool under_load = device_under_load(dev, now);
	enum cookie_mac_state state;

	source_of(from, &sender);
	cookie_source_of(&sender, &source);
	state = cookie_validate_packet(&dev->cookie_checker, buf, len, &source, under_load, now);
	if (state == COOKIE_MAC_INVALID) {
		drop(dev, NULL, DROP_MAC);
		return false;
	}
	/* Relayed handshakes come through an authenticated member: no cookie. */
	if (under_load && state != COOKIE_MAC_VALID_WITH_COOKIE && from->endpoint) {
		struct message_handshake_cookie reply;

		if (cookie_message_create(&reply, &dev->cookie_checker, buf, len, sender_index,
					  &source, now) == 0)
			send_to_endpoint_fd(dev, from->fd, from->endpoint, &reply, sizeof(reply));
		return false;
	}
	if (!ratelimit_allow_from(&dev->ratelimiter, &sender, now)) {
		drop(dev, NULL, DROP_RATELIMIT);
		return false;
	}
	return true;
}

static void receive_initiation(struct device *dev, const uint8_t *buf, size_t len,
			       const struct origin *from)
{
	const struct message_handshake_initiation *msg = (const void *)buf;
	struct initiator_lookup lookup = {.dev = dev};
	struct noise_handshake *hs;
	struct peer *peer;

	if (!handshake_admitted(dev, buf, len, from, msg->sender_index))
		return;
	hs = noise_handshake_consume_initiation(msg, &dev->identity, handshake_of_key, &lookup,
						clock_ms());
	if (!hs) {
		drop(dev, NULL, lookup.blocked ? DROP_BLOCKED : DROP_HANDSHAKE);
		return;
	}
	peer = (struct peer *)((uint8_t *)hs - offsetof(struct peer, handshake));
	handshake_received(peer, from, len);
	log_debug("peer %s: handshake initiation received", NODE_ID(peer->config.node_id));
	send_handshake_response(peer);
}

static void receive_response(struct device *dev, const uint8_t *buf, size_t len,
			     const struct origin *from)
{
	const struct message_handshake_response *msg = (const void *)buf;
	uint32_t index = le32toh(msg->receiver_index);
	struct peer *peer;
	struct noise_keypair keypair;

	if (!handshake_admitted(dev, buf, len, from, msg->sender_index))
		return;
	peer = peer_of_index(dev, index);
	if (!peer || peer->handshake_index != index ||
	    noise_handshake_consume_response(msg, &peer->handshake) ||
	    noise_handshake_begin_session(&peer->handshake, &keypair, clock_ms())) {
		drop(dev, peer, DROP_HANDSHAKE);
		return;
	}
	/* The initiator's keypair is confirmed: it becomes current at once. */
	peer_keypair_drop(peer, &peer->next);
	peer_keypair_drop(peer, &peer->previous);
	peer->previous = peer->current;
	peer->current = keypair;
	peer->handshake_index = 0;
	handshake_received(peer, from, len);
	stream_proven_by(from);
	log_info("peer %s: session established (initiator)", NODE_ID(peer->config.node_id));
	timers_session_derived(peer);
	timers_handshake_complete(peer);
	send_staged_packets(peer);
	events_session_started(peer);
}

static void receive_cookie(struct device *dev, const uint8_t *buf)
{
	const struct message_handshake_cookie *msg = (const void *)buf;
	struct peer *peer = peer_of_index(dev, le32toh(msg->receiver_index));

	if (!peer || cookie_message_consume(&peer->cookie, msg, clock_ms())) {
		drop(dev, peer, DROP_MAC);
		return;
	}
	log_info("peer %s is under load: got a cookie, the next handshake carries it",
		 NODE_ID(peer->config.node_id));
	/* Our initiation was refused for want of it: the next goes now rather
	 * than in REKEY_TIMEOUT - once per REKEY_TIMEOUT, so that a cookie
	 * that keeps failing (a NAT changing our port) makes no ping-pong. */
	if (peer->handshake.state == HANDSHAKE_CREATED_INITIATION &&
	    clock_ms() - peer->cookie_retry_ms >= REKEY_TIMEOUT * 1000ULL) {
		peer->cookie_retry_ms = clock_ms();
		peer->last_sent_handshake_ms = 0;
		send_handshake_initiation(peer, true);
	}
}

/* The responder's "next" keypair is confirmed by the first packet under it. */
static void confirm_keypair(struct peer *peer, struct noise_keypair *keypair)
{
	if (keypair != &peer->next)
		return;
	peer_keypair_drop(peer, &peer->previous);
	peer->previous = peer->current;
	peer->current = peer->next;
	memset(&peer->next, 0, sizeof(peer->next));
	log_info("peer %s: session established (responder)", NODE_ID(peer->config.node_id));
	timers_handshake_complete(peer);
	send_staged_packets(peer);
	events_session_started(peer);
}

/* Cryptokey routing: the inner source must be the sender's node ID. */
static void deliver_ip(struct peer *peer, const struct inner_packet *inner, const uint8_t *data,
		       const struct origin *from)
{
	struct device *dev = peer->dev;

	timers_data_received(peer);
	if (!peer->config.wireguard && !peer->certificate_verified) {
		drop(dev, peer, DROP_NO_CERT);
		return;
	}
	if (!peer->config.wireguard && time(NULL) >= peer->certificate_not_after) {
		if (peer->certificate_verified)
			log_warnx("peer %s: certificate expired", NODE_ID(peer->config.node_id));
		peer->certificate_verified = false;
		drop(dev, peer, DROP_BAD_CERT);
		return;
	}
	if (inner->kind != INNER_IPV4 || inner->src.s_addr != peer->config.node_id.s_addr) {
		drop(dev, peer, DROP_SOURCE);
		return;
	}
	events_traffic(peer, inner->length, false);
	if (from->endpoint)
		events_direct_data(peer);
	tun_io_deliver(dev, data, inner->length);
}

/* The keypair a receiver index names, while it may still receive. */
static struct noise_keypair *receiving_keypair(struct device *dev, uint32_t index,
					       struct peer **peer)
{
	struct noise_keypair *keypair;

	*peer = peer_of_index(dev, index);
	keypair = *peer ? peer_keypair_for_index(*peer, index) : NULL;
	if (!keypair || clock_ms() - keypair->birth_ms >= REJECT_AFTER_TIME * 1000ULL)
		return NULL;
	return keypair;
}

static bool is_data(const uint8_t *buf, size_t len)
{
	uint32_t type;

	if (len < MESSAGE_DATA_MIN_LEN)
		return false;
	memcpy(&type, buf, sizeof(type));
	return le32toh(type) == MESSAGE_DATA;
}

bool receive_data_job(struct device *dev, uint8_t *buf, size_t len, struct aead_job *job)
{
	struct message_data *msg = (struct message_data *)buf;
	struct noise_keypair *keypair;
	struct peer *peer;

	if (!is_data(buf, len))
		return false;
	keypair = receiving_keypair(dev, le32toh(msg->key_idx), &peer);
	job->counter = le64toh(msg->counter);
	if (!keypair || !replay_check(&keypair->replay, job->counter, REJECT_AFTER_MESSAGES))
		return false;
	job->data = msg->encrypted_data;
	job->len = len - MESSAGE_DATA_HEADER_LEN;
	memcpy(job->key, keypair->receiving_key, sizeof(job->key));
	job->decrypt = true;
	return true;
}

/* Decrypted and authentic: by the workers with this very key, or now. */
static bool authentic(const struct noise_keypair *keypair, struct message_data *msg,
		      size_t sealed_len, uint64_t counter, const struct aead_job *opened)
{
	if (opened)
		return !opened->result && opened->counter == counter &&
		       !crypto_memneq(opened->key, keypair->receiving_key, sizeof(opened->key));
	return !aead_decrypt(msg->encrypted_data, msg->encrypted_data, sealed_len, NULL, 0, counter,
			     keypair->receiving_key);
}

/* A clear message (a relay envelope, core/relay.c) is authentic when its
 * tag covers everything before it. */
static bool authentic_clear(const struct noise_keypair *keypair, uint8_t *buf, size_t len,
			    uint64_t counter)
{
	size_t covered = len - NOISE_AUTHTAG_LEN;

	return !aead_decrypt(buf, buf + covered, NOISE_AUTHTAG_LEN, buf, covered, counter,
			     keypair->receiving_key);
}

/*
 * Data under an index no session of ours has: most likely the sender still
 * seals with a session we lost in a restart, and would go on until its own
 * handshake timeout (15 s). If it is a peer we know - by where the packet
 * came from, or the relay envelope's source - and we have no session with
 * it, a new handshake tells it at once (send_handshake_initiation sends at
 * most one per REKEY_TIMEOUT, so a stranger's garbage costs little).
 */
static void session_unknown(struct device *dev, const struct origin *from)
{
	union endpoint sender;
	struct peer *peer;

	/* Before the search: anyone can send such packets. */
	source_of(from, &sender);
	if (!ratelimit_allow_from(&dev->unknown_index, &sender, clock_ms()))
		return;
	peer = from->endpoint ? peer_lookup_by_endpoint(dev, from->endpoint)
			      : peer_lookup_by_node_id(dev, from->relayed_from);
	/* A retry: a peer that stays silent is given up as any other. */
	if (peer && !peer->current.valid && !peer->config.wireguard)
		send_handshake_initiation(peer, true);
}

/* Authenticates a transport message (decrypting it in place) or a clear
 * one; returns its peer with the plaintext length, or NULL after counting
 * the drop. */
static struct peer *open_message(struct device *dev, uint8_t *buf, size_t len,
				 const struct origin *from, bool clear, size_t *plain_len)
{
	struct message_data *msg = (struct message_data *)buf;
	uint64_t counter = le64toh(msg->counter);
	size_t sealed_len = len - MESSAGE_DATA_HEADER_LEN;
	struct peer *peer;
	struct noise_keypair *keypair = receiving_keypair(dev, le32toh(msg->key_idx), &peer);

	if (!keypair) {
		drop(dev, peer, DROP_NO_SESSION);
		if (!peer)
			session_unknown(dev, from);
		return NULL;
	}
	if (!replay_check(&keypair->replay, counter, REJECT_AFTER_MESSAGES)) {
		drop(dev, peer,
		     replay_seen(&keypair->replay, counter) ? DROP_DUPLICATE : DROP_REPLAY);
		return NULL;
	}
	if (clear ? !authentic_clear(keypair, buf, len, counter)
		  : !authentic(keypair, msg, sealed_len, counter, from->opened)) {
		drop(dev, peer, DROP_DECRYPT);
		return NULL;
	}
	if (!replay_update(&keypair->replay, counter, REJECT_AFTER_MESSAGES)) {
		drop(dev, peer, DROP_REPLAY);
		return NULL;
	}
	peer->stats.rx_bytes += len;
	peer->stats.rx_packets++;
	confirm_keypair(peer, keypair);
	*plain_len = sealed_len - NOISE_AUTHTAG_LEN;
	return peer;
}

static void rekey_if_old(struct peer *peer)
{
	struct noise_keypair *keypair = &peer->current;

	if (keypair->i_am_the_initiator && !peer->timers.sent_lastminute_handshake &&
	    clock_ms() - keypair->birth_ms >
		(REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT) * 1000ULL) {
		peer->timers.sent_lastminute_handshake = true;
		send_handshake_initiation(peer, false);
	}
}

/* What every authenticated transport or clear message of a peer does. */
static void message_received(struct peer *peer, const struct origin *from)
{
	stream_proven_by(from);
	note_path(peer, from);
	rekey_if_old(peer);
	timers_any_authenticated_packet_received(peer);
	timers_any_authenticated_packet_traversal(peer);
}

static void receive_data(struct device *dev, uint8_t *buf, size_t len, const struct origin *from)
{
	struct message_data *msg = (struct message_data *)buf;
	size_t plain_len;
	struct peer *peer = open_message(dev, buf, len, from, false, &plain_len);
	struct inner_packet inner;

	if (!peer)
		return;
	inner = packet_classify(msg->encrypted_data, plain_len);
	message_received(peer, from);
	switch (inner.kind) {
	case INNER_KEEPALIVE:
		break;
	case INNER_CONTROL:
		dispatch_control(peer, msg->encrypted_data, plain_len, from);
		break;
	case INNER_IPV4:
	case INNER_IPV6:
		deliver_ip(peer, &inner, msg->encrypted_data, from);
		break;
	case INNER_INVALID:
		drop(dev, peer, DROP_MALFORMED);
		break;
	}
}

/* A relay envelope in the clear: only that may travel so. */
static void receive_clear(struct device *dev, uint8_t *buf, size_t len, const struct origin *from)
{
	struct message_data *msg = (struct message_data *)buf;
	size_t plain_len;
	struct peer *peer = open_message(dev, buf, len, from, true, &plain_len);

	if (!peer)
		return;
	message_received(peer, from);
	if (msg->encrypted_data[0] != CONTROL_RELAY) {
		drop(dev, peer, DROP_MALFORMED);
		return;
	}
	dispatch_control(peer, msg->encrypted_data, plain_len, from);
}

void receive_datagram(struct device *dev, uint8_t *buf, size_t len, const struct origin *from)
{
	uint32_t type;

	if (len < sizeof(struct message_header)) {
		drop(dev, NULL, DROP_MALFORMED);
		return;
	}
	memcpy(&type, buf, sizeof(type));
	type = le32toh(type);
	if (type == MESSAGE_DATA && len >= MESSAGE_DATA_MIN_LEN)
		receive_data(dev, buf, len, from);
	else if (type == MESSAGE_CLEAR && len > MESSAGE_DATA_MIN_LEN)
		receive_clear(dev, buf, len, from);
	else if (type == MESSAGE_HANDSHAKE_INITIATION && len == MESSAGE_INITIATION_LEN)
		receive_initiation(dev, buf, len, from);
	else if (type == MESSAGE_HANDSHAKE_RESPONSE && len == MESSAGE_RESPONSE_LEN)
		receive_response(dev, buf, len, from);
	else if (type == MESSAGE_HANDSHAKE_COOKIE && len == MESSAGE_COOKIE_LEN)
		receive_cookie(dev, buf);
	else
		drop(dev, NULL, DROP_MALFORMED);
}

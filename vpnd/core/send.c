/*
 * The sending half of the data path. Transport data is encrypted with the
 * peer's current keypair; without a usable one, IP packets are staged and a
 * handshake starts. Handshake initiations are rate limited to one per
 * REKEY_TIMEOUT, as WireGuard's.
 */
#include "core/send.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/relay.h"
#include "core/timers.h"
#include "core/tun_io.h"
#include "icmp.h"
#include "ipfrag.h"
#include "io/stream.h"
#include "log.h"
#include "node_id.h"
#include "packet.h"

/* An endpoint as the hub's UDP socket takes it. */
static int udp_destination(const struct hub *hub, union endpoint *to)
{
	if (to->sa.sa_family == 0)
		return -EDESTADDRREQ;
	if (hub->udp_family == AF_INET6)
		endpoint_to_v6(to);
	else if (to->sa.sa_family != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

int send_to_endpoint(struct device *dev, const union endpoint *ep, const void *data, size_t len)
{
	return send_to_endpoint_fd(dev, -1, ep, data, len);
}

int send_to_endpoint_fd(struct device *dev, int fd, const union endpoint *ep, const void *data,
			size_t len)
{
	struct stream *stream = stream_find(&dev->hub->streams, fd);
	union endpoint to = *ep;
	int ret;

	if (stream)
		return stream_send(stream, data, len);
	ret = udp_destination(dev->hub, &to);
	if (ret)
		return ret;
	return send_batch_add(&dev->hub->send_batch, fd >= 0 ? fd : dev->hub->udp_fd, &to, data,
			      len);
}

static void count_sent(struct peer *peer, size_t len)
{
	peer->stats.tx_bytes += len;
	peer->stats.tx_packets++;
}

static int send_to_peer(struct peer *peer, const void *data, size_t len)
{
	int ret = path_transmit(peer, data, len);

	if (ret == 0)
		count_sent(peer, len);
	return ret;
}

void send_handshake_initiation(struct peer *peer, bool is_retry)
{
	struct message_handshake_initiation msg;
	uint64_t now = clock_ms();

	if (peer_blocked(peer))
		return;
	if (!is_retry)
		peer->timers.handshake_attempts = 0;
	if (peer->last_sent_handshake_ms &&
	    now - peer->last_sent_handshake_ms < REKEY_TIMEOUT * 1000ULL)
		return;
	if (!path_available(peer)) {
		log_debug("peer %s: no path known, cannot initiate", NODE_ID(peer->config.node_id));
		return;
	}
	if (!peer_new_handshake_index(peer) ||
	    noise_handshake_create_initiation(&msg, &peer->handshake, peer->handshake_index))
		return;
	cookie_add_macs(&peer->cookie, &msg, sizeof(msg), now);
	peer->last_sent_handshake_ms = now;
	log_debug("peer %s: sending handshake initiation", NODE_ID(peer->config.node_id));
	timers_any_authenticated_packet_traversal(peer);
	send_to_peer(peer, &msg, sizeof(msg));
	timers_handshake_initiated(peer);
}

void send_handshake_response(struct peer *peer)
{
	struct message_handshake_response msg;
	struct noise_keypair keypair;
	uint64_t now = clock_ms();

	if (!peer_new_handshake_index(peer) ||
	    noise_handshake_create_response(&msg, &peer->handshake, peer->handshake_index))
		return;
	cookie_add_macs(&peer->cookie, &msg, sizeof(msg), now);
	if (noise_handshake_begin_session(&peer->handshake, &keypair, now))
		return;
	/* The responder's keypair waits in "next" until the initiator uses it. */
	peer_keypair_drop(peer, &peer->next);
	peer->next = keypair;
	peer->handshake_index = 0;
	timers_session_derived(peer);
	timers_any_authenticated_packet_traversal(peer);
	timers_any_authenticated_packet_sent(peer);
	send_to_peer(peer, &msg, sizeof(msg));
}

static bool keypair_usable(const struct noise_keypair *keypair, uint64_t now)
{
	return keypair->valid && keypair->sending_counter < REJECT_AFTER_MESSAGES &&
	       now - keypair->birth_ms < REJECT_AFTER_TIME * 1000ULL;
}

static bool keypair_wants_rekey(const struct noise_keypair *keypair, uint64_t now)
{
	return keypair->sending_counter > REKEY_AFTER_MESSAGES ||
	       (keypair->i_am_the_initiator &&
		now - keypair->birth_ms > REKEY_AFTER_TIME * 1000ULL);
}

/* Padded to a multiple of 16, but never past the MTU. */
static size_t padded_length(const struct device *dev, size_t len)
{
	size_t padded =
	    (len + MESSAGE_PADDING_MULTIPLE - 1) & ~(size_t)(MESSAGE_PADDING_MULTIPLE - 1);

	if (padded > dev->cfg.mtu && len <= dev->cfg.mtu)
		padded = dev->cfg.mtu;
	return padded < len ? len : padded;
}

static size_t sealed_length(size_t padded)
{
	return MESSAGE_DATA_HEADER_LEN + padded + NOISE_AUTHTAG_LEN;
}

/* Lays out the transport message of a plaintext (IP packet, control
 * message, or empty) at msg and takes its counter: everything but the
 * encryption, which job describes. The current keypair must be usable. */
static void seal_layout(struct peer *peer, const uint8_t *plain, size_t len, size_t padded,
			struct message_data *msg, struct aead_job *job)
{
	struct noise_keypair *keypair = &peer->current;

	if (len && plain != msg->encrypted_data) /* keepalives have no plaintext */
		memmove(msg->encrypted_data, plain, len);
	memset(msg->encrypted_data + len, 0, padded - len);
	msg->header.type = htole32(MESSAGE_DATA);
	msg->key_idx = htole32(keypair->remote_index);
	msg->counter = htole64(keypair->sending_counter);
	job->data = msg->encrypted_data;
	job->len = padded;
	job->counter = keypair->sending_counter;
	memcpy(job->key, keypair->sending_key, sizeof(job->key));
	job->decrypt = false;
	keypair->sending_counter++;
	timers_any_authenticated_packet_traversal(peer);
	timers_any_authenticated_packet_sent(peer);
	/* Only IP packets are data: control messages expect no answer, and
	 * must not make the peer look silent (a needless new handshake). */
	if (len && (plain[0] >> 4 == 4 || plain[0] >> 4 == 6))
		timers_data_sent(peer);
}

/* Encrypts a plaintext into the device's send buffer; returns the message
 * length or -ENOKEY. */
static int seal(struct peer *peer, const uint8_t *plain, size_t len)
{
	struct device *dev = peer->dev;
	size_t padded = padded_length(dev, len);
	struct aead_job job;

	if (!keypair_usable(&peer->current, clock_ms()))
		return -ENOKEY;
	if (sealed_length(padded) > sizeof(dev->send_buffer))
		return -EMSGSIZE;
	seal_layout(peer, plain, len, padded, (struct message_data *)dev->send_buffer, &job);
	aead_job_run(&job);
	crypto_wipe(job.key, sizeof(job.key));
	return job.result ? -EINVAL : (int)sealed_length(padded);
}

/* A message for a peer reached straight over UDP joins the open send
 * batch, to be encrypted with the rest of it; -EAGAIN when it cannot. */
static int seal_into_batch(struct peer *peer, const uint8_t *plain, size_t len)
{
	struct device *dev = peer->dev;
	size_t padded = padded_length(dev, len);
	union endpoint to;
	struct aead_job *job;
	uint8_t *room;
	int fd;

	if (!keypair_usable(&peer->current, clock_ms()) || !path_direct_udp(peer, &fd, &to) ||
	    udp_destination(dev->hub, &to))
		return -EAGAIN;
	room = send_batch_reserve(&dev->hub->send_batch, fd, &to, sealed_length(padded), &job);
	if (!room)
		return -EAGAIN;
	seal_layout(peer, plain, len, padded, (struct message_data *)room, job);
	count_sent(peer, sealed_length(padded));
	return 0;
}

int send_plaintext(struct peer *peer, const uint8_t *plain, size_t len)
{
	int ret = seal_into_batch(peer, plain, len);

	if (ret == -EAGAIN) {
		ret = seal(peer, plain, len);
		if (ret < 0)
			return ret;
		ret = send_to_peer(peer, peer->dev->send_buffer, (size_t)ret);
	}
	if (keypair_wants_rekey(&peer->current, clock_ms()))
		send_handshake_initiation(peer, false);
	return ret;
}

int send_plaintext_to(struct peer *peer, int fd, const union endpoint *ep, const uint8_t *plain,
		      size_t len)
{
	int ret = seal(peer, plain, len);

	if (ret < 0)
		return ret;
	return send_to_endpoint_fd(peer->dev, fd, ep, peer->dev->send_buffer, (size_t)ret);
}

int send_plaintext_through(struct peer *peer, struct peer *relay, const uint8_t *plain,
			   size_t len)
{
	int ret = seal(peer, plain, len);

	if (ret < 0)
		return ret;
	return relay_send(relay, peer->config.node_id, NULL, 0, peer->dev->send_buffer,
			  (size_t)ret);
}

int send_plaintext_alone(struct peer *peer, int fd, const union endpoint *ep, const uint8_t *plain,
			 size_t len)
{
	struct send_batch *batch = &peer->dev->hub->send_batch;
	bool gathering = batch->open;
	int ret;

	if (gathering)
		send_batch_close(batch);
	ret = send_plaintext_to(peer, fd, ep, plain, len);
	if (gathering)
		send_batch_open(batch);
	return ret;
}

/* Lays out a clear message around the len bytes after its header, with
 * the tag over all of it; returns its length or -ENOKEY. */
static int seal_clear(struct peer *peer, uint8_t *buf, size_t len)
{
	struct noise_keypair *keypair = &peer->current;
	struct message_data *msg = (struct message_data *)buf;
	size_t covered = MESSAGE_DATA_HEADER_LEN + len;

	if (!keypair_usable(keypair, clock_ms()))
		return -ENOKEY;
	msg->header.type = htole32(MESSAGE_CLEAR);
	msg->key_idx = htole32(keypair->remote_index);
	msg->counter = htole64(keypair->sending_counter);
	if (aead_encrypt(buf + covered, NULL, 0, buf, covered, keypair->sending_counter,
			 keypair->sending_key))
		return -EINVAL;
	keypair->sending_counter++;
	timers_any_authenticated_packet_traversal(peer);
	timers_any_authenticated_packet_sent(peer);
	return (int)(covered + NOISE_AUTHTAG_LEN);
}

int send_clear(struct peer *peer, uint8_t *buf, size_t len)
{
	int sealed = seal_clear(peer, buf, len), ret;

	if (sealed < 0)
		return sealed;
	if (path_has_direct(peer)) {
		ret = send_to_endpoint_fd(peer->dev, peer->path.fd, &peer->endpoint, buf,
					  (size_t)sealed);
		if (ret == 0)
			count_sent(peer, (size_t)sealed);
	} else {
		/* Its path may be a relay in turn, whose envelope is built in
		 * the buffer this one may be in: from the send buffer, then. */
		memmove(peer->dev->send_buffer, buf, (size_t)sealed);
		ret = send_to_peer(peer, peer->dev->send_buffer, (size_t)sealed);
	}
	if (keypair_wants_rekey(&peer->current, clock_ms()))
		send_handshake_initiation(peer, false);
	return ret;
}

void send_keepalive(struct peer *peer)
{
	if (send_plaintext(peer, NULL, 0) == -ENOKEY)
		send_handshake_initiation(peer, false);
}

/* Our certificate goes to every vpnd peer until it acknowledges it. */
static bool certificate_send(struct peer *peer)
{
	struct device *dev = peer->dev;
	uint8_t msg[1 + CERT_MAX_LEN];

	if (peer->config.wireguard || peer->certificate_acked || !dev->certificate_len)
		return false; /* a node still enrolling has no certificate yet */
	msg[0] = CONTROL_CERTIFICATE;
	memcpy(msg + 1, dev->certificate, dev->certificate_len);
	if (send_plaintext(peer, msg, 1 + dev->certificate_len))
		return false;
	timers_certificate_sent(peer);
	return true;
}

void send_certificate(struct peer *peer)
{
	certificate_send(peer);
}

void send_certificate_ack(struct peer *peer)
{
	const uint8_t msg[1] = {CONTROL_CERTIFICATE_ACK};

	send_plaintext(peer, msg, sizeof(msg));
}

void send_staged_packets(struct peer *peer)
{
	/* A new session may be with a restarted peer that knows nothing of us:
	 * our certificate goes out once per session. */
	peer->certificate_acked = false;
	bool confirmed = certificate_send(peer);
	unsigned int sent = 0;

	for (; sent < peer->staged_count; sent++)
		if (send_plaintext(peer, peer->staged[sent]->data, peer->staged[sent]->len) ==
		    -ENOKEY)
			break;
	peer_staged_release(peer, sent);
	/* The responder needs one packet to confirm the new keypair. */
	if (!sent && !confirmed)
		send_keepalive(peer);
}

/* One IP packet (or fragment) from the TUN to its peer; staged while a
 * handshake runs. */
static void send_ip(struct peer *peer, const uint8_t *packet, size_t len)
{
	events_traffic(peer, len, true);
	if (send_plaintext(peer, packet, len) == -ENOKEY) {
		peer_stage_packet(peer, packet, len);
		send_handshake_initiation(peer, false);
	}
}

static void send_fragment(void *peer, const uint8_t *fragment, size_t len)
{
	send_ip(peer, fragment, len);
}

/* Too big for the peer's path, whose datagrams are never fragmented: with
 * DF (as TCP and most UDP send), an ICMP "fragmentation needed" back into
 * the TUN makes the local stack send smaller packets to this destination;
 * without, vpnd fragments it as a router would. */
static void send_too_big(struct peer *peer, const uint8_t *packet, size_t len, size_t mtu)
{
	uint8_t icmp[ICMP_FRAG_NEEDED_MAX];
	size_t icmp_len;

	if (!ipv4_dont_fragment(packet, len)) {
		if (ipv4_fragment(packet, len, mtu, peer->dev->fragment_buffer, send_fragment,
				  peer))
			peer->stats.fragmented++;
		else
			peer_count_drop(peer, DROP_TOO_BIG);
		return;
	}
	peer_count_drop(peer, DROP_TOO_BIG);
	icmp_len = icmp_frag_needed(icmp, packet, len, peer->config.node_id, (uint16_t)mtu);
	if (icmp_len)
		tun_io_deliver(peer->dev, icmp, icmp_len);
}

void send_packet_from_tun(struct device *dev, const uint8_t *packet, size_t len)
{
	struct inner_packet inner = packet_classify(packet, len);
	struct peer *peer;
	size_t mtu;

	if (inner.kind != INNER_IPV4) {
		dev->unattributed
		    .drops[inner.kind == INNER_IPV6 ? DROP_NO_ROUTE : DROP_MALFORMED]++;
		return;
	}
	peer = peer_lookup_by_node_id(dev, inner.dst);
	if (!peer) {
		dev->unattributed.drops[DROP_NO_ROUTE]++;
		return;
	}
	if (peer_blocked(peer)) {
		peer_count_drop(peer, DROP_BLOCKED);
		return;
	}
	mtu = path_inner_mtu(peer);
	if (inner.length > mtu)
		send_too_big(peer, packet, inner.length, mtu);
	else
		send_ip(peer, packet, inner.length);
}

/*
 * Certificates presented in a session (see certificate.h). A certificate
 * must be signed by the network's key, valid now, name the key the
 * handshake proved, and name the node ID the peer has - or, for an unknown
 * initiator at a rendezvous, one nobody else holds (events.h).
 */
#include "core/certificate.h"

#include <time.h>

#include "cert.h"
#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/peer.h"
#include "core/send.h"
#include "core/timers.h"
#include "log.h"
#include "node_id.h"

void certificate_adopt(struct peer *peer, const struct cert *cert)
{
	peer->certificate = *cert;
	peer->certificate_verified = true;
	peer->certificate_not_after = (time_t)cert->not_after;
}

static const char *refusal(const struct peer *peer, const struct cert *cert)
{
	enum cert_status status = device_check_cert(peer->dev, cert);

	if (status != CERT_OK)
		return cert_status_string(status);
	if (crypto_memneq(cert->public_key, peer->config.public_key, NOISE_PUBLIC_KEY_LEN))
		return "it names another key or node ID";
	if (blocklist_has_node(&peer->dev->blocks, cert->node_id))
		return "its node ID is blocked";
	return NULL;
}

bool certificate_held(const struct peer *peer, const struct cert *cert)
{
	return peer->certificate_verified && cert_equal(&peer->certificate, cert) &&
	       time(NULL) < peer->certificate_not_after;
}

/* An Ed25519 verification costs; a peer gets at most one per
 * CERTIFICATE_VERIFY_MS. */
static bool verify_allowed(struct peer *peer)
{
	uint64_t now = clock_ms();

	if (peer->certificate_checked_ms && now - peer->certificate_checked_ms < CERTIFICATE_VERIFY_MS)
		return false;
	peer->certificate_checked_ms = now;
	return true;
}

void certificate_receive(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	int cert_len = cert_wire_len(msg + 1, len - 1);
	const char *why;
	struct cert cert;

	if (cert_len < 0 || cert_decode(&cert, msg + 1, (size_t)cert_len)) {
		log_warnx("peer %s: malformed certificate", NODE_ID(peer->config.node_id));
		peer_count_drop(peer, DROP_BAD_CERT);
		return;
	}
	if (certificate_held(peer, &cert)) {
		send_certificate_ack(peer);
		return;
	}
	if (!verify_allowed(peer)) {
		peer_count_drop(peer, DROP_RATELIMIT);
		return;
	}
	why = refusal(peer, &cert);
	if (!why && !events_node_id_claimed(peer, &cert))
		why = "it names another key or node ID";
	if (why) {
		if (!peer->certificate_verified)
			log_warnx("peer %s: certificate refused: %s", NODE_ID(peer->config.node_id),
				  why);
		peer_count_drop(peer, DROP_BAD_CERT);
		return;
	}
	if (!peer->certificate_verified)
		log_info("peer %s: certificate verified", NODE_ID(peer->config.node_id));
	certificate_adopt(peer, &cert);
	send_certificate_ack(peer);
}

void certificate_receive_ack(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	peer->certificate_acked = true;
	timers_certificate_acked(peer);
	events_certificate_acked(peer);
}

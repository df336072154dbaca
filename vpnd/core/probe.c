/* Sending probes and answering them (see probe.h). */
#include "core/probe.h"

#include <errno.h>

#include "core/path.h"
#include "core/peer.h"
#include "core/receive.h"
#include "core/send.h"
#include "crypto.h"
#include "wire.h"

enum { PROBE_PADDED_MAX = 16384 }; /* jumbo frames, with room */

int probe_send(struct peer *peer, int fd, const union endpoint *ep, uint64_t nonce)
{
	uint8_t msg[WIRE_PROBE_LEN];

	if (!ep->sa.sa_family)
		return -EDESTADDRREQ;
	if (wire_encode_probe(msg, sizeof(msg), CONTROL_PROBE, nonce) < 0)
		return -EINVAL;
	return send_plaintext_to(peer, fd, ep, msg, sizeof(msg));
}

int probe_send_padded(struct peer *peer, int fd, const union endpoint *ep, uint64_t nonce,
		      size_t size)
{
	uint8_t msg[PROBE_PADDED_MAX] = {0};
	size_t len = size - MESSAGE_DATA_HEADER_LEN - NOISE_AUTHTAG_LEN;

	if (size < MESSAGE_DATA_HEADER_LEN + NOISE_AUTHTAG_LEN + WIRE_PROBE_LEN ||
	    len > sizeof(msg))
		return -EMSGSIZE;
	if (wire_encode_probe(msg, sizeof(msg), CONTROL_PROBE, nonce) < 0)
		return -EINVAL;
	/* What follows the probe's own encoding is padding. */
	return send_plaintext_alone(peer, fd, ep, msg, len);
}

int probe_send_untimed(struct peer *peer, int fd, const union endpoint *ep)
{
	uint64_t nonce = 0;

	crypto_random(&nonce, sizeof(nonce));
	return probe_send(peer, fd, ep, nonce);
}

void probe_receive(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	uint8_t pong[WIRE_PROBE_LEN];
	uint64_t nonce;

	if (wire_decode_probe(msg, len, &nonce) ||
	    wire_encode_probe(pong, sizeof(pong), CONTROL_PONG, nonce) < 0)
		return;
	if (from->endpoint) { /* back to its source */
		send_plaintext_to(peer, from->fd, from->endpoint, pong, sizeof(pong));
		return;
	}
	/* Back through the relay that handed it to us (our own route may be
	 * broken where the probe's is not: a route check must see its own
	 * route), and along our route too when that starts elsewhere (past
	 * several relays, the last may have no way back). The first answer
	 * counts; a second finds its nonce spent. */
	if (from->via && peer_can_relay(from->via))
		send_plaintext_through(peer, from->via, pong, sizeof(pong));
	if (!from->via || path_first_relay(peer).s_addr != from->via->config.node_id.s_addr)
		send_plaintext(peer, pong, sizeof(pong));
}

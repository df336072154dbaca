/*
 * Peers' certificates: the CERTIFICATE and CERTIFICATE_ACK control
 * messages, and taking on a certificate verified elsewhere (from a
 * rendezvous' directory or the peer cache). Sending our own is send.c's.
 * The certificate a peer holds, presented again, is not verified again;
 * a new one costs an Ed25519 verification, which each peer may ask for
 * once per CERTIFICATE_VERIFY_MS (more are dropped as rate limited).
 */
#ifndef VPND_CERTIFICATE_H
#define VPND_CERTIFICATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cert;
struct origin;
struct peer;

enum { CERTIFICATE_VERIFY_MS = 1000 }; /* a peer's new certificates, at most one per */

/* The certificate the peer holds already, presented again (as at every new
 * session, or in every introduction): verified, and not expired since. */
bool certificate_held(const struct peer *peer, const struct cert *cert);
/* The peer is the holder of cert, which was verified against the network. */
void certificate_adopt(struct peer *peer, const struct cert *cert);
void certificate_receive(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);
void certificate_receive_ack(struct peer *peer, uint8_t *msg, size_t len,
			     const struct origin *from);

#endif

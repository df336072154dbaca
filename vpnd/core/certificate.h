/*
 * Peers' certificates: the CERTIFICATE and CERTIFICATE_ACK control
 * messages, and taking on a certificate verified elsewhere (from a
 * rendezvous' directory or the peer cache). Sending our own is send.c's.
 */
#ifndef VPND_CERTIFICATE_H
#define VPND_CERTIFICATE_H

#include <stddef.h>
#include <stdint.h>

struct cert;
struct origin;
struct peer;

/* The peer is the holder of cert, which was verified against the network. */
void certificate_adopt(struct peer *peer, const struct cert *cert);
void certificate_receive(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);
void certificate_receive_ack(struct peer *peer, uint8_t *msg, size_t len,
			     const struct origin *from);

#endif

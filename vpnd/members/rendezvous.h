/*
 * The rendezvous role: accept any member of the network, record where it
 * is (the endpoint its packets come from, and the host addresses it
 * registers), and introduce members to each other (PEER_INFO).
 */
#ifndef VPND_RENDEZVOUS_H
#define VPND_RENDEZVOUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "messages.h"

struct device;
struct peer;

/* A peer for an initiator not in the configuration, when serving. */
struct peer *rendezvous_accept_unknown(struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN]);
/* A member proved its node ID: take it, unless another key holds it. */
bool rendezvous_claim_node_id(struct peer *peer, const struct cert *cert);
void rendezvous_receive_register(struct peer *peer, const uint8_t *data, size_t len);
/* Forgets unknown initiators that never presented a valid certificate. */
void rendezvous_sweep(struct device *dev);

#endif

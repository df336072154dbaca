/*
 * Events between modules. Core and features announce what happened here;
 * vpnd/hooks.c, above every feature, decides which features react. No
 * feature calls another, and core calls none: a new feature joins by
 * adding its reactions to hooks.c.
 *
 * The state a feature keeps per device or per peer is created on
 * device_opened/peer_created and freed on device_closed/peer_removed.
 */
#ifndef VPND_EVENTS_H
#define VPND_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct cert;
struct device;
struct peer;

/* Lifetimes: 0 or -ENOMEM. A peer whose creation failed gets peer_removed
 * at once; a device is closed (device_closed) by device_down, whatever
 * opened. Every *_free reaction takes state that was never created. */
int events_device_opened(struct device *dev);
void events_device_closed(struct device *dev);
int events_peer_created(struct peer *peer);
void events_peer_removed(struct peer *peer);
/* The TUN has its address: the node runs as itself. */
void events_interface_up(struct device *dev);
/* Before the interface and the peers go. */
void events_interface_down(struct device *dev);

/* A handshake from a key no peer has: a peer for it, or NULL. */
struct peer *events_unknown_initiator(struct device *dev, const uint8_t *key);
/* A verified certificate names the peer's node ID: whether it may have it. */
bool events_node_id_claimed(struct peer *peer, const struct cert *cert);
/* The peer acknowledged our certificate. */
void events_certificate_acked(struct peer *peer);
/* A session with the peer exists (new, or renewed). */
void events_session_started(struct peer *peer);

/* An IP packet of bytes went to (sent) or came from the peer, or through it
 * as a relay. */
void events_traffic(struct peer *peer, size_t bytes, bool sent);
/* An IP packet came straight from the peer: its direct path carries data. */
void events_direct_data(struct peer *peer);
/* An authenticated packet came straight from the peer. */
void events_direct_received(struct peer *peer);
/* The first one, while the peer was reached through a relay. */
void events_direct_up(struct peer *peer);
/* The direct path stopped answering for good. */
void events_direct_lost(struct peer *peer);
/* A peer reached over a TCP stream we opened answers over UDP again. */
void events_udp_answers_again(struct peer *peer);

/* Where the peer is, as a rendezvous told us; moved: somewhere new. */
void events_peer_located(struct peer *peer, bool moved);
/* This machine's addresses changed (nat/roam.c): we may be elsewhere. */
void events_network_changed(struct device *dev);
/* dev->mapped_candidate changed (nat/portmap.c): rendezvous nodes must hear. */
void events_candidates_changed(struct device *dev);
/* Our own NAT type changed (nat/netcheck.c). */
void events_nat_type_learned(struct device *dev);
/* A STUN message on one of the hub's sockets. */
void events_stun_received(struct device *dev, int fd, const uint8_t *buf, size_t len,
			  const union endpoint *src);

#endif

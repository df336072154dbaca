/*
 * A peer: its configuration, session state (handshake, keypairs), the
 * WireGuard timers, certificate state, where it is and how packets reach it
 * (path.h), packets waiting for a session, and counters. Features keep
 * their own per-peer state behind the pointers at the end, which they
 * create and free on the peer_created/peer_removed events (events.h).
 * Lifetime: peer_create adds it to the device, peer_remove takes it out and
 * frees it with everything it owns.
 */
#ifndef VPND_PEER_H
#define VPND_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "cookie.h"
#include "core/path.h"
#include "drop.h"
#include "io/loop.h"
#include "messages.h"
#include "noise.h"
#include "wire.h"

struct device;

struct peer_stats {
	uint64_t rx_bytes, rx_packets;
	uint64_t tx_bytes, tx_packets;
	uint64_t fragmented; /* IP packets without DF too big for the path, cut to fit */
	uint64_t drops[DROP_REASON_COUNT];
};

struct staged_packet {
	size_t len;
	uint8_t data[];
};

/* WireGuard's timers and vpnd's certificate resend (core/timers.c). */
struct peer_timers {
	struct timer retransmit_handshake;
	struct timer send_keepalive;
	struct timer new_handshake;
	struct timer zero_key_material;
	struct timer persistent_keepalive;
	struct timer resend_certificate;
	unsigned int handshake_attempts;
	bool need_another_keepalive;
	bool sent_lastminute_handshake;
};

/* Where the peer says it is: what a rendezvous told us of it, or (serving
 * as rendezvous) what it registered. Written by members/, read by nat/. */
struct peer_location {
	uint8_t nat;			  /* enum nat_type, as the peer's netcheck found */
	union endpoint reflexive;	  /* as the rendezvous sees it */
	struct candidate_list candidates; /* host candidates it registered */
};

struct punch;
struct birthday_spray;
struct measure;
struct pmtu;
struct registered;
struct peer_name;
struct route_check;
struct route_choice;
struct links_heard;
struct register_refresh;

struct peer {
	struct device *dev;
	struct config_peer config;
	union endpoint endpoint; /* where the last direct authenticated packet came from */
	struct path path;
	struct peer_location location;
	bool dynamic; /* learned from a rendezvous, or accepted by one */
	uint64_t created_ms;
	struct noise_handshake handshake;
	uint32_t handshake_index; /* local index of the handshake in flight */
	struct cookie cookie;
	struct noise_keypair current, previous, next;
	struct peer_timers timers;
	uint64_t last_sent_handshake_ms;
	uint64_t cookie_retry_ms; /* the last initiation sent at once for a cookie */
	time_t last_handshake_time; /* wall clock, for humans */
	bool certificate_verified;
	struct cert certificate;      /* the peer's, once verified */
	time_t certificate_not_after; /* IP packets stop when it expires */
	uint64_t certificate_checked_ms; /* the last verification it asked for */
	bool certificate_acked;
	struct staged_packet *staged[MAX_QUEUED_PACKETS];
	unsigned int staged_count;
	struct peer_stats stats;

	/* Each owned by one feature module. */
	struct punch *punch;			   /* nat/punch.c */
	struct birthday_spray *spray;		   /* nat/birthday.c */
	struct measure *measure;		   /* route/measure.c */
	struct pmtu *pmtu;			   /* route/pmtu.c */
	struct route_choice *choice;		   /* route/select.c */
	struct route_check *route_check;	   /* route/verify.c */
	struct registered *registered;		   /* members/rendezvous.c */
	struct peer_name *name;			   /* members/names.c, if named */
	struct links_heard *links;		   /* route/links.c */
	struct register_refresh *register_refresh; /* members/directory.c */
};

struct peer *peer_create(struct device *dev, const struct config_peer *config);
/* A peer not in the configuration: from the directory, or (node ID still
 * 0.0.0.0) an unknown initiator at a rendezvous. */
struct peer *peer_create_dynamic(struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN],
				 struct in_addr node_id);
void peer_remove(struct peer *peer);

struct peer *peer_lookup_by_node_id(const struct device *dev, struct in_addr node_id);
struct peer *peer_lookup_by_key(const struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN]);
/* The peer last reached at ep, or that a rendezvous said is there (a
 * linear search: not for every packet). */
struct peer *peer_lookup_by_endpoint(const struct device *dev, const union endpoint *ep);

/* Keypair bookkeeping; every keypair owns its index in the hub's table. */
void peer_keypair_drop(struct peer *peer, struct noise_keypair *keypair);
void peer_keypairs_clear(struct peer *peer);
struct noise_keypair *peer_keypair_for_index(struct peer *peer, uint32_t index);
/* A fresh index for the next handshake, releasing the one in flight. */
uint32_t peer_new_handshake_index(struct peer *peer);

int peer_stage_packet(struct peer *peer, const uint8_t *data, size_t len);
/* Frees the oldest count staged packets (they were sent). */
void peer_staged_release(struct peer *peer, unsigned int count);
void peer_staged_clear(struct peer *peer);

/* An unknown initiator proved its node ID (the peers stay sorted). */
void peer_set_node_id(struct peer *peer, struct in_addr node_id);
/* Where the peer is, as it registered (reflexive NULL: as seen) or as a
 * rendezvous told us. */
void peer_set_location(struct peer *peer, uint8_t nat, const union endpoint *reflexive,
		       const struct candidate_list *candidates);
void peer_count_drop(struct peer *peer, enum drop_reason reason);
/* On the device's blocklist: by its key, its configured node ID, or the
 * node ID of its verified certificate. */
bool peer_blocked(const struct peer *peer);
/* That node ID is on the blocklist, or the peer holding it is. */
bool peer_node_blocked(const struct device *dev, struct in_addr node_id);
/* Ends its sessions and any handshake under way, drops what waits for one.
 * The peer stays known (a blocked key or node ID is not learnt again). */
void peer_block(struct peer *peer);
/* A vpnd peer whose certificate verified and has not expired, with a
 * session. */
bool peer_is_member(const struct peer *peer);
/* A member whose certificate lets it relay: a hop for routes. */
bool peer_can_relay(const struct peer *peer);

#endif

/*
 * A peer: its configuration, session state (handshake, keypairs), timers,
 * certificate state, packets waiting for a session, and counters.
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
#include "messages.h"
#include "noise.h"
#include "route.h"
#include "rtt.h"
#include "wire.h"

struct device;

struct peer_stats {
	uint64_t rx_bytes, rx_packets;
	uint64_t tx_bytes, tx_packets;
	uint64_t drops[DROP_REASON_COUNT];
};

struct staged_packet {
	size_t len;
	uint8_t data[];
};

struct peer_timers {
	uint64_t retransmit_handshake; /* monotonic ms; 0 when not armed */
	uint64_t send_keepalive;
	uint64_t new_handshake;
	uint64_t zero_key_material;
	uint64_t persistent_keepalive;
	uint64_t resend_certificate;
	uint64_t punch;		 /* next round of probes to the peer's candidates */
	uint64_t measure;	 /* the next probe of the direct path (measure.c) */
	uint64_t spray;		 /* the next paced batch of birthday probes */
	uint64_t register_again; /* with a rendezvous: refresh our candidates */
	uint64_t tcp_fallback;	 /* a rendezvous silent over UDP: try TCP */
	unsigned int handshake_attempts;
	bool need_another_keepalive;
	bool sent_lastminute_handshake;
};

/* A probe of the direct path (or a tunctl ping) waiting for its pong. */
struct probe_slot {
	uint64_t nonce;
	uint64_t sent_us; /* 0: free */
};

/* The last tunctl ping: sent over the chosen route, answered or not. */
struct ping {
	struct probe_slot probe;
	bool answered;
	uint32_t rtt_us;
	bool direct;	      /* the pong came straight from the peer... */
	union endpoint from;  /* ...from here */
	struct in_addr relay; /* or through this relay */
};

enum route_pin_kind { PIN_AUTO, PIN_DIRECT, PIN_RELAY, PIN_VIA };

struct route_pin {
	enum route_pin_kind kind;
	struct in_addr via; /* PIN_VIA: the first relay */
};

/* A relay's links as it last advertised them. */
struct links_heard {
	struct link_advert advert;
	uint64_t received_ms;
};

enum { PROBE_SLOTS = 4 };

/*
 * How packets reach the peer. A direct path is an endpoint an authenticated
 * packet came from; probes measure it (measure.c). The selector (select.c)
 * picks the route - direct, or through one or more relays - from those
 * measurements and the relays' link adverts; until it has one, packets go
 * direct if they can and through the rendezvous otherwise.
 */
struct peer_path {
	bool direct_up;
	int fd;			  /* the local socket of the direct path; -1: the device's */
	uint8_t nat;		  /* enum nat_type, as the peer's netcheck found */
	uint64_t last_traffic_ms; /* an IP packet sent or received, or relayed */
	union endpoint udp_seen;  /* UDP source while on a TCP stream it opened */
	int udp_seen_fd;
	struct rtt_estimate direct_rtt; /* what probes of the direct path measured */
	struct probe_slot probes[PROBE_SLOTS];
	struct route route;    /* the selector's choice, when routed */
	struct route fallback; /* the best relayed route, for when direct is in doubt */
	bool routed;
	struct route_hysteresis hysteresis;
	struct route_pin pin;
	unsigned int switches;
	uint64_t last_switch_ms;
	char reason[96]; /* why the route is what it is */
	struct ping ping;
	struct links_heard *links;	  /* a relay's adverts */
	struct in_addr relay;		  /* the rendezvous relay, until routes are known */
	union endpoint reflexive;	  /* as the rendezvous sees it */
	struct candidate_list candidates; /* host candidates it registered */
	unsigned int punch_probes_left;
	unsigned int spray_left; /* birthday probes still to send */
	unsigned int spray_sent;
	unsigned int punch_backoff_s;
};

struct peer {
	struct device *dev;
	struct config_peer config;
	union endpoint endpoint; /* where the last direct authenticated packet came from */
	struct peer_path path;
	bool dynamic; /* learned from a rendezvous, or accepted by one */
	uint64_t created_ms;
	struct noise_handshake handshake;
	uint32_t handshake_index; /* local index of the handshake in flight */
	struct cookie cookie;
	struct noise_keypair current, previous, next;
	struct peer_timers timers;
	uint64_t last_sent_handshake_ms;
	time_t last_handshake_time; /* wall clock, for humans */
	bool certificate_verified;
	struct cert certificate;      /* the peer's, once verified */
	time_t certificate_not_after; /* IP packets stop when it expires */
	bool certificate_acked;
	struct staged_packet *staged[MAX_QUEUED_PACKETS];
	unsigned int staged_count;
	struct peer_stats stats;
};

struct peer *peer_create(struct device *dev, const struct config_peer *config);
/* A peer not in the configuration: from the directory, or (node ID still
 * 0.0.0.0) an unknown initiator at a rendezvous. */
struct peer *peer_create_dynamic(struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN],
				 struct in_addr node_id);
void peer_remove(struct peer *peer);

struct peer *peer_lookup_by_node_id(const struct device *dev, struct in_addr node_id);
struct peer *peer_lookup_by_key(const struct device *dev, const uint8_t key[NOISE_PUBLIC_KEY_LEN]);

/* Keypair bookkeeping; every keypair owns its index in the device's table. */
void peer_keypair_drop(struct peer *peer, struct noise_keypair *keypair);
void peer_keypairs_clear(struct peer *peer);
struct noise_keypair *peer_keypair_for_index(struct peer *peer, uint32_t index);
/* A fresh index for the next handshake, releasing the one in flight. */
uint32_t peer_new_handshake_index(struct peer *peer);

int peer_stage_packet(struct peer *peer, const uint8_t *data, size_t len);
/* Frees the oldest count staged packets (they were sent). */
void peer_staged_release(struct peer *peer, unsigned int count);
void peer_staged_clear(struct peer *peer);

void peer_count_drop(struct peer *peer, enum drop_reason reason);
/* A vpnd peer whose certificate verified, with a session. */
bool peer_is_member(const struct peer *peer);
/* A member whose certificate lets it relay: a hop for routes. */
bool peer_can_relay(const struct peer *peer);

#endif

/*
 * The device: one network - its TUN interface, this node's identity and
 * certificate in it, and the peers. It owns what it creates and removes it
 * all again; the sockets belong to the hub (hub.h). Features keep their
 * per-device state behind the pointers at the end (created and freed on
 * the device_opened/device_closed events, events.h).
 */
#ifndef VPND_DEVICE_H
#define VPND_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "blocklist.h"
#include "config.h"
#include "cookie.h"
#include "core/dispatch.h"
#include "core/peer.h"
#include "gro.h"
#include "io/loop.h"
#include "noise.h"
#include "ratelimit.h"

enum {
	DEVICE_BUFFER_LEN = MESSAGE_MAX_PACKET + MESSAGE_OVERHEAD,
	UNDER_LOAD_HANDSHAKES_PER_SECOND = 128,
	UNDER_LOAD_STRANGERS = 64, /* waiting to prove themselves: cookies from then on */
};

struct hub;
struct netcheck;
struct birthday_sockets;
struct enrollment;
struct selector;
struct verifier;
struct advertiser;
struct rendezvous;

struct offload_stats {
	uint64_t super_packets;	 /* read from the TUN */
	uint64_t super_segments; /* the packets they stood for */
	uint64_t merged_writes;
	uint64_t merged_segments;
};

struct device {
	struct config cfg;
	struct noise_static_identity identity;
	struct cookie_checker cookie_checker;
	struct ratelimiter ratelimiter;	 /* handshake messages, per source */
	struct ratelimiter unknown_index; /* data under an index we lack (no MAC: its own) */
	uint8_t certificate[CERT_MAX_LEN];
	size_t certificate_len;

	int tun_fd;
	struct watch tun_watch;
	unsigned int tun_offloads; /* TUN_F_* the kernel took */
	unsigned int ifindex;
	bool address_configured;
	struct hub *hub;  /* the sockets, shared with the other networks */
	uint8_t nat_type; /* enum nat_type: what nat/netcheck.c last found */
	/* Where the gateway forwards a port to ours (nat/portmap.c), offered
	 * to peers as our first candidate; family 0: none. */
	union endpoint mapped_candidate;

	struct peer **peers; /* sorted by node ID for lookups from the TUN */
	size_t peer_count;
	struct peer_stats unattributed; /* drops that name no peer */
	struct blocklist blocks;	/* kept in the state directory (.blocks) */
	struct control_counts control;	/* control messages, per type */

	uint64_t load_window_start_ms;
	unsigned int load_window_handshakes;
	unsigned int load_previous_second;
	uint64_t under_load_until_ms;

	uint8_t tun_buffer[DEVICE_BUFFER_LEN];
	uint8_t send_buffer[DEVICE_BUFFER_LEN];
	uint8_t relay_buffer[DEVICE_BUFFER_LEN];
	uint8_t fragment_buffer[DEVICE_BUFFER_LEN]; /* an inner packet cut to fit its path */
	struct gro gro; /* TCP segments on their way to the TUN */
	struct offload_stats offload;

	/* Each owned by one feature module. */
	struct netcheck *netcheck;	   /* nat/netcheck.c */
	struct birthday_sockets *birthday; /* nat/birthday.c */
	struct roam *roam;		   /* nat/roam.c */
	struct portmap *portmap;	   /* nat/portmap.c */
	struct enrollment *enrollment;	   /* members/enroll.c */
	struct rendezvous *rendezvous;	   /* members/rendezvous.c */
	struct beacon_state *beacon;	   /* members/beacon.c */
	struct selector *selector;	   /* route/select.c */
	struct verifier *verifier;	   /* route/verify.c */
	struct advertiser *advertiser;	   /* route/links.c */
};

/* First the identity and the configured peers (enough to enroll, over the
 * hub's sockets), then the TUN with its address, MTU and route, configured
 * through netlink. */
int device_open_network(struct device *dev);
int device_open_interface(struct device *dev);
void device_down(struct device *dev);
/* Applies the peers of a new configuration, keeping sessions of peers that stay. */
void device_set_peers(struct device *dev, const struct config_peer *peers, size_t count);
void device_sort_peers(struct device *dev);
/* A certificate just obtained goes to every peer with a session. */
void device_present_certificate(struct device *dev);
/* Starts a session with every rendezvous peer that has none. */
void device_connect_rendezvous(struct device *dev);
/* Reads the blocklist from the state directory; -errno with error filled
 * (file, line, problem) if it cannot. */
int device_load_blocklist(struct device *dev, char *error, size_t error_len);
/* Ends every session with a blocked peer (see peer_block). */
void device_apply_blocklist(struct device *dev);
/* Whether handshakes must carry a cookie: counts one handshake message. */
bool device_under_load(struct device *dev, uint64_t now_ms);
/* Peers without a node ID yet: initiators still to prove themselves. */
size_t device_strangers(const struct device *dev);
/* A certificate of this network, valid now. */
enum cert_status device_check_cert(const struct device *dev, const struct cert *cert);
/* <state_dir>/<ifname>.<suffix>; false when it does not fit. */
bool device_state_path(const struct device *dev, const char *suffix, char *buf, size_t len);
/* The state directory exists (mode 0700), or -errno. */
int device_make_state_dir(const struct device *dev);

#endif

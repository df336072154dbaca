/*
 * The device: one network - its TUN interface, this node's identity and
 * certificate in it, and the peers. It owns what it creates and removes it
 * all again; the sockets belong to the hub (hub.h).
 */
#ifndef VPND_DEVICE_H
#define VPND_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "members/enroll.h"
#include "gro.h"
#include "cookie.h"
#include "nat/birthday.h"
#include "core/hub.h"
#include "nat/netcheck.h"
#include "noise.h"
#include "core/peer.h"
#include "ratelimit.h"

enum {
	DEVICE_BUFFER_LEN = MESSAGE_MAX_PACKET + MESSAGE_OVERHEAD,
	UNDER_LOAD_HANDSHAKES_PER_SECOND = 128,
};

struct device {
	struct config cfg;
	struct noise_static_identity identity;
	struct cookie_checker cookie_checker;
	struct ratelimiter ratelimiter;
	uint8_t certificate[CERT_MAX_LEN];
	size_t certificate_len;

	int tun_fd;
	unsigned int tun_offloads; /* TUN_F_* the kernel took */
	unsigned int ifindex;
	bool address_configured;
	struct hub *hub; /* the sockets, shared with the other networks */
	struct netcheck netcheck;
	uint8_t nat_type; /* enum nat_type, from the last netcheck */
	struct enrollment enrollment;
	struct birthday_socket birthday[BIRTHDAY_MAX_SOCKETS];
	size_t birthday_count;

	struct peer **peers; /* sorted by node ID for lookups from the TUN */
	size_t peer_count;
	struct peer_stats unattributed; /* drops that name no peer */

	uint64_t load_window_start_ms;
	unsigned int load_window_handshakes;
	unsigned int load_previous_second;
	uint64_t under_load_until_ms;

	uint64_t next_sweep_ms;
	uint64_t next_select_ms;
	uint64_t next_links_ms;
	struct route_graph graph; /* as the selector last built it */
	size_t relays_known;	  /* relay-capable peers in it */

	uint8_t tun_buffer[DEVICE_BUFFER_LEN];
	uint8_t send_buffer[DEVICE_BUFFER_LEN];
	uint8_t relay_buffer[DEVICE_BUFFER_LEN];
	struct gro gro; /* TCP segments on their way to the TUN */
	struct offload_stats {
		uint64_t super_packets;	 /* read from the TUN */
		uint64_t super_segments; /* the packets they stood for */
		uint64_t merged_writes;
		uint64_t merged_segments;
	} offload;
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
bool device_under_load(struct device *dev, uint64_t now_ms);

uint64_t clock_ms(void);
uint64_t clock_us(void);

#endif

/*
 * The device: one TUN interface, one UDP socket, this node's identity and
 * the peers. It owns everything the daemon creates and removes it all again.
 */
#ifndef VPND_DEVICE_H
#define VPND_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "enroll.h"
#include "cookie.h"
#include "birthday.h"
#include "index.h"
#include "netcheck.h"
#include "noise.h"
#include "peer.h"
#include "ratelimit.h"
#include "stream.h"

enum {
	DEVICE_BUFFER_LEN = MESSAGE_MAX_PACKET + MESSAGE_OVERHEAD,
	UNDER_LOAD_HANDSHAKES_PER_SECOND = 128,
};

struct device {
	struct config cfg;
	struct noise_static_identity identity;
	struct cookie_checker cookie_checker;
	struct ratelimiter ratelimiter;
	struct index_table indices;
	uint8_t certificate[CERT_MAX_LEN];
	size_t certificate_len;

	int tun_fd;
	unsigned int ifindex;
	bool address_configured;
	int udp_fd;
	int udp_family;
	uint16_t listen_port;
	int stun_fd; /* the rendezvous' second port: STUN only */
	int tcp_fd;  /* the rendezvous' TCP listener, for nodes without UDP */
	struct stream *streams[STREAM_MAX];
	size_t stream_count;
	struct netcheck netcheck;
	uint8_t nat_type; /* enum nat_type, from the last netcheck */
	struct enrollment enrollment;
	int epoll_fd; /* the event loop's, for sockets opened on the way */
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

	uint8_t send_buffer[DEVICE_BUFFER_LEN];
	uint8_t relay_buffer[DEVICE_BUFFER_LEN];
	uint8_t receive_buffer[DEVICE_BUFFER_LEN];
};

/* First the sockets and the configured peers (enough to enroll), then the
 * TUN with its address, MTU and route, configured through netlink. */
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

#endif

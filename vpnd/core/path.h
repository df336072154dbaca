/* Which way packets go to a peer: direct, or through a relay; and opening
 * direct paths by probing candidates (hole punching). See path.c. */
#ifndef VPND_PATH_H
#define VPND_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

struct peer;

/* Sends an outer message (handshake or transport) to the peer. */
int path_transmit(struct peer *peer, const void *msg, size_t len);
bool path_available(const struct peer *peer);
/* Whether messages for the peer go to it straight over UDP and nowhere
 * else (what batches are for), and from which socket to where. */
bool path_direct_udp(const struct peer *peer, int *fd, union endpoint *to);
/* The peer has a direct path (which may be down: see its direct_rtt). */
bool path_has_direct(const struct peer *peer);
/* The direct path stopped answering for good: punch again. */
void path_direct_lost(struct peer *peer);
/* The first relay packets to the peer go through; 0.0.0.0 when direct. */
struct in_addr path_first_relay(const struct peer *peer);
/* An authenticated packet of the peer came straight from src. */
void path_direct_received(struct peer *peer, const union endpoint *src, int fd);
/* The TCP stream the peer's path used closed. */
void path_stream_closed(struct peer *peer);
/* A rendezvous did not answer over UDP: reach it over TCP instead. */
void path_try_tcp(struct peer *peer);
bool path_over_tcp(const struct peer *peer);
/* While on TCP, asks over UDP whether it works (again). */
void path_probe_udp(struct peer *peer);
/* An authenticated packet of the peer came through this relay. */
void path_relayed_received(struct peer *peer, const struct peer *relay);
/* A session with the peer exists: try to open a direct path. */
void path_session_started(struct peer *peer);
/* An IP packet went to or came from the peer, or through it as a relay. */
void path_traffic(struct peer *peer);
/* The punch timer fired: the next round of probes. */
void path_punch(struct peer *peer);
void path_receive_probe(struct peer *peer, const uint8_t *data, size_t len,
			const union endpoint *src, int fd);
const char *path_kind(const struct peer *peer);

#endif

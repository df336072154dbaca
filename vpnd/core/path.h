/*
 * How packets reach a peer: the transport state of its path, owned and
 * written by path.c alone. A direct path is an endpoint an authenticated
 * packet came from (over UDP, or over a TCP stream the peer or we opened).
 * The route the selector chose (route/select.c) and whether the direct path
 * is in doubt (route/measure.c) reach it through path_set_route and
 * path_set_direct_doubt; until a route is chosen, packets go direct if they
 * can and through the relay that introduced the peer otherwise.
 */
#ifndef VPND_PATH_H
#define VPND_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "io/loop.h"
#include "route.h"
#include "rtt.h"

struct peer;

struct path {
	bool direct_up;
	int fd;			 /* the local socket of the direct path; -1: the hub's */
	union endpoint udp_seen; /* UDP source while on a TCP stream it opened */
	int udp_seen_fd;
	struct in_addr relay;	   /* the relay it came through, until routes are known */
	bool routed;		   /* the selector chose route */
	struct route route;	   /* its choice */
	struct route fallback;	   /* the best relayed route, for a direct path in doubt */
	bool direct_doubtful;	   /* the last probe of the direct path went unanswered */
	size_t direct_mtu;	   /* the largest datagram the direct path carries; 0: any */
	size_t route_hops_mtu;	   /* the same for the route's links past the first; 0: any */
	struct timer tcp_fallback; /* a rendezvous silent over UDP: try TCP */
};

void path_init(struct peer *peer);
void path_release(struct peer *peer);
/* Sends an outer message (handshake or transport) to the peer. */
int path_transmit(struct peer *peer, const void *msg, size_t len);
bool path_available(const struct peer *peer);
/* Whether messages for the peer go to it straight over UDP and nowhere
 * else (what batches are for), and from which socket to where. */
bool path_direct_udp(const struct peer *peer, int *fd, union endpoint *to);
/* The peer has a direct path (which may be down: see its measurements). */
bool path_has_direct(const struct peer *peer);
/* The direct path stopped answering for good: punch again. */
void path_direct_lost(struct peer *peer);
/* The largest inner packet the peer's path carries unfragmented: the
 * interface MTU direct (or what the direct path's MTU leaves of it), less a
 * relay envelope and a second seal relayed. */
size_t path_inner_mtu(const struct peer *peer);
/* The same for the direct path alone. */
size_t path_direct_mtu(const struct peer *peer);
/* What route/pmtu.c found the direct path carries (0: no limit known). */
void path_set_direct_mtu(struct peer *peer, size_t datagram);
/* The smallest of those the relays advertise for the links of the route in
 * use past its first hop (0: no limit known). */
void path_set_route_hops_mtu(struct peer *peer, size_t datagram);
/* The first relay packets to the peer go through; 0.0.0.0 when direct. */
struct in_addr path_first_relay(const struct peer *peer);
/* An authenticated packet of the peer came straight from src. */
void path_direct_received(struct peer *peer, const union endpoint *src, int fd);
/* An authenticated packet of the peer came through this relay. */
void path_relayed_received(struct peer *peer, const struct peer *relay);
/* Where the peer was last reached directly (the peer cache). */
void path_set_endpoint(struct peer *peer, const union endpoint *endpoint);
/* Where the configuration (a name, resolved anew) now puts the peer: its
 * endpoint too, unless a direct path says otherwise. */
void path_set_configured_endpoint(struct peer *peer, const union endpoint *endpoint);
/* The relay that introduced the peer (its rendezvous). */
void path_set_relay(struct peer *peer, struct in_addr relay);
/* A stream opened to the peer (nat/tcp_punch.c) becomes the way to it
 * directly; the first authenticated message through it brings the direct
 * path up (path_direct_received). */
void path_try_stream(struct peer *peer, int fd, const union endpoint *remote);
/* The TCP stream the peer's path used closed. */
void path_stream_closed(struct peer *peer);
/* A handshake went to a rendezvous with no session: TCP if it stays silent. */
void path_handshake_sent(struct peer *peer);
bool path_over_tcp(const struct peer *peer);
/* The selector's choice: route, and the best relayed route as fallback. */
void path_set_route(struct peer *peer, const struct route *route, const struct route *fallback);
/* Nothing measured works: back to the unrouted default. */
void path_clear_route(struct peer *peer);
void path_set_direct_doubt(struct peer *peer, bool doubtful);
/* "direct", "relay" or "none". */
const char *path_kind(const struct peer *peer);

#endif

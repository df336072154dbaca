/*
 * Direct TCP, where UDP does not pass: when a punching round over UDP
 * failed and this node's network or the peer's blocks UDP (we reach a
 * rendezvous over TCP only; or the peer's NAT type is unknown: no STUN
 * answer reached it), both sides connect to each other's reflexive address
 * from their listening port at about the same time. A public peer accepts
 * the connection; behind NATs that keep one mapping per local port (cone,
 * full cone, port-mapped), the two SYNs cross and TCP's simultaneous open
 * makes one connection of them. The stream becomes the peer's direct path
 * once an authenticated message comes through it; the selector measures
 * it like any path (TCP's retransmissions under loss show in its RTT), and
 * a direct UDP path found later replaces it.
 */
#ifndef VPND_TCP_PUNCH_H
#define VPND_TCP_PUNCH_H

struct peer;

/* A punching round over UDP failed: TCP is tried, if it may help. */
void tcp_punch_start(struct peer *peer);

#endif

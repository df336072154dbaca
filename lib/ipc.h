/*
 * The control protocol between tunctl and vpnd.
 *
 * Transport: a unix stream socket, by default /run/vpnd/<ifname>.sock, mode
 * 0660 (root, or the configured group); the daemon checks the caller's
 * credentials. One JSON object per line in each direction; a connection may
 * carry any number of requests.
 *
 * Request:  {"command": "<name>", ...arguments of the command...}
 * Replies:  {"ok": true, ...fields of the command...}
 *           {"ok": false, "error": "<message>", "code": "<code>"}
 *
 * Commands:
 *   status  node_id, network, interface, mtu, listen_port, public_key,
 *           peer_count, drops {reason: count} (drops naming no peer),
 *           offload {tun: [TUN offloads the kernel took: "csum", "tso4",
 *           "tso6", "uso4", "uso6"], udp_gso, udp_gro (bool), workers (crypto
 *           threads besides the event loop), super_packets
 *           (read from the TUN) and super_segments (the packets they held),
 *           trains (datagram batches sent with UDP GSO; shared by the
 *           process' networks) and train_datagrams, merged_writes (to the
 *           TUN) and merged_segments}, control {message name: {received,
 *           refused (its sender lacked the standing the message needs),
 *           standing}} for each control message type (vpnd/message_table.c)
 *   peers   peers: [{node_id, public_key, endpoint, kind ("vpnd"|"wireguard"),
 *           certificate ("verified"|"pending"|"not required"),
 *           last_handshake (unix seconds, 0 = never), session (bool),
 *           path ("direct"|"relay"|"none"), relay (first relay's node ID
 *           or ""), route ("direct", "via 10.26.0.11, ..."; before routes
 *           are measured: the path), transport ("udp"|"tcp"),
 *           local_port (the UDP port the direct path leaves from),
 *           nat ("cone"|"symmetric"|"unknown"), punch_probes_sent,
 *           dynamic (bool: learned from a rendezvous, not configured),
 *           rx_bytes, rx_packets, tx_bytes, tx_packets, drops {reason: count}}]
 *           (an empty array when there are none)
 *   netcheck         starts a NAT check; timeout_ms: when its result is ready
 *   netcheck_result  the last complete check: checked (unix seconds, 0 =
 *           none yet), udp (bool), mapping ("endpoint-independent",
 *           "endpoint-dependent" or "unknown ..."), nat ("cone"|"symmetric"|
 *           "unknown"), port_preserved, port_spread, ipv6 (bool: a global
 *           IPv6 address), servers: [{server, mapped, rtt_ms}] (mapped and
 *           rtt_ms absent when the server did not answer)
 *   paths   (peer: node ID) path, mtu (the largest inner packet the route in
 *           use carries unfragmented), route (chosen; "" before routes are
 *           measured), pin ("auto"|"direct"|"relay"|"via <node ID>"), reason
 *           (why the route is what it is), why_not_direct ("" when direct),
 *           switches (route changes so far), seconds_since_switch (null:
 *           none yet), candidates: [{route, hops
 *           [node IDs], cost_ms (null: unusable), rtt_ms, rttvar_ms,
 *           min_rtt_ms (the lowest of the last 30 s), loss (0..1) and state
 *           ("up"|"loaded"|"down"|"unmeasured"|"none"; loaded: carrying our
 *           bulk traffic, so costed by its minimum RTT) of its first link,
 *           chosen (bool)}], the direct path first, then the cheapest
 *           route through each first relay, cheapest first
 *   ping    (peer) sends one probe along the chosen route; timeout_ms
 *   ping_result  (peer) answered (bool); when answered: rtt_ms, path
 *           ("direct"|"relay") and endpoint (direct) or relay (node ID): how
 *           the answer came back
 *   pin     (peer, mode: "auto"|"direct"|"relay"|"via", via: node ID for
 *           "via") overrides the selector for the peer; route
 *   block   (entry: a node ID or base64 public key) adds it to the blocklist,
 *           kept in the state directory, and applies it; changed (false: it
 *           was there)
 *   unblock (entry) takes it off; changed (false: it was not there)
 *   blocks  blocks: [{entry, kind ("node"|"key"), drops}]
 *
 * Error codes: "bad_request" (not JSON, no command, a bad argument),
 * "unknown_command", "denied" (credentials refused; or pin, block or unblock
 * from a member of the socket's group, who may only look), "no_peer", "no_session",
 * "not_vpnd", "no_relay", "not_saved" (the blocklist could not be written:
 * nothing changed), "full" (256 entries).
 */
#ifndef VPND_IPC_H
#define VPND_IPC_H

enum { IPC_MAX_LINE = 4096 };

#define IPC_SOCKET_DIR "/run/vpnd"

#endif

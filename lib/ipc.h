/*
 * The control protocol between tunctl and vpnd.
 *
 * Transport: a unix stream socket, by default /run/vpnd/<ifname>.sock, mode
 * 0660 (root, or the configured group); the daemon checks the caller's
 * credentials. One JSON object per line in each direction; a connection may
 * carry any number of requests.
 *
 * Request:  {"command": "<name>"}
 * Replies:  {"ok": true, ...fields of the command...}
 *           {"ok": false, "error": "<message>", "code": "<code>"}
 *
 * Commands:
 *   status  node_id, network, interface, mtu, listen_port, public_key,
 *           peer_count, drops {reason: count} (drops naming no peer)
 *   peers   peers: [{node_id, public_key, endpoint, kind ("vpnd"|"wireguard"),
 *           certificate ("verified"|"pending"|"not required"),
 *           last_handshake (unix seconds, 0 = never), session (bool),
 *           path ("direct"|"relay"|"none"), relay (node ID or ""),
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
 *
 * Error codes: "bad_request" (not JSON, no command), "unknown_command",
 * "denied" (credentials refused).
 */
#ifndef VPND_IPC_H
#define VPND_IPC_H

enum { IPC_MAX_LINE = 4096 };

#define IPC_SOCKET_DIR "/run/vpnd"

#endif

/*
 * Encoding and decoding of vpnd's control messages (inside sessions; see
 * messages.h for the types). Pure functions over byte buffers: every
 * decoder checks every length and returns -EINVAL on anything malformed.
 *
 *   candidate:  family u8 (4|6) | address (4|16) | port u16
 *   REGISTER:   type | nat u8 | count u8 | candidate...
 *   PEER_INFO:  type | cert_len u8 | certificate | nat u8
 *               | reflexive candidate | count u8 | candidate...
 *   RELAY:      type | hop_limit u8 | length u16 | src node ID (4)
 *               | dst node ID (4) | waypoint count u8 | waypoint node IDs
 *               | payload (an outer message)
 *   LINKS:      type | count u16 | (node ID (4) | cost in us u32)...
 *   PROBE/PONG: type | nonce u64
 *   ENROLL_REQUEST: type | node ID asked for (4; 0.0.0.0: any) | length u16 | token
 *   ENROLL_REPLY:   type | status u8 (0: ok) | length u16 | certificate or message
 * Integers are big-endian. Trailing bytes are transport padding.
 */
#ifndef VPND_WIRE_H
#define VPND_WIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "cert.h"

enum wire_limits {
	WIRE_MAX_CANDIDATES = 8,
	WIRE_CANDIDATE_MAX_LEN = 1 + 16 + 2,
	WIRE_RELAY_HEADER_LEN = 1 + 1 + 2 + 4 + 4 + 1, /* without waypoints */
	WIRE_MAX_WAYPOINTS = 3,
	WIRE_MAX_LINKS = 128,
	WIRE_LINK_LEN = 4 + 4 + 2, /* node, cost, and (appended) its MTU */
	WIRE_PROBE_LEN = 1 + 8,
};

/* What the node's netcheck found in front of it. */
enum nat_type {
	NAT_UNKNOWN = 0,
	NAT_CONE = 1,	   /* endpoint-independent mapping */
	NAT_SYMMETRIC = 2, /* endpoint-dependent mapping */
};

const char *nat_type_name(enum nat_type type);

struct candidate_list {
	size_t count;
	union endpoint items[WIRE_MAX_CANDIDATES];
};

struct registration {
	uint8_t nat;
	struct candidate_list candidates;
};

struct peer_info {
	struct cert cert;
	uint8_t nat;
	union endpoint reflexive;
	struct candidate_list candidates;
};

/* Relays forward to the first waypoint, taking it off, or with none left
 * to dst. */
struct relay_header {
	uint8_t hop_limit;
	struct in_addr src;
	struct in_addr dst;
	size_t waypoint_count;
	struct in_addr waypoints[WIRE_MAX_WAYPOINTS];
	const uint8_t *payload;
	size_t payload_len;
};

/* Encoders return the length written, or -EINVAL if buf is too small. */
int wire_encode_register(uint8_t *buf, size_t len, const struct registration *reg);
int wire_decode_register(const uint8_t *buf, size_t len, struct registration *reg);
int wire_encode_peer_info(uint8_t *buf, size_t len, const struct peer_info *info);
int wire_decode_peer_info(const uint8_t *buf, size_t len, struct peer_info *info);
/* Writes the header only; the payload follows it (the length returned). */
int wire_encode_relay_header(uint8_t *buf, size_t len, const struct relay_header *relay);
int wire_decode_relay(const uint8_t *buf, size_t len, struct relay_header *relay);
int wire_encode_probe(uint8_t *buf, size_t len, uint8_t type, uint64_t nonce);
int wire_decode_probe(const uint8_t *buf, size_t len, uint64_t *nonce);

/* A LAN beacon: a member announcing itself on its links (multicast), with
 * an HMAC-BLAKE2s under the network secret over all of it, so that only
 * members make or read one as such. */
struct beacon {
	uint16_t port;	 /* the node's UDP port */
	uint64_t time_s; /* when it was sent (Unix time): old ones are refused */
	struct cert cert;
};

enum { WIRE_BEACON_MAX_LEN = 4 + 1 + 2 + 8 + 1 + CERT_MAX_LEN + 32 };

int wire_encode_beacon(uint8_t *buf, size_t len, const struct beacon *beacon,
		       const uint8_t secret[32]);
/* -EINVAL if it is not a beacon, -EACCES if its MAC does not verify. */
int wire_decode_beacon(const uint8_t *buf, size_t len, struct beacon *beacon,
		       const uint8_t secret[32]);

struct link {
	struct in_addr node;
	uint32_t cost_us;
	uint16_t datagram_max; /* the largest datagram the link carries; 0: not known */
};

struct link_advert {
	size_t count;
	struct link links[WIRE_MAX_LINKS];
};

int wire_encode_links(uint8_t *buf, size_t len, const struct link_advert *advert);
int wire_decode_links(const uint8_t *buf, size_t len, struct link_advert *advert);

struct enroll_message {
	uint8_t type;		/* CONTROL_ENROLL_REQUEST or _REPLY */
	struct in_addr node_id; /* requests */
	uint8_t status;		/* replies: 0 ok (body is a certificate), else a message */
	const uint8_t *body;	/* the token, the certificate, or the message */
	size_t body_len;
};

int wire_encode_enroll(uint8_t *buf, size_t len, const struct enroll_message *msg);
int wire_decode_enroll(const uint8_t *buf, size_t len, struct enroll_message *msg);

/* Adds an endpoint unless present or the list is full; 1 if added. */
int candidate_list_add(struct candidate_list *list, const union endpoint *ep);
/* Whether a member may be sent to probe an endpoint: a unicast address
 * that is not unspecified, loopback, link-local, multicast or reserved, nor
 * in the overlay's own subnet, and a port. */
bool candidate_usable(const union endpoint *ep, const struct ipv4_prefix *overlay);
bool candidate_list_equal(const struct candidate_list *a, const struct candidate_list *b);
/* Keeps the usable candidates, each once; returns how many it removed. */
size_t candidate_list_sanitize(struct candidate_list *list, const struct ipv4_prefix *overlay);

#endif

/*
 * Every wire format, protocol constant and limit of vpnd in one place.
 * The outer messages are WireGuard's, byte for byte (and one of vpnd's own,
 * between vpnd peers only: MESSAGE_CLEAR); inside transport data
 * the first byte tells an IP packet (version nibble 4 or 6) from a vpnd
 * control message.
 */
#ifndef VPND_MESSAGES_H
#define VPND_MESSAGES_H

#include <stdint.h>

#include "crypto.h"
#include "tai64n.h"

enum noise_lengths {
	NOISE_PUBLIC_KEY_LEN = X25519_KEY_LEN,
	NOISE_SYMMETRIC_KEY_LEN = AEAD_KEY_LEN,
	NOISE_TIMESTAMP_LEN = TAI64N_LEN,
	NOISE_AUTHTAG_LEN = AEAD_TAG_LEN,
	NOISE_HASH_LEN = BLAKE2S_HASH_LEN,
};

#define NOISE_ENCRYPTED_LEN(plain_len) ((plain_len) + NOISE_AUTHTAG_LEN)

/* Timers and limits, as WireGuard's (seconds unless named otherwise). */
enum limits {
	REKEY_TIMEOUT = 5,
	REKEY_TIMEOUT_JITTER_MAX_MS = 334,
	KEEPALIVE_TIMEOUT = 10,
	REKEY_AFTER_TIME = 120,
	REKEY_ATTEMPT_TIME = 90,
	REJECT_AFTER_TIME = 180,
	COOKIE_SECRET_MAX_AGE = 2 * 60,
	COOKIE_SECRET_LATENCY = 5,
	INITIATIONS_PER_SECOND = 50,
	MAX_PEERS = 1U << 16,
	MAX_QUEUED_PACKETS = 128,
	MAX_TIMER_HANDSHAKES = 90 / 5,
	NAT_KEEPALIVE_INTERVAL = 25, /* NAT mappings commonly expire after 30 s */
};

#define REKEY_AFTER_MESSAGES (1ULL << 60)
#define REJECT_AFTER_MESSAGES (UINT64_MAX - 8192 - 1)

enum message_type {
	MESSAGE_INVALID = 0,
	MESSAGE_HANDSHAKE_INITIATION = 1,
	MESSAGE_HANDSHAKE_RESPONSE = 2,
	MESSAGE_HANDSHAKE_COOKIE = 3,
	MESSAGE_DATA = 4,
	/* vpnd's own: transport data's header, then a relay envelope in the
	 * clear and a tag of the session over all before it. What a relay
	 * carries is sealed end to end already; a hop authenticates it
	 * without encrypting it again (a quarter of the cost). */
	MESSAGE_CLEAR = 5,
};

enum cookie_values {
	COOKIE_SECRET_LEN = NOISE_HASH_LEN,
	COOKIE_NONCE_LEN = XAEAD_NONCE_LEN,
	COOKIE_LEN = BLAKE2S_MAC_LEN,
};

/* All integers little-endian on the wire; type is the first byte. */
struct message_header {
	uint32_t type;
} __attribute__((packed));

struct message_macs {
	uint8_t mac1[COOKIE_LEN];
	uint8_t mac2[COOKIE_LEN];
} __attribute__((packed));

struct message_handshake_initiation {
	struct message_header header;
	uint32_t sender_index;
	uint8_t unencrypted_ephemeral[NOISE_PUBLIC_KEY_LEN];
	uint8_t encrypted_static[NOISE_ENCRYPTED_LEN(NOISE_PUBLIC_KEY_LEN)];
	uint8_t encrypted_timestamp[NOISE_ENCRYPTED_LEN(NOISE_TIMESTAMP_LEN)];
	struct message_macs macs;
} __attribute__((packed));

struct message_handshake_response {
	struct message_header header;
	uint32_t sender_index;
	uint32_t receiver_index;
	uint8_t unencrypted_ephemeral[NOISE_PUBLIC_KEY_LEN];
	uint8_t encrypted_nothing[NOISE_ENCRYPTED_LEN(0)];
	struct message_macs macs;
} __attribute__((packed));

struct message_handshake_cookie {
	struct message_header header;
	uint32_t receiver_index;
	uint8_t nonce[COOKIE_NONCE_LEN];
	uint8_t encrypted_cookie[NOISE_ENCRYPTED_LEN(COOKIE_LEN)];
} __attribute__((packed));

struct message_data {
	struct message_header header;
	uint32_t key_idx;
	uint64_t counter;
	uint8_t encrypted_data[];
} __attribute__((packed));

enum message_sizes {
	MESSAGE_INITIATION_LEN = sizeof(struct message_handshake_initiation), /* 148 */
	MESSAGE_RESPONSE_LEN = sizeof(struct message_handshake_response),     /* 92 */
	MESSAGE_COOKIE_LEN = sizeof(struct message_handshake_cookie),	      /* 64 */
	MESSAGE_DATA_HEADER_LEN = sizeof(struct message_data),		      /* 16 */
	MESSAGE_DATA_MIN_LEN = MESSAGE_DATA_HEADER_LEN + NOISE_AUTHTAG_LEN,
	MESSAGE_PADDING_MULTIPLE = 16,
	MESSAGE_OVERHEAD = MESSAGE_DATA_HEADER_LEN + NOISE_AUTHTAG_LEN + MESSAGE_PADDING_MULTIPLE,
	MESSAGE_MAX_PACKET = 65535,
};

/*
 * Control messages inside a session: plaintext starts with one of these
 * bytes, whose high nibble is never 4 or 6. Each message's own encoding
 * gives its length; what follows it is transport padding. A zero-length
 * plaintext is a keepalive.
 */
enum control_type {
	CONTROL_CERTIFICATE = 0x01,	/* the sender's node certificate follows */
	CONTROL_CERTIFICATE_ACK = 0x02, /* the receiver verified it */
	CONTROL_REGISTER = 0x03,	/* node -> rendezvous: its host candidates */
	CONTROL_PEER_INFO = 0x05,	/* rendezvous -> node: a member and its candidates */
	CONTROL_RELAY = 0x07,		/* an outer message to or from another node */
	CONTROL_PROBE = 0x08,		/* sent to a candidate endpoint to open a path */
	CONTROL_PONG = 0x09,		/* the answer, to the probe's source */
	CONTROL_ENROLL_REQUEST = 0x0a,	/* a join token and the node ID asked for */
	CONTROL_ENROLL_REPLY = 0x0b,	/* a certificate, or why not */
	CONTROL_LINKS = 0x0c,		/* a relay's measured links, for routing */
};

#endif

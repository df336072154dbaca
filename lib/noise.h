/*
 * Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s exactly as WireGuard uses it: the
 * handshake state of one peer, and the keypairs it yields. No sockets, no
 * clocks of its own: callers pass the time and own the index table.
 */
#ifndef VPND_NOISE_H
#define VPND_NOISE_H

#include <stdbool.h>
#include <stdint.h>

#include "messages.h"
#include "replay.h"

struct noise_static_identity {
	uint8_t static_public[NOISE_PUBLIC_KEY_LEN];
	uint8_t static_private[NOISE_PUBLIC_KEY_LEN];
};

struct noise_keypair {
	uint8_t sending_key[NOISE_SYMMETRIC_KEY_LEN];
	uint8_t receiving_key[NOISE_SYMMETRIC_KEY_LEN];
	uint64_t sending_counter;
	struct replay_window replay;
	uint32_t local_index;
	uint32_t remote_index;
	uint64_t birth_ms;
	bool i_am_the_initiator;
	bool valid;
};

enum noise_handshake_state {
	HANDSHAKE_ZEROED,
	HANDSHAKE_CREATED_INITIATION,
	HANDSHAKE_CONSUMED_INITIATION,
	HANDSHAKE_CREATED_RESPONSE,
	HANDSHAKE_CONSUMED_RESPONSE,
};

struct noise_handshake {
	enum noise_handshake_state state;
	const struct noise_static_identity *static_identity;
	uint8_t remote_static[NOISE_PUBLIC_KEY_LEN];
	uint8_t precomputed_static_static[NOISE_PUBLIC_KEY_LEN];
	uint8_t preshared_key[NOISE_SYMMETRIC_KEY_LEN];
	uint8_t latest_timestamp[NOISE_TIMESTAMP_LEN];
	uint64_t last_initiation_consumption_ms;
	/* Ephemeral state of the handshake in flight. */
	uint8_t ephemeral_private[NOISE_PUBLIC_KEY_LEN];
	uint8_t remote_ephemeral[NOISE_PUBLIC_KEY_LEN];
	uint8_t hash[NOISE_HASH_LEN];
	uint8_t chaining_key[NOISE_HASH_LEN];
	uint32_t local_index;
	uint32_t remote_index;
};

/* Finds the handshake of the peer whose static key an initiation carries. */
typedef struct noise_handshake *(*noise_peer_lookup_fn)(
    void *ctx, const uint8_t static_key[NOISE_PUBLIC_KEY_LEN]);

/* -EINVAL when the static-static DH is zero (a peer key of low order). */
int noise_handshake_init(struct noise_handshake *hs, const struct noise_static_identity *identity,
			 const uint8_t remote_static[NOISE_PUBLIC_KEY_LEN],
			 const uint8_t preshared_key[NOISE_SYMMETRIC_KEY_LEN]);
void noise_handshake_clear(struct noise_handshake *hs);

int noise_handshake_create_initiation(struct message_handshake_initiation *msg,
				      struct noise_handshake *hs, uint32_t local_index);
/* Returns the peer's handshake, updated, or NULL when the message does not
 * decrypt, names no known peer, or is a replay or a flood. */
struct noise_handshake *
noise_handshake_consume_initiation(const struct message_handshake_initiation *msg,
				   const struct noise_static_identity *identity,
				   noise_peer_lookup_fn lookup, void *ctx, uint64_t now_ms);
int noise_handshake_create_response(struct message_handshake_response *msg,
				    struct noise_handshake *hs, uint32_t local_index);
int noise_handshake_consume_response(const struct message_handshake_response *msg,
				     struct noise_handshake *hs);
/* Derives the transport keys of a finished handshake and clears it. */
int noise_handshake_begin_session(struct noise_handshake *hs, struct noise_keypair *keypair,
				  uint64_t now_ms);

#endif

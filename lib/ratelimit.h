/* Per-source rate limits (handshakes, STUN answers): a token bucket per
 * source. */
#ifndef VPND_RATELIMIT_H
#define VPND_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum {
	RATELIMIT_PACKETS_PER_SECOND = 20,
	RATELIMIT_BURST = 5,
	RATELIMIT_SLOTS = 4096,
};

struct ratelimit_slot {
	uint8_t addr[16];
	uint64_t last_ms;
	uint64_t tokens;
	bool used;
};

struct ratelimiter {
	uint64_t seed;
	struct ratelimit_slot slots[RATELIMIT_SLOTS];
};

void ratelimit_init(struct ratelimiter *rl, uint64_t seed);
/* True when a packet from this address (4 or 16 bytes, no port) may pass. */
bool ratelimit_allow(struct ratelimiter *rl, const uint8_t *addr, size_t len, uint64_t now_ms);
/* The same for an endpoint's source: an IPv4 address, or an IPv6 /64 (what
 * one host commonly has to choose from), port aside. */
bool ratelimit_allow_from(struct ratelimiter *rl, const union endpoint *from, uint64_t now_ms);

#endif

/*
 * A fixed table of token buckets, indexed by a seeded hash of the source
 * address. It never allocates; a source that lands on another's slot takes
 * it over, which bounds memory without a collector at the price of
 * occasionally forgetting a source. The bucket is full again only when the
 * slot was idle for a second: otherwise the newcomer gets what is left of
 * it, so that a flood from ever new (spoofed) sources drains the slots it
 * lands on instead of finding each of them full.
 */
#include "ratelimit.h"

#include <string.h>

enum {
	PACKET_COST_MS = 1000 / RATELIMIT_PACKETS_PER_SECOND,
	TOKEN_MAX_MS = PACKET_COST_MS * RATELIMIT_BURST,
};

void ratelimit_init(struct ratelimiter *rl, uint64_t seed)
{
	memset(rl, 0, sizeof(*rl));
	rl->seed = seed;
}

static size_t slot_of(const struct ratelimiter *rl, const uint8_t *addr, size_t len)
{
	uint64_t hash = 1469598103934665603ULL ^ rl->seed;

	for (size_t i = 0; i < len; i++)
		hash = (hash ^ addr[i]) * 1099511628211ULL;
	return (size_t)(hash ^ (hash >> 29)) % RATELIMIT_SLOTS;
}

bool ratelimit_allow(struct ratelimiter *rl, const uint8_t *addr, size_t len, uint64_t now_ms)
{
	struct ratelimit_slot *slot = &rl->slots[slot_of(rl, addr, len)];
	uint8_t key[16] = {0};

	memcpy(key, addr, len > sizeof(key) ? sizeof(key) : len);
	if (!slot->used || memcmp(slot->addr, key, sizeof(key)) != 0) {
		if (!slot->used || now_ms - slot->last_ms >= 1000) {
			slot->last_ms = now_ms;
			slot->tokens = TOKEN_MAX_MS;
		}
		memcpy(slot->addr, key, sizeof(key));
		slot->used = true;
	}
	slot->tokens += now_ms - slot->last_ms;
	if (slot->tokens > TOKEN_MAX_MS)
		slot->tokens = TOKEN_MAX_MS;
	slot->last_ms = now_ms;
	if (slot->tokens < PACKET_COST_MS)
		return false;
	slot->tokens -= PACKET_COST_MS;
	return true;
}

bool ratelimit_allow_from(struct ratelimiter *rl, const union endpoint *from, uint64_t now_ms)
{
	if (from->sa.sa_family == AF_INET)
		return ratelimit_allow(rl, (const uint8_t *)&from->in.sin_addr, 4, now_ms);
	return ratelimit_allow(rl, from->in6.sin6_addr.s6_addr, 8, now_ms);
}

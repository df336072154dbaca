/*
 * What the probes of one path measured: RFC 6298's smoothed round-trip
 * time and its variance, and the fate of the last probes (answered or
 * lost); and the cost the path selector compares:
 *
 *     srtt + 2 * rttvar + loss share * RTT_LOSS_PENALTY_US
 *
 * A path whose last RTT_DOWN_AFTER_LOSSES probes were all lost is down,
 * whatever it measured before: its cost is RTT_COST_INFINITE. When it
 * answers again, the outage is forgotten: the loss share counts the losses
 * of a path that works.
 *
 * Under a node's own bulk traffic, srtt is mostly the queue that traffic
 * built. The windowed minimum (the lowest sample of the last
 * RTT_MIN_WINDOW_MS, as BBR's min_rtt filter) is what the path itself
 * costs; the base cost of a loaded path is
 *
 *     min RTT + loss share * RTT_LOSS_PENALTY_US
 */
#ifndef VPND_RTT_H
#define VPND_RTT_H

#include <stdbool.h>
#include <stdint.h>

enum {
	RTT_HISTORY = 32,	      /* probes the loss share is taken over */
	RTT_LOSS_PENALTY_US = 500000, /* at 100% loss: 10% loss costs 50 ms */
	RTT_DOWN_AFTER_LOSSES = 2,
	RTT_MIN_WINDOW_MS = 30000,
	RTT_MIN_BUCKETS = 3, /* the window in thirds: a minimum ages out a third at a time */
};

#define RTT_COST_INFINITE UINT32_MAX

struct rtt_estimate {
	uint32_t srtt_us;
	uint32_t rttvar_us;
	uint32_t lost_bits; /* bit 0 is the latest probe; a 1 is a loss */
	uint8_t outcomes;   /* how many bits are known, up to RTT_HISTORY */
	uint8_t consecutive_losses;
	bool measured; /* at least one probe was answered */
};

/* The lowest samples of the last RTT_MIN_WINDOW_MS, a bucket per third. */
struct rtt_min_filter {
	uint32_t min_us[RTT_MIN_BUCKETS];
	uint64_t since_ms[RTT_MIN_BUCKETS];
	uint8_t current;
	uint8_t used; /* buckets holding a sample */
};

void rtt_answered(struct rtt_estimate *e, uint32_t rtt_us);
void rtt_lost(struct rtt_estimate *e);
unsigned int rtt_loss_permille(const struct rtt_estimate *e);
bool rtt_down(const struct rtt_estimate *e);
uint32_t rtt_cost_us(const struct rtt_estimate *e);
void rtt_min_sample(struct rtt_min_filter *f, uint32_t rtt_us, uint64_t now_ms);
void rtt_min_reset(struct rtt_min_filter *f);
/* The lowest sample of the window; 0 when there is none. */
uint32_t rtt_min_us(const struct rtt_min_filter *f, uint64_t now_ms);
/* min_us (0: srtt) + the loss penalty; RTT_COST_INFINITE when unmeasured or down. */
uint32_t rtt_base_cost_us(const struct rtt_estimate *e, uint32_t min_us);
/* Saturating sum of costs along a route. */
uint32_t rtt_cost_add(uint32_t a, uint32_t b);

#endif

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
 */
#ifndef VPND_RTT_H
#define VPND_RTT_H

#include <stdbool.h>
#include <stdint.h>

enum {
	RTT_HISTORY = 32,	      /* probes the loss share is taken over */
	RTT_LOSS_PENALTY_US = 500000, /* at 100% loss: 10% loss costs 50 ms */
	RTT_DOWN_AFTER_LOSSES = 2,
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

void rtt_answered(struct rtt_estimate *e, uint32_t rtt_us);
void rtt_lost(struct rtt_estimate *e);
unsigned int rtt_loss_permille(const struct rtt_estimate *e);
bool rtt_down(const struct rtt_estimate *e);
uint32_t rtt_cost_us(const struct rtt_estimate *e);
/* Saturating sum of costs along a route. */
uint32_t rtt_cost_add(uint32_t a, uint32_t b);

#endif

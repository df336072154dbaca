/* RTT estimation (RFC 6298, section 2) and the path cost (see rtt.h). */
#include "rtt.h"

static uint32_t difference(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

static void record(struct rtt_estimate *e, bool lost)
{
	e->lost_bits = e->lost_bits << 1 | (lost ? 1u : 0u);
	if (e->outcomes < RTT_HISTORY)
		e->outcomes++;
}

void rtt_answered(struct rtt_estimate *e, uint32_t rtt_us)
{
	/* An outage ended: it was no loss rate, and must not weigh on the
	 * path now that it is back. */
	if (rtt_down(e)) {
		e->lost_bits = 0;
		e->outcomes = 0;
	}
	if (!e->measured) {
		e->srtt_us = rtt_us;
		e->rttvar_us = rtt_us / 2;
		e->measured = true;
	} else {
		/* beta = 1/4, alpha = 1/8; rttvar first, with the old srtt */
		e->rttvar_us = (3 * e->rttvar_us + difference(e->srtt_us, rtt_us)) / 4;
		e->srtt_us = (7 * e->srtt_us + rtt_us) / 8;
	}
	e->consecutive_losses = 0;
	record(e, false);
}

void rtt_lost(struct rtt_estimate *e)
{
	if (e->consecutive_losses < UINT8_MAX)
		e->consecutive_losses++;
	record(e, true);
}

unsigned int rtt_loss_permille(const struct rtt_estimate *e)
{
	uint32_t known = e->outcomes >= 32 ? UINT32_MAX : (1u << e->outcomes) - 1;

	if (!e->outcomes)
		return 0;
	return (unsigned int)__builtin_popcount(e->lost_bits & known) * 1000 / e->outcomes;
}

bool rtt_down(const struct rtt_estimate *e)
{
	return e->consecutive_losses >= RTT_DOWN_AFTER_LOSSES;
}

uint32_t rtt_cost_add(uint32_t a, uint32_t b)
{
	return a > RTT_COST_INFINITE - b ? RTT_COST_INFINITE : a + b;
}

uint32_t rtt_cost_us(const struct rtt_estimate *e)
{
	uint64_t cost;

	if (!e->measured || rtt_down(e))
		return RTT_COST_INFINITE;
	cost = (uint64_t)e->srtt_us + 2ULL * e->rttvar_us +
	       (uint64_t)rtt_loss_permille(e) * RTT_LOSS_PENALTY_US / 1000;
	return cost >= RTT_COST_INFINITE ? RTT_COST_INFINITE - 1 : (uint32_t)cost;
}

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

static uint32_t cost_with_losses(const struct rtt_estimate *e, uint64_t delay_us)
{
	uint64_t cost;

	if (!e->measured || rtt_down(e))
		return RTT_COST_INFINITE;
	cost = delay_us + (uint64_t)rtt_loss_permille(e) * RTT_LOSS_PENALTY_US / 1000;
	return cost >= RTT_COST_INFINITE ? RTT_COST_INFINITE - 1 : (uint32_t)cost;
}

uint32_t rtt_cost_us(const struct rtt_estimate *e)
{
	return cost_with_losses(e, (uint64_t)e->srtt_us + 2ULL * e->rttvar_us);
}

uint32_t rtt_base_cost_us(const struct rtt_estimate *e, uint32_t min_us)
{
	return cost_with_losses(e, min_us ? min_us : e->srtt_us);
}

enum { MIN_BUCKET_MS = RTT_MIN_WINDOW_MS / RTT_MIN_BUCKETS };

void rtt_min_sample(struct rtt_min_filter *f, uint32_t rtt_us, uint64_t now_ms)
{
	uint8_t b = f->current;

	if (f->used && now_ms - f->since_ms[b] < MIN_BUCKET_MS) {
		if (rtt_us < f->min_us[b])
			f->min_us[b] = rtt_us;
		return;
	}
	if (f->used) /* this third of the window is over: start the next */
		b = f->current = (uint8_t)((b + 1) % RTT_MIN_BUCKETS);
	if (f->used < RTT_MIN_BUCKETS)
		f->used++;
	f->min_us[b] = rtt_us;
	f->since_ms[b] = now_ms;
}

void rtt_min_reset(struct rtt_min_filter *f)
{
	*f = (struct rtt_min_filter){0};
}

uint32_t rtt_min_us(const struct rtt_min_filter *f, uint64_t now_ms)
{
	uint32_t min = 0;

	for (uint8_t i = 0; i < f->used; i++)
		if (now_ms - f->since_ms[i] < RTT_MIN_WINDOW_MS && (!min || f->min_us[i] < min))
			min = f->min_us[i];
	return min;
}

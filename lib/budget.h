/*
 * A budget of so many uses per window of time, for work a peer can make us
 * do (punching rounds, birthday attempts, introductions): the window starts
 * with the first use and the count starts over once it has passed.
 */
#ifndef VPND_BUDGET_H
#define VPND_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

struct budget {
	uint64_t window_start_ms;
	unsigned int used;
};

/* Takes one use if the window beginning at the first one has room left. */
static inline bool budget_take(struct budget *budget, unsigned int uses, uint64_t window_ms,
			       uint64_t now_ms)
{
	if (budget->used == 0 || now_ms - budget->window_start_ms >= window_ms) {
		budget->window_start_ms = now_ms;
		budget->used = 0;
	}
	if (budget->used >= uses)
		return false;
	budget->used++;
	return true;
}

#endif

/*
 * RFC 6479 sliding window: a ring of 64-bit words. Advancing the window
 * clears the words it moves over, so the cost does not grow with the jump.
 * Counters are stored as counter + 1 so that 0 means "nothing seen".
 */
#include "replay.h"

#include <string.h>

enum { REPLAY_WORDS = REPLAY_BITS_TOTAL / REPLAY_WORD_BITS, REPLAY_WORD_SHIFT = 6 };

void replay_init(struct replay_window *w)
{
	memset(w, 0, sizeof(*w));
}

bool replay_check(const struct replay_window *w, uint64_t counter, uint64_t limit)
{
	uint64_t seen = counter + 1;

	if (counter >= limit)
		return false;
	if (seen > w->greatest)
		return true;
	if (w->greatest - seen >= REPLAY_WINDOW_SIZE)
		return false;
	return !(w->bitmap[(seen >> REPLAY_WORD_SHIFT) % REPLAY_WORDS] &
		 (1ULL << (seen & (REPLAY_WORD_BITS - 1))));
}

bool replay_seen(const struct replay_window *w, uint64_t counter)
{
	uint64_t seen = counter + 1;

	if (seen > w->greatest || w->greatest - seen >= REPLAY_WINDOW_SIZE)
		return false;
	return w->bitmap[(seen >> REPLAY_WORD_SHIFT) % REPLAY_WORDS] &
	       (1ULL << (seen & (REPLAY_WORD_BITS - 1)));
}

bool replay_update(struct replay_window *w, uint64_t counter, uint64_t limit)
{
	uint64_t seen = counter + 1;
	uint64_t index = seen >> REPLAY_WORD_SHIFT, bit = 1ULL << (seen & (REPLAY_WORD_BITS - 1));
	uint64_t *word;

	if (counter >= limit)
		return false;
	if (seen > w->greatest) {
		uint64_t current = w->greatest >> REPLAY_WORD_SHIFT;
		uint64_t steps = index - current;

		if (steps > REPLAY_WORDS)
			steps = REPLAY_WORDS;
		for (uint64_t i = 1; i <= steps; i++)
			w->bitmap[(current + i) % REPLAY_WORDS] = 0;
		w->greatest = seen;
	} else if (w->greatest - seen >= REPLAY_WINDOW_SIZE) {
		return false;
	}
	word = &w->bitmap[index % REPLAY_WORDS];
	if (*word & bit)
		return false;
	*word |= bit;
	return true;
}

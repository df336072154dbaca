/* RFC 6479 anti-replay window over 64-bit nonces. */
#ifndef VPND_REPLAY_H
#define VPND_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

enum {
	REPLAY_BITS_TOTAL = 8192,
	REPLAY_WORD_BITS = 64,
	REPLAY_WINDOW_SIZE = REPLAY_BITS_TOTAL - REPLAY_WORD_BITS, /* 8128 */
};

struct replay_window {
	uint64_t greatest;
	uint64_t bitmap[REPLAY_BITS_TOTAL / REPLAY_WORD_BITS];
};

void replay_init(struct replay_window *w);
/* True when the counter may still be fresh: check before decrypting. */
bool replay_check(const struct replay_window *w, uint64_t counter, uint64_t limit);
/* The counter is inside the window and was seen: a duplicate. */
bool replay_seen(const struct replay_window *w, uint64_t counter);
/* Marks a counter seen; call only after the tag verified. False when it was
 * a replay or too old (the packet must then be dropped). */
bool replay_update(struct replay_window *w, uint64_t counter, uint64_t limit);

#endif

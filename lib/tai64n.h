/* TAI64N timestamps, as carried in handshake initiations against replay. */
#ifndef VPND_TAI64N_H
#define VPND_TAI64N_H

#include <stdint.h>

enum { TAI64N_LEN = 12 };

void tai64n_now(uint8_t out[TAI64N_LEN]);
/* Nonzero when a is strictly later than b. */
int tai64n_after(const uint8_t a[TAI64N_LEN], const uint8_t b[TAI64N_LEN]);

#endif

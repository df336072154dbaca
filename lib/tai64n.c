/*
 * TAI64N: 8 bytes of seconds (offset 2^62 + 10) and 4 bytes of nanoseconds,
 * big-endian. Nanoseconds are rounded down to a power-of-two granule so the
 * timestamp does not leak a precise clock (as WireGuard does).
 */
#include "tai64n.h"

#include <string.h>
#include <time.h>

enum { TAI64_BASE_HIGH = 0x40000000, TAI64_BASE_LOW = 10, NSEC_GRANULE_MASK = ~0xffffff };

void tai64n_now(uint8_t out[TAI64N_LEN])
{
	struct timespec now;
	uint64_t seconds;
	uint32_t nanoseconds;

	clock_gettime(CLOCK_REALTIME, &now);
	seconds = ((uint64_t)TAI64_BASE_HIGH << 32) + TAI64_BASE_LOW + (uint64_t)now.tv_sec;
	nanoseconds = (uint32_t)now.tv_nsec & (uint32_t)NSEC_GRANULE_MASK;
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(seconds >> (56 - 8 * i));
	for (int i = 0; i < 4; i++)
		out[8 + i] = (uint8_t)(nanoseconds >> (24 - 8 * i));
}

int tai64n_after(const uint8_t a[TAI64N_LEN], const uint8_t b[TAI64N_LEN])
{
	return memcmp(a, b, TAI64N_LEN) > 0;
}

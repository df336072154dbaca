/*
 * Hole punching across a symmetric NAT (the birthday method): the
 * symmetric side opens many sockets and probes the cone side from each,
 * making many mappings; the cone side probes random ports of the symmetric
 * side's address until one lands on a mapping. Bounded and paced by the
 * configured budget (punch.sockets, punch.probes, punch.rate).
 */
#ifndef VPND_BIRTHDAY_H
#define VPND_BIRTHDAY_H

#include <stdbool.h>
#include <stdint.h>

struct device;
struct peer;

enum { BIRTHDAY_MAX_SOCKETS = 512, BIRTHDAY_SOCKET_LIFETIME_MS = 15000, BIRTHDAY_TICK_MS = 10 };

struct birthday_socket {
	int fd;
	struct peer *peer;
	uint64_t expires_ms;
};

/* Starts an attempt if one side is symmetric and the other not. */
void birthday_start(struct peer *peer);
/* The spray timer: the next paced batch of probes to guessed ports. */
void birthday_spray(struct peer *peer);
/* Closes sockets past their lifetime unless a direct path uses them. */
void birthday_sweep(struct device *dev);
/* Closes every socket of this peer (it is going away). */
void birthday_release(struct peer *peer);
bool birthday_is_socket(const struct device *dev, int fd);

#endif

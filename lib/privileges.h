/*
 * Giving up what the daemon needs only to set itself up: once its TUN,
 * routes and sockets exist, a thread keeps the capabilities it names and
 * loses the others for good (permitted, effective and inheritable sets, the
 * bounding set where it may change it, and no new privileges through
 * execve). Capabilities belong to threads: every thread started before the
 * drop must drop its own.
 */
#ifndef VPND_PRIVILEGES_H
#define VPND_PRIVILEGES_H

#include <stddef.h>
#include <sys/capability.h>

/* Keeps those of keep the thread has (one it lacks is not asked for). 0, or
 * -errno: then the sets are as they were (they shrink last, in one call). */
int privileges_keep_only(const cap_value_t *keep, size_t count);

/* A thread that needs no privilege at all. */
int privileges_drop_all(void);

#endif

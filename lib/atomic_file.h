/*
 * Files replaced whole: written to PATH.tmp (mode 0600), flushed to disk,
 * then renamed over PATH, so a reader (or a crash) sees the old file or the
 * new one, never half of one.
 */
#ifndef VPND_ATOMIC_FILE_H
#define VPND_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>

struct atomic_file {
	FILE *out;
	char path[512], tmp[516];
};

/* Opens PATH.tmp for writing; -errno if it cannot. */
int atomic_file_open(struct atomic_file *file, const char *path);
/* Flushes (to disk too if durable: what a user asked for, not a cache)
 * and renames it into place (0), or removes it (-errno). */
int atomic_file_commit(struct atomic_file *file, bool durable);

#endif

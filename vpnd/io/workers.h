/*
 * Crypto workers: threads that encrypt or decrypt the transport messages of
 * one batch in parallel, the calling thread taking part. Everything else -
 * sessions, counters, the replay window, the order of what is sent and
 * delivered - stays on the event loop's thread: a batch's counters are
 * taken before its jobs run, and its messages leave (or its replay window
 * moves) in order after all are done. The only synchronisation is per
 * batch; a job is claimed with one compare-and-swap.
 */
#ifndef VPND_WORKERS_H
#define VPND_WORKERS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

enum {
	WORKERS_MAX = 8,
	WORKERS_MIN_JOBS = 4, /* smaller batches run on the calling thread */
};

/* One AEAD operation in place, with its own copy of the key. */
struct aead_job {
	uint8_t *data;
	size_t len; /* plaintext (encrypt: the tag follows it) or sealed length */
	uint64_t counter;
	uint8_t key[AEAD_KEY_LEN];
	bool decrypt;
	int result;
};

struct workers {
	size_t thread_count;
	pthread_t threads[WORKERS_MAX];
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	/* The batch: written under the lock before a new generation starts. */
	struct aead_job *jobs;
	size_t job_count;
	uint32_t generation;
	bool started, stopping;
	_Atomic uint64_t ticket; /* generation << 32 | the next job to claim */
	_Atomic size_t finished; /* jobs of this generation done */
};

/* threads 0 runs every job on the caller. */
int workers_start(struct workers *workers, size_t threads);
void workers_stop(struct workers *workers);
/* Runs every job and returns when all are done. */
void workers_run(struct workers *workers, struct aead_job *jobs, size_t count);
void aead_job_run(struct aead_job *job);
/* Wipes the jobs' copies of keys once they are done with. */
void aead_jobs_wipe(struct aead_job *jobs, size_t count);
/* The worker threads for a configured count: -1 is one per CPU beyond the
 * first two. */
size_t workers_for(int configured);

#endif

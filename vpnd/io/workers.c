/* A fork-join pool for AEAD jobs. */
#include "io/workers.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "privileges.h"

void aead_job_run(struct aead_job *job)
{
	if (job->decrypt)
		job->result =
		    aead_decrypt(job->data, job->data, job->len, NULL, 0, job->counter, job->key);
	else
		job->result =
		    aead_encrypt(job->data, job->data, job->len, NULL, 0, job->counter, job->key);
}

void aead_jobs_wipe(struct aead_job *jobs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		crypto_wipe(jobs[i].key, sizeof(jobs[i].key));
}

/* Claims the next job of the generation, or says there is none left. */
static bool claim(struct workers *workers, uint32_t generation, size_t count, size_t *index)
{
	uint64_t ticket = atomic_load(&workers->ticket);

	for (;;) {
		if ((uint32_t)(ticket >> 32) != generation || (ticket & 0xffffffff) >= count)
			return false;
		if (atomic_compare_exchange_weak(&workers->ticket, &ticket, ticket + 1)) {
			*index = ticket & 0xffffffff;
			return true;
		}
	}
}

/* Runs jobs of the generation until none is left to claim. */
static void take_part(struct workers *workers, struct aead_job *jobs, uint32_t generation,
		      size_t count)
{
	size_t index;

	while (claim(workers, generation, count, &index)) {
		aead_job_run(&jobs[index]);
		if (atomic_fetch_add(&workers->finished, 1) + 1 == count) {
			pthread_mutex_lock(&workers->lock);
			pthread_cond_signal(&workers->done);
			pthread_mutex_unlock(&workers->lock);
		}
	}
}

static void *worker_main(void *arg)
{
	struct workers *workers = arg;
	uint32_t seen = 0;

	(void)privileges_drop_all(); /* started before the daemon drops its own */

	for (;;) {
		struct aead_job *jobs;
		size_t count;

		pthread_mutex_lock(&workers->lock);
		while (workers->generation == seen && !workers->stopping)
			pthread_cond_wait(&workers->wake, &workers->lock);
		if (workers->stopping) {
			pthread_mutex_unlock(&workers->lock);
			return NULL;
		}
		seen = workers->generation;
		jobs = workers->jobs;
		count = workers->job_count;
		pthread_mutex_unlock(&workers->lock);
		take_part(workers, jobs, seen, count);
	}
}

int workers_start(struct workers *workers, size_t threads)
{
	memset(workers, 0, sizeof(*workers));
	pthread_mutex_init(&workers->lock, NULL);
	pthread_cond_init(&workers->wake, NULL);
	pthread_cond_init(&workers->done, NULL);
	workers->started = true;
	if (threads > WORKERS_MAX)
		threads = WORKERS_MAX;
	for (; workers->thread_count < threads; workers->thread_count++) {
		int err = pthread_create(&workers->threads[workers->thread_count], NULL,
					 worker_main, workers);

		if (err) {
			log_warnx("cannot start a crypto worker: %s", strerror(err));
			workers_stop(workers);
			return -err;
		}
	}
	return 0;
}

void workers_stop(struct workers *workers)
{
	if (!workers->started)
		return;
	pthread_mutex_lock(&workers->lock);
	workers->stopping = true;
	pthread_cond_broadcast(&workers->wake);
	pthread_mutex_unlock(&workers->lock);
	for (size_t i = 0; i < workers->thread_count; i++)
		pthread_join(workers->threads[i], NULL);
	workers->thread_count = 0;
	pthread_cond_destroy(&workers->wake);
	pthread_cond_destroy(&workers->done);
	pthread_mutex_destroy(&workers->lock);
	workers->started = false;
}

void workers_run(struct workers *workers, struct aead_job *jobs, size_t count)
{
	uint32_t generation;

	if (!workers || !workers->thread_count || count < WORKERS_MIN_JOBS) {
		for (size_t i = 0; i < count; i++)
			aead_job_run(&jobs[i]);
		return;
	}
	pthread_mutex_lock(&workers->lock);
	generation = ++workers->generation;
	workers->jobs = jobs;
	workers->job_count = count;
	atomic_store(&workers->finished, 0);
	atomic_store(&workers->ticket, (uint64_t)generation << 32);
	pthread_cond_broadcast(&workers->wake);
	pthread_mutex_unlock(&workers->lock);
	take_part(workers, jobs, generation, count);
	pthread_mutex_lock(&workers->lock);
	while (atomic_load(&workers->finished) < count)
		pthread_cond_wait(&workers->done, &workers->lock);
	pthread_mutex_unlock(&workers->lock);
}

size_t workers_for(int configured)
{
	long cpus;

	if (configured >= 0)
		return (size_t)configured;
	/* The event loop and the kernel's network stack keep two CPUs busy:
	 * on a 2-CPU machine a worker only takes time from them (measured:
	 * 15% less throughput with one). */
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus > 2 ? (size_t)(cpus - 2 < WORKERS_MAX ? cpus - 2 : WORKERS_MAX) : 0;
}

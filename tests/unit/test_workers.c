/* The crypto workers: batches run in parallel give what one thread gives,
 * job by job, for many batches in a row (the ThreadSanitizer build runs
 * this too); a forged message fails where it is, and only there. */
#include "vectors.h"

#include <stdlib.h>

#include "io/workers.h"

enum { ROUNDS = 400, MAX_JOBS = 64, MAX_LEN = 1500 };

static uint8_t buffers[MAX_JOBS][MAX_LEN + AEAD_TAG_LEN];
static uint8_t expected[MAX_JOBS][MAX_LEN + AEAD_TAG_LEN];

static void make_job(struct aead_job *job, size_t i, size_t len, uint64_t counter)
{
	for (size_t b = 0; b < len; b++)
		buffers[i][b] = (uint8_t)rand();
	memset(job, 0, sizeof(*job));
	job->data = buffers[i];
	job->len = len;
	job->counter = counter;
	memset(job->key, (int)(i + 1), sizeof(job->key));
	job->result = 1; /* not run yet */
}

static void test_parallel_is_serial(void **state)
{
	struct workers workers;
	struct aead_job jobs[MAX_JOBS];

	(void)state;
	srand(11);
	assert_int_equal(workers_start(&workers, 2), 0);
	for (int round = 0; round < ROUNDS; round++) {
		size_t count = 1 + (size_t)rand() % MAX_JOBS;

		for (size_t i = 0; i < count; i++) {
			make_job(&jobs[i], i, (size_t)rand() % MAX_LEN, (uint64_t)round * 100 + i);
			assert_int_equal(aead_encrypt(expected[i], buffers[i], jobs[i].len, NULL, 0,
						      jobs[i].counter, jobs[i].key),
					 0);
		}
		workers_run(&workers, jobs, count);
		for (size_t i = 0; i < count; i++) {
			assert_int_equal(jobs[i].result, 0);
			assert_memory_equal(buffers[i], expected[i], jobs[i].len + AEAD_TAG_LEN);
		}
	}
	workers_stop(&workers);
	workers_stop(&workers); /* twice is harmless */
}

static void test_forged_fails_alone(void **state)
{
	struct workers workers;
	struct aead_job jobs[MAX_JOBS];
	const size_t forged = 37;

	(void)state;
	assert_int_equal(workers_start(&workers, 3), 0);
	for (size_t i = 0; i < MAX_JOBS; i++) {
		make_job(&jobs[i], i, 1000, i);
		memcpy(expected[i], buffers[i], 1000);
		assert_int_equal(
		    aead_encrypt(buffers[i], buffers[i], 1000, NULL, 0, i, jobs[i].key), 0);
		jobs[i].len = 1000 + AEAD_TAG_LEN;
		jobs[i].decrypt = true;
	}
	buffers[forged][500] ^= 1;
	workers_run(&workers, jobs, MAX_JOBS);
	for (size_t i = 0; i < MAX_JOBS; i++) {
		assert_int_equal(jobs[i].result == 0, i != forged);
		if (i != forged)
			assert_memory_equal(buffers[i], expected[i], 1000);
	}
	workers_stop(&workers);
}

/* Without threads, or for a small batch, the caller runs the jobs. */
static void test_on_the_caller(void **state)
{
	struct workers workers;
	struct aead_job jobs[2];

	(void)state;
	assert_int_equal(workers_start(&workers, 0), 0);
	make_job(&jobs[0], 0, 100, 1);
	make_job(&jobs[1], 1, 0, 2);
	workers_run(&workers, jobs, 2);
	assert_int_equal(jobs[0].result, 0);
	assert_int_equal(jobs[1].result, 0);
	workers_stop(&workers);
	assert_int_equal(workers_for(3), 3);
	assert_true(workers_for(-1) <= WORKERS_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parallel_is_serial),
	    cmocka_unit_test(test_forged_fails_alone),
	    cmocka_unit_test(test_on_the_caller),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

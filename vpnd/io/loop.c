/* The event loop: descriptors with callbacks, timers in a min-heap (see loop.h). */
#include "io/loop.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"

int loop_init(struct loop *loop)
{
	*loop = (struct loop){0};
	loop->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	return loop->epoll_fd < 0 ? -errno : 0;
}

void loop_close(struct loop *loop)
{
	if (loop->epoll_fd >= 0)
		close(loop->epoll_fd);
	loop->epoll_fd = -1;
	for (size_t i = 0; i < loop->timer_count; i++)
		loop->heap[i]->armed = false;
	free(loop->heap);
	loop->heap = NULL;
	loop->timer_count = loop->heap_capacity = 0;
}

static int control(struct loop *loop, int op, struct watch *watch)
{
	struct epoll_event ev = {.events = watch->events, .data.ptr = watch};

	if (loop->epoll_fd < 0)
		return 0; /* closed: nothing is watched any more */
	return epoll_ctl(loop->epoll_fd, op, watch->fd, &ev) < 0 ? -errno : 0;
}

int loop_watch(struct loop *loop, struct watch *watch, int fd, uint32_t events,
	       void (*ready)(struct watch *, uint32_t))
{
	watch->fd = fd;
	watch->events = events;
	watch->ready = ready;
	return control(loop, EPOLL_CTL_ADD, watch);
}

int loop_watch_events(struct loop *loop, struct watch *watch, uint32_t events)
{
	watch->events = events;
	return control(loop, EPOLL_CTL_MOD, watch);
}

void loop_unwatch(struct loop *loop, struct watch *watch)
{
	if (loop->epoll_fd >= 0)
		epoll_ctl(loop->epoll_fd, EPOLL_CTL_DEL, watch->fd, NULL);
	/* Its event may still wait in the batch being dispatched. */
	for (int i = 0; i < loop->batch_len; i++)
		if (loop->batch[i].data.ptr == watch)
			loop->batch[i].data.ptr = NULL;
}

/* The heap: the timer in slot i is due no later than those in 2i+1, 2i+2. */

static void place(struct loop *loop, struct timer *timer, size_t slot)
{
	loop->heap[slot] = timer;
	timer->slot = slot;
}

static void sift_up(struct loop *loop, size_t slot)
{
	struct timer *timer = loop->heap[slot];

	while (slot > 0) {
		size_t parent = (slot - 1) / 2;

		if (loop->heap[parent]->deadline_ms <= timer->deadline_ms)
			break;
		place(loop, loop->heap[parent], slot);
		slot = parent;
	}
	place(loop, timer, slot);
}

static void sift_down(struct loop *loop, size_t slot)
{
	struct timer *timer = loop->heap[slot];

	for (;;) {
		size_t child = 2 * slot + 1;

		if (child >= loop->timer_count)
			break;
		if (child + 1 < loop->timer_count &&
		    loop->heap[child + 1]->deadline_ms < loop->heap[child]->deadline_ms)
			child++;
		if (timer->deadline_ms <= loop->heap[child]->deadline_ms)
			break;
		place(loop, loop->heap[child], slot);
		slot = child;
	}
	place(loop, timer, slot);
}

static bool grow(struct loop *loop)
{
	size_t capacity = loop->heap_capacity ? loop->heap_capacity * 2 : 64;
	struct timer **heap = realloc(loop->heap, capacity * sizeof(*heap));

	if (!heap)
		return false;
	loop->heap = heap;
	loop->heap_capacity = capacity;
	return true;
}

void timer_init(struct timer *timer, struct loop *loop, void (*expired)(struct timer *))
{
	*timer = (struct timer){.loop = loop, .expired = expired};
}

void timer_cancel(struct timer *timer)
{
	struct loop *loop = timer->loop;
	size_t slot = timer->slot;
	struct timer *moved;

	if (!timer->armed)
		return;
	timer->armed = false;
	if (slot == --loop->timer_count)
		return;
	moved = loop->heap[loop->timer_count];
	place(loop, moved, slot);
	sift_down(loop, slot);
	sift_up(loop, moved->slot);
}

void timer_arm(struct timer *timer, uint64_t deadline_ms)
{
	struct loop *loop = timer->loop;

	/* Room first: out of memory, an armed timer stays as it was. */
	if (!timer->armed && loop->timer_count == loop->heap_capacity && !grow(loop)) {
		log_warnx("out of memory for a timer");
		return;
	}
	timer_cancel(timer);
	timer->deadline_ms = deadline_ms;
	timer->armed = true;
	place(loop, timer, loop->timer_count++);
	sift_up(loop, timer->slot);
}

int loop_run_timers(struct loop *loop, uint64_t now_ms)
{
	uint64_t next;

	while (loop->timer_count && loop->heap[0]->deadline_ms <= now_ms) {
		struct timer *due = loop->heap[0];

		timer_cancel(due);
		due->expired(due);
	}
	if (!loop->timer_count)
		return -1;
	next = loop->heap[0]->deadline_ms;
	if (next <= now_ms)
		return 0;
	return next - now_ms > LOOP_MAX_SLEEP_MS ? LOOP_MAX_SLEEP_MS : (int)(next - now_ms);
}

void loop_once(struct loop *loop, int timeout_ms, uint64_t now_ms)
{
	struct epoll_event events[LOOP_EVENT_BATCH];
	int next = loop_run_timers(loop, now_ms), n;

	if (next >= 0 && (timeout_ms < 0 || next < timeout_ms))
		timeout_ms = next;
	n = epoll_wait(loop->epoll_fd, events, LOOP_EVENT_BATCH, timeout_ms);
	if (n < 0 && errno != EINTR)
		fatal("epoll_wait");
	loop->batch = events;
	loop->batch_len = n > 0 ? n : 0;
	for (int i = 0; i < loop->batch_len; i++) {
		struct watch *watch = events[i].data.ptr;

		if (watch)
			watch->ready(watch, events[i].events);
	}
	loop->batch_len = 0;
	loop->batch = NULL;
}

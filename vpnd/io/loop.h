/*
 * The event loop. A module that owns a file descriptor embeds a struct watch
 * and registers it with its callback; epoll hands the watch back
 * (epoll_event.data.ptr), so nothing searches for which descriptor fired.
 * A module that needs a deadline embeds a struct timer and arms it; armed
 * timers sit in one min-heap ordered by deadline, so the loop sleeps until
 * the nearest one and fires exactly those that are due - no scan of every
 * peer, no second list of deadlines.
 *
 * Callbacks find their owner with container_of. A watch or timer must be
 * removed (loop_unwatch, timer_cancel) before its owner is freed; a watch
 * removed while its event waits in the batch being dispatched is skipped.
 * A timer's callback may arm any timer, its own included, but for a
 * deadline after now: the loop runs timers until none is due.
 */
#ifndef VPND_LOOP_H
#define VPND_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

struct loop;

struct watch {
	int fd;
	uint32_t events;
	void (*ready)(struct watch *watch, uint32_t events);
};

struct timer {
	struct loop *loop;
	uint64_t deadline_ms;
	size_t slot; /* in the heap, while armed */
	bool armed;
	void (*expired)(struct timer *timer);
};

enum { LOOP_EVENT_BATCH = 32, LOOP_MAX_SLEEP_MS = 60000 };

struct loop {
	int epoll_fd;
	struct timer **heap;
	size_t timer_count, heap_capacity;
	struct epoll_event *batch; /* the events being dispatched */
	int batch_len;
};

int loop_init(struct loop *loop);
void loop_close(struct loop *loop);

/* Starts watching fd for events (EPOLLIN, EPOLLOUT) with this callback. */
int loop_watch(struct loop *loop, struct watch *watch, int fd, uint32_t events,
	       void (*ready)(struct watch *, uint32_t));
int loop_watch_events(struct loop *loop, struct watch *watch, uint32_t events);
void loop_unwatch(struct loop *loop, struct watch *watch);

/* Waits up to timeout_ms (-1: until the next timer) for descriptors, then
 * runs their callbacks and every timer that is due. */
void loop_once(struct loop *loop, int timeout_ms, uint64_t now_ms);
/* Runs every due timer; returns ms until the next one (-1: none). */
int loop_run_timers(struct loop *loop, uint64_t now_ms);

void timer_init(struct timer *timer, struct loop *loop, void (*expired)(struct timer *));
/* (Re)arms the timer for a monotonic deadline in ms. */
void timer_arm(struct timer *timer, uint64_t deadline_ms);
void timer_cancel(struct timer *timer);
static inline bool timer_armed(const struct timer *timer)
{
	return timer->armed;
}

#endif

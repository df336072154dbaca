/*
 * TCP streams (see stream.h). A stream that fails - a write error, the
 * other end closing, a malformed frame - is only marked broken where it
 * fails and closed when its events have been handled or by the sweep
 * (every STREAM_SWEEP_MS), so that no caller ever holds a stream that
 * disappeared under it.
 */
#include "io/stream.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"

enum { FRAME_HEADER_LEN = 2, READS_PER_EVENT = 16, ACCEPTS_PER_EVENT = 16 };

static void service(struct watch *watch, uint32_t events);

static uint32_t wanted_events(const struct stream *stream)
{
	return EPOLLIN | (stream->connecting || stream->output_len ? EPOLLOUT : 0);
}

static void update_watch(struct stream *stream)
{
	uint32_t events = wanted_events(stream);

	if (events != stream->watch.events)
		loop_watch_events(stream->set->loop, &stream->watch, events);
}

static struct stream *add(struct stream_set *set, int fd, const union endpoint *remote,
			  bool connecting)
{
	struct stream *stream;
	int one = 1;

	if (set->count >= STREAM_MAX || !(stream = calloc(1, sizeof(*stream)))) {
		close(fd);
		return NULL;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	stream->fd = fd;
	stream->set = set;
	stream->remote = *remote;
	stream->connecting = connecting;
	stream->opened_ms = stream->last_proof_ms = clock_ms();
	if (loop_watch(set->loop, &stream->watch, fd, wanted_events(stream), service)) {
		close(fd);
		free(stream);
		return NULL;
	}
	set->streams[set->count++] = stream;
	return stream;
}

static void close_stream(struct stream_set *set, size_t slot)
{
	struct stream *stream = set->streams[slot];

	set->closing(set, stream);
	loop_unwatch(set->loop, &stream->watch);
	close(stream->fd);
	set->streams[slot] = set->streams[--set->count];
	free(stream);
}

static size_t slot_of(const struct stream_set *set, const struct stream *stream)
{
	size_t slot = 0;

	while (set->streams[slot] != stream)
		slot++;
	return slot;
}

static bool unproven(const struct stream *stream)
{
	return stream->inbound && !stream->proven;
}

/* The same source: one IPv4 address, or one IPv6 /64 (what one host
 * commonly has to choose from). */
static bool same_source(const union endpoint *a, const union endpoint *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->in.sin_addr.s_addr == b->in.sin_addr.s_addr;
	return memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr, 8) == 0;
}

/* How many unproven streams remote's source holds (NULL: every source),
 * and which unproven stream is the oldest (STREAM_MAX: none). */
static size_t unproven_held(const struct stream_set *set, const union endpoint *remote,
			    size_t *oldest)
{
	size_t held = 0;

	*oldest = STREAM_MAX;
	for (size_t i = 0; i < set->count; i++) {
		const struct stream *stream = set->streams[i];

		if (!unproven(stream))
			continue;
		held += !remote || same_source(&stream->remote, remote);
		if (*oldest == STREAM_MAX || stream->opened_ms < set->streams[*oldest]->opened_ms)
			*oldest = i;
	}
	return held;
}

/* Room for a connection from remote (NULL: one of ours, which strangers'
 * connections must not keep out): false when its source holds enough
 * unproven streams already; with every slot taken, the oldest unproven
 * stream (if any) makes way. */
static bool make_room(struct stream_set *set, const union endpoint *remote)
{
	size_t oldest, held = unproven_held(set, remote, &oldest);

	if (remote && held >= STREAM_UNPROVEN_PER_SOURCE)
		return false;
	if (set->count == STREAM_MAX && oldest != STREAM_MAX)
		close_stream(set, oldest);
	return set->count < STREAM_MAX;
}

static void accept_streams(struct watch *watch, uint32_t events)
{
	struct stream_set *set = container_of(watch, struct stream_set, listener);

	for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
		union endpoint remote;
		socklen_t len = sizeof(remote);
		int fd = accept4(watch->fd, &remote.sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct stream *stream;

		if (fd < 0)
			return;
		endpoint_unmap_v4(&remote);
		if (!make_room(set, &remote)) {
			set->refused++;
			close(fd);
			continue;
		}
		stream = add(set, fd, &remote, false);
		if (stream)
			stream->inbound = true;
	}
}

/* Binds fd to from_port on every address of its family. */
static int bind_port(int fd, sa_family_t family, uint16_t from_port)
{
	union endpoint local = {0};
	int on = 1;

	local.sa.sa_family = family;
	if (family == AF_INET6)
		local.in6.sin6_port = htons(from_port);
	else
		local.in.sin_port = htons(from_port);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)))
		return -errno;
	return bind(fd, &local.sa, endpoint_len(&local)) < 0 ? -errno : 0;
}

struct stream *stream_connect(struct stream_set *set, const union endpoint *to,
			      uint16_t from_port)
{
	int fd = socket(to->sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return NULL;
	/* Our port in use for this destination (the peer's own connection to
	 * us, accepted already; or ours, closed and in TIME_WAIT): bind or
	 * connect fails, and the caller may try again from any port. */
	if (!make_room(set, NULL) || (from_port && bind_port(fd, to->sa.sa_family, from_port) < 0) ||
	    (connect(fd, &to->sa, endpoint_len(to)) < 0 && errno != EINPROGRESS)) {
		close(fd);
		return NULL;
	}
	return add(set, fd, to, true);
}

struct stream *stream_find(const struct stream_set *set, int fd)
{
	if (fd < 0)
		return NULL;
	for (size_t i = 0; i < set->count; i++)
		if (set->streams[i]->fd == fd)
			return set->streams[i];
	return NULL;
}

static void flush(struct stream *stream)
{
	ssize_t n;

	if (stream->connecting || stream->broken || !stream->output_len)
		return;
	n = send(stream->fd, stream->output, stream->output_len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n > 0) {
		stream->output_len -= (size_t)n;
		memmove(stream->output, stream->output + n, stream->output_len);
	} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
		stream->broken = true;
	}
	update_watch(stream);
}

int stream_send(struct stream *stream, const void *data, size_t len)
{
	uint8_t *frame = stream->output + stream->output_len;

	if (stream->broken)
		return -EPIPE;
	if (len > UINT16_MAX)
		return -EMSGSIZE;
	if (stream->output_len + FRAME_HEADER_LEN + len > sizeof(stream->output))
		return -ENOBUFS;
	frame[0] = (uint8_t)(len >> 8);
	frame[1] = (uint8_t)len;
	memcpy(frame + FRAME_HEADER_LEN, data, len);
	stream->output_len += FRAME_HEADER_LEN + len;
	flush(stream);
	return 0;
}

/* Hands every whole frame in the input buffer to the set's owner. */
static void deliver_frames(struct stream_set *set, struct stream *stream)
{
	size_t used = 0;

	while (stream->input_len - used >= FRAME_HEADER_LEN) {
		const uint8_t *frame = stream->input + used;
		size_t len = (size_t)frame[0] << 8 | frame[1];

		if (len == 0) {
			stream->broken = true; /* no message is empty: not our protocol */
			set->malformed(set);
			return;
		}
		if (stream->input_len - used < FRAME_HEADER_LEN + len)
			break;
		memcpy(set->frame, frame + FRAME_HEADER_LEN, len);
		used += FRAME_HEADER_LEN + len;
		set->deliver(set, stream, set->frame, len);
	}
	stream->input_len -= used;
	memmove(stream->input, stream->input + used, stream->input_len);
}

static void read_frames(struct stream *stream)
{
	for (int i = 0; i < READS_PER_EVENT && !stream->broken; i++) {
		ssize_t n = recv(stream->fd, stream->input + stream->input_len,
				 sizeof(stream->input) - stream->input_len, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			stream->broken = true;
			return;
		}
		stream->input_len += (size_t)n;
		deliver_frames(stream->set, stream);
	}
}

static void finish_connect(struct stream *stream)
{
	int err = 0;
	socklen_t len = sizeof(err);
	char text[ENDPOINT_STRLEN];

	endpoint_format(&stream->remote, text, sizeof(text));
	if (getsockopt(stream->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
		log_info("TCP connection to %s failed: %s", text, strerror(err ? err : errno));
		stream->broken = true;
		return;
	}
	log_info("TCP connection to %s open", text);
	stream->connecting = false;
	stream->last_proof_ms = clock_ms();
	flush(stream);
}

static void service(struct watch *watch, uint32_t events)
{
	struct stream *stream = container_of(watch, struct stream, watch);

	if (stream->connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
		finish_connect(stream);
	else if (events & EPOLLOUT)
		flush(stream);
	if (events & EPOLLIN)
		read_frames(stream);
	else if (events & (EPOLLERR | EPOLLHUP))
		stream->broken = true;
	if (stream->broken)
		close_stream(stream->set, slot_of(stream->set, stream));
}

void stream_proven(struct stream *stream)
{
	stream->proven = true;
	stream->last_proof_ms = clock_ms();
}

static bool expired(const struct stream *stream, uint64_t now_ms)
{
	if (stream->broken)
		return true;
	if (stream->connecting)
		return now_ms - stream->opened_ms > STREAM_CONNECT_TIMEOUT_MS;
	if (stream->inbound && !stream->proven)
		return now_ms - stream->opened_ms > STREAM_PROOF_MS;
	return now_ms - stream->last_proof_ms > STREAM_IDLE_MS;
}

static void sweep(struct timer *timer)
{
	struct stream_set *set = container_of(timer, struct stream_set, sweep);
	uint64_t now = clock_ms();

	for (size_t i = set->count; i-- > 0;)
		if (expired(set->streams[i], now))
			close_stream(set, i);
	timer_arm(&set->sweep, now + STREAM_SWEEP_MS);
}

void stream_set_init(struct stream_set *set, struct loop *loop)
{
	set->loop = loop;
	set->count = 0;
	set->listener.fd = -1;
	timer_init(&set->sweep, loop, sweep);
	timer_arm(&set->sweep, clock_ms() + STREAM_SWEEP_MS);
}

int stream_set_listen(struct stream_set *set, int fd)
{
	int ret = loop_watch(set->loop, &set->listener, fd, EPOLLIN, accept_streams);

	if (ret) {
		close(fd);
		set->listener.fd = -1;
	}
	return ret;
}

void stream_close(struct stream_set *set, struct stream *stream)
{
	close_stream(set, slot_of(set, stream));
}

void stream_set_close(struct stream_set *set)
{
	while (set->count)
		close_stream(set, set->count - 1);
	if (set->listener.fd >= 0) {
		loop_unwatch(set->loop, &set->listener);
		close(set->listener.fd);
		set->listener.fd = -1;
	}
	timer_cancel(&set->sweep);
}

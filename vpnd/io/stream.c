/*
 * TCP streams (see stream.h). A stream that fails - a write error, the
 * other end closing, a malformed frame - is only marked broken where it
 * fails and closed by stream_service or stream_sweep, so that no caller
 * ever holds a stream that disappeared under it.
 */
#include "io/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/device.h"
#include "log.h"
#include "core/path.h"
#include "core/receive.h"

enum { FRAME_HEADER_LEN = 2, READS_PER_EVENT = 16, ACCEPTS_PER_EVENT = 16 };

static int watch(struct hub *hub, struct stream *stream, int op)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = stream->fd};

	if (stream->connecting || stream->output_len)
		ev.events |= EPOLLOUT;
	stream->watching_output = ev.events & EPOLLOUT;
	return epoll_ctl(hub->epoll_fd, op, stream->fd, &ev);
}

static void update_watch(struct hub *hub, struct stream *stream)
{
	bool wants_output = stream->connecting || stream->output_len;

	if (wants_output != stream->watching_output)
		watch(hub, stream, EPOLL_CTL_MOD);
}

static struct stream *add(struct hub *hub, int fd, const union endpoint *remote, bool connecting)
{
	struct stream *stream;
	int one = 1;

	if (hub->stream_count >= STREAM_MAX || !(stream = calloc(1, sizeof(*stream)))) {
		close(fd);
		return NULL;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	stream->fd = fd;
	stream->remote = *remote;
	stream->connecting = connecting;
	stream->opened_ms = stream->last_frame_ms = clock_ms();
	if (watch(hub, stream, EPOLL_CTL_ADD)) {
		close(fd);
		free(stream);
		return NULL;
	}
	hub->streams[hub->stream_count++] = stream;
	return stream;
}

static void close_stream(struct hub *hub, size_t slot)
{
	struct stream *stream = hub->streams[slot];

	for (size_t d = 0; d < hub->device_count; d++) {
		struct device *dev = hub->devices[d];

		for (size_t i = 0; i < dev->peer_count; i++)
			if (dev->peers[i]->path.fd == stream->fd)
				path_stream_closed(dev->peers[i]);
	}
	epoll_ctl(hub->epoll_fd, EPOLL_CTL_DEL, stream->fd, NULL);
	close(stream->fd);
	hub->streams[slot] = hub->streams[--hub->stream_count];
	free(stream);
}

static size_t slot_of(const struct hub *hub, const struct stream *stream)
{
	size_t slot = 0;

	while (hub->streams[slot] != stream)
		slot++;
	return slot;
}

void stream_accept(struct hub *hub)
{
	for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
		union endpoint remote;
		socklen_t len = sizeof(remote);
		int fd = accept4(hub->tcp_fd, &remote.sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		endpoint_unmap_v4(&remote);
		struct stream *stream = add(hub, fd, &remote, false);

		if (stream)
			stream->inbound = true;
		else
			log_debug("TCP connection refused: %zu streams open", hub->stream_count);
	}
}

struct stream *stream_connect(struct hub *hub, const union endpoint *to)
{
	int fd = socket(to->sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return NULL;
	if (connect(fd, &to->sa, endpoint_len(to)) < 0 && errno != EINPROGRESS) {
		close(fd);
		return NULL;
	}
	return add(hub, fd, to, true);
}

struct stream *stream_find(const struct hub *hub, int fd)
{
	if (fd < 0)
		return NULL;
	for (size_t i = 0; i < hub->stream_count; i++)
		if (hub->streams[i]->fd == fd)
			return hub->streams[i];
	return NULL;
}

static void flush(struct hub *hub, struct stream *stream)
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
	update_watch(hub, stream);
}

int stream_send(struct hub *hub, struct stream *stream, const void *data, size_t len)
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
	flush(hub, stream);
	return 0;
}

/* Hands every whole frame in the input buffer to the receive path. */
static void deliver_frames(struct hub *hub, struct stream *stream)
{
	size_t used = 0;

	while (stream->input_len - used >= FRAME_HEADER_LEN) {
		const uint8_t *frame = stream->input + used;
		size_t len = (size_t)frame[0] << 8 | frame[1];

		if (len == 0) {
			stream->broken = true; /* no message is empty: not our protocol */
			hub->devices[0]->unattributed.drops[DROP_MALFORMED]++;
			return;
		}
		if (stream->input_len - used < FRAME_HEADER_LEN + len)
			break;
		memcpy(hub->receive_buffer, frame + FRAME_HEADER_LEN, len);
		used += FRAME_HEADER_LEN + len;
		stream->last_frame_ms = clock_ms();
		hub_receive(hub, hub->receive_buffer, len,
			    &(struct origin){.endpoint = &stream->remote, .fd = stream->fd});
	}
	stream->input_len -= used;
	memmove(stream->input, stream->input + used, stream->input_len);
}

static void read_frames(struct hub *hub, struct stream *stream)
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
		deliver_frames(hub, stream);
	}
}

static void finish_connect(struct hub *hub, struct stream *stream)
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
	stream->last_frame_ms = clock_ms();
	flush(hub, stream);
}

void stream_service(struct hub *hub, struct stream *stream, uint32_t events)
{
	if (stream->connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
		finish_connect(hub, stream);
	else if (events & EPOLLOUT)
		flush(hub, stream);
	if (events & EPOLLIN)
		read_frames(hub, stream);
	else if (events & (EPOLLERR | EPOLLHUP))
		stream->broken = true;
	if (stream->broken)
		close_stream(hub, slot_of(hub, stream));
}

static bool expired(const struct stream *stream, uint64_t now_ms)
{
	if (stream->broken)
		return true;
	if (stream->connecting)
		return now_ms - stream->opened_ms > STREAM_CONNECT_TIMEOUT_MS;
	return now_ms - stream->last_frame_ms > STREAM_IDLE_MS;
}

void stream_sweep(struct hub *hub, uint64_t now_ms)
{
	for (size_t i = hub->stream_count; i-- > 0;)
		if (expired(hub->streams[i], now_ms))
			close_stream(hub, i);
}

void stream_close(struct hub *hub, struct stream *stream)
{
	close_stream(hub, slot_of(hub, stream));
}

void stream_close_all(struct hub *hub)
{
	while (hub->stream_count)
		close_stream(hub, hub->stream_count - 1);
}

/*
 * TCP streams that carry the same outer messages as UDP datagrams, for
 * nodes whose network blocks UDP: they reach a rendezvous (which listens on
 * TCP on its UDP port number) over TCP, and their peers through it as a
 * relay. Each message travels as a frame: a 2-byte big-endian length, then
 * the message. A stream is an unreliable carrier like UDP: a message that
 * does not fit the output buffer is dropped, never half-written.
 */
#ifndef VPND_STREAM_H
#define VPND_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct hub;

enum {
	STREAM_MAX = 256,	 /* accepted and opened, per vpnd */
	STREAM_IDLE_MS = 120000, /* closed after this long without a frame */
	STREAM_CONNECT_TIMEOUT_MS = 5000,
	STREAM_OUTPUT_MAX = 64 * 1024, /* bytes queued while the socket is full */
};

struct stream {
	int fd;
	union endpoint remote;
	bool inbound;	 /* accepted by our listener */
	bool connecting; /* outbound, not connected yet */
	bool broken;	 /* closed at the next service or sweep */
	bool watching_output;
	uint64_t opened_ms;
	uint64_t last_frame_ms;
	size_t input_len;
	uint8_t input[2 + 65535];
	size_t output_len;
	uint8_t output[STREAM_OUTPUT_MAX];
};

/* The rendezvous' TCP listener, on the UDP port's number. */
int stream_listen(struct hub *hub);
void stream_accept(struct hub *hub);
/* A new outbound stream; messages sent before it connects wait for it. */
struct stream *stream_connect(struct hub *hub, const union endpoint *to);
/* The stream of a socket; NULL for UDP sockets. */
struct stream *stream_find(const struct hub *hub, int fd);
/* Queues one framed message; -ENOBUFS when it does not fit. */
int stream_send(struct hub *hub, struct stream *stream, const void *data, size_t len);
/* The event loop saw events (EPOLLIN, EPOLLOUT, errors) on the stream. */
void stream_service(struct hub *hub, struct stream *stream, uint32_t events);
/* Closes streams that went idle or never connected. */
void stream_sweep(struct hub *hub, uint64_t now_ms);
/* Never the stream being serviced: mark that one broken instead. */
void stream_close(struct hub *hub, struct stream *stream);
void stream_close_all(struct hub *hub);

#endif

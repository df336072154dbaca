/*
 * TCP streams that carry the same outer messages as UDP datagrams, for
 * nodes whose network blocks UDP: they reach a rendezvous (which listens on
 * TCP on its UDP port number) over TCP, and their peers through it as a
 * relay. Each message travels as a frame: a 2-byte big-endian length, then
 * the message. A stream is an unreliable carrier like UDP: a message that
 * does not fit the output buffer is dropped, never half-written.
 *
 * Anyone can connect, so only what the owner authenticated keeps a stream:
 * an accepted stream that carries no authenticated message within
 * STREAM_PROOF_MS is closed, and then after STREAM_IDLE_MS without one
 * (frames of junk keep nothing open). A source address (an IPv6 /64) holds
 * at most STREAM_UNPROVEN_PER_SOURCE unproven streams, and when every slot
 * is taken a new connection takes the oldest unproven stream's.
 */
#ifndef VPND_STREAM_H
#define VPND_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "io/loop.h"

enum {
	STREAM_MAX = 256,	 /* accepted and opened, per vpnd */
	STREAM_IDLE_MS = 120000, /* closed after this long without an authenticated message */
	STREAM_PROOF_MS = 5000,	 /* for an accepted stream's first one */
	STREAM_UNPROVEN_PER_SOURCE = 4,
	STREAM_CONNECT_TIMEOUT_MS = 5000,
	STREAM_OUTPUT_MAX = 64 * 1024, /* bytes queued while the socket is full */
	STREAM_SWEEP_MS = 5000,
};

struct stream {
	int fd;
	struct watch watch;
	struct stream_set *set;
	union endpoint remote;
	bool inbound;	 /* accepted by our listener */
	bool connecting; /* outbound, not connected yet */
	bool broken;	 /* closed at the next service or sweep */
	bool proven;	 /* it carried an authenticated message */
	uint64_t opened_ms;
	uint64_t last_proof_ms; /* the last authenticated message (or connect) */
	size_t input_len;
	uint8_t input[2 + 65535];
	size_t output_len;
	uint8_t output[STREAM_OUTPUT_MAX];
};

/*
 * Every stream of a vpnd, and what happens to what they carry: the owner
 * (the hub) gives the callbacks. Streams that went idle or never connected
 * are closed by the set's own sweep timer.
 */
struct stream_set {
	struct loop *loop;
	struct stream *streams[STREAM_MAX];
	size_t count;
	struct watch listener; /* fd -1: not listening */
	struct timer sweep;
	uint64_t refused; /* connections closed at once: too many unproven */
	uint8_t frame[65535]; /* the frame being delivered */
	/* A whole frame arrived (it may be modified). */
	void (*deliver)(struct stream_set *set, struct stream *stream, uint8_t *msg, size_t len);
	/* An empty frame: not our protocol; the stream is closed. */
	void (*malformed)(struct stream_set *set);
	/* The stream is about to close: nothing may use its fd any more. */
	void (*closing)(struct stream_set *set, struct stream *stream);
};

void stream_set_init(struct stream_set *set, struct loop *loop);
/* Accepts streams on a listening TCP socket (the set closes it). */
int stream_set_listen(struct stream_set *set, int fd);
/* A new outbound stream; messages sent before it connects wait for it. It
 * leaves from local port from_port (our listener's: SO_REUSEPORT), so that
 * a NAT keeping one mapping per port shows every peer the same address,
 * and two nodes connecting to each other at once meet (TCP simultaneous
 * open); 0: any port. */
struct stream *stream_connect(struct stream_set *set, const union endpoint *to,
			      uint16_t from_port);
/* The stream of a socket; NULL for UDP sockets. */
struct stream *stream_find(const struct stream_set *set, int fd);
/* An authenticated message came through the stream: it stays open. */
void stream_proven(struct stream *stream);
/* Queues one framed message; -ENOBUFS when it does not fit. */
int stream_send(struct stream *stream, const void *data, size_t len);
/* Never the stream being serviced: mark that one broken instead. */
void stream_close(struct stream_set *set, struct stream *stream);
/* Every stream, and the listener. */
void stream_set_close(struct stream_set *set);

#endif

/*
 * Datagrams to one endpoint, gathered while the packets of TUN reads are
 * encrypted, and sent with one sendmsg: UDP GSO (UDP_SEGMENT) cuts them
 * apart in the kernel after a single trip through the stack. Every
 * datagram but the last of a batch has the same size; one that does not
 * fit sends the batch before it. Where the kernel refuses UDP GSO, they go
 * one by one.
 *
 * A datagram may join still unencrypted, with its AEAD job: the batch's
 * jobs run on the crypto workers (workers.h) just before it is sent.
 */
#ifndef VPND_SEND_BATCH_H
#define VPND_SEND_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "io/workers.h"

enum {
	SEND_BATCH_LEN = 65507 - 512, /* an IPv4 UDP payload's limit, with room to spare */
	SEND_BATCH_MAX = 64,	      /* UDP_MAX_SEGMENTS before Linux 6.9 */
};

struct send_batch {
	bool open; /* gathering; when closed, datagrams go at once */
	bool gso_refused;
	int fd;
	union endpoint to;
	size_t segment_len;
	size_t count;
	size_t used;
	uint8_t *buffer; /* SEND_BATCH_LEN */
	struct aead_job jobs[SEND_BATCH_MAX];
	size_t job_count;
	struct workers *workers;
	uint64_t trains;	  /* batches sent with UDP GSO */
	uint64_t train_datagrams; /* in them */
};

int send_batch_init(struct send_batch *batch, struct workers *workers);
void send_batch_free(struct send_batch *batch);
void send_batch_open(struct send_batch *batch);
/* Sends what is gathered and stops gathering. */
void send_batch_close(struct send_batch *batch);
/* Sends a datagram, or gathers it while the batch is open; an error is
 * one of sending what was gathered before it. */
int send_batch_add(struct send_batch *batch, int fd, const union endpoint *to, const void *data,
		   size_t len);
/* Room for a datagram of len bytes that joins the open batch, and its job,
 * which the caller fills in; NULL when the batch is closed. */
uint8_t *send_batch_reserve(struct send_batch *batch, int fd, const union endpoint *to, size_t len,
			    struct aead_job **job);

#endif

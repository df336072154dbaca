/* UDP GSO send batches. */
#include "io/send_batch.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"

int send_batch_init(struct send_batch *batch, struct workers *workers)
{
	memset(batch, 0, sizeof(*batch));
	batch->workers = workers;
	batch->buffer = malloc(SEND_BATCH_LEN);
	return batch->buffer ? 0 : -ENOMEM;
}

void send_batch_free(struct send_batch *batch)
{
	free(batch->buffer);
	batch->buffer = NULL;
}

void send_batch_open(struct send_batch *batch)
{
	batch->open = batch->buffer != NULL;
}

static int send_one(int fd, const union endpoint *to, const void *data, size_t len)
{
	return sendto(fd, data, len, 0, &to->sa, endpoint_len(to)) < 0 ? -errno : 0;
}

static int send_segmented(struct send_batch *batch)
{
	uint8_t control[CMSG_SPACE(sizeof(uint16_t))] = {0};
	struct iovec iov = {.iov_base = batch->buffer, .iov_len = batch->used};
	struct msghdr msg = {
	    .msg_name = &batch->to,
	    .msg_namelen = endpoint_len(&batch->to),
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control,
	    .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	uint16_t segment = (uint16_t)batch->segment_len;

	cmsg->cmsg_level = SOL_UDP;
	cmsg->cmsg_type = UDP_SEGMENT;
	cmsg->cmsg_len = CMSG_LEN(sizeof(segment));
	memcpy(CMSG_DATA(cmsg), &segment, sizeof(segment));
	return sendmsg(batch->fd, &msg, 0) < 0 ? -errno : 0;
}

/* Without GSO: the datagrams with one sendmmsg; one that fails is
 * skipped, as a lone sendto's failure would lose only it. */
static int send_each(struct send_batch *batch)
{
	struct mmsghdr msgs[SEND_BATCH_MAX];
	struct iovec iov[SEND_BATCH_MAX];
	size_t count = 0, sent = 0;
	int ret = 0;

	for (size_t off = 0; off < batch->used; off += batch->segment_len, count++) {
		iov[count].iov_base = batch->buffer + off;
		iov[count].iov_len =
		    batch->used - off < batch->segment_len ? batch->used - off : batch->segment_len;
		msgs[count].msg_hdr = (struct msghdr){.msg_name = &batch->to,
						      .msg_namelen = endpoint_len(&batch->to),
						      .msg_iov = &iov[count],
						      .msg_iovlen = 1};
	}
	while (sent < count) {
		int n = sendmmsg(batch->fd, msgs + sent, (unsigned int)(count - sent), 0);

		if (n <= 0) {
			ret = -errno;
			n = 1;
		}
		sent += (size_t)n;
	}
	return ret;
}

/* A job that fails leaves its datagram as it was: the receiver drops it. */
static int flush(struct send_batch *batch)
{
	int ret = 0;

	if (batch->job_count) {
		workers_run(batch->workers, batch->jobs, batch->job_count);
		aead_jobs_wipe(batch->jobs, batch->job_count);
	}
	batch->job_count = 0;
	if (batch->count > 1 && !batch->gso_refused) {
		ret = send_segmented(batch);
		/* EIO: the way out cannot segment; anything else (a route
		 * with a smaller MTU, say) is this batch's alone. */
		if (ret == -EIO) {
			log_info("UDP GSO refused by the kernel, sending datagrams one by one");
			batch->gso_refused = true;
		}
		if (ret) {
			ret = send_each(batch);
		} else {
			batch->trains++;
			batch->train_datagrams += batch->count;
		}
	} else if (batch->count) {
		ret = send_each(batch);
	}
	batch->count = batch->used = 0;
	return ret;
}

void send_batch_close(struct send_batch *batch)
{
	flush(batch);
	batch->open = false;
}

static bool same_destination(const struct send_batch *batch, int fd, const union endpoint *to)
{
	return batch->fd == fd && endpoint_equal(to, &batch->to);
}

/* A datagram may join if it goes where the others go, is no longer than
 * they are, and the last one was not shorter. */
static bool fits(const struct send_batch *batch, int fd, const union endpoint *to, size_t len)
{
	return batch->count && batch->count < SEND_BATCH_MAX &&
	       batch->used == batch->count * batch->segment_len && len <= batch->segment_len &&
	       batch->used + len <= SEND_BATCH_LEN && same_destination(batch, fd, to);
}

/* The room at the batch's tail, after sending what cannot go with it. */
static uint8_t *take_room(struct send_batch *batch, int fd, const union endpoint *to, size_t len,
			  int *ret)
{
	uint8_t *room;

	*ret = 0;
	if (!fits(batch, fd, to, len)) {
		*ret = flush(batch);
		batch->fd = fd;
		batch->to = *to;
		batch->segment_len = len;
	}
	room = batch->buffer + batch->used;
	batch->used += len;
	batch->count++;
	return room;
}

int send_batch_add(struct send_batch *batch, int fd, const union endpoint *to, const void *data,
		   size_t len)
{
	int ret;

	if (!batch->open || !len || len > SEND_BATCH_LEN)
		return send_one(fd, to, data, len);
	memcpy(take_room(batch, fd, to, len, &ret), data, len);
	return ret;
}

uint8_t *send_batch_reserve(struct send_batch *batch, int fd, const union endpoint *to, size_t len,
			    struct aead_job **job)
{
	int ret;
	uint8_t *room;

	if (!batch->open || !len || len > SEND_BATCH_LEN)
		return NULL;
	room = take_room(batch, fd, to, len, &ret);
	if (ret)
		log_debug("sending a batch: %s", strerror(-ret));
	*job = &batch->jobs[batch->job_count++];
	return room;
}

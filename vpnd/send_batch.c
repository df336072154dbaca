/* UDP GSO send batches. */
#include "send_batch.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"

int send_batch_init(struct send_batch *batch)
{
	memset(batch, 0, sizeof(*batch));
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

static int send_each(struct send_batch *batch)
{
	int ret = 0;

	for (size_t off = 0; off < batch->used; off += batch->segment_len) {
		size_t len =
		    batch->used - off < batch->segment_len ? batch->used - off : batch->segment_len;
		int err = send_one(batch->fd, &batch->to, batch->buffer + off, len);

		if (err && !ret)
			ret = err;
	}
	return ret;
}

static int flush(struct send_batch *batch)
{
	int ret = 0;

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

int send_batch_add(struct send_batch *batch, int fd, const union endpoint *to, const void *data,
		   size_t len)
{
	int ret = 0;

	if (!batch->open || len > SEND_BATCH_LEN)
		return send_one(fd, to, data, len);
	if (!fits(batch, fd, to, len)) {
		ret = flush(batch);
		batch->fd = fd;
		batch->to = *to;
		batch->segment_len = len;
	}
	memcpy(batch->buffer + batch->used, data, len);
	batch->used += len;
	batch->count++;
	return ret;
}

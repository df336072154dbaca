/* UDP GSO send batches, over loopback: the datagrams arrive as they were
 * added, in order, and a batch really leaves as one train. */
#include "vectors.h"

#include <arpa/inet.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/send_batch.h"

enum { DATAGRAM = 1200 };

struct loop {
	int sender, receiver;
	union endpoint to;
	struct send_batch batch;
};

static int bound_socket(union endpoint *where)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	socklen_t len = sizeof(where->in);

	assert_true(fd >= 0);
	memset(where, 0, sizeof(*where));
	where->in.sin_family = AF_INET;
	where->in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, &where->sa, sizeof(where->in)), 0);
	assert_int_equal(getsockname(fd, &where->sa, &len), 0);
	return fd;
}

static int setup(void **state)
{
	static struct loop loop;
	union endpoint ignored;

	loop.sender = bound_socket(&ignored);
	loop.receiver = bound_socket(&loop.to);
	/* Room for every datagram of the longest test (the kernel caps it). */
	setsockopt(loop.receiver, SOL_SOCKET, SO_RCVBUF, &(int){1 << 20}, sizeof(int));
	assert_int_equal(send_batch_init(&loop.batch, NULL), 0);
	*state = &loop;
	return 0;
}

static int teardown(void **state)
{
	struct loop *loop = *state;

	close(loop->sender);
	close(loop->receiver);
	send_batch_free(&loop->batch);
	return 0;
}

static void fill(uint8_t *data, size_t len, unsigned int n)
{
	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(n * 31 + i);
}

/* Datagram sizes in, the same sizes and bytes out. */
static void send_and_check(struct loop *loop, const size_t *sizes, size_t count)
{
	uint8_t data[DATAGRAM], got[DATAGRAM + 1];

	send_batch_open(&loop->batch);
	for (size_t n = 0; n < count; n++) {
		fill(data, sizes[n], (unsigned int)n);
		assert_int_equal(
		    send_batch_add(&loop->batch, loop->sender, &loop->to, data, sizes[n]), 0);
	}
	send_batch_close(&loop->batch);
	for (size_t n = 0; n < count; n++) {
		fill(data, sizes[n], (unsigned int)n);
		assert_int_equal(recv(loop->receiver, got, sizeof(got), 0), sizes[n]);
		assert_memory_equal(got, data, sizes[n]);
	}
	assert_int_equal(recv(loop->receiver, got, sizeof(got), 0), -1);
}

static void test_datagrams_kept(void **state)
{
	const size_t equal[] = {DATAGRAM, DATAGRAM, DATAGRAM, 300};
	const size_t mixed[] = {500, DATAGRAM, 100, 100, 100, 1, DATAGRAM};
	size_t many[SEND_BATCH_MAX * 2 + 3];

	for (size_t i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		many[i] = DATAGRAM;
	send_and_check(*state, equal, 4);
	send_and_check(*state, mixed, 7);
	send_and_check(*state, many, sizeof(many) / sizeof(many[0]));
	/* Where the kernel refuses GSO, the same with sendmmsg. */
	((struct loop *)*state)->batch.gso_refused = true;
	send_and_check(*state, mixed, 7);
	send_and_check(*state, many, sizeof(many) / sizeof(many[0]));
}

/* With UDP GRO on the receiver, a batch sent as one train arrives as one
 * read of all its datagrams (loopback does not merge single datagrams). */
static void test_one_train(void **state)
{
	struct loop *loop = *state;
	uint8_t data[DATAGRAM], got[8 * DATAGRAM], control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = got, .iov_len = sizeof(got)};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control,
			     .msg_controllen = sizeof(control)};
	int on = 1, segment = 0;

	assert_int_equal(setsockopt(loop->receiver, SOL_UDP, UDP_GRO, &on, sizeof(on)), 0);
	send_batch_open(&loop->batch);
	for (unsigned int n = 0; n < 5; n++) {
		fill(data, DATAGRAM, n);
		send_batch_add(&loop->batch, loop->sender, &loop->to, data, DATAGRAM);
	}
	assert_int_equal(recv(loop->receiver, got, sizeof(got), MSG_PEEK), -1); /* held */
	send_batch_close(&loop->batch);
	assert_int_equal(recvmsg(loop->receiver, &msg, 0), 5 * DATAGRAM);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO)
			memcpy(&segment, CMSG_DATA(c), sizeof(segment));
	assert_int_equal(segment, DATAGRAM);
	fill(data, DATAGRAM, 4);
	assert_memory_equal(got + 4 * DATAGRAM, data, DATAGRAM);
}

/* A closed batch sends at once. */
static void test_closed_sends_at_once(void **state)
{
	struct loop *loop = *state;
	uint8_t data[10] = {1}, got[16];

	assert_int_equal(send_batch_add(&loop->batch, loop->sender, &loop->to, data, 10), 0);
	assert_int_equal(recv(loop->receiver, got, sizeof(got), 0), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_datagrams_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_train, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_closed_sends_at_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * nfdelay: delays and drops packets in user space, for the lab (this
 * kernel has no tc netem). iptables sends packets to NFQUEUE queues; this
 * program speaks nfnetlink_queue through libmnl, holds each packet for its
 * queue's delay (plus or minus a random jitter share), then accepts it, or
 * drops it with the queue's loss share.
 *
 *   nfdelay FILE
 *
 * FILE has one line per queue: "QUEUE DELAY_MS [JITTER_PERCENT [LOSS_PERCENT]]".
 * SIGHUP reads it again (new queues are bound, changed ones take effect for
 * new packets); SIGTERM ends it. Packets waiting at the end are accepted.
 */
#include <arpa/inet.h> /* before the linux headers: glibc's in.h first */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_QUEUES = 32, MAX_HELD = 8192 };

struct queue {
	uint16_t number;
	unsigned int delay_ms, jitter_percent, loss_percent;
	bool bound;
};

struct held {
	uint64_t due_us;
	uint32_t id;
	uint16_t queue;
	bool drop;
};

static struct queue queues[MAX_QUEUES];
static size_t queue_count;
static struct held held[MAX_HELD];
static size_t held_count;
static volatile sig_atomic_t reload_wanted, stop_wanted;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static struct queue *queue_of(uint16_t number)
{
	for (size_t i = 0; i < queue_count; i++)
		if (queues[i].number == number)
			return &queues[i];
	return NULL;
}

static int read_config(const char *path)
{
	FILE *in = fopen(path, "r");
	char line[128];
	int lineno = 0;

	if (!in) {
		fprintf(stderr, "nfdelay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), in)) {
		unsigned int number, delay, jitter = 0, loss = 0;
		struct queue *q;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%u %u %u %u", &number, &delay, &jitter, &loss) < 2 ||
		    number > UINT16_MAX || jitter > 100 || loss > 100) {
			fprintf(stderr,
				"nfdelay: %s:%d: expected QUEUE DELAY_MS [JITTER%% [LOSS%%]]\n",
				path, lineno);
			fclose(in);
			return -1;
		}
		q = queue_of((uint16_t)number);
		if (!q && queue_count < MAX_QUEUES) {
			q = &queues[queue_count++];
			q->number = (uint16_t)number;
		}
		if (q) {
			q->delay_ms = delay;
			q->jitter_percent = jitter;
			q->loss_percent = loss;
		}
	}
	fclose(in);
	return 0;
}

static struct nlmsghdr *start_message(char *buf, uint16_t type, uint16_t queue, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(queue);
	return nlh;
}

static int bind_queue(struct mnl_socket *nl, struct queue *q)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nfqnl_msg_config_cmd cmd = {.command = NFQNL_CFG_CMD_BIND};
	struct nfqnl_msg_config_params params = {.copy_range = 0, .copy_mode = NFQNL_COPY_META};
	struct nlmsghdr *nlh = start_message(buf, NFQNL_MSG_CONFIG, q->number, NLM_F_ACK);

	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	/* The ack (or error) comes back in order, before any packet. */
	if (mnl_cb_run(buf, (size_t)mnl_socket_recvfrom(nl, buf, sizeof(buf)), 0,
		       mnl_socket_get_portid(nl), NULL, NULL) < 0) {
		fprintf(stderr, "nfdelay: cannot bind queue %u: %s\n", q->number, strerror(errno));
		return -1;
	}
	q->bound = true;
	return 0;
}

static int bind_all(struct mnl_socket *nl)
{
	for (size_t i = 0; i < queue_count; i++)
		if (!queues[i].bound && bind_queue(nl, &queues[i]))
			return -1;
	return 0;
}

static void verdict(struct mnl_socket *nl, const struct held *h)
{
	char buf[256];
	struct nfqnl_msg_verdict_hdr v = {.verdict = htonl(h->drop ? NF_DROP : NF_ACCEPT),
					  .id = htonl(h->id)};
	struct nlmsghdr *nlh = start_message(buf, NFQNL_MSG_VERDICT, h->queue, 0);

	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(v), &v);
	mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
}

static unsigned int random_below(unsigned int n)
{
	return n ? (unsigned int)random() % n : 0;
}

/* When the packet is due: the delay, moved by up to jitter% either way. */
static uint64_t due_time(const struct queue *q)
{
	int64_t delay_us = (int64_t)q->delay_ms * 1000;
	int64_t spread = delay_us * q->jitter_percent / 100;

	if (spread)
		delay_us += (int64_t)random_below((unsigned int)(2 * spread + 1)) - spread;
	return now_us() + (uint64_t)(delay_us > 0 ? delay_us : 0);
}

static int on_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **table = data;

	if (mnl_attr_type_valid(attr, NFQA_MAX) > 0)
		table[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int on_packet(const struct nlmsghdr *nlh, void *data)
{
	struct mnl_socket *nl = data;
	const struct nlattr *table[NFQA_MAX + 1] = {NULL};
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	const struct nfqnl_msg_packet_hdr *ph;
	const struct queue *q = queue_of(ntohs(nfg->res_id));
	struct held h;

	if (mnl_attr_parse(nlh, sizeof(*nfg), on_attr, table) < 0 || !table[NFQA_PACKET_HDR])
		return MNL_CB_OK;
	ph = mnl_attr_get_payload(table[NFQA_PACKET_HDR]);
	h.id = ntohl(ph->packet_id);
	h.queue = ntohs(nfg->res_id);
	h.drop = q && random_below(100) < q->loss_percent;
	h.due_us = q ? due_time(q) : now_us();
	if (held_count == MAX_HELD) {
		verdict(nl, &h); /* full: no delay rather than no packet */
		return MNL_CB_OK;
	}
	held[held_count++] = h;
	return MNL_CB_OK;
}

/* Releases every packet that is due; returns ms until the next one, or -1. */
static int release_due(struct mnl_socket *nl)
{
	uint64_t now = now_us(), next = UINT64_MAX;

	for (size_t i = 0; i < held_count;) {
		if (held[i].due_us <= now) {
			verdict(nl, &held[i]);
			held[i] = held[--held_count];
			continue;
		}
		if (held[i].due_us < next)
			next = held[i].due_us;
		i++;
	}
	return next == UINT64_MAX ? -1 : (int)((next - now + 999) / 1000);
}

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_wanted = 1;
	else
		stop_wanted = 1;
}

static void receive(struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

	if (n > 0)
		mnl_cb_run(buf, (size_t)n, 0, 0, on_packet, nl);
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct mnl_socket *nl;
	int one = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: nfdelay FILE\n");
		return 2;
	}
	srandom((unsigned int)now_us());
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 || read_config(argv[1]) ||
	    bind_all(nl)) {
		perror("nfdelay");
		return 1;
	}
	mnl_socket_setsockopt(nl, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	while (!stop_wanted) {
		struct pollfd pfd = {.fd = mnl_socket_get_fd(nl), .events = POLLIN};
		int timeout = release_due(nl);

		if (reload_wanted) {
			reload_wanted = 0;
			if (read_config(argv[1]) == 0)
				bind_all(nl);
		}
		if (poll(&pfd, 1, timeout) > 0)
			receive(nl);
	}
	for (size_t i = 0; i < held_count; i++) {
		held[i].drop = false;
		verdict(nl, &held[i]);
	}
	mnl_socket_close(nl);
	return 0;
}

/*
 * The shared sockets of all networks, and finding the network of each
 * incoming message (see hub.h).
 */
#include "core/hub.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/device.h"
#include "core/events.h"
#include "core/receive.h"
#include "log.h"
#include "stun.h"

void hub_set_dont_fragment(int fd)
{
	int v4 = IP_PMTUDISC_PROBE, v6 = IPV6_PMTUDISC_PROBE;

	setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v4, sizeof(v4));
	setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v6, sizeof(v6));
}

/* A socket of the given type bound to port on every address: IPv6 and IPv4
 * where the host has IPv6, IPv4 only otherwise. */
static int open_bound_socket(struct hub *hub, int type, uint16_t port, int *fd_out,
			     uint16_t *bound_port)
{
	union endpoint bind_addr = {0};
	socklen_t len = sizeof(bind_addr);
	int off = 0, on = 1, fd;

	fd = socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		hub->udp_family = AF_INET6;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		bind_addr.in6.sin6_family = AF_INET6;
		bind_addr.in6.sin6_port = htons(port);
	} else {
		fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		hub->udp_family = AF_INET;
		bind_addr.in.sin_family = AF_INET;
		bind_addr.in.sin_port = htons(port);
	}
	if (type == SOCK_STREAM) { /* our outbound streams leave from its port too */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
	}
	else
		hub_set_dont_fragment(fd);
	if (bind(fd, &bind_addr.sa, endpoint_len(&bind_addr)) < 0 ||
	    getsockname(fd, &bind_addr.sa, &len) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) < 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*fd_out = fd;
	*bound_port = ntohs(bind_addr.in.sin_port);
	return 0;
}

/* TCP on the UDP port's number, for nodes whose network blocks UDP: they
 * reach a rendezvous, and any node directly (nat/tcp_punch.c), over it. */
static int open_tcp_listener(struct hub *hub)
{
	uint16_t port;
	int ret, tcp_fd;

	ret = open_bound_socket(hub, SOCK_STREAM, hub->listen_port, &tcp_fd, &port);
	if (!ret)
		ret = stream_set_listen(&hub->streams, tcp_fd);
	if (ret)
		log_warnx("cannot listen on TCP port %u: %s", hub->listen_port, strerror(-ret));
	return ret;
}

/* The rendezvous' extra listener: STUN on a second UDP port. */
static int open_rendezvous_sockets(struct hub *hub, const struct config *cfg)
{
	uint16_t port;
	int ret;

	if (cfg->rendezvous_second_port) {
		ret = open_bound_socket(hub, SOCK_DGRAM, cfg->rendezvous_second_port, &hub->stun_fd,
					&port);
		if (!ret)
			ret = hub_watch_udp(hub, &hub->stun, hub->stun_fd);
		if (ret) {
			log_warnx("cannot listen on UDP port %u: %s", cfg->rendezvous_second_port,
				  strerror(-ret));
			return ret;
		}
	}
	/* Without TCP, nodes behind UDP-blocking networks cannot reach it. */
	return open_tcp_listener(hub);
}

static int allocate_batches(struct hub *hub)
{
	hub->batch = malloc(HUB_BATCH * HUB_SLOT_LEN);
	hub->pending = calloc(HUB_PENDING_MAX, sizeof(*hub->pending));
	hub->receive_jobs = calloc(HUB_PENDING_MAX, sizeof(*hub->receive_jobs));
	if (!hub->batch || !hub->pending || !hub->receive_jobs)
		return -ENOMEM;
	return send_batch_init(&hub->send_batch, &hub->workers);
}

/* Trains of datagrams arrive as one read; failing that, one by one. */
static void enable_gro(struct hub *hub)
{
	int on = 1;

	hub->udp_gro = setsockopt(hub->udp_fd, SOL_UDP, UDP_GRO, &on, sizeof(on)) == 0;
	if (!hub->udp_gro)
		log_debug("UDP GRO: %s", strerror(errno));
}

static void deliver_frame(struct stream_set *set, struct stream *stream, uint8_t *msg, size_t len)
{
	struct hub *hub = container_of(set, struct hub, streams);

	hub_receive(hub, msg, len,
		    &(struct origin){.endpoint = &stream->remote, .fd = stream->fd, .stream = stream});
}

static void malformed_frame(struct stream_set *set)
{
	struct hub *hub = container_of(set, struct hub, streams);

	hub->devices[0]->unattributed.drops[DROP_MALFORMED]++;
}

/* Peers whose path was the stream go back to UDP. */
static void stream_closing(struct stream_set *set, struct stream *stream)
{
	struct hub *hub = container_of(set, struct hub, streams);

	for (size_t d = 0; d < hub->device_count; d++) {
		struct device *dev = hub->devices[d];

		for (size_t i = 0; i < dev->peer_count; i++)
			if (dev->peers[i]->path.fd == stream->fd)
				path_stream_closed(dev->peers[i]);
	}
}

int hub_init(struct hub *hub)
{
	int ret = loop_init(&hub->loop);

	hub->udp_fd = hub->stun_fd = -1;
	stream_set_init(&hub->streams, &hub->loop);
	hub->streams.deliver = deliver_frame;
	hub->streams.malformed = malformed_frame;
	hub->streams.closing = stream_closing;
	return ret;
}

int hub_open(struct hub *hub, const struct config *first)
{
	int ret;

	ret = workers_start(&hub->workers, workers_for(first->workers));
	if (ret)
		return ret;
	if (allocate_batches(hub)) {
		hub_close(hub);
		return -ENOMEM;
	}
	ret =
	    open_bound_socket(hub, SOCK_DGRAM, first->listen_port, &hub->udp_fd, &hub->listen_port);
	if (!ret)
		ret = hub_watch_udp(hub, &hub->udp, hub->udp_fd);
	if (ret)
		log_warnx("cannot listen on UDP port %u: %s", first->listen_port, strerror(-ret));
	else
		enable_gro(hub);
	if (!ret && first->rendezvous_enabled)
		ret = open_rendezvous_sockets(hub, first);
	else if (!ret)
		open_tcp_listener(hub); /* a member without it: no direct TCP to it */
	if (ret)
		hub_close(hub);
	return ret;
}

static void close_if_open(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void hub_close(struct hub *hub)
{
	stream_set_close(&hub->streams);
	if (hub->udp_fd >= 0)
		hub_unwatch_udp(&hub->udp);
	if (hub->stun_fd >= 0)
		hub_unwatch_udp(&hub->stun);
	close_if_open(&hub->udp_fd);
	close_if_open(&hub->stun_fd);
	index_table_clear(&hub->indices);
	free(hub->batch);
	hub->batch = NULL;
	send_batch_free(&hub->send_batch);
	free(hub->pending);
	free(hub->receive_jobs);
	hub->pending = NULL;
	hub->receive_jobs = NULL;
	workers_stop(&hub->workers);
	loop_close(&hub->loop);
}

int hub_add_device(struct hub *hub, struct device *dev, char *err, size_t err_len)
{
	const struct config *cfg = &dev->cfg;

	if (hub->device_count == HUB_MAX_DEVICES) {
		snprintf(err, err_len, "%s: one vpnd serves at most %d networks", cfg->path,
			 HUB_MAX_DEVICES);
		return -1;
	}
	for (size_t i = 0; i < hub->device_count; i++) {
		const struct config *other = &hub->devices[i]->cfg;

		if (other->listen_port != cfg->listen_port) {
			snprintf(err, err_len,
				 "%s: listen_port %u differs from %s's %u: the networks of one "
				 "vpnd share its port",
				 cfg->path, cfg->listen_port, other->path, other->listen_port);
			return -1;
		}
		if (!memcmp(other->public_key, cfg->public_key, sizeof(cfg->public_key))) {
			snprintf(err, err_len,
				 "%s: the same node key as %s: each network needs its own key",
				 cfg->path, other->path);
			return -1;
		}
	}
	dev->hub = hub;
	hub->devices[hub->device_count++] = dev;
	return 0;
}

/* An initiation names its network by the static key its mac1 is keyed on. */
static struct device *device_for_initiation(struct hub *hub, const uint8_t *buf, size_t len)
{
	static const struct cookie_source no_source;

	for (size_t i = 0; i < hub->device_count; i++)
		if (cookie_validate_packet(&hub->devices[i]->cookie_checker, buf, len, &no_source,
					   false, 0) != COOKIE_MAC_INVALID)
			return hub->devices[i];
	return NULL;
}

static struct device *device_for_index(struct hub *hub, const uint8_t *buf, size_t len,
				       size_t offset)
{
	uint32_t index;
	struct peer *peer;

	if (len < offset + sizeof(index))
		return NULL;
	memcpy(&index, buf + offset, sizeof(index));
	peer = index_table_lookup(&hub->indices, le32toh(index));
	return peer ? peer->dev : NULL;
}

static struct device *device_for_message(struct hub *hub, const uint8_t *buf, size_t len)
{
	uint32_t type;

	if (hub->device_count == 1 || len < sizeof(type))
		return hub->devices[0];
	memcpy(&type, buf, sizeof(type));
	switch (le32toh(type)) {
	case MESSAGE_HANDSHAKE_INITIATION:
		return device_for_initiation(hub, buf, len);
	case MESSAGE_HANDSHAKE_RESPONSE:
		return device_for_index(
		    hub, buf, len, offsetof(struct message_handshake_response, receiver_index));
	case MESSAGE_HANDSHAKE_COOKIE:
		return device_for_index(hub, buf, len,
					offsetof(struct message_handshake_cookie, receiver_index));
	default:
		return device_for_index(hub, buf, len, offsetof(struct message_data, key_idx));
	}
}

void hub_receive(struct hub *hub, uint8_t *buf, size_t len, const struct origin *from)
{
	struct device *dev = device_for_message(hub, buf, len);

	/* Whatever names no network is counted where all such drops are. */
	receive_datagram(dev ? dev : hub->devices[0], buf, len, from);
}

/* A STUN request is answered once; a response goes to every network's
 * netcheck, which takes only its own transactions. */
static bool stun_received(struct hub *hub, int fd, const uint8_t *buf, size_t len,
			  const union endpoint *src)
{
	if (!stun_is_message(buf, len))
		return false;
	for (size_t i = 0; i < (buf[0] == 0x00 ? 1 : hub->device_count); i++)
		events_stun_received(hub->devices[i], fd, buf, len, src);
	return true;
}

static void receive_udp(struct hub *hub, int fd, const struct pending_datagram *d)
{
	if (stun_received(hub, fd, d->data, d->len, d->src) || fd == hub->stun_fd)
		return;
	hub_receive(hub, d->data, d->len,
		    &(struct origin){.endpoint = d->src, .fd = fd, .opened = d->opened});
}

/* The workers decrypt the transport data of what is pending, then each
 * datagram is handled in the order it came. */
static void receive_pending(struct hub *hub, int fd)
{
	workers_run(&hub->workers, hub->receive_jobs, hub->receive_job_count);
	for (size_t i = 0; i < hub->pending_count; i++)
		receive_udp(hub, fd, &hub->pending[i]);
	aead_jobs_wipe(hub->receive_jobs, hub->receive_job_count);
	hub->pending_count = hub->receive_job_count = 0;
}

static void add_pending(struct hub *hub, int fd, uint8_t *data, size_t len,
			const union endpoint *src)
{
	struct pending_datagram *d = &hub->pending[hub->pending_count++];
	struct aead_job *job = &hub->receive_jobs[hub->receive_job_count];
	/* Only transport data becomes a job (its receiver index names the
	 * network), and only when there are workers to share it with. */
	struct device *dev =
	    fd == hub->stun_fd || !hub->workers.thread_count
		? NULL
		: device_for_index(hub, data, len, offsetof(struct message_data, key_idx));

	*d = (struct pending_datagram){.data = data, .len = len, .src = src};
	if (dev && receive_data_job(dev, data, len, job)) {
		d->opened = job;
		hub->receive_job_count++;
	}
	if (hub->pending_count == HUB_PENDING_MAX)
		receive_pending(hub, fd);
}

/* The size of each datagram of a train UDP GRO merged, or 0. */
static size_t train_segment(const struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		int segment;

		if (c->cmsg_level != SOL_UDP || c->cmsg_type != UDP_GRO)
			continue;
		memcpy(&segment, CMSG_DATA(c), sizeof(segment));
		return segment > 0 ? (size_t)segment : 0;
	}
	return 0;
}

/* Cuts a read into its datagrams, which wait for the batch's decryption. */
static void receive_train(struct hub *hub, int fd, const struct mmsghdr *m, union endpoint *src)
{
	uint8_t *data = m->msg_hdr.msg_iov->iov_base;
	size_t len = m->msg_len, segment = train_segment(&m->msg_hdr);

	if (m->msg_hdr.msg_flags & MSG_TRUNC) {
		hub->devices[0]->unattributed.drops[DROP_MALFORMED]++;
		return;
	}
	endpoint_unmap_v4(src);
	if (!segment)
		segment = len;
	for (size_t off = 0; off < len; off += segment)
		add_pending(hub, fd, data + off, len - off < segment ? len - off : segment, src);
}

/* Reads in rounds of recvmmsg; what the messages make us send (relayed
 * messages above all, but also pongs, keepalives, handshakes) leaves in UDP
 * GSO batches, as what the TUN reads does. */
void hub_read_udp(struct hub *hub, int fd)
{
	struct mmsghdr msgs[HUB_BATCH];
	struct iovec iov[HUB_BATCH];
	union endpoint src[HUB_BATCH];
	uint8_t control[HUB_BATCH][CMSG_SPACE(sizeof(int))];

	for (int round = 0; round < HUB_BATCHES_PER_EVENT; round++) {
		int n;

		for (int i = 0; i < HUB_BATCH; i++) {
			iov[i].iov_base = hub->batch + (size_t)i * HUB_SLOT_LEN;
			iov[i].iov_len = HUB_SLOT_LEN;
			memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
			msgs[i].msg_hdr.msg_name = &src[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(src[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_control = control[i];
			msgs[i].msg_hdr.msg_controllen = sizeof(control[i]);
		}
		n = recvmmsg(fd, msgs, HUB_BATCH, MSG_DONTWAIT, NULL);
		send_batch_open(&hub->send_batch);
		for (int i = 0; i < n; i++)
			receive_train(hub, fd, &msgs[i], &src[i]);
		receive_pending(hub, fd);
		send_batch_close(&hub->send_batch);
		if (n < HUB_BATCH)
			return;
	}
}

static void udp_ready(struct watch *watch, uint32_t events)
{
	struct udp_socket *socket = container_of(watch, struct udp_socket, watch);

	hub_read_udp(socket->hub, watch->fd);
}

int hub_watch_udp(struct hub *hub, struct udp_socket *socket, int fd)
{
	socket->hub = hub;
	return loop_watch(&hub->loop, &socket->watch, fd, EPOLLIN, udp_ready);
}

void hub_unwatch_udp(struct udp_socket *socket)
{
	loop_unwatch(&socket->hub->loop, &socket->watch);
}

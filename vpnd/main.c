/*
 * vpnd: parse the configuration, bring the device up, and run the event
 * loop until SIGTERM. The loop only dispatches: per-packet work lives in
 * send.c and receive.c, protocol timers in timers.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "control.h"
#include "device.h"
#include "enroll.h"
#include "log.h"
#include "receive.h"
#include "send.h"
#include "timers.h"

#define DEFAULT_CONFIG "/etc/vpnd/vpnd.conf"

enum { EVENT_BATCH = 32, PACKET_BATCH = 64 };

struct daemon {
	struct device *dev;
	struct control control;
	int epoll_fd;
	int signal_fd;
	bool running;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: vpnd [-c FILE] [-n] [-d]\n"
		     "  -c FILE  configuration file (default " DEFAULT_CONFIG ")\n"
		     "  -n       check the configuration, print it in canonical form, exit\n"
		     "  -d       debug logging\n");
}

static int watch(int epoll_fd, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

static void read_tun(struct device *dev)
{
	for (int i = 0; i < PACKET_BATCH; i++) {
		ssize_t n = read(dev->tun_fd, dev->receive_buffer, sizeof(dev->receive_buffer));

		if (n <= 0)
			return;
		send_packet_from_tun(dev, dev->receive_buffer, (size_t)n);
	}
}

/* The peers' socket, or (stun_only) the rendezvous' second port. */
static void read_udp(struct device *dev, int fd, bool stun_only)
{
	for (int i = 0; i < PACKET_BATCH; i++) {
		union endpoint src;
		socklen_t len = sizeof(src);
		ssize_t n = recvfrom(fd, dev->receive_buffer, sizeof(dev->receive_buffer), 0,
				     &src.sa, &len);

		if (n < 0)
			return;
		endpoint_unmap_v4(&src);
		if (netcheck_receive(dev, fd, dev->receive_buffer, (size_t)n, &src) || stun_only)
			continue;
		receive_datagram(dev, dev->receive_buffer, (size_t)n,
				 &(struct origin){.endpoint = &src, .fd = fd});
	}
}

static void warn_if_changed(const struct config *running, const struct config *fresh)
{
	if (strcmp(running->ifname, fresh->ifname) || running->mtu != fresh->mtu ||
	    running->listen_port != fresh->listen_port ||
	    memcmp(running->private_key, fresh->private_key, sizeof(fresh->private_key)) ||
	    memcmp(&running->cert, &fresh->cert, sizeof(fresh->cert)) ||
	    memcmp(&running->network, &fresh->network, sizeof(fresh->network)))
		log_warnx("reload: only peers are reloaded; restart vpnd to apply other changes");
}

static void reload(struct device *dev)
{
	struct config fresh;
	char err[CONFIG_ERROR_LEN];

	if (config_load(&fresh, dev->cfg.path, err, sizeof(err))) {
		log_warnx("reload failed, keeping the running configuration: %s", err);
		return;
	}
	warn_if_changed(&dev->cfg, &fresh);
	device_set_peers(dev, fresh.peers, fresh.peer_count);
	free(dev->cfg.peers);
	dev->cfg.peers = fresh.peers;
	dev->cfg.peer_count = fresh.peer_count;
	fresh.peers = NULL;
	config_free(&fresh);
	log_info("reloaded %s: %zu peers", dev->cfg.path, dev->peer_count);
}

static void handle_signal(struct daemon *d)
{
	struct signalfd_siginfo info;

	if (read(d->signal_fd, &info, sizeof(info)) != sizeof(info))
		return;
	if (info.ssi_signo == SIGHUP)
		reload(d->dev);
	else
		d->running = false;
}

static void dispatch(struct daemon *d, int fd, uint32_t events)
{
	struct stream *stream = stream_find(d->dev, fd);

	if (stream)
		stream_service(d->dev, stream, events);
	else if (fd == d->dev->tcp_fd)
		stream_accept(d->dev);
	else if (fd == d->dev->tun_fd)
		read_tun(d->dev);
	else if (fd == d->dev->udp_fd)
		read_udp(d->dev, fd, false);
	else if (fd == d->dev->stun_fd)
		read_udp(d->dev, fd, true);
	else if (birthday_is_socket(d->dev, fd))
		read_udp(d->dev, fd, false);
	else if (fd == d->signal_fd)
		handle_signal(d);
	else if (fd == d->control.listen_fd) {
		int client = control_accept(&d->control);

		if (client >= 0)
			watch(d->epoll_fd, client);
	} else {
		control_serve(&d->control, fd, d->dev);
	}
}

/* The event loop: until stopped, or (with until) until it says so or the
 * deadline passes. */
static void run(struct daemon *d, bool (*until)(struct daemon *), uint64_t deadline_ms)
{
	struct epoll_event events[EVENT_BATCH];

	while (d->running && !(until && (until(d) || clock_ms() >= deadline_ms))) {
		int timeout = timers_run(d->dev, clock_ms());
		int n;

		if (until && (timeout < 0 || timeout > (int)(deadline_ms - clock_ms())))
			timeout = (int)(deadline_ms - clock_ms());
		n = epoll_wait(d->epoll_fd, events, EVENT_BATCH, timeout);

		if (n < 0 && errno != EINTR)
			fatal("epoll_wait");
		for (int i = 0; i < n && d->running; i++)
			dispatch(d, events[i].data.fd, events[i].events);
	}
}

static int setup_signals(void)
{
	sigset_t mask;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -1;
	return signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

static bool enrollment_answered(struct daemon *d)
{
	return enroll_step(d->dev);
}

/* Before the interface can exist, a node with a join token needs its ID. */
static int enroll_first(struct daemon *d)
{
	struct device *dev = d->dev;

	log_info("enrolling with the controller named in the join token");
	run(d, enrollment_answered, clock_ms() + ENROLL_TIMEOUT_MS);
	if (!dev->enrollment.done) {
		log_warnx("enrollment failed: no answer from the controller in %d s",
			  ENROLL_TIMEOUT_MS / 1000);
		return -ETIMEDOUT;
	}
	if (!dev->enrollment.ok) {
		log_warnx("enrollment failed: %s", dev->enrollment.message);
		return -EACCES;
	}
	if (enroll_accept(dev))
		log_warnx("cannot keep the certificate in %s: the next start enrolls again",
			  dev->cfg.state_dir);
	log_info("enrolled as %s", inet_ntoa(dev->cfg.cert.node_id));
	return 0;
}

static bool needs_enrollment(struct device *dev)
{
	return dev->cfg.enrolling && !dev->cfg.has_cert && !enroll_load_cached(dev);
}

static int start(struct daemon *d)
{
	struct device *dev = d->dev;
	bool enrolling;
	int ret;

	d->signal_fd = setup_signals();
	d->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (d->signal_fd < 0 || d->epoll_fd < 0)
		fatal("signalfd, epoll");
	dev->epoll_fd = d->epoll_fd;
	enrolling = needs_enrollment(dev);
	ret = device_open_network(dev);
	if (ret)
		return ret;
	ret = control_open(&d->control, dev->cfg.control_socket, dev->cfg.control_group);
	if (ret) {
		log_warnx("cannot open control socket %s: %s", dev->cfg.control_socket,
			  strerror(-ret));
		device_down(dev);
		return ret;
	}
	if (watch(d->epoll_fd, dev->udp_fd) || watch(d->epoll_fd, d->signal_fd) ||
	    watch(d->epoll_fd, d->control.listen_fd) ||
	    (dev->stun_fd >= 0 && watch(d->epoll_fd, dev->stun_fd)) ||
	    (dev->tcp_fd >= 0 && watch(d->epoll_fd, dev->tcp_fd)))
		fatal("epoll");
	ret = enrolling ? enroll_first(d) : 0;
	if (ret == 0 && d->running)
		ret = device_open_interface(dev);
	if (ret || !d->running) {
		control_close(&d->control);
		device_down(dev);
		return ret ? ret : -EINTR;
	}
	if (watch(d->epoll_fd, dev->tun_fd))
		fatal("epoll");
	if (enrolling)
		device_present_certificate(dev);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = DEFAULT_CONFIG;
	bool check_only = false, debug = false;
	char err[CONFIG_ERROR_LEN];
	struct daemon d = {0};
	int opt, status = 1;

	while ((opt = getopt(argc, argv, "c:ndh")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			check_only = true;
			break;
		case 'd':
			debug = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	d.dev = calloc(1, sizeof(*d.dev));
	if (!d.dev)
		fatal("calloc");
	if (config_load(&d.dev->cfg, path, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		free(d.dev);
		return 1;
	}
	if (check_only) {
		config_print(&d.dev->cfg, stdout);
		status = 0;
		goto out;
	}
	log_set_level(debug ? LOG_LEVEL_DEBUG : d.dev->cfg.log_level);
	d.running = true;
	if (start(&d))
		goto out;
	log_info("%s up: node %s, network %s, UDP port %u, %zu peers", d.dev->cfg.ifname,
		 inet_ntoa(d.dev->cfg.cert.node_id), d.dev->cfg.network.name, d.dev->listen_port,
		 d.dev->peer_count);
	run(&d, NULL, 0);
	log_info("shutting down");
	control_close(&d.control);
	device_down(d.dev);
	status = 0;
out:
	config_free(&d.dev->cfg);
	free(d.dev);
	return status;
}

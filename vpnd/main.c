/*
 * vpnd: parse the configurations (one per network), bring the hub and the
 * devices up, and run the event loop until SIGTERM. The loop only
 * dispatches: per-packet work lives in send.c and receive.c, protocol
 * timers in timers.c.
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

#include "ctl/control.h"
#include "core/device.h"
#include "members/enroll.h"
#include "core/hub.h"
#include "log.h"
#include "core/receive.h"
#include "core/send.h"
#include "core/timers.h"
#include "core/tun_io.h"

#define DEFAULT_CONFIG "/etc/vpnd/vpnd.conf"

enum { EVENT_BATCH = 32 };

struct daemon {
	struct hub hub;
	struct control controls[HUB_MAX_DEVICES]; /* one per device, same order */
	bool enrolling[HUB_MAX_DEVICES];	  /* devices that enroll first */
	int signal_fd;
	bool running;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: vpnd [-c FILE]... [-n] [-d]\n"
		     "  -c FILE  configuration file (default " DEFAULT_CONFIG ");\n"
		     "           once per network, all on one port\n"
		     "  -n       check the configuration, print it in canonical form, exit\n"
		     "  -d       debug logging\n");
}

static int watch(int epoll_fd, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
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
	if (info.ssi_signo != SIGHUP)
		d->running = false;
	for (size_t i = 0; i < d->hub.device_count && info.ssi_signo == SIGHUP; i++)
		reload(d->hub.devices[i]);
}

static bool is_udp_socket(const struct hub *hub, int fd)
{
	if (fd == hub->udp_fd || fd == hub->stun_fd)
		return true;
	for (size_t i = 0; i < hub->device_count; i++)
		if (birthday_is_socket(hub->devices[i], fd))
			return true;
	return false;
}

/* A device's TUN, or its control socket and clients. */
static bool dispatch_device(struct daemon *d, size_t i, int fd)
{
	struct device *dev = d->hub.devices[i];
	struct control *control = &d->controls[i];

	if (fd == dev->tun_fd) {
		tun_io_read(dev);
	} else if (fd == control->listen_fd) {
		int client = control_accept(control);

		if (client >= 0)
			watch(d->hub.epoll_fd, client);
	} else if (control_has_client(control, fd)) {
		control_serve(control, fd, dev);
	} else {
		return false;
	}
	return true;
}

static void dispatch(struct daemon *d, int fd, uint32_t events)
{
	struct hub *hub = &d->hub;
	struct stream *stream = stream_find(hub, fd);

	if (stream)
		stream_service(hub, stream, events);
	else if (is_udp_socket(hub, fd))
		hub_read_udp(hub, fd);
	else if (fd == hub->tcp_fd)
		stream_accept(hub);
	else if (fd == d->signal_fd)
		handle_signal(d);
	else
		for (size_t i = 0; i < hub->device_count; i++)
			if (dispatch_device(d, i, fd))
				break;
}

static int run_timers(struct hub *hub)
{
	int timeout = -1;

	for (size_t i = 0; i < hub->device_count; i++) {
		int next = timers_run(hub->devices[i], clock_ms());

		if (next >= 0 && (timeout < 0 || next < timeout))
			timeout = next;
	}
	return timeout;
}

/* The event loop: until stopped, or (with until) until it says so or the
 * deadline passes. */
static void run(struct daemon *d, bool (*until)(struct daemon *), uint64_t deadline_ms)
{
	struct epoll_event events[EVENT_BATCH];

	while (d->running && !(until && (until(d) || clock_ms() >= deadline_ms))) {
		int timeout = run_timers(&d->hub);
		int n;

		if (until && (timeout < 0 || timeout > (int)(deadline_ms - clock_ms())))
			timeout = (int)(deadline_ms - clock_ms());
		n = epoll_wait(d->hub.epoll_fd, events, EVENT_BATCH, timeout);

		if (n < 0 && errno != EINTR)
			fatal("epoll_wait");
		for (int i = 0; i < n && d->running; i++)
			dispatch(d, events[i].data.fd, events[i].events);
		for (size_t i = 0; i < d->hub.device_count; i++)
			tun_io_flush(d->hub.devices[i]);
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

static bool needs_enrollment(struct device *dev)
{
	return dev->cfg.enrolling && !dev->cfg.has_cert && !enroll_load_cached(dev);
}

static bool enrollments_answered(struct daemon *d)
{
	bool all = true;

	for (size_t i = 0; i < d->hub.device_count; i++)
		if (d->enrolling[i])
			all = enroll_step(d->hub.devices[i]) && all;
	return all;
}

static int enrollment_result(struct device *dev)
{
	if (!dev->enrollment.done) {
		log_warnx("%s: enrollment failed: no answer from the controller in %d s",
			  dev->cfg.path, ENROLL_TIMEOUT_MS / 1000);
		return -ETIMEDOUT;
	}
	if (!dev->enrollment.ok) {
		log_warnx("%s: enrollment failed: %s", dev->cfg.path, dev->enrollment.message);
		return -EACCES;
	}
	if (enroll_accept(dev))
		log_warnx("cannot keep the certificate in %s: the next start enrolls again",
			  dev->cfg.state_dir);
	log_info("enrolled as %s", inet_ntoa(dev->cfg.cert.node_id));
	return 0;
}

/* Before their interfaces can exist, nodes with a join token need an ID. */
static int enroll_first(struct daemon *d)
{
	bool any = false;
	int ret = 0;

	for (size_t i = 0; i < d->hub.device_count; i++)
		any = any || d->enrolling[i];
	if (!any)
		return 0;
	log_info("enrolling with the controller named in the join token");
	run(d, enrollments_answered, clock_ms() + ENROLL_TIMEOUT_MS);
	for (size_t i = 0; i < d->hub.device_count && ret == 0 && d->running; i++)
		if (d->enrolling[i])
			ret = enrollment_result(d->hub.devices[i]);
	return ret;
}

static int open_networks(struct daemon *d)
{
	struct hub *hub = &d->hub;

	for (size_t i = 0; i < hub->device_count; i++) {
		struct device *dev = hub->devices[i];
		int ret;

		d->enrolling[i] = needs_enrollment(dev);
		ret = device_open_network(dev);
		if (ret == 0)
			ret = control_open(&d->controls[i], dev->cfg.control_socket,
					   dev->cfg.control_group);
		if (ret)
			return ret;
		if (watch(hub->epoll_fd, d->controls[i].listen_fd))
			fatal("epoll");
	}
	return 0;
}

static int open_interfaces(struct daemon *d)
{
	for (size_t i = 0; i < d->hub.device_count; i++) {
		struct device *dev = d->hub.devices[i];
		int ret = device_open_interface(dev);

		if (ret)
			return ret;
		if (watch(d->hub.epoll_fd, dev->tun_fd))
			fatal("epoll");
		if (d->enrolling[i])
			device_present_certificate(dev);
	}
	return 0;
}

static void stop(struct daemon *d)
{
	for (size_t i = 0; i < d->hub.device_count; i++) {
		control_close(&d->controls[i]);
		device_down(d->hub.devices[i]);
	}
	hub_close(&d->hub);
}

static int start(struct daemon *d)
{
	struct hub *hub = &d->hub;
	int ret;

	d->signal_fd = setup_signals();
	hub->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (d->signal_fd < 0 || hub->epoll_fd < 0)
		fatal("signalfd, epoll");
	ret = hub_open(hub, &hub->devices[0]->cfg);
	if (ret)
		return ret;
	if (watch(hub->epoll_fd, hub->udp_fd) || watch(hub->epoll_fd, d->signal_fd) ||
	    (hub->stun_fd >= 0 && watch(hub->epoll_fd, hub->stun_fd)) ||
	    (hub->tcp_fd >= 0 && watch(hub->epoll_fd, hub->tcp_fd)))
		fatal("epoll");
	ret = open_networks(d);
	if (ret == 0)
		ret = enroll_first(d);
	if (ret == 0 && d->running)
		ret = open_interfaces(d);
	if (ret || !d->running) {
		stop(d);
		return ret ? ret : -EINTR;
	}
	return 0;
}

/* Every -c file as one more network; a bad one names itself and stops all. */
static int load_configs(struct daemon *d, char **paths, size_t count)
{
	char err[CONFIG_ERROR_LEN];

	for (size_t i = 0; i < count; i++) {
		struct device *dev = calloc(1, sizeof(*dev));

		if (!dev)
			fatal("calloc");
		dev->tun_fd = -1;
		control_init(&d->controls[i]);
		if (config_load(&dev->cfg, paths[i], err, sizeof(err)) ||
		    hub_add_device(&d->hub, dev, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			config_free(&dev->cfg);
			free(dev);
			return -1;
		}
	}
	return 0;
}

static void free_devices(struct hub *hub)
{
	for (size_t i = 0; i < hub->device_count; i++) {
		config_free(&hub->devices[i]->cfg);
		free(hub->devices[i]);
	}
	hub->device_count = 0;
}

static void log_up(const struct hub *hub)
{
	for (size_t i = 0; i < hub->device_count; i++) {
		const struct device *dev = hub->devices[i];

		log_info("%s up: node %s, network %s, UDP port %u, %zu peers", dev->cfg.ifname,
			 inet_ntoa(dev->cfg.cert.node_id), dev->cfg.network.name, hub->listen_port,
			 dev->peer_count);
	}
}

int main(int argc, char **argv)
{
	char *default_path = DEFAULT_CONFIG, *paths[HUB_MAX_DEVICES];
	size_t path_count = 0;
	bool check_only = false, debug = false;
	struct daemon *d;
	int opt, status = 1;

	while ((opt = getopt(argc, argv, "c:ndh")) != -1) {
		switch (opt) {
		case 'c':
			if (path_count == HUB_MAX_DEVICES) {
				fprintf(stderr, "vpnd: at most %d networks\n", HUB_MAX_DEVICES);
				return 1;
			}
			paths[path_count++] = optarg;
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
	if (!path_count)
		paths[path_count++] = default_path;
	d = calloc(1, sizeof(*d));
	if (!d)
		fatal("calloc");
	if (load_configs(d, paths, path_count))
		goto out;
	if (check_only) {
		for (size_t i = 0; i < d->hub.device_count; i++)
			config_print(&d->hub.devices[i]->cfg, stdout);
		status = 0;
		goto out;
	}
	log_set_level(debug ? LOG_LEVEL_DEBUG : d->hub.devices[0]->cfg.log_level);
	d->running = true;
	if (start(d))
		goto out;
	log_up(&d->hub);
	run(d, NULL, 0);
	log_info("shutting down");
	stop(d);
	status = 0;
out:
	free_devices(&d->hub);
	free(d);
	return status;
}

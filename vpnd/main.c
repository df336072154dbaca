/*
 * vpnd: parse the configurations (one per network), bring the hub and the
 * devices up, and run the event loop (io/loop.h) until SIGTERM. Every
 * module registers its own descriptors and timers; main only watches the
 * signals and, after each round of events, writes what TUN I/O merged.
 * Under systemd (Type=notify) it says when it is ready, reloading and
 * stopping; once set up it keeps only the capabilities it still needs.
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
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/tun_io.h"
#include "ctl/control.h"
#include "log.h"
#include "members/enroll.h"
#include "node_id.h"
#include "privileges.h"
#include "secret_file.h"

#ifndef DEFAULT_CONFIG /* set by the build from its sysconfdir */
#define DEFAULT_CONFIG "/etc/vpnd/vpnd.conf"
#endif

struct daemon {
	struct hub hub;
	struct control controls[HUB_MAX_DEVICES]; /* one per device, same order */
	bool enrolling[HUB_MAX_DEVICES];	  /* devices that enroll first */
	struct watch signals;
	bool running;
	bool ready; /* READY=1 sent: reloads are announced from then on */
};

static void usage(FILE *out)
{
	fprintf(out, "usage: vpnd [-c FILE]... [-n [-q | --show-secrets]] [-d] [--version]\n"
		     "  -c FILE         configuration file (default " DEFAULT_CONFIG ");\n"
		     "                  once per network, all on one port\n"
		     "  -n              check the configuration, print it in canonical form\n"
		     "                  (keys, secret and token hidden), exit\n"
		     "  -q              with -n: print nothing, only what is wrong\n"
		     "  --show-secrets  with -n: print them too\n"
		     "  -d              debug logging\n"
		     "  --version       print the version, exit\n");
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

static void handle_signal(struct watch *watch, uint32_t events)
{
	struct daemon *d = container_of(watch, struct daemon, signals);
	struct signalfd_siginfo info;

	if (read(watch->fd, &info, sizeof(info)) != sizeof(info))
		return;
	if (info.ssi_signo != SIGHUP) {
		d->running = false;
		return;
	}
	if (d->ready)
		sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)clock_us());
	for (size_t i = 0; i < d->hub.device_count; i++)
		reload(d->hub.devices[i]);
	if (d->ready)
		sd_notify(0, "READY=1");
}

/* The event loop: until stopped, or (with until) until it says so or the
 * deadline passes. */
static void run(struct daemon *d, bool (*until)(struct daemon *), uint64_t deadline_ms)
{
	while (d->running && !(until && (until(d) || clock_ms() >= deadline_ms))) {
		uint64_t now = clock_ms();

		loop_once(&d->hub.loop, until ? (int)(deadline_ms - now) : -1, now);
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
	if (!dev->enrollment->done) {
		log_warnx("%s: enrollment failed: no answer from the controller in %d s",
			  dev->cfg.path, ENROLL_TIMEOUT_MS / 1000);
		return -ETIMEDOUT;
	}
	if (!dev->enrollment->ok) {
		log_warnx("%s: enrollment failed: %s", dev->cfg.path, dev->enrollment->message);
		return -EACCES;
	}
	if (enroll_accept(dev))
		log_warnx("cannot keep the certificate in %s: the next start enrolls again",
			  dev->cfg.state_dir);
	log_info("enrolled as %s", NODE_ID(dev->cfg.cert.node_id));
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
					   dev->cfg.control_group, &hub->loop, dev);
		if (ret)
			return ret;
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
	loop_unwatch(&d->hub.loop, &d->signals);
	close(d->signals.fd);
	hub_close(&d->hub);
}

/* What a compromised daemon could still do once set up: CAP_NET_ADMIN for
 * routes, addresses and MTUs it changes later, and binding its own port
 * again for direct TCP if that port is privileged. */
static int drop_privileges(const struct hub *hub)
{
	cap_value_t keep[] = {CAP_NET_ADMIN, CAP_NET_BIND_SERVICE};
	size_t count = hub->listen_port < 1024 ? 2 : 1;
	int ret = privileges_keep_only(keep, count);

	if (ret)
		log_warnx("cannot give up capabilities after setup: %s", strerror(-ret));
	return ret;
}

static int start(struct daemon *d)
{
	struct hub *hub = &d->hub;
	int signal_fd = setup_signals();
	int ret;

	if (signal_fd < 0 || hub_init(hub) ||
	    loop_watch(&hub->loop, &d->signals, signal_fd, EPOLLIN, handle_signal))
		fatal("signalfd, epoll");
	ret = hub_open(hub, &hub->devices[0]->cfg);
	if (ret)
		return ret;
	ret = open_networks(d);
	if (ret == 0)
		ret = enroll_first(d);
	if (ret == 0 && d->running)
		ret = open_interfaces(d);
	if (ret == 0 && d->running)
		ret = drop_privileges(hub);
	if (ret || !d->running) {
		stop(d);
		return ret ? ret : -EINTR;
	}
	return 0;
}

/* Every -c file as one more network; a bad one names itself and stops all. */
/* A file holding secrets that group or others may read: said loudly (wg-quick
 * does the same), not refused, as configurations written before
 * private_key_file and secret_file existed hold their secrets inline. */
static void warn_if_exposed(const char *path, const char *holding)
{
	unsigned int mode;

	if (secret_file_exposed(path, &mode))
		log_warnx("%s holds %s, but group or others may read it (mode %04o): chmod 600 it",
			  path, holding, mode);
}

static void warn_exposed_secrets(const struct config *cfg)
{
	if (!cfg->private_key_file[0])
		warn_if_exposed(cfg->path, "the node's private key");
	else if (cfg->enrolling || !cfg->network.secret_file[0])
		warn_if_exposed(cfg->path, cfg->enrolling ? "a join token" : "the network secret");
	if (cfg->network_file[0])
		warn_if_exposed(cfg->network_file, "the network's signing key");
}

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
			log_problem("%s", err);
			config_free(&dev->cfg);
			free(dev);
			return -1;
		}
		warn_exposed_secrets(&dev->cfg);
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
			 NODE_ID(dev->cfg.cert.node_id), dev->cfg.network.name, hub->listen_port,
			 dev->peer_count);
	}
}

int main(int argc, char **argv)
{
	char *default_path = DEFAULT_CONFIG, *paths[HUB_MAX_DEVICES];
	size_t path_count = 0;
	bool check_only = false, debug = false, show_secrets = false, quiet = false;
	static const struct option options[] = {
	    {"show-secrets", no_argument, NULL, 'S'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct daemon *d;
	int opt, status = 1;

	log_init();
	while ((opt = getopt_long(argc, argv, "c:ndqh", options, NULL)) != -1) {
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
		case 'S':
			show_secrets = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'V':
			printf("vpnd %s\n", VPND_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc || (quiet && !check_only) || (show_secrets && !check_only)) {
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
		for (size_t i = 0; i < d->hub.device_count && !quiet; i++)
			config_print(&d->hub.devices[i]->cfg, stdout,
				     show_secrets ? CONFIG_PRINT_SECRETS : 0);
		status = 0;
		goto out;
	}
	log_set_level(debug ? LOG_LEVEL_DEBUG : d->hub.devices[0]->cfg.log_level);
	d->running = true;
	if (start(d))
		goto out;
	log_up(&d->hub);
	sd_notify(0, "READY=1");
	d->ready = true;
	run(d, NULL, 0);
	log_info("shutting down");
	sd_notify(0, "STOPPING=1");
	stop(d);
	status = 0;
out:
	free_devices(&d->hub);
	free(d);
	return status;
}

/* Port mapping (see portmap.h): the thread that asks, and the loop's side. */
#include "nat/portmap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"
#include "log.h"
#include "nat/gateway.h"
#include "nat/netcheck.h"
#include "netlink.h"
#include "privileges.h"

/* --- The thread: asks, renews, deletes. Touches only what is under lock. */

static void append_why(struct portmap_status *status, const char *why)
{
	size_t used = strlen(status->why);

	snprintf(status->why + used, sizeof(status->why) - used, "%s%s", used ? "; " : "", why);
}

/* The protocol holding the mapping goes first (a renewal), then the
 * configured order. */
static bool try_protocol(const struct gateway_request *request, struct gateway_mapping *mapping,
			 enum portmap_protocol protocol, struct portmap_status *status)
{
	char why[PORTMAP_WHY_LEN];

	if (gateway_map(protocol, request, mapping, why, sizeof(why)) < 0) {
		append_why(status, why);
		return false;
	}
	status->mapped = true;
	status->protocol = protocol;
	status->external = mapping->external;
	status->lifetime_s = mapping->lifetime_s;
	status->granted_ms = clock_ms();
	return true;
}

/* Asked to stop: no more protocols tried (each can take seconds). */
static bool stopping(struct portmap *pm)
{
	bool stop;

	pthread_mutex_lock(&pm->lock);
	stop = pm->stop;
	pthread_mutex_unlock(&pm->lock);
	return stop;
}

/* A renewal that failed while the grant lasts: the mapping is kept (and
 * offered), and renewed again soon. */
static bool still_granted(const struct portmap_status *status)
{
	return status->mapped && clock_ms() < status->granted_ms + status->lifetime_s * 1000ULL;
}

static void attempt(struct portmap *pm, struct gateway_request *request,
		    struct gateway_mapping *mapping, struct portmap_status *status)
{
	struct gateway_request now;
	struct gateway_mapping renewal;
	struct in_addr gateway;
	int ret;

	status->attempted = true;
	status->renewal_failed = false;
	status->why[0] = '\0';
	ret = netlink_default_gateway(&gateway);
	if (!ret)
		ret = gateway_request_init(&now, gateway, pm->port);
	if (ret < 0) {
		snprintf(status->why, sizeof(status->why), "no gateway (%s)", strerror(-ret));
		status->mapped = false;
		*mapping = (struct gateway_mapping){0};
		return;
	}
	/* Another gateway, or another address of ours (a move): start over. */
	if (now.gateway.s_addr != request->gateway.s_addr ||
	    now.internal.s_addr != request->internal.s_addr) {
		*mapping = (struct gateway_mapping){0};
		status->mapped = false;
	}
	*request = now;
	status->gateway = gateway;
	renewal = *mapping;
	if (mapping->lifetime_s && try_protocol(request, &renewal, mapping->protocol, status)) {
		*mapping = renewal;
		status->renewals++;
		return;
	}
	if (mapping->lifetime_s && still_granted(status)) {
		status->renewal_failed = true; /* the same nonce and port next time */
		return;
	}
	status->mapped = false;
	for (size_t i = 0; i < pm->protocol_count && !stopping(pm); i++)
		if (try_protocol(request, mapping, pm->protocols[i], status))
			return;
}

static void wait_until(struct portmap *pm, uint64_t deadline_ms)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	uint64_t now = clock_ms(), wait = deadline_ms > now ? deadline_ms - now : 0;

	until.tv_sec += (time_t)(wait / 1000);
	until.tv_nsec += (long)(wait % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&pm->wake, &pm->lock, &until);
}

/* Renewed at half the lifetime (a quarter of what is left after a failed
 * renewal), between PORTMAP_MIN_RENEW_S and PORTMAP_MAX_RENEW_S. */
static uint64_t next_attempt_ms(const struct portmap_status *status)
{
	uint64_t now = clock_ms(), end = status->granted_ms + status->lifetime_s * 1000ULL;
	uint64_t renew_s = status->lifetime_s / 2;

	if (!status->mapped)
		return now + PORTMAP_RETRY_S * 1000ULL;
	if (status->renewal_failed && end > now)
		renew_s = (end - now) / 4000;
	if (renew_s < PORTMAP_MIN_RENEW_S)
		renew_s = PORTMAP_MIN_RENEW_S;
	if (renew_s > PORTMAP_MAX_RENEW_S)
		renew_s = PORTMAP_MAX_RENEW_S;
	return now + renew_s * 1000ULL;
}

static void *serve(void *arg)
{
	struct portmap *pm = arg;
	struct gateway_request request = {0};
	struct gateway_mapping mapping = {0};

	(void)privileges_drop_all(); /* UDP and HTTP to the gateway need none */
	struct portmap_status status = {0};
	uint64_t next_ms = 0;

	pthread_mutex_lock(&pm->lock);
	while (!pm->stop) {
		if (!pm->again && clock_ms() < next_ms) {
			wait_until(pm, next_ms);
			continue;
		}
		pm->again = false;
		pthread_mutex_unlock(&pm->lock);
		attempt(pm, &request, &mapping, &status);
		pthread_mutex_lock(&pm->lock);
		pm->shared = status;
		next_ms = next_attempt_ms(&status);
		if (eventfd_write(pm->news_fd, 1) < 0)
			break;
	}
	pthread_mutex_unlock(&pm->lock);
	if (mapping.lifetime_s)
		gateway_unmap(&request, &mapping);
	return NULL;
}

/* --- The loop's side. */

/* The endpoint to offer peers: the gateway's, or (a gateway that gave a
 * port but not its address: one behind a reserved address says none) the
 * port at the address STUN servers see us at. */
static bool offered_endpoint(const struct portmap *pm, union endpoint *out)
{
	const struct portmap_status *status = &pm->status;
	struct in_addr address;

	memset(out, 0, sizeof(*out));
	if (!status->mapped)
		return true;
	if (status->external.sa.sa_family == AF_INET) {
		*out = status->external;
		return true;
	}
	if (!netcheck_public_address(pm->dev, &address))
		return false;
	out->in = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr = address,
				       .sin_port = status->external.in.sin_port};
	return true;
}

/* The hub's mapping (its port is every network's): the first device's. */
static struct portmap *owner_of(const struct device *dev)
{
	const struct hub *hub = dev->hub;

	for (size_t i = 0; i < hub->device_count; i++)
		if (hub->devices[i]->portmap)
			return hub->devices[i]->portmap;
	return NULL;
}

static void offer(struct portmap *pm)
{
	struct hub *hub = pm->dev->hub;
	char text[ENDPOINT_STRLEN];
	union endpoint endpoint;

	if (!offered_endpoint(pm, &endpoint)) {
		if (pm->fill_tries++ < PORTMAP_FILL_TRIES)
			timer_arm(&pm->fill, clock_ms() + PORTMAP_FILL_MS);
		return;
	}
	if (endpoint_equal(&endpoint, &pm->dev->mapped_candidate) ||
	    (!endpoint.sa.sa_family && !pm->dev->mapped_candidate.sa.sa_family))
		return;
	endpoint_format(&endpoint, text, sizeof(text));
	if (endpoint.sa.sa_family)
		log_info("port mapping: %s gives us %s for %u s",
			 portmap_protocol_name(pm->status.protocol), text, pm->status.lifetime_s);
	else
		log_info("port mapping: lost");
	for (size_t i = 0; i < hub->device_count; i++) {
		hub->devices[i]->mapped_candidate = endpoint;
		events_candidates_changed(hub->devices[i]);
	}
}

static void fill(struct timer *timer)
{
	offer(container_of(timer, struct portmap, fill));
}

static void heard(struct watch *watch, uint32_t events)
{
	struct portmap *pm = container_of(watch, struct portmap, news);
	eventfd_t count;
	bool was_attempted = pm->status.attempted;

	(void)events;
	if (eventfd_read(pm->news_fd, &count) < 0)
		return;
	pthread_mutex_lock(&pm->lock);
	pm->status = pm->shared;
	pthread_mutex_unlock(&pm->lock);
	if (!pm->status.mapped && !was_attempted)
		log_info("port mapping: none (%s)", pm->status.why);
	pm->fill_tries = 0;
	timer_cancel(&pm->fill);
	offer(pm);
}

static int start_thread(struct portmap *pm)
{
	pthread_condattr_t attr;
	int ret;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	ret = pthread_cond_init(&pm->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (ret)
		return -ret;
	pthread_mutex_init(&pm->lock, NULL);
	ret = pthread_create(&pm->thread, NULL, serve, pm);
	if (ret) {
		pthread_cond_destroy(&pm->wake);
		pthread_mutex_destroy(&pm->lock);
		return -ret;
	}
	pm->thread_started = true;
	return 0;
}

int portmap_device_init(struct device *dev)
{
	const struct config *cfg = &dev->cfg;
	struct portmap *pm;
	int ret;

	if (!cfg->portmap_enabled || owner_of(dev))
		return 0;
	pm = calloc(1, sizeof(*pm));
	if (!pm)
		return -ENOMEM;
	pm->dev = dev;
	pm->port = dev->hub->listen_port;
	memcpy(pm->protocols, cfg->portmap_protocols, sizeof(pm->protocols));
	pm->protocol_count = cfg->portmap_protocol_count;
	pm->news.fd = -1;
	timer_init(&pm->fill, &dev->hub->loop, fill);
	pm->news_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	dev->portmap = pm;
	if (pm->news_fd < 0)
		ret = -errno;
	else
		ret = loop_watch(&dev->hub->loop, &pm->news, pm->news_fd, EPOLLIN, heard);
	if (ret)
		pm->news.fd = -1;
	else
		ret = start_thread(pm);
	if (ret < 0) {
		log_warnx("port mapping: cannot start (%s): peers get no mapped port", strerror(-ret));
		portmap_device_free(dev);
	}
	return 0;
}

/* Asks the thread to delete the mapping and end; false when it did not
 * within PORTMAP_STOP_WAIT_S (a gateway that stalls its answers): it is
 * left running, with what it uses. */
static bool stop_thread(struct portmap *pm)
{
	struct timespec until;

	pthread_mutex_lock(&pm->lock);
	pm->stop = true;
	pthread_cond_signal(&pm->wake);
	pthread_mutex_unlock(&pm->lock);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PORTMAP_STOP_WAIT_S;
	if (pthread_timedjoin_np(pm->thread, NULL, &until)) {
		pthread_detach(pm->thread);
		log_warnx("port mapping: the gateway did not answer within %d s; the mapping "
			  "is left to expire", PORTMAP_STOP_WAIT_S);
		return false;
	}
	pthread_cond_destroy(&pm->wake);
	pthread_mutex_destroy(&pm->lock);
	return true;
}

void portmap_device_free(struct device *dev)
{
	struct portmap *pm = dev->portmap;
	bool stopped;

	if (!pm)
		return;
	stopped = !pm->thread_started || stop_thread(pm);
	timer_cancel(&pm->fill);
	if (pm->news.fd >= 0)
		loop_unwatch(&dev->hub->loop, &pm->news);
	dev->portmap = NULL;
	if (!stopped) /* the thread still writes news, and reads pm */
		return;
	if (pm->news_fd >= 0)
		close(pm->news_fd);
	free(pm);
}

void portmap_network_changed(struct device *dev)
{
	struct portmap *pm = owner_of(dev);

	if (!pm)
		return;
	pthread_mutex_lock(&pm->lock);
	pm->again = true;
	pthread_cond_signal(&pm->wake);
	pthread_mutex_unlock(&pm->lock);
}

void portmap_report(const struct device *dev, json_object *reply)
{
	const struct portmap *pm = owner_of(dev);
	json_object *out = json_object_new_object();
	char text[ENDPOINT_STRLEN];

	json_object_object_add(reply, "portmap", out);
	json_object_object_add(out, "enabled", json_object_new_boolean(pm != NULL));
	if (!pm || !pm->status.attempted)
		return;
	json_object_object_add(out, "mapped", json_object_new_boolean(pm->status.mapped));
	if (!pm->status.mapped) {
		json_object_object_add(out, "why", json_object_new_string(pm->status.why));
		return;
	}
	json_object_object_add(out, "protocol",
			       json_object_new_string(portmap_protocol_name(pm->status.protocol)));
	endpoint_format(dev->mapped_candidate.sa.sa_family ? &dev->mapped_candidate
							    : &pm->status.external,
			text, sizeof(text));
	json_object_object_add(out, "external", json_object_new_string(text));
	inet_ntop(AF_INET, &pm->status.gateway, text, sizeof(text));
	json_object_object_add(out, "gateway", json_object_new_string(text));
	json_object_object_add(out, "lifetime", json_object_new_int64(pm->status.lifetime_s));
	json_object_object_add(out, "renewals", json_object_new_int64(pm->status.renewals));
}

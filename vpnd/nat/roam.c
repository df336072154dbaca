/* Roaming (see roam.h). */
#include "nat/roam.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/hub.h"
#include "log.h"
#include "netlink.h"

static void heard(struct watch *watch, uint32_t events)
{
	struct roam *roam = container_of(watch, struct roam, watch);
	int changes = netlink_monitor_read(roam->monitor, roam->dev->ifindex);

	if (changes < 0)
		log_warnx("roaming: reading address notifications failed: %s", strerror(-changes));
	else if (changes > 0)
		timer_arm(&roam->settle, clock_ms() + ROAM_SETTLE_MS);
}

/* Takes the machine's global addresses now; whether they changed. */
static bool addresses_changed(struct roam *roam)
{
	union endpoint now[ROAM_MAX_ADDRESSES];
	int count = netlink_local_addresses(now, ROAM_MAX_ADDRESSES, roam->dev->ifindex, 0);
	bool changed;

	if (count < 0)
		return true;
	changed = count != roam->address_count ||
		  memcmp(now, roam->addresses, (size_t)count * sizeof(now[0])) != 0;
	memcpy(roam->addresses, now, (size_t)count * sizeof(now[0]));
	roam->address_count = count;
	return changed;
}

static void settled(struct timer *timer)
{
	struct roam *roam = container_of(timer, struct roam, settle);

	if (!addresses_changed(roam))
		return;
	log_info("the network changed: finding the paths anew");
	events_network_changed(roam->dev);
}

int roam_device_init(struct device *dev)
{
	struct roam *roam = calloc(1, sizeof(*roam));

	if (!roam)
		return -ENOMEM;
	roam->dev = dev;
	roam->watch.fd = -1;
	timer_init(&roam->settle, &dev->hub->loop, settled);
	dev->roam = roam;
	addresses_changed(roam);
	roam->monitor = netlink_monitor_open();
	if (!roam->monitor ||
	    loop_watch(&dev->hub->loop, &roam->watch, netlink_monitor_fd(roam->monitor), EPOLLIN,
		       heard)) {
		log_warnx("roaming: cannot hear of address changes: a move goes unnoticed");
		netlink_monitor_close(roam->monitor);
		roam->monitor = NULL;
	}
	return 0;
}

void roam_device_free(struct device *dev)
{
	struct roam *roam = dev->roam;

	if (!roam)
		return;
	timer_cancel(&roam->settle);
	if (roam->monitor) {
		loop_unwatch(&dev->hub->loop, &roam->watch);
		netlink_monitor_close(roam->monitor);
	}
	free(roam);
	dev->roam = NULL;
}

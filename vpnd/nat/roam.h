/*
 * Roaming: the machine's own network changing under the daemon (a laptop
 * moving from one Wi-Fi to another, or to LTE). The kernel's address
 * notifications (rtnetlink, libmnl) for any interface but our TUN start a
 * timer; once ROAM_SETTLE_MS pass without more (a move comes as a burst),
 * and if the machine's global addresses are not those it had (link-local
 * ones come and go on their own), events_network_changed: the NAT is checked again, candidates gathered
 * and registered anew, direct paths (made through the old address's NAT
 * mappings) given up and punched again. Peers follow us from our
 * authenticated packets, as they always do.
 *
 * Timer: roam->settle, ROAM_SETTLE_MS after the last notification.
 */
#ifndef VPND_ROAM_H
#define VPND_ROAM_H

#include "addr.h"
#include "io/loop.h"

struct device;
struct mnl_socket;

enum { ROAM_SETTLE_MS = 100, ROAM_MAX_ADDRESSES = 32 };

struct roam {
	struct device *dev;
	struct mnl_socket *monitor;
	struct watch watch;
	struct timer settle;
	union endpoint addresses[ROAM_MAX_ADDRESSES]; /* as last seen */
	int address_count;
};

/* Without a netlink socket (no permission, say) the node runs, unaware. */
int roam_device_init(struct device *dev);
void roam_device_free(struct device *dev);

#endif

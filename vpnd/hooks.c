/*
 * Who reacts to which event (core/events.h). The only file that knows every
 * feature: nat/ (netcheck, punching, birthday), route/ (measure, select,
 * links) and members/ (rendezvous, directory, enrollment, peer cache).
 * A new feature adds its reactions here; core and the other features are
 * not touched.
 */
#include <errno.h>

#include "clock.h"
#include "core/device.h"
#include "core/events.h"
#include "core/path.h"
#include "core/peer.h"
#include "members/beacon.h"
#include "members/directory.h"
#include "members/enroll.h"
#include "members/names.h"
#include "members/peer_cache.h"
#include "members/rendezvous.h"
#include "nat/birthday.h"
#include "nat/netcheck.h"
#include "nat/portmap.h"
#include "nat/punch.h"
#include "nat/roam.h"
#include "route/links.h"
#include "route/measure.h"
#include "route/pmtu.h"
#include "route/select.h"
#include "route/verify.h"

int events_device_opened(struct device *dev)
{
	int ret = netcheck_device_init(dev);

	if (!ret)
		ret = birthday_device_init(dev);
	if (!ret)
		ret = enroll_device_init(dev);
	if (!ret)
		ret = rendezvous_device_init(dev);
	if (!ret)
		ret = select_device_init(dev);
	if (!ret)
		ret = links_device_init(dev);
	if (!ret)
		ret = verify_device_init(dev);
	if (!ret)
		ret = roam_device_init(dev);
	if (!ret)
		ret = beacon_device_init(dev);
	if (!ret)
		ret = portmap_device_init(dev);
	return ret;
}

void events_device_closed(struct device *dev)
{
	portmap_device_free(dev);
	beacon_device_free(dev);
	roam_device_free(dev);
	verify_device_free(dev);
	links_device_free(dev);
	select_device_free(dev);
	rendezvous_device_free(dev);
	enroll_device_free(dev);
	birthday_device_free(dev);
	netcheck_device_free(dev);
}

int events_peer_created(struct peer *peer)
{
	int ret = punch_peer_init(peer);

	if (!ret)
		ret = birthday_peer_init(peer);
	if (!ret)
		ret = measure_peer_init(peer);
	if (!ret)
		ret = pmtu_peer_init(peer);
	if (!ret)
		ret = select_peer_init(peer);
	if (!ret)
		ret = directory_peer_init(peer);
	if (!ret)
		ret = verify_peer_init(peer);
	if (!ret)
		ret = rendezvous_peer_init(peer);
	if (!ret)
		ret = names_peer_init(peer);
	return ret;
}

void events_peer_removed(struct peer *peer)
{
	names_peer_free(peer);
	rendezvous_peer_free(peer);
	verify_peer_free(peer);
	directory_peer_free(peer);
	links_peer_free(peer);
	select_peer_free(peer);
	pmtu_peer_free(peer);
	measure_peer_free(peer);
	birthday_peer_free(peer);
	punch_peer_free(peer);
}

void events_interface_up(struct device *dev)
{
	peer_cache_load(dev);
	netcheck_schedule_first(dev);
	beacon_start(dev);
}

void events_interface_down(struct device *dev)
{
	peer_cache_save(dev);
}

struct peer *events_unknown_initiator(struct device *dev, const uint8_t *key)
{
	return rendezvous_accept_unknown(dev, key);
}

bool events_node_id_claimed(struct peer *peer, const struct cert *cert)
{
	if (!rendezvous_claim_node_id(peer, cert))
		return false;
	enroll_note_certificate(peer->dev, cert);
	return true;
}

void events_certificate_acked(struct peer *peer)
{
	if (peer->config.rendezvous)
		directory_register(peer);
}

void events_session_started(struct peer *peer)
{
	/* Not at every rekey: only when a new round of punching starts. */
	if (punch_start(peer))
		birthday_start(peer);
}

void events_traffic(struct peer *peer, size_t bytes, bool sent)
{
	uint64_t now = clock_ms();

	measure_traffic(peer, now, bytes);
	if (sent)
		pmtu_sent(peer, bytes, now);
}

void events_direct_data(struct peer *peer)
{
	measure_data_heard(peer, clock_us());
}

void events_direct_received(struct peer *peer)
{
	measure_start(peer);
	pmtu_start(peer);
}

void events_direct_up(struct peer *peer)
{
	measure_forget_path(peer);
	punch_stop(peer);
	peer_cache_save(peer->dev);
}

void events_direct_lost(struct peer *peer)
{
	pmtu_forget(peer);
	punch_restart(peer);
	events_session_started(peer);
}

void events_udp_answers_again(struct peer *peer)
{
	/* Registering now tells the other members where our UDP comes from. */
	directory_register_soon(peer);
}

void events_peer_located(struct peer *peer, bool moved)
{
	/* Somewhere new to punch to: no need to wait out a backoff. */
	if (moved && !peer->path.direct_up)
		punch_restart(peer);
	if (peer->current.valid) {
		punch_start(peer);
		birthday_start(peer); /* the NAT type may be news */
	}
}

/* Direct paths went through the old address's NAT mappings: given up (the
 * relay carries on) and punched again; the rendezvous hears where we are
 * now, and introduces us there; the NAT is checked again, and the gateway
 * asked for a port again. */
void events_network_changed(struct device *dev)
{
	for (size_t i = 0; i < dev->peer_count; i++) {
		struct peer *peer = dev->peers[i];

		if (peer->dynamic)
			path_direct_lost(peer);
		if (peer->config.rendezvous && peer->certificate_acked)
			directory_register(peer);
	}
	netcheck_start(dev);
	portmap_network_changed(dev);
}

void events_candidates_changed(struct device *dev)
{
	for (size_t i = 0; i < dev->peer_count; i++) {
		struct peer *peer = dev->peers[i];

		if (peer->config.rendezvous && peer->certificate_acked)
			directory_register(peer);
	}
}

void events_nat_type_learned(struct device *dev)
{
	for (size_t i = 0; i < dev->peer_count; i++) {
		struct peer *peer = dev->peers[i];

		if (peer->config.rendezvous && peer->certificate_acked)
			directory_register(peer);
		else if (peer->dynamic)
			birthday_start(peer);
	}
}

void events_stun_received(struct device *dev, int fd, const uint8_t *buf, size_t len,
			  const union endpoint *src)
{
	netcheck_receive(dev, fd, buf, len, src);
}

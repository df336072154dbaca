/*
 * The birthday method. With n mappings open on the symmetric side and k
 * probes to random ports (of ~64,500) from the cone side, a probe lands on
 * a mapping with probability 1 - (1 - n/64512)^k: 256 sockets and 2048
 * probes give about 99.97%. Whichever probe lands is answered like any
 * probe; the socket it landed on becomes the symmetric side's direct path.
 */
#include "nat/birthday.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "core/device.h"
#include "core/peer.h"
#include "core/probe.h"
#include "log.h"
#include "node_id.h"

enum { FIRST_PORT = 1024, PORT_RANGE = 65536 - FIRST_PORT };

static void close_slot(struct birthday_sockets *sockets, size_t i)
{
	struct birthday_socket *slot = sockets->slots[i];

	hub_unwatch_udp(&slot->socket);
	close(slot->socket.watch.fd);
	free(slot);
	sockets->slots[i] = sockets->slots[--sockets->count];
}

static bool in_use(const struct birthday_socket *slot)
{
	return slot->peer->path.direct_up && slot->peer->path.fd == slot->socket.watch.fd;
}

static void sweep(struct timer *timer)
{
	struct birthday_sockets *sockets = container_of(timer, struct birthday_sockets, sweep);
	uint64_t now = clock_ms();

	for (size_t i = sockets->count; i-- > 0;) {
		if (in_use(sockets->slots[i]))
			sockets->slots[i]->expires_ms = now + BIRTHDAY_SOCKET_LIFETIME_MS;
		else if (now >= sockets->slots[i]->expires_ms)
			close_slot(sockets, i);
	}
	timer_arm(timer, now + BIRTHDAY_SWEEP_MS);
}

int birthday_device_init(struct device *dev)
{
	dev->birthday = calloc(1, sizeof(*dev->birthday));
	if (!dev->birthday)
		return -ENOMEM;
	timer_init(&dev->birthday->sweep, &dev->hub->loop, sweep);
	timer_arm(&dev->birthday->sweep, clock_ms() + BIRTHDAY_SWEEP_MS);
	return 0;
}

void birthday_device_free(struct device *dev)
{
	if (!dev->birthday)
		return;
	while (dev->birthday->count)
		close_slot(dev->birthday, dev->birthday->count - 1);
	timer_cancel(&dev->birthday->sweep);
	free(dev->birthday);
	dev->birthday = NULL;
}

static void spray(struct timer *timer);
static void open_mappings(struct timer *timer);

int birthday_peer_init(struct peer *peer)
{
	peer->spray = calloc(1, sizeof(*peer->spray));
	if (!peer->spray)
		return -ENOMEM;
	peer->spray->peer = peer;
	timer_init(&peer->spray->tick, &peer->dev->hub->loop, spray);
	timer_init(&peer->spray->open_mappings, &peer->dev->hub->loop, open_mappings);
	return 0;
}

void birthday_peer_free(struct peer *peer)
{
	struct birthday_sockets *sockets = peer->dev->birthday;

	for (size_t i = sockets ? sockets->count : 0; i-- > 0;)
		if (sockets->slots[i]->peer == peer)
			close_slot(sockets, i);
	if (!peer->spray)
		return;
	timer_cancel(&peer->spray->tick);
	timer_cancel(&peer->spray->open_mappings);
	free(peer->spray);
	peer->spray = NULL;
}

static struct birthday_socket *open_slot(struct device *dev, struct peer *peer)
{
	struct birthday_socket *slot = calloc(1, sizeof(*slot));
	int fd = socket(dev->hub->udp_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		hub_set_dont_fragment(fd);
	if (!slot || fd < 0 || hub_watch_udp(dev->hub, &slot->socket, fd)) {
		if (fd >= 0)
			close(fd);
		free(slot);
		return NULL;
	}
	slot->peer = peer;
	slot->expires_ms = clock_ms() + BIRTHDAY_SOCKET_LIFETIME_MS;
	return slot;
}

/* The symmetric side, once the cone side's spray is over: many sockets,
 * each probing the cone side once, a batch per tick (opening them all at
 * once stalls the loop for milliseconds just as the first land, and the
 * new direct path's first RTT samples would carry the stall). */
static void open_mappings(struct timer *timer)
{
	struct birthday_spray *spray = container_of(timer, struct birthday_spray, open_mappings);
	struct peer *peer = spray->peer;
	struct device *dev = peer->dev;
	struct birthday_sockets *sockets = dev->birthday;

	if (spray->sockets_left == dev->cfg.punch_sockets)
		log_info("peer %s: symmetric NAT here, probing from %u extra sockets",
			 NODE_ID(peer->config.node_id), spray->sockets_left);
	for (unsigned int batch = BIRTHDAY_SOCKETS_PER_TICK; batch && spray->sockets_left; batch--) {
		struct birthday_socket *slot;

		if (peer->path.direct_up || !peer->current.valid ||
		    sockets->count == BIRTHDAY_MAX_SOCKETS || !(slot = open_slot(dev, peer))) {
			spray->sockets_left = 0;
			break;
		}
		sockets->slots[sockets->count++] = slot;
		probe_send_untimed(peer, slot->socket.watch.fd, &peer->location.reflexive);
		spray->sockets_left--;
	}
	if (spray->sockets_left)
		timer_arm(timer, clock_ms() + BIRTHDAY_TICK_MS);
}

/* How long the cone side's spray takes (the same punch settings on both
 * sides: they are the network's defaults unless changed everywhere). */
static uint64_t spray_duration_ms(const struct device *dev)
{
	return dev->cfg.punch_probes * 1000ULL / dev->cfg.punch_rate + BIRTHDAY_SLACK_MS;
}

void birthday_start(struct peer *peer)
{
	struct device *dev = peer->dev;
	bool we_symmetric = dev->nat_type == NAT_SYMMETRIC;
	bool they_symmetric = peer->location.nat == NAT_SYMMETRIC;

	if (we_symmetric == they_symmetric || dev->nat_type == NAT_UNKNOWN ||
	    peer->location.nat == NAT_UNKNOWN || !peer->location.reflexive.sa.sa_family ||
	    peer->path.direct_up || !peer->current.valid || peer->spray->left ||
	    timer_armed(&peer->spray->open_mappings) ||
	    !budget_take(&peer->spray->attempts, BIRTHDAY_ATTEMPTS_PER_MINUTE, 60000, clock_ms()))
		return;
	if (we_symmetric) {
		peer->spray->sockets_left = dev->cfg.punch_sockets;
		timer_arm(&peer->spray->open_mappings, clock_ms() + spray_duration_ms(dev));
		return;
	}
	peer->spray->left = dev->cfg.punch_probes;
	timer_arm(&peer->spray->tick, clock_ms());
	log_info("peer %s is behind a symmetric NAT: %u probes to guessed ports",
		 NODE_ID(peer->config.node_id), peer->spray->left);
}

/* The cone side: the next paced batch of probes to guessed ports. */
static void spray(struct timer *timer)
{
	struct birthday_spray *spray = container_of(timer, struct birthday_spray, tick);
	struct peer *peer = spray->peer;
	unsigned int batch = peer->dev->cfg.punch_rate * BIRTHDAY_TICK_MS / 1000;
	union endpoint guess = peer->location.reflexive;

	if (peer->path.direct_up || !peer->current.valid)
		spray->left = 0;
	for (batch = batch ? batch : 1; batch && spray->left; batch--) {
		uint32_t r = 0;

		crypto_random(&r, sizeof(r));
		guess.in.sin_port = htons((uint16_t)(FIRST_PORT + r % PORT_RANGE));
		probe_send_untimed(peer, -1, &guess);
		spray->left--;
		spray->sent++;
	}
	if (spray->left)
		timer_arm(timer, clock_ms() + BIRTHDAY_TICK_MS);
}

/*
 * The birthday method. With n mappings open on the symmetric side and k
 * probes to random ports (of ~64,500) from the cone side, a probe lands on
 * a mapping with probability 1 - (1 - n/64512)^k: 256 sockets and 2048
 * probes give about 99.97%. Whichever probe lands is answered like any
 * probe; the socket it landed on becomes the symmetric side's direct path.
 */
#include "nat/birthday.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/device.h"
#include "log.h"
#include "core/send.h"
#include "wire.h"

enum { FIRST_PORT = 1024, PORT_RANGE = 65536 - FIRST_PORT };

static void probe_from(struct peer *peer, int fd, const union endpoint *to)
{
	uint8_t msg[WIRE_PROBE_LEN];
	uint64_t nonce = 0;

	crypto_random(&nonce, sizeof(nonce));
	if (wire_encode_probe(msg, sizeof(msg), CONTROL_PROBE, nonce) > 0)
		send_plaintext_to(peer, fd, to, msg, sizeof(msg));
}

static int open_socket(struct device *dev)
{
	int fd = socket(dev->hub->udp_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct epoll_event ev = {.events = EPOLLIN};

	if (fd < 0)
		return -1;
	ev.data.fd = fd;
	if (dev->hub->epoll_fd >= 0 && epoll_ctl(dev->hub->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The symmetric side: many sockets, each probing the cone side once. */
static void open_mappings(struct peer *peer)
{
	struct device *dev = peer->dev;
	unsigned int opened = 0;

	for (unsigned int i = 0; i < dev->cfg.punch_sockets; i++) {
		struct birthday_socket *slot;

		if (dev->birthday_count == BIRTHDAY_MAX_SOCKETS)
			break;
		slot = &dev->birthday[dev->birthday_count];
		slot->fd = open_socket(dev);
		if (slot->fd < 0)
			break;
		slot->peer = peer;
		slot->expires_ms = clock_ms() + BIRTHDAY_SOCKET_LIFETIME_MS;
		dev->birthday_count++;
		probe_from(peer, slot->fd, &peer->path.reflexive);
		opened++;
	}
	log_info("peer %s: symmetric NAT here, probing from %u extra sockets",
		 inet_ntoa(peer->config.node_id), opened);
}

void birthday_start(struct peer *peer)
{
	struct device *dev = peer->dev;
	bool we_symmetric = dev->nat_type == NAT_SYMMETRIC;
	bool they_symmetric = peer->path.nat == NAT_SYMMETRIC;

	if (we_symmetric == they_symmetric || dev->nat_type == NAT_UNKNOWN ||
	    peer->path.nat == NAT_UNKNOWN || !peer->path.reflexive.sa.sa_family ||
	    peer->path.direct_up || !peer->current.valid)
		return;
	if (we_symmetric) {
		open_mappings(peer);
		return;
	}
	peer->path.spray_left = dev->cfg.punch_probes;
	peer->timers.spray = clock_ms();
	log_info("peer %s is behind a symmetric NAT: %u probes to guessed ports",
		 inet_ntoa(peer->config.node_id), peer->path.spray_left);
}

void birthday_spray(struct peer *peer)
{
	struct device *dev = peer->dev;
	unsigned int batch = dev->cfg.punch_rate * BIRTHDAY_TICK_MS / 1000;
	union endpoint guess = peer->path.reflexive;

	if (peer->path.direct_up || !peer->current.valid)
		peer->path.spray_left = 0;
	for (batch = batch ? batch : 1; batch && peer->path.spray_left; batch--) {
		uint32_t r = 0;

		crypto_random(&r, sizeof(r));
		guess.in.sin_port = htons((uint16_t)(FIRST_PORT + r % PORT_RANGE));
		probe_from(peer, -1, &guess);
		peer->path.spray_left--;
		peer->path.spray_sent++;
	}
	if (peer->path.spray_left)
		peer->timers.spray = clock_ms() + BIRTHDAY_TICK_MS;
}

static bool in_use(const struct birthday_socket *slot)
{
	return slot->peer && slot->peer->path.direct_up && slot->peer->path.fd == slot->fd;
}

static void close_slot(struct device *dev, size_t i)
{
	if (dev->hub->epoll_fd >= 0)
		epoll_ctl(dev->hub->epoll_fd, EPOLL_CTL_DEL, dev->birthday[i].fd, NULL);
	close(dev->birthday[i].fd);
	dev->birthday[i] = dev->birthday[--dev->birthday_count];
}

void birthday_sweep(struct device *dev)
{
	uint64_t now = clock_ms();

	for (size_t i = dev->birthday_count; i-- > 0;) {
		if (in_use(&dev->birthday[i]))
			dev->birthday[i].expires_ms = now + BIRTHDAY_SOCKET_LIFETIME_MS;
		else if (now >= dev->birthday[i].expires_ms)
			close_slot(dev, i);
	}
}

void birthday_release(struct peer *peer)
{
	struct device *dev = peer->dev;

	for (size_t i = dev->birthday_count; i-- > 0;)
		if (dev->birthday[i].peer == peer)
			close_slot(dev, i);
}

bool birthday_is_socket(const struct device *dev, int fd)
{
	for (size_t i = 0; i < dev->birthday_count; i++)
		if (dev->birthday[i].fd == fd)
			return true;
	return false;
}

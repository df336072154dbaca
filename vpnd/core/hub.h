/*
 * The hub: what the networks served by one vpnd share - the UDP port (and
 * a rendezvous' STUN port and TCP listener), the TCP streams, the session
 * index table and the event loop - and the devices, one per network. One
 * rendezvous can so serve several networks on one port, each with its own
 * key, certificate and members, isolated from the others.
 *
 * An incoming message finds its device by its receiver index, or, for a
 * handshake initiation, by the static key its mac1 was made for: the
 * networks' keys must differ.
 */
#ifndef VPND_HUB_H
#define VPND_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "config.h"
#include "core/index.h"
#include "io/loop.h"
#include "io/send_batch.h"
#include "io/stream.h"
#include "io/workers.h"
#include "messages.h"

struct device;
struct origin;

enum {
	HUB_MAX_DEVICES = 16,
	HUB_BATCH = 16,		   /* reads per recvmmsg */
	HUB_SLOT_LEN = 65536,	   /* a train of datagrams UDP GRO merged, or one */
	HUB_BATCHES_PER_EVENT = 2, /* then other sockets get their turn */
	HUB_PENDING_MAX = 256,	   /* datagrams decrypted together */
};

/* A datagram read, waiting for the workers to decrypt it. */
struct pending_datagram {
	uint8_t *data;
	size_t len;
	const union endpoint *src;
	const struct aead_job *opened;
};

/* A UDP socket the event loop reads for the hub. */
struct udp_socket {
	struct watch watch;
	struct hub *hub;
};

struct hub {
	struct loop loop; /* every descriptor and timer of this vpnd */
	int udp_fd;
	struct udp_socket udp;
	int udp_family;
	bool udp_gro; /* the kernel merges trains of datagrams for us */
	uint16_t listen_port;
	int stun_fd; /* the rendezvous' second port: STUN only */
	struct udp_socket stun;
	struct stream_set streams; /* with the rendezvous' TCP listener, for nodes without UDP */
	struct index_table indices;
	struct device *devices[HUB_MAX_DEVICES];
	size_t device_count;
	uint8_t *batch;		      /* HUB_BATCH slots for recvmmsg */
	struct send_batch send_batch; /* while TUN reads are sent */
	struct workers workers;
	struct pending_datagram *pending; /* HUB_PENDING_MAX */
	struct aead_job *receive_jobs;	  /* HUB_PENDING_MAX */
	size_t pending_count, receive_job_count;
};

/* The event loop, before anything registers with it. */
int hub_init(struct hub *hub);
/* Opens the shared sockets and starts the crypto workers, as the first
 * network's configuration asks. */
int hub_open(struct hub *hub, const struct config *first);
void hub_close(struct hub *hub);
/* Takes one more network; an error when its port or key clashes. */
int hub_add_device(struct hub *hub, struct device *dev, char *err, size_t err_len);
/* One message from a UDP socket or a TCP stream's frame. */
void hub_receive(struct hub *hub, uint8_t *buf, size_t len, const struct origin *from);
/* Reads what a UDP socket has, in batches, and hands it on. */
void hub_read_udp(struct hub *hub, int fd);
/* DF on everything the UDP socket sends, whatever the kernel's path MTU
 * cache says: nothing vpnd sends is fragmented, and route/pmtu.c finds what
 * each path carries (IP_PMTUDISC_PROBE). */
void hub_set_dont_fragment(int fd);
/* Watches an extra UDP socket (a punching socket), read like the hub's own. */
int hub_watch_udp(struct hub *hub, struct udp_socket *socket, int fd);
void hub_unwatch_udp(struct udp_socket *socket);

#endif

/*
 * The path MTU of direct paths, found as RFC 8899 (packetization-layer
 * PMTUD) does: our UDP sockets set DF and never let the kernel fragment, and
 * PROBEs padded to chosen sizes find the largest datagram a path carries.
 *
 * The search starts with the largest datagram the interface MTU makes (a
 * full packet, sealed). If PMTU_TRIES of those go unanswered, the path is
 * capped at once at PMTU_FLOOR (what any IPv6 path carries: traffic flows
 * while the search goes on), and the sizes between are halved, a probe
 * every PMTU_STEP_MS, to PMTU_PRECISION bytes. Once found, a path that we
 * send packets too big for the floor on (what a black hole swallows: small
 * ones pass anyway) is checked every PMTU_CHECK_MS with a probe of the size
 * found (a route or an interface may have changed: a black hole is searched
 * anew); one capped below the full size tries it
 * again every PMTU_RAISE_MS. The cap is core/path.c's (path_set_direct_mtu);
 * a packet from the TUN too big for it gets an ICMP "fragmentation needed"
 * (core/send.c). A plain WireGuard peer answers no probes: while we send
 * it large packets, the kernel's path MTU to its endpoint (from the ICMP
 * our DF datagrams draw, through rtnetlink) caps its path, checked every
 * PMTU_CHECK_MS.
 *
 * Timer: pmtu->step, the next probe of a search, or the next search.
 */
#ifndef VPND_PMTU_H
#define VPND_PMTU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/loop.h"

struct peer;

enum {
	PMTU_FLOOR = 1280 - 40 - 8, /* IPv6's minimum link MTU, less IPv6 and UDP */
	PMTU_TRIES = 3,
	PMTU_STEP_MS = 500,
	PMTU_PRECISION = 16, /* sealed messages grow in steps of the padding */
	PMTU_CHECK_MS = 1000,
	PMTU_RAISE_MS = 600000,
};

struct pmtu {
	struct peer *peer;
	struct timer step;
	size_t confirmed; /* the largest datagram answered (PMTU_FLOOR: assumed) */
	size_t too_big;	  /* the smallest one PMTU_TRIES probes of failed; 0: none */
	size_t probing;	  /* the size of the probe out; 0: no search */
	uint64_t nonce;
	unsigned int tries;
	bool done;		/* until the direct path is lost */
	uint64_t large_sent_ms; /* a packet over PMTU_FLOOR's last went out */
	uint64_t settled_ms;	/* when the search ended */
};

int pmtu_peer_init(struct peer *peer);
void pmtu_peer_free(struct peer *peer);
/* A direct path exists: search its MTU, unless a search is under way. */
void pmtu_start(struct peer *peer);
/* An IP packet of bytes went to the peer (or through it, a relay). */
void pmtu_sent(struct peer *peer, size_t bytes, uint64_t now_ms);
/* The direct path is gone: what was found no longer holds. */
void pmtu_forget(struct peer *peer);
/* A PONG: true when it answered our probe. */
bool pmtu_answered(struct peer *peer, uint64_t nonce);

#endif

/*
 * Asking the gateway to forward a UDP port to ours: PCP (RFC 6887, written
 * here: lib/pcp.c), NAT-PMP (RFC 6886, libnatpmp) and UPnP IGD
 * (libminiupnpc). Each call blocks, bounded to GATEWAY_TIMEOUT_MS or so per
 * protocol: only nat/portmap.c's thread calls them, never the event loop.
 */
#ifndef VPND_GATEWAY_H
#define VPND_GATEWAY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "config.h"
#include "pcp.h"

enum {
	GATEWAY_TIMEOUT_MS = 2000,
	GATEWAY_LIFETIME_S = 7200, /* asked for; RFC 6886 recommends it */
	GATEWAY_URL_MAX = 256,
};

struct gateway_request {
	struct in_addr gateway;
	struct in_addr internal; /* our address toward it */
	uint16_t port;		 /* our UDP port */
	uint32_t lifetime_s;	 /* 0: delete */
};

struct gateway_mapping {
	enum portmap_protocol protocol;
	union endpoint external; /* family 0: the gateway did not say its address */
	uint32_t lifetime_s;
	uint8_t nonce[PCP_NONCE_LEN];	      /* PCP: renewals and the delete reuse it */
	char control_url[GATEWAY_URL_MAX];    /* UPnP: where renewals and the delete go */
	char service_type[GATEWAY_URL_MAX];
};

/* Fills request's internal address: the one our packets to the gateway
 * leave from. 0 or a negative errno. */
int gateway_request_init(struct gateway_request *request, struct in_addr gateway, uint16_t port);
/* Asks for (or renews: mapping holds the last answer by this protocol) a
 * mapping. 0, or a negative errno with why filled in. */
int gateway_map(enum portmap_protocol protocol, const struct gateway_request *request,
		struct gateway_mapping *mapping, char *why, size_t why_len);
/* Deletes it; best effort. */
void gateway_unmap(const struct gateway_request *request, const struct gateway_mapping *mapping);

#endif

/* Port mapping protocols, spoken to the gateway (see gateway.h). */
#include "nat/gateway.h"

#include <arpa/inet.h>
#include <errno.h>
#include <miniupnpc/miniupnpc.h>
#include <miniupnpc/upnpcommands.h>
#include <miniupnpc/upnperrors.h>
#define ENABLE_STRNATPMPERR /* the library has it; the header hides it by default */
#include <natpmp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

enum {
	PCP_FIRST_WAIT_MS = 250, /* then doubled: RFC 6887 starts at 3 s, too slow here */
	UPNP_DISCOVER_MS = 1000,
	UPNP_OUTDATED_LEASES = 725, /* OnlyPermanentLeasesSupported */
};

static int fail(char *why, size_t why_len, int err, const char *fmt, const char *detail)
{
	snprintf(why, why_len, fmt, detail);
	return err;
}

int gateway_request_init(struct gateway_request *request, struct in_addr gateway, uint16_t port)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(PCP_PORT), .sin_addr = gateway};
	struct sockaddr_in from = {0};
	socklen_t from_len = sizeof(from);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;

	if (fd < 0)
		return -errno;
	/* connect() on UDP sends nothing: it picks the route and our address. */
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) ||
	    getsockname(fd, (struct sockaddr *)&from, &from_len))
		ret = -errno;
	close(fd);
	*request = (struct gateway_request){.gateway = gateway, .internal = from.sin_addr,
					    .port = port, .lifetime_s = GATEWAY_LIFETIME_S};
	return ret;
}

/* Addresses a gateway may report as its own that are no use to peers:
 * none, loopback, multicast, broadcast, and private, shared (CGN) and
 * link-local ones: a gateway behind another NAT, whose mapping ends there. */
static bool usable_external(struct in_addr addr)
{
	uint32_t a = ntohl(addr.s_addr);

	return a != 0 && a >> 24 != 127 && a >> 28 < 14 && a >> 24 != 10 &&
	       a >> 20 != 0xac1 && a >> 16 != 0xc0a8 && a >> 22 != (100 << 2 | 1) &&
	       a >> 16 != 0xa9fe;
}

/* The gateway's answer: an address it may not say (family 0, the port
 * kept: see portmap.c), or one useless to peers (-EADDRNOTAVAIL). */
static int set_external(union endpoint *external, struct in_addr addr, uint16_t port)
{
	memset(external, 0, sizeof(*external));
	external->in.sin_port = htons(port);
	if (!port)
		return -EPROTO;
	if (!addr.s_addr)
		return 0;
	if (!usable_external(addr))
		return -EADDRNOTAVAIL;
	external->in.sin_family = AF_INET;
	external->in.sin_addr = addr;
	return 0;
}

static const char *unusable(int err)
{
	return err == -EADDRNOTAVAIL ? "the gateway's address is private (another NAT beyond it)"
				     : "no external port";
}

static uint16_t external_port(const struct gateway_mapping *mapping)
{
	return ntohs(mapping->external.in.sin_port);
}

/* The external port to ask for: the one we have (a renewal), else ours;
 * 0 in a delete (RFC 6886 section 3.4). */
static uint16_t suggested_port(const struct gateway_request *request,
			       const struct gateway_mapping *mapping)
{
	if (!request->lifetime_s)
		return 0;
	return external_port(mapping) ? external_port(mapping) : request->port;
}

/* Waits for fd to become readable until deadline_ms; false at the deadline. */
static bool readable_before(int fd, uint64_t deadline_ms)
{
	uint64_t now = clock_ms();
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return now < deadline_ms && poll(&pfd, 1, (int)(deadline_ms - now)) > 0;
}

/* One PCP MAP exchange: sent again after 250, 500, 1000 ms while unanswered. */
static int pcp_exchange(const struct gateway_request *request, const struct pcp_map *map,
			struct pcp_map *answer)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(PCP_PORT),
				 .sin_addr = request->gateway};
	uint64_t deadline = clock_ms() + GATEWAY_TIMEOUT_MS, wait_ms = PCP_FIRST_WAIT_MS;
	uint8_t msg[PCP_MAP_LEN], buf[PCP_MAX_LEN];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -ETIMEDOUT;
	int len = pcp_encode_map_request(msg, sizeof(msg), map);

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0)
		ret = -errno;
	while (ret == -ETIMEDOUT && clock_ms() < deadline) {
		uint64_t resend = clock_ms() + wait_ms;

		if (send(fd, msg, (size_t)len, 0) < 0) {
			ret = -errno;
			break;
		}
		while (ret == -ETIMEDOUT && readable_before(fd, resend < deadline ? resend : deadline)) {
			ssize_t n = recv(fd, buf, sizeof(buf), 0);

			if (n < 0) /* ECONNREFUSED: nothing listens on the PCP port */
				ret = -errno;
			else if (n >= 2 && buf[0] == 0 && buf[1] >= 128) /* a NAT-PMP-only gateway */
				ret = -EPROTONOSUPPORT;
			else if (pcp_decode_map_response(buf, (size_t)n, map, answer) == 0)
				ret = 0;
		}
		wait_ms *= 2;
	}
	close(fd);
	return ret;
}

static int pcp_map(const struct gateway_request *request, struct gateway_mapping *mapping,
		   char *why, size_t why_len)
{
	struct pcp_map map = {.protocol = IPPROTO_UDP, .lifetime_s = request->lifetime_s}, answer;
	int ret;

	if (mapping->protocol != PORTMAP_PCP || !mapping->lifetime_s)
		if (getrandom(mapping->nonce, sizeof(mapping->nonce), 0) != sizeof(mapping->nonce))
			return fail(why, why_len, -EIO, "PCP: %s", "no random nonce");
	memcpy(map.nonce, mapping->nonce, sizeof(map.nonce));
	map.internal.in = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons(request->port),
					       .sin_addr = request->internal};
	if (mapping->external.sa.sa_family == AF_INET)
		map.external = mapping->external; /* a renewal asks for the same */
	ret = pcp_exchange(request, &map, &answer);
	if (ret < 0)
		return fail(why, why_len, ret, "no PCP answer (%s)", strerror(-ret));
	if (answer.result != PCP_SUCCESS)
		return fail(why, why_len, -EPROTO, "PCP: %s", pcp_result_name(answer.result));
	if (!endpoint_is_ipv4(&answer.external))
		return fail(why, why_len, -EPROTO, "PCP: %s", "an external address that is not IPv4");
	endpoint_unmap_v4(&answer.external);
	mapping->lifetime_s = answer.lifetime_s;
	if (!request->lifetime_s) /* a delete */
		return 0;
	if (!mapping->lifetime_s)
		return fail(why, why_len, -EPROTO, "PCP: %s", "a lifetime of 0");
	ret = set_external(&mapping->external, answer.external.in.sin_addr,
			   ntohs(answer.external.in.sin_port));
	return ret < 0 ? fail(why, why_len, ret, "PCP: %s", unusable(ret)) : 0;
}

/* The answer of type want_type; libnatpmp resends on its own schedule, we
 * stop at the deadline. It does not match answers to requests: a late copy
 * of the address answer is read past, as is a mapping of another port. */
static int natpmp_answer(natpmp_t *natpmp, natpmpresp_t *response, uint16_t want_type,
			 uint16_t port, uint64_t deadline_ms)
{
	int ret;

	do {
		struct timeval tv;
		uint64_t resend = clock_ms();

		if (getnatpmprequesttimeout(natpmp, &tv) < 0)
			return NATPMP_ERR_GETTIMEOFDAYERR;
		if (tv.tv_sec >= 0 && tv.tv_usec >= 0)
			resend += (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
		readable_before(natpmp->s, resend < deadline_ms ? resend : deadline_ms);
		memset(response, 0, sizeof(*response));
		ret = readnatpmpresponseorretry(natpmp, response);
		if (ret >= 0 && (response->type != want_type ||
				 (want_type == NATPMP_RESPTYPE_UDPPORTMAPPING &&
				  response->pnu.newportmapping.privateport != port)))
			ret = NATPMP_TRYAGAIN;
	} while (ret == NATPMP_TRYAGAIN && clock_ms() < deadline_ms);
	return ret;
}

static int natpmp_map(const struct gateway_request *request, struct gateway_mapping *mapping,
		      char *why, size_t why_len)
{
	uint64_t deadline = clock_ms() + GATEWAY_TIMEOUT_MS;
	struct in_addr public_address = {0};
	natpmpresp_t response;
	natpmp_t natpmp;
	int ret;

	if (initnatpmp(&natpmp, 1, request->gateway.s_addr) < 0)
		return fail(why, why_len, -EIO, "NAT-PMP: %s", "no socket");
	ret = 0;
	if (request->lifetime_s) { /* a delete needs no address */
		ret = sendpublicaddressrequest(&natpmp);
		if (ret >= 0)
			ret = natpmp_answer(&natpmp, &response, NATPMP_RESPTYPE_PUBLICADDRESS, 0,
					    deadline);
		if (ret >= 0)
			public_address = response.pnu.publicaddress.addr;
	}
	if (ret >= 0 || ret == NATPMP_ERR_NETWORKFAILURE) /* the address only: ask anyway */
		ret = sendnewportmappingrequest(&natpmp, NATPMP_PROTOCOL_UDP, request->port,
						suggested_port(request, mapping), request->lifetime_s);
	if (ret >= 0)
		ret = natpmp_answer(&natpmp, &response, NATPMP_RESPTYPE_UDPPORTMAPPING,
				    request->port, deadline);
	closenatpmp(&natpmp);
	if (ret < 0)
		return fail(why, why_len, -EPROTO, "NAT-PMP: %s", strnatpmperr(ret));
	mapping->lifetime_s = response.pnu.newportmapping.lifetime;
	if (!request->lifetime_s)
		return 0;
	if (!mapping->lifetime_s)
		return fail(why, why_len, -EPROTO, "NAT-PMP: %s", "a lifetime of 0");
	ret = set_external(&mapping->external, public_address,
			   response.pnu.newportmapping.mappedpublicport);
	return ret < 0 ? fail(why, why_len, ret, "NAT-PMP: %s", unusable(ret)) : 0;
}

/* The URL names the gateway's address as its host. */
static bool at_gateway(const char *url, struct in_addr gateway)
{
	char host[INET_ADDRSTRLEN + 8];
	size_t len;

	inet_ntop(AF_INET, &gateway, host, INET_ADDRSTRLEN);
	len = strlen(host);
	return url && !strncmp(url, "http://", 7) && !strncmp(url + 7, host, len) &&
	       (url[7 + len] == ':' || url[7 + len] == '/');
}

/* Finds the gateway's IGD; fills its control URL and service type. */
static int upnp_find(const struct gateway_request *request, struct gateway_mapping *mapping,
		     char *why, size_t why_len)
{
	char internal[INET_ADDRSTRLEN], lan[INET_ADDRSTRLEN];
	struct UPNPDev *devices;
	struct UPNPUrls urls;
	struct IGDdatas data;
	int err = 0, found;

	inet_ntop(AF_INET, &request->internal, internal, sizeof(internal));
	devices = upnpDiscover(UPNP_DISCOVER_MS, internal, NULL, UPNP_LOCAL_PORT_ANY, 0, 2, &err);
	if (!devices)
		return fail(why, why_len, -ENOENT, "UPnP: %s", "no gateway answered discovery");
#if MINIUPNPC_API_VERSION >= 18
	found = UPNP_GetValidIGD(devices, &urls, &data, lan, sizeof(lan), NULL, 0);
#else
	found = UPNP_GetValidIGD(devices, &urls, &data, lan, sizeof(lan));
#endif
	freeUPNPDevlist(devices);
	/* 2: an IGD that calls itself disconnected, as one whose address is
	 * reserved does (a lab's, or behind another NAT): it may still map.
	 * Only our gateway's: any host of the LAN can answer discovery. */
	if ((found == 1 || found == 2) && !at_gateway(urls.controlURL, request->gateway))
		found = -found;
	if (found == 1 || found == 2) {
		snprintf(mapping->control_url, sizeof(mapping->control_url), "%s", urls.controlURL);
		snprintf(mapping->service_type, sizeof(mapping->service_type), "%s",
			 data.first.servicetype);
	}
	if (found)
		FreeUPNPUrls(&urls);
	if (found < 0)
		return fail(why, why_len, -EPERM, "UPnP: %s", "the device that answered is not the gateway");
	if (found != 1 && found != 2)
		return fail(why, why_len, -ENOENT, "UPnP: %s", "no internet gateway device");
	return 0;
}

static int upnp_add(const struct gateway_request *request, const struct gateway_mapping *mapping,
		    const char *lease)
{
	char internal[INET_ADDRSTRLEN], port[8], external[8];

	inet_ntop(AF_INET, &request->internal, internal, sizeof(internal));
	snprintf(port, sizeof(port), "%u", request->port);
	snprintf(external, sizeof(external), "%u", suggested_port(request, mapping));
	return UPNP_AddPortMapping(mapping->control_url, mapping->service_type, external, port,
				   internal, "vpnd", "UDP", NULL, lease);
}

static int upnp_map(const struct gateway_request *request, struct gateway_mapping *mapping,
		    char *why, size_t why_len)
{
	char lease[12], address[40] = "";
	struct in_addr public_address = {0};
	uint16_t port;
	int ret;

	if (mapping->protocol != PORTMAP_UPNP || !mapping->lifetime_s || !mapping->control_url[0]) {
		ret = upnp_find(request, mapping, why, why_len);
		if (ret < 0)
			return ret;
	}
	snprintf(lease, sizeof(lease), "%u", request->lifetime_s);
	ret = upnp_add(request, mapping, lease);
	if (ret == UPNP_OUTDATED_LEASES) /* IGDv1: permanent, deleted on exit */
		ret = upnp_add(request, mapping, "0");
	if (ret != UPNPCOMMAND_SUCCESS)
		return fail(why, why_len, -EPROTO, "UPnP: %s", strupnperror(ret));
	port = suggested_port(request, mapping);
	if (UPNP_GetExternalIPAddress(mapping->control_url, mapping->service_type, address) == 0)
		inet_pton(AF_INET, address, &public_address);
	mapping->lifetime_s = request->lifetime_s;
	ret = set_external(&mapping->external, public_address, port);
	return ret < 0 ? fail(why, why_len, ret, "UPnP: %s", unusable(ret)) : 0;
}

int gateway_map(enum portmap_protocol protocol, const struct gateway_request *request,
		struct gateway_mapping *mapping, char *why, size_t why_len)
{
	int ret;

	if (mapping->protocol != protocol) /* nothing of another protocol's answer carries over */
		*mapping = (struct gateway_mapping){.protocol = protocol};
	switch (protocol) {
	case PORTMAP_PCP:
		ret = pcp_map(request, mapping, why, why_len);
		break;
	case PORTMAP_NATPMP:
		ret = natpmp_map(request, mapping, why, why_len);
		break;
	case PORTMAP_UPNP:
		ret = upnp_map(request, mapping, why, why_len);
		break;
	default:
		return fail(why, why_len, -EINVAL, "%s", "unknown protocol");
	}
	mapping->protocol = protocol;
	if (ret < 0)
		mapping->lifetime_s = 0;
	return ret;
}

void gateway_unmap(const struct gateway_request *request, const struct gateway_mapping *mapping)
{
	struct gateway_request delete = *request;
	struct gateway_mapping last = *mapping;
	char why[128], external[8];

	delete.lifetime_s = 0;
	switch (mapping->protocol) {
	case PORTMAP_PCP:
		pcp_map(&delete, &last, why, sizeof(why));
		break;
	case PORTMAP_NATPMP:
		natpmp_map(&delete, &last, why, sizeof(why));
		break;
	case PORTMAP_UPNP:
		snprintf(external, sizeof(external), "%u", external_port(mapping));
		UPNP_DeletePortMapping(mapping->control_url, mapping->service_type, external, "UDP",
				       NULL);
		break;
	default:
		break;
	}
}

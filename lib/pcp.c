/* PCP MAP messages (see pcp.h). */
#include "pcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

enum {
	HEADER_LEN = 24,
	OFF_LIFETIME = 4,
	OFF_CLIENT = 8,
	OFF_RESULT = 3,
	OFF_EPOCH = 8,
	BODY_NONCE = HEADER_LEN,
	BODY_PROTOCOL = HEADER_LEN + 12,
	BODY_INTERNAL_PORT = HEADER_LEN + 16,
	BODY_EXTERNAL_PORT = HEADER_LEN + 18,
	BODY_EXTERNAL_ADDR = HEADER_LEN + 20,
};

static void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	put_u16(p, (uint16_t)(v >> 16));
	put_u16(p + 2, (uint16_t)v);
}

static uint16_t get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)get_u16(p) << 16 | get_u16(p + 2);
}

/* An address as PCP's 16 bytes (IPv4 as ::ffff:a.b.c.d); family 0: all zero. */
static void put_address(uint8_t *p, const union endpoint *ep)
{
	memset(p, 0, 16);
	if (ep->sa.sa_family == AF_INET6) {
		memcpy(p, &ep->in6.sin6_addr, 16);
	} else if (ep->sa.sa_family == AF_INET) {
		p[10] = p[11] = 0xff;
		memcpy(p + 12, &ep->in.sin_addr, 4);
	}
}

static void get_endpoint(const uint8_t *addr, uint16_t port, union endpoint *ep)
{
	static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	memset(ep, 0, sizeof(*ep));
	if (!memcmp(addr, v4_prefix, sizeof(v4_prefix))) {
		ep->in.sin_family = AF_INET;
		memcpy(&ep->in.sin_addr, addr + 12, 4);
		ep->in.sin_port = htons(port);
		return;
	}
	ep->in6.sin6_family = AF_INET6;
	memcpy(&ep->in6.sin6_addr, addr, 16);
	ep->in6.sin6_port = htons(port);
}

static uint16_t port_of(const union endpoint *ep)
{
	if (ep->sa.sa_family == AF_INET6)
		return ntohs(ep->in6.sin6_port);
	return ep->sa.sa_family == AF_INET ? ntohs(ep->in.sin_port) : 0;
}

int pcp_encode_map_request(uint8_t *buf, size_t len, const struct pcp_map *map)
{
	if (len < PCP_MAP_LEN || !map->internal.sa.sa_family)
		return -ENOSPC;
	memset(buf, 0, PCP_MAP_LEN);
	buf[0] = PCP_VERSION;
	buf[1] = PCP_OPCODE_MAP;
	put_u32(buf + OFF_LIFETIME, map->lifetime_s);
	put_address(buf + OFF_CLIENT, &map->internal);
	memcpy(buf + BODY_NONCE, map->nonce, PCP_NONCE_LEN);
	buf[BODY_PROTOCOL] = map->protocol;
	put_u16(buf + BODY_INTERNAL_PORT, port_of(&map->internal));
	put_u16(buf + BODY_EXTERNAL_PORT, port_of(&map->external));
	put_address(buf + BODY_EXTERNAL_ADDR, &map->external);
	return PCP_MAP_LEN;
}

int pcp_decode_map_response(const uint8_t *buf, size_t len, const struct pcp_map *request,
			    struct pcp_map *answer)
{
	if (len < PCP_MAP_LEN || len > PCP_MAX_LEN || buf[0] != PCP_VERSION ||
	    buf[1] != (PCP_RESPONSE_BIT | PCP_OPCODE_MAP))
		return -EINVAL;
	if (memcmp(buf + BODY_NONCE, request->nonce, PCP_NONCE_LEN) ||
	    buf[BODY_PROTOCOL] != request->protocol ||
	    get_u16(buf + BODY_INTERNAL_PORT) != port_of(&request->internal))
		return -EINVAL;
	*answer = *request;
	answer->result = buf[OFF_RESULT];
	answer->lifetime_s = get_u32(buf + OFF_LIFETIME);
	answer->epoch_s = get_u32(buf + OFF_EPOCH);
	get_endpoint(buf + BODY_EXTERNAL_ADDR, get_u16(buf + BODY_EXTERNAL_PORT), &answer->external);
	return 0;
}

const char *pcp_result_name(uint8_t result)
{
	static const char *const names[] = {
	    "success",		      "unsupported version",	"not authorized",
	    "malformed request",      "unsupported opcode",	"unsupported option",
	    "malformed option",	      "network failure",	"no resources",
	    "unsupported protocol",   "user exceeded quota",	"cannot provide external",
	    "address mismatch",	      "excessive remote peers",
	};

	return result < sizeof(names) / sizeof(names[0]) ? names[result] : "unknown result";
}

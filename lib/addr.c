/* Address parsing and printing, strict: no names, no trailing junk. */
#include "addr.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int port_parse(const char *text, uint16_t *port)
{
	char *end;
	unsigned long value;

	if (!*text || *text == '-' || *text == '+')
		return -EINVAL;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || *end || value == 0 || value > 65535)
		return -EINVAL;
	*port = (uint16_t)value;
	return 0;
}

static bool label_valid(const char *label, size_t len)
{
	if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)label[i]) && label[i] != '-')
			return false;
	return true;
}

static bool dns_name_valid(const char *name, size_t len)
{
	const char *label = name, *end = name + len, *dot;
	bool letter = false;

	if (len == 0 || len > ENDPOINT_NAME_MAX)
		return false;
	for (; label <= end; label = dot + 1) {
		dot = memchr(label, '.', (size_t)(end - label));
		if (!dot)
			dot = end;
		if (!label_valid(label, (size_t)(dot - label)))
			return false;
		letter = false;
		for (const char *c = label; c < dot; c++)
			letter |= isalpha((unsigned char)*c) != 0;
	}
	return letter;
}

int endpoint_name_parse(const char *text, char *host, uint16_t *port)
{
	const char *colon = strrchr(text, ':');
	size_t len;

	if (!colon || port_parse(colon + 1, port))
		return -EINVAL;
	len = (size_t)(colon - text);
	if (!dns_name_valid(text, len))
		return -EINVAL;
	memcpy(host, text, len);
	host[len] = '\0';
	return 0;
}

/* "%link" after a link-local address: an interface name or index. */
static int scope_parse(const char *text, uint32_t *scope)
{
	char *end;
	unsigned long index = strtoul(text, &end, 10);

	if (!*text)
		return -EINVAL;
	if (!*end && index > 0 && index <= UINT32_MAX) {
		*scope = (uint32_t)index;
		return 0;
	}
	*scope = if_nametoindex(text);
	return *scope ? 0 : -ENODEV;
}

int endpoint_parse(union endpoint *ep, const char *text)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	char *scope;
	const char *colon;
	uint16_t port;
	size_t host_len;
	bool bracketed = text[0] == '[';

	memset(ep, 0, sizeof(*ep));
	if (bracketed) {
		const char *close = strchr(text, ']');

		if (!close || close[1] != ':')
			return -EINVAL;
		host_len = (size_t)(close - text - 1);
		colon = close + 1;
		text++;
	} else {
		colon = strrchr(text, ':');
		if (!colon || strchr(text, ':') != colon)
			return -EINVAL;
		host_len = (size_t)(colon - text);
	}
	if (host_len == 0 || host_len >= sizeof(host) || port_parse(colon + 1, &port))
		return -EINVAL;
	memcpy(host, text, host_len);
	host[host_len] = '\0';
	if (!bracketed && inet_pton(AF_INET, host, &ep->in.sin_addr) == 1) {
		ep->in.sin_family = AF_INET;
		ep->in.sin_port = htons(port);
		return 0;
	}
	scope = bracketed ? strchr(host, '%') : NULL;
	if (scope)
		*scope++ = '\0';
	if (inet_pton(AF_INET6, host, &ep->in6.sin6_addr) == 1) {
		ep->in6.sin6_family = AF_INET6;
		ep->in6.sin6_port = htons(port);
		if (!scope)
			return 0;
		if (IN6_IS_ADDR_LINKLOCAL(&ep->in6.sin6_addr) &&
		    scope_parse(scope, &ep->in6.sin6_scope_id) == 0)
			return 0;
	}
	memset(ep, 0, sizeof(*ep));
	return -EINVAL;
}

void endpoint_format(const union endpoint *ep, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (ep->sa.sa_family == AF_INET) {
		inet_ntop(AF_INET, &ep->in.sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(ep->in.sin_port));
	} else if (ep->sa.sa_family == AF_INET6) {
		char scope[IF_NAMESIZE + 1] = "";

		inet_ntop(AF_INET6, &ep->in6.sin6_addr, host, sizeof(host));
		/* A link-local address is only half an address without its link. */
		if (ep->in6.sin6_scope_id && !if_indextoname(ep->in6.sin6_scope_id, scope + 1))
			snprintf(scope + 1, sizeof(scope) - 1, "%u", ep->in6.sin6_scope_id);
		if (scope[1])
			scope[0] = '%';
		snprintf(buf, len, "[%s%s]:%u", host, scope, ntohs(ep->in6.sin6_port));
	} else {
		snprintf(buf, len, "(none)");
	}
}

bool endpoint_equal(const union endpoint *a, const union endpoint *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->in.sin_port == b->in.sin_port &&
		       a->in.sin_addr.s_addr == b->in.sin_addr.s_addr;
	if (a->sa.sa_family == AF_INET6)
		return a->in6.sin6_port == b->in6.sin6_port &&
		       memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr, sizeof(struct in6_addr)) == 0;
	return true;
}

socklen_t endpoint_len(const union endpoint *ep)
{
	return ep->sa.sa_family == AF_INET ? sizeof(ep->in) : sizeof(ep->in6);
}

void endpoint_to_v6(union endpoint *ep)
{
	struct sockaddr_in v4 = ep->in;

	if (ep->sa.sa_family != AF_INET)
		return;
	memset(ep, 0, sizeof(*ep));
	ep->in6.sin6_family = AF_INET6;
	ep->in6.sin6_port = v4.sin_port;
	ep->in6.sin6_addr.s6_addr[10] = 0xff;
	ep->in6.sin6_addr.s6_addr[11] = 0xff;
	memcpy(&ep->in6.sin6_addr.s6_addr[12], &v4.sin_addr, 4);
}

void endpoint_unmap_v4(union endpoint *ep)
{
	struct sockaddr_in6 v6 = ep->in6;

	if (ep->sa.sa_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr))
		return;
	memset(ep, 0, sizeof(*ep));
	ep->in.sin_family = AF_INET;
	ep->in.sin_port = v6.sin6_port;
	memcpy(&ep->in.sin_addr, &v6.sin6_addr.s6_addr[12], 4);
}

int ipv4_parse(const char *text, struct in_addr *addr)
{
	return inet_pton(AF_INET, text, addr) == 1 ? 0 : -EINVAL;
}

static uint32_t prefix_mask(uint8_t length)
{
	return length ? htonl(~0U << (32 - length)) : 0;
}

int ipv4_prefix_parse(const char *text, struct ipv4_prefix *prefix)
{
	char host[INET_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	char *end;
	unsigned long length;

	if (!slash || (size_t)(slash - text) >= sizeof(host) || !slash[1])
		return -EINVAL;
	memcpy(host, text, (size_t)(slash - text));
	host[slash - text] = '\0';
	errno = 0;
	length = strtoul(slash + 1, &end, 10);
	if (errno || *end || length > 32 || slash[1] == '-' || slash[1] == '+')
		return -EINVAL;
	if (ipv4_parse(host, &prefix->network))
		return -EINVAL;
	prefix->length = (uint8_t)length;
	if (prefix->network.s_addr & ~prefix_mask(prefix->length))
		return -EINVAL; /* host bits set */
	return 0;
}

bool ipv4_prefix_contains(const struct ipv4_prefix *prefix, struct in_addr addr)
{
	return (addr.s_addr & prefix_mask(prefix->length)) == prefix->network.s_addr;
}

void ipv4_prefix_format(const struct ipv4_prefix *prefix, char *buf, size_t len)
{
	char host[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &prefix->network, host, sizeof(host));
	snprintf(buf, len, "%s/%u", host, prefix->length);
}

bool endpoint_is_ipv4(const union endpoint *ep)
{
	return ep->sa.sa_family == AF_INET ||
	       (ep->sa.sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&ep->in6.sin6_addr));
}

/* Endpoints (host:port, IPv4 or [IPv6]) and IPv4 prefixes: parse and print. */
#ifndef VPND_ADDR_H
#define VPND_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

union endpoint {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

enum {
	ENDPOINT_STRLEN = 72,	/* "[v6%ifname]:port" and NUL: 1 + 45 + 1 + 15 + 2 + 5 + 1 */
	ENDPOINT_NAME_MAX = 253, /* a DNS name, without the trailing dot */
};

struct ipv4_prefix {
	struct in_addr network;
	uint8_t length;
};

/* Numeric only: resolving names is not a parser's business. */
int endpoint_parse(union endpoint *ep, const char *text);
/* NAME:PORT with NAME a DNS name (letters, digits and hyphens in labels of
 * at most 63, a letter in the last label, so that no mistyped address
 * passes for a name); host holds ENDPOINT_NAME_MAX + 1. */
int endpoint_name_parse(const char *text, char *host, uint16_t *port);
void endpoint_format(const union endpoint *ep, char *buf, size_t len);
bool endpoint_equal(const union endpoint *a, const union endpoint *b);
socklen_t endpoint_len(const union endpoint *ep);
/* Maps an IPv4 endpoint into the IPv6 form a dual-stack socket uses, and back. */
void endpoint_to_v6(union endpoint *ep);
void endpoint_unmap_v4(union endpoint *ep);
/* IPv4, or IPv4 mapped into IPv6. */
bool endpoint_is_ipv4(const union endpoint *ep);

int ipv4_parse(const char *text, struct in_addr *addr);
int ipv4_prefix_parse(const char *text, struct ipv4_prefix *prefix);
bool ipv4_prefix_contains(const struct ipv4_prefix *prefix, struct in_addr addr);
void ipv4_prefix_format(const struct ipv4_prefix *prefix, char *buf, size_t len);

#endif

/* rtnetlink through libmnl: link state, addresses and routes. Each call
 * asks for an ACK and returns 0 or a negative errno from the kernel. */
#ifndef VPND_NETLINK_H
#define VPND_NETLINK_H

#include <netinet/in.h>
#include <stdbool.h>

#include "addr.h"

int netlink_link_set(unsigned int ifindex, unsigned int mtu, bool up);
/* The address without its prefix route: routes are added explicitly. */
int netlink_addr_add(unsigned int ifindex, struct in_addr addr, unsigned int prefix_len);
int netlink_route_add(unsigned int ifindex, const struct ipv4_prefix *dst, struct in_addr src);
int netlink_route_del(unsigned int ifindex, const struct ipv4_prefix *dst);
/* The MTU the kernel's route to an address has (learnt from ICMP
 * "fragmentation needed" or configured), or 0 when it names none. */
int netlink_route_mtu(const union endpoint *to);
/* The IPv4 default route's gateway (the lowest metric's in the main
 * table); -ENETUNREACH without one. */
int netlink_default_gateway(struct in_addr *gateway);
/* Global unicast addresses (IPv4, and IPv6 outside fe80::/10) of every
 * interface but skip_ifindex, as endpoints with the given port: the host
 * candidates. Returns how many were written to out (at most max). */
int netlink_local_addresses(union endpoint *out, size_t max, unsigned int skip_ifindex,
			    uint16_t port);
/* IPv6 link-local addresses (fe80::/10) of every interface but
 * skip_ifindex, with their interface as scope ID and port 0. */
int netlink_link_local_addresses(union endpoint *out, size_t max, unsigned int skip_ifindex);

/* Hearing of addresses as they come and go (IPv4 and IPv6): a socket
 * subscribed to the kernel's address notifications. */
struct mnl_socket *netlink_monitor_open(void);
int netlink_monitor_fd(struct mnl_socket *monitor);
/* Reads what waits; returns how many addresses of interfaces other than
 * skip_ifindex came or went, or a negative errno. */
int netlink_monitor_read(struct mnl_socket *monitor, unsigned int skip_ifindex);
void netlink_monitor_close(struct mnl_socket *monitor);

#endif

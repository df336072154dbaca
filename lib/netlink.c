/*
 * Every rtnetlink request vpnd makes. Each builds one message, asks for an
 * ACK, and reads the kernel's answer on a socket of its own.
 */
#include "netlink.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <time.h>

struct address_dump {
	union endpoint *out;
	size_t max, count;
	unsigned int skip_ifindex;
	uint16_t port;
	unsigned char scope; /* RT_SCOPE_UNIVERSE, or RT_SCOPE_LINK: IPv6 link-local */
};

static int address_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **table = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	if ((type == IFA_ADDRESS || type == IFA_LOCAL) &&
	    mnl_attr_validate(attr, MNL_TYPE_BINARY) < 0)
		return MNL_CB_ERROR;
	table[type] = attr;
	return MNL_CB_OK;
}

static void add_address(struct address_dump *dump, int family, const void *addr,
			unsigned int ifindex)
{
	union endpoint *ep = &dump->out[dump->count];

	memset(ep, 0, sizeof(*ep));
	if (family == AF_INET) {
		ep->in.sin_family = AF_INET;
		memcpy(&ep->in.sin_addr, addr, 4);
		ep->in.sin_port = htons(dump->port);
	} else {
		ep->in6.sin6_family = AF_INET6;
		memcpy(&ep->in6.sin6_addr, addr, 16);
		ep->in6.sin6_port = htons(dump->port);
		if (dump->scope == RT_SCOPE_LINK)
			ep->in6.sin6_scope_id = ifindex;
	}
	dump->count++;
}

static int address_entry(const struct nlmsghdr *nlh, void *data)
{
	struct address_dump *dump = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *table[IFA_MAX + 1] = {0};
	const struct nlattr *attr;
	size_t len;

	if (dump->count == dump->max || ifa->ifa_index == dump->skip_ifindex ||
	    ifa->ifa_scope != dump->scope ||
	    (dump->scope == RT_SCOPE_LINK && ifa->ifa_family != AF_INET6))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ifa), address_attr, table) < 0)
		return MNL_CB_OK;
	attr = table[IFA_LOCAL] ? table[IFA_LOCAL] : table[IFA_ADDRESS];
	if (!attr)
		return MNL_CB_OK;
	len = mnl_attr_get_payload_len(attr);
	if ((ifa->ifa_family == AF_INET && len == 4) || (ifa->ifa_family == AF_INET6 && len == 16))
		add_address(dump, ifa->ifa_family, mnl_attr_get_payload(attr), ifa->ifa_index);
	return MNL_CB_OK;
}

/* Asks for a dump of one kind (RTM_GETADDR, RTM_GETROUTE) and runs cb on
 * every entry. */
static int netlink_dump(uint16_t type, unsigned char family, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *rt;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int ret;

	if (!nl)
		return -errno;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	/* An rtmsg for routes (the kernel reads its family from the same byte). */
	rt = mnl_nlmsg_put_extra_header(nlh, type == RTM_GETROUTE ? sizeof(struct rtmsg)
								   : sizeof(*rt));
	rt->rtgen_family = family;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	do {
		ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret <= 0)
			break;
		ret = mnl_cb_run(buf, (size_t)ret, seq, portid, cb, data);
	} while (ret > MNL_CB_STOP);
	ret = ret < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return ret;
}

int netlink_local_addresses(union endpoint *out, size_t max, unsigned int skip_ifindex,
			    uint16_t port)
{
	struct address_dump dump = {.out = out, .max = max, .skip_ifindex = skip_ifindex,
				    .port = port, .scope = RT_SCOPE_UNIVERSE};
	int ret = netlink_dump(RTM_GETADDR, AF_UNSPEC, address_entry, &dump);

	return ret < 0 ? ret : (int)dump.count;
}

int netlink_link_local_addresses(union endpoint *out, size_t max, unsigned int skip_ifindex)
{
	struct address_dump dump = {
	    .out = out, .max = max, .skip_ifindex = skip_ifindex, .scope = RT_SCOPE_LINK};
	int ret = netlink_dump(RTM_GETADDR, AF_INET6, address_entry, &dump);

	return ret < 0 ? ret : (int)dump.count;
}

struct default_route {
	struct in_addr gateway;
	uint32_t metric;
	bool found;
};

struct route_attrs {
	struct in_addr gateway;
	bool has_gateway;
	uint32_t metric;
};

static int default_route_attr(const struct nlattr *attr, void *data)
{
	struct route_attrs *attrs = data;

	if (mnl_attr_get_type(attr) == RTA_GATEWAY &&
	    mnl_attr_get_payload_len(attr) == sizeof(attrs->gateway)) {
		memcpy(&attrs->gateway, mnl_attr_get_payload(attr), sizeof(attrs->gateway));
		attrs->has_gateway = true;
	} else if (mnl_attr_get_type(attr) == RTA_PRIORITY &&
		   mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
		attrs->metric = mnl_attr_get_u32(attr);
	}
	return MNL_CB_OK;
}

static int default_route_entry(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct default_route *best = data;
	struct route_attrs attrs = {0};

	if (rtm->rtm_family != AF_INET || rtm->rtm_dst_len != 0 ||
	    rtm->rtm_table != RT_TABLE_MAIN || rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*rtm), default_route_attr, &attrs) < 0)
		return MNL_CB_ERROR;
	if (attrs.has_gateway && (!best->found || attrs.metric < best->metric))
		*best = (struct default_route){attrs.gateway, attrs.metric, true};
	return MNL_CB_OK;
}

int netlink_default_gateway(struct in_addr *gateway)
{
	struct default_route best = {0};
	int ret = netlink_dump(RTM_GETROUTE, AF_INET, default_route_entry, &best);

	if (ret < 0)
		return ret;
	if (!best.found)
		return -ENETUNREACH;
	*gateway = best.gateway;
	return 0;
}

/* Sends one request and runs cb on the kernel's answer; without cb, asks
 * for an ACK. */
static int netlink_request(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	unsigned int seq = (unsigned int)time(NULL), portid;
	int ret;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_flags |= NLM_F_REQUEST | (cb ? 0 : NLM_F_ACK);
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (ret < 0) {
		ret = -errno;
		goto out;
	}
	ret = mnl_cb_run(buf, (size_t)ret, seq, portid, cb, data);
	ret = ret < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return ret;
}

static int netlink_talk(struct nlmsghdr *nlh)
{
	return netlink_request(nlh, NULL, NULL);
}

int netlink_link_set(unsigned int ifindex, unsigned int mtu, bool up)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return netlink_talk(nlh);
}

int netlink_addr_add(unsigned int ifindex, struct in_addr addr, unsigned int prefix_len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix_len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(addr), &addr);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(addr), &addr);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NOPREFIXROUTE);
	return netlink_talk(nlh);
}

static struct nlmsghdr *route_message(char *buf, uint16_t type, unsigned int ifindex,
				      const struct ipv4_prefix *dst)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = type;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = dst->length;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, sizeof(dst->network), &dst->network);
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	return nlh;
}

int netlink_route_add(unsigned int ifindex, const struct ipv4_prefix *dst, struct in_addr src)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = route_message(buf, RTM_NEWROUTE, ifindex, dst);

	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	mnl_attr_put(nlh, RTA_PREFSRC, sizeof(src), &src);
	return netlink_talk(nlh);
}

int netlink_route_del(unsigned int ifindex, const struct ipv4_prefix *dst)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return netlink_talk(route_message(buf, RTM_DELROUTE, ifindex, dst));
}

static int metrics_attr(const struct nlattr *attr, void *data)
{
	unsigned int *mtu = data;

	if (mnl_attr_get_type(attr) == RTAX_MTU && mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		*mtu = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int route_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == RTA_METRICS &&
	    mnl_attr_validate(attr, MNL_TYPE_NESTED) == 0)
		mnl_attr_parse_nested(attr, metrics_attr, data);
	return MNL_CB_OK;
}

static int route_entry(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct rtmsg), route_attr, data) < 0 ? MNL_CB_ERROR
									       : MNL_CB_OK;
}

int netlink_route_mtu(const union endpoint *to)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	union endpoint dst = *to;
	struct rtmsg *rtm;
	unsigned int mtu = 0;
	int ret;

	endpoint_unmap_v4(&dst);
	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)dst.sa.sa_family;
	if (dst.sa.sa_family == AF_INET) {
		rtm->rtm_dst_len = 32;
		mnl_attr_put(nlh, RTA_DST, sizeof(dst.in.sin_addr), &dst.in.sin_addr);
	} else if (dst.sa.sa_family == AF_INET6) {
		rtm->rtm_dst_len = 128;
		mnl_attr_put(nlh, RTA_DST, sizeof(dst.in6.sin6_addr), &dst.in6.sin6_addr);
	} else {
		return -EAFNOSUPPORT;
	}
	ret = netlink_request(nlh, route_entry, &mtu);
	return ret < 0 ? ret : (int)mtu;
}

struct mnl_socket *netlink_monitor_open(void)
{
	struct mnl_socket *monitor = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (monitor &&
	    mnl_socket_bind(monitor, RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(monitor);
		return NULL;
	}
	return monitor;
}

int netlink_monitor_fd(struct mnl_socket *monitor)
{
	return mnl_socket_get_fd(monitor);
}

struct address_news {
	unsigned int skip_ifindex;
	int count;
};

static int address_change(const struct nlmsghdr *nlh, void *data)
{
	struct address_news *news = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	if ((nlh->nlmsg_type == RTM_NEWADDR || nlh->nlmsg_type == RTM_DELADDR) &&
	    ifa->ifa_index != news->skip_ifindex)
		news->count++;
	return MNL_CB_OK;
}

int netlink_monitor_read(struct mnl_socket *monitor, unsigned int skip_ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct address_news news = {.skip_ifindex = skip_ifindex};
	ssize_t len;

	/* Notifications have no sequence number or port to match. */
	while ((len = mnl_socket_recvfrom(monitor, buf, sizeof(buf))) > 0)
		if (mnl_cb_run(buf, (size_t)len, 0, 0, address_change, &news) < 0)
			break;
	if (len < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		return errno == ENOBUFS ? news.count + 1 : -errno; /* overrun: something changed */
	return news.count;
}

void netlink_monitor_close(struct mnl_socket *monitor)
{
	if (monitor)
		mnl_socket_close(monitor);
}

/* Segmentation of TUN super-packets (TCPv4 and UDPv4), and checksum completion. */
#include "gso.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

#include "checksum.h"
#include "ip_fields.h"

/* The kernel filled in the pseudo-header sum; the rest is ours. A zero
 * result is sent as 0xffff, as the kernel does (UDP reads 0 as "none"). */
static int complete_checksum(const struct virtio_net_hdr *hdr, uint8_t *packet, size_t len)
{
	size_t field = (size_t)hdr->csum_start + hdr->csum_offset;
	uint16_t checksum;

	if (hdr->csum_start >= len || field + 2 > len)
		return -EINVAL;
	checksum =
	    checksum_finish(checksum_add(0, packet + hdr->csum_start, len - hdr->csum_start));
	if (!checksum)
		checksum = 0xffff;
	memcpy(packet + field, &checksum, sizeof(checksum));
	return 0;
}

static int single_packet(struct gso_split *split, const struct virtio_net_hdr *hdr)
{
	if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		return complete_checksum(hdr, split->packet, split->len);
	return 0;
}

/* The headers of an IPv4 super-packet of the protocol the GSO type names. */
static int super_packet_headers(struct gso_split *split, uint8_t protocol)
{
	const uint8_t *ip = split->packet;
	size_t ip_len, l4_len;

	if (split->len < IPV4_HEADER_MIN)
		return -EINVAL;
	if (ip[0] >> 4 != 4)
		return (ip[0] >> 4 == 6) ? -EAFNOSUPPORT : -EINVAL;
	ip_len = (size_t)(ip[0] & 0x0f) * 4;
	if (ip_len < IPV4_HEADER_MIN || ip[9] != protocol ||
	    (load16(ip + 6) & IPV4_FRAGMENT_MASK) || split->len < ip_len + UDP_HEADER_LEN)
		return -EINVAL;
	if (protocol == IPPROTO_TCP) {
		if (split->len < ip_len + TCP_HEADER_MIN)
			return -EINVAL;
		l4_len = (size_t)(ip[ip_len + 12] >> 4) * 4;
		if (l4_len < TCP_HEADER_MIN)
			return -EINVAL;
	} else {
		l4_len = UDP_HEADER_LEN;
	}
	split->header_len = ip_len + l4_len;
	split->protocol = protocol;
	return split->len > split->header_len ? 0 : -EINVAL;
}

int gso_split_begin(struct gso_split *split, const struct virtio_net_hdr *hdr, uint8_t *packet,
		    size_t len)
{
	uint8_t type = hdr->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;

	memset(split, 0, sizeof(*split));
	split->packet = packet;
	split->len = len;
	if (type == VIRTIO_NET_HDR_GSO_NONE)
		return single_packet(split, hdr);
	if (!hdr->gso_size)
		return -EINVAL;
	split->segment_size = hdr->gso_size;
	if (type == VIRTIO_NET_HDR_GSO_TCPV4)
		return super_packet_headers(split, IPPROTO_TCP);
	if (type == VIRTIO_NET_HDR_GSO_UDP_L4)
		return super_packet_headers(split, IPPROTO_UDP);
	if (type == VIRTIO_NET_HDR_GSO_TCPV6)
		return -EAFNOSUPPORT;
	return -EINVAL;
}

static void fix_ipv4(uint8_t *ip, size_t ip_len, size_t total, unsigned int index)
{
	store16(ip + 4, (uint16_t)(load16(ip + 4) + index));
	ipv4_set_length(ip, ip_len, total);
}

static void fix_tcp(uint8_t *tcp, const struct gso_split *split, bool last)
{
	uint32_t seq;

	memcpy(&seq, tcp + 4, sizeof(seq));
	seq = htonl(ntohl(seq) + (uint32_t)split->offset);
	memcpy(tcp + 4, &seq, sizeof(seq));
	if (!last)
		tcp[TCP_FLAGS_OFFSET] &= (uint8_t) ~(TCP_FLAG_FIN | TCP_FLAG_PSH);
	if (split->index)
		tcp[TCP_FLAGS_OFFSET] &= (uint8_t)~TCP_FLAG_CWR;
}

static void fix_transport_checksum(uint8_t *ip, size_t ip_len, uint8_t protocol, size_t l4_len)
{
	size_t field =
	    ip_len + (protocol == IPPROTO_TCP ? TCP_CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET);
	uint64_t sum = checksum_pseudo_ipv4(ip + 12, ip + 16, protocol, (uint16_t)l4_len);
	uint16_t checksum;

	memset(ip + field, 0, 2);
	checksum = checksum_finish(checksum_add(sum, ip + ip_len, l4_len));
	if (!checksum && protocol == IPPROTO_UDP)
		checksum = 0xffff;
	memcpy(ip + field, &checksum, sizeof(checksum));
}

const uint8_t *gso_split_next(struct gso_split *split, uint8_t *scratch, size_t *len)
{
	size_t payload_len = split->len - split->header_len;
	size_t ip_len = (size_t)(split->packet[0] & 0x0f) * 4;
	size_t segment;
	bool last;

	if (!split->header_len) { /* a single packet, once */
		*len = split->len;
		return split->index++ ? NULL : split->packet;
	}
	if (split->offset >= payload_len)
		return NULL;
	segment = payload_len - split->offset;
	if (segment > split->segment_size)
		segment = split->segment_size;
	last = split->offset + segment == payload_len;
	memcpy(scratch, split->packet, split->header_len);
	memcpy(scratch + split->header_len, split->packet + split->header_len + split->offset,
	       segment);
	*len = split->header_len + segment;
	fix_ipv4(scratch, ip_len, *len, split->index);
	if (split->protocol == IPPROTO_TCP)
		fix_tcp(scratch + ip_len, split, last);
	else
		store16(scratch + ip_len + 4, (uint16_t)(*len - ip_len));
	fix_transport_checksum(scratch, ip_len, split->protocol, *len - ip_len);
	split->offset += segment;
	split->index++;
	return scratch;
}

/* TCPv4 receive coalescing for the TUN. */
#include "gro.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "checksum.h"
#include "ip_fields.h"

void gro_init(struct gro *gro)
{
	gro->len = 0;
	gro->count = 0;
}

static uint8_t *merged(struct gro *gro)
{
	return gro->buffer + VNET_HDR_LEN;
}

static const uint8_t *merged_const(const struct gro *gro)
{
	return gro->buffer + VNET_HDR_LEN;
}

/* The header length of a data segment that may merge, or 0. */
static size_t mergeable_header_len(const uint8_t *ip, size_t len)
{
	size_t tcp_len;

	if (len < IPV4_HEADER_MIN + TCP_HEADER_MIN || ip[0] != 0x45 || ip[9] != IPPROTO_TCP ||
	    load16(ip + 2) != len || (load16(ip + 6) & IPV4_FRAGMENT_MASK))
		return 0;
	tcp_len = (size_t)(ip[IPV4_HEADER_MIN + 12] >> 4) * 4;
	if (tcp_len < TCP_HEADER_MIN || IPV4_HEADER_MIN + tcp_len >= len)
		return 0; /* no payload */
	if ((ip[IPV4_HEADER_MIN + TCP_FLAGS_OFFSET] & (uint8_t)~TCP_FLAG_PSH) != TCP_FLAG_ACK)
		return 0;
	return IPV4_HEADER_MIN + tcp_len;
}

static uint32_t sequence_of(const uint8_t *ip)
{
	return load32(ip + IPV4_HEADER_MIN + 4);
}

static bool is_push(const uint8_t *ip)
{
	return ip[IPV4_HEADER_MIN + TCP_FLAGS_OFFSET] & TCP_FLAG_PSH;
}

/* Same flow, acknowledgement, window and options; the IP ID and the TTL
 * may differ, as Linux' GRO allows. */
static bool same_headers(const uint8_t *a, const uint8_t *b, size_t header_len)
{
	const uint8_t *ta = a + IPV4_HEADER_MIN, *tb = b + IPV4_HEADER_MIN;

	return a[1] == b[1] && !memcmp(a + 12, b + 12, 8) && !memcmp(ta, tb, 4) &&
	       !memcmp(ta + 8, tb + 8, 5) && !memcmp(ta + 14, tb + 14, 2) &&
	       !memcmp(ta + TCP_HEADER_MIN, tb + TCP_HEADER_MIN,
		       header_len - IPV4_HEADER_MIN - TCP_HEADER_MIN);
}

static void start_run(struct gro *gro, const uint8_t *packet, size_t len, size_t header_len)
{
	memcpy(merged(gro), packet, len);
	gro->len = len;
	gro->header_len = header_len;
	gro->segment_size = len - header_len;
	gro->count = 1;
	gro->next_seq = sequence_of(packet) + (uint32_t)gro->segment_size;
	gro->closed = is_push(packet);
}

static bool continues_run(const struct gro *gro, const uint8_t *packet, size_t len,
			  size_t header_len)
{
	size_t payload = len - header_len;

	return !gro->closed && header_len == gro->header_len && payload <= gro->segment_size &&
	       gro->len + payload <= VNET_MAX_PACKET && sequence_of(packet) == gro->next_seq &&
	       same_headers(merged_const(gro), packet, header_len);
}

bool gro_add(struct gro *gro, const uint8_t *packet, size_t len)
{
	size_t header_len = mergeable_header_len(packet, len);
	size_t payload = len - header_len;

	if (!header_len)
		return false;
	if (!gro->len) {
		start_run(gro, packet, len, header_len);
		return true;
	}
	if (!continues_run(gro, packet, len, header_len))
		return false;
	memcpy(merged(gro) + gro->len, packet + header_len, payload);
	gro->len += payload;
	gro->count++;
	gro->next_seq += (uint32_t)payload;
	if (is_push(packet)) {
		merged(gro)[IPV4_HEADER_MIN + TCP_FLAGS_OFFSET] |= TCP_FLAG_PSH;
		gro->closed = true;
	}
	gro->closed |= payload < gro->segment_size;
	return true;
}

/* One super-packet: the total length, a fresh IPv4 checksum, the TCP
 * checksum field primed with the pseudo-header sum for the kernel. */
static void describe_super_packet(struct gro *gro, struct virtio_net_hdr *hdr)
{
	uint8_t *ip = merged(gro);
	uint16_t checksum;

	ipv4_set_length(ip, IPV4_HEADER_MIN, gro->len);
	checksum = checksum_fold(checksum_pseudo_ipv4(ip + 12, ip + 16, IPPROTO_TCP,
						      (uint16_t)(gro->len - IPV4_HEADER_MIN)));
	memcpy(ip + IPV4_HEADER_MIN + TCP_CHECKSUM_OFFSET, &checksum, sizeof(checksum));
	hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	hdr->hdr_len = (uint16_t)gro->header_len;
	hdr->gso_size = (uint16_t)gro->segment_size;
	hdr->csum_start = IPV4_HEADER_MIN;
	hdr->csum_offset = TCP_CHECKSUM_OFFSET;
}

size_t gro_finish(struct gro *gro)
{
	struct virtio_net_hdr hdr = {0};
	size_t len = gro->len;

	if (!len)
		return 0;
	if (gro->count > 1)
		describe_super_packet(gro, &hdr);
	memcpy(gro->buffer, &hdr, sizeof(hdr));
	gro_init(gro);
	return VNET_HDR_LEN + len;
}

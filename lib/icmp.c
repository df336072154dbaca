/* ICMP "fragmentation needed" (see icmp.h). */
#include "icmp.h"

#include <string.h>

#include "checksum.h"
#include "ip_fields.h"

enum {
	IP_DONT_FRAGMENT = 0x4000,
	IP_FRAGMENT_OFFSET = 0x1fff,
	PROTO_ICMP = 1,
	ICMP_HEADER_LEN = 8,
	ICMP_UNREACH = 3,
	ICMP_FRAG_NEEDED = 4,
};

bool ipv4_dont_fragment(const uint8_t *packet, size_t len)
{
	return len >= IPV4_HEADER_MIN && packet[0] >> 4 == 4 &&
	       (load16(packet + 6) & IP_DONT_FRAGMENT);
}

/* ICMP errors (as opposed to queries such as echo) are never answered. */
static bool icmp_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* Not about a later fragment, nor about an ICMP error (RFC 1122 3.2.2). */
static bool answerable(const uint8_t *packet, size_t len, size_t header_len)
{
	if (len < IPV4_HEADER_MIN || packet[0] >> 4 != 4 || header_len < IPV4_HEADER_MIN ||
	    header_len >= len || (load16(packet + 6) & IP_FRAGMENT_OFFSET))
		return false;
	return packet[9] != PROTO_ICMP || !icmp_error(packet[header_len]);
}

size_t icmp_frag_needed(uint8_t *out, const uint8_t *packet, size_t len, struct in_addr from,
			uint16_t mtu)
{
	size_t header_len = len ? (size_t)(packet[0] & 0x0f) * 4 : 0;
	size_t quoted = len < ICMP_QUOTED_MAX ? len : ICMP_QUOTED_MAX;
	uint8_t *ip = out, *icmp = out + IPV4_HEADER_MIN;
	uint16_t checksum;

	if (!answerable(packet, len, header_len))
		return 0;
	memset(out, 0, IPV4_HEADER_MIN + ICMP_HEADER_LEN);
	ip[0] = 0x45;
	ip[1] = 0xc0; /* internetwork control, as routers send it */
	ip[8] = 64;
	ip[9] = PROTO_ICMP;
	memcpy(ip + 12, &from, 4);
	memcpy(ip + 16, packet + 12, 4); /* back to the packet's source */
	ipv4_set_length(ip, IPV4_HEADER_MIN, IPV4_HEADER_MIN + ICMP_HEADER_LEN + quoted);
	icmp[0] = ICMP_UNREACH;
	icmp[1] = ICMP_FRAG_NEEDED;
	store16(icmp + 6, mtu);
	memcpy(icmp + ICMP_HEADER_LEN, packet, quoted);
	checksum = checksum_finish(checksum_add(0, icmp, ICMP_HEADER_LEN + quoted));
	memcpy(icmp + 2, &checksum, sizeof(checksum));
	return IPV4_HEADER_MIN + ICMP_HEADER_LEN + quoted;
}

/* IPv4 fragmentation (see ipfrag.h). */
#include "ipfrag.h"

#include <stdbool.h>
#include <string.h>

#include "ip_fields.h"

enum {
	IPV4_HEADER_MAX = 60,
	IP_MORE_FRAGMENTS = 0x2000,
	IP_OFFSET_MASK = 0x1fff, /* in units of 8 bytes */
	IPOPT_END = 0,
	IPOPT_NOP = 1,
	IPOPT_COPIED = 0x80,
};

/* A later fragment's header: the first one's, with only the options that
 * ask to be copied, padded with end-of-list; returns its length. */
static size_t later_header(uint8_t *out, const uint8_t *ip, size_t header_len)
{
	size_t at = IPV4_HEADER_MIN, len = IPV4_HEADER_MIN;

	memcpy(out, ip, IPV4_HEADER_MIN);
	while (at < header_len && ip[at] != IPOPT_END) {
		size_t option_len = ip[at] == IPOPT_NOP ? 1 : 0;

		if (!option_len && at + 1 < header_len)
			option_len = ip[at + 1];
		if (option_len < 1 || option_len > header_len - at)
			break; /* malformed: the rest is not copied */
		if (ip[at] & IPOPT_COPIED) {
			memcpy(out + len, ip + at, option_len);
			len += option_len;
		}
		at += option_len;
	}
	while (len % 4)
		out[len++] = IPOPT_END;
	out[0] = (uint8_t)(0x40 | len / 4);
	return len;
}

size_t ipv4_fragment(const uint8_t *packet, size_t len, size_t mtu, uint8_t *scratch,
		     ipv4_fragment_fn *emit, void *ctx)
{
	size_t header_len = len ? (size_t)(packet[0] & 0x0f) * 4 : 0, data_len, done = 0;
	uint16_t field = len >= IPV4_HEADER_MIN ? load16(packet + 6) : 0;
	size_t first_offset = (size_t)(field & IP_OFFSET_MASK) * 8, count = 0;
	uint8_t header[IPV4_HEADER_MAX];

	if (len < IPV4_HEADER_MIN || packet[0] >> 4 != 4 || header_len < IPV4_HEADER_MIN ||
	    header_len > len || load16(packet + 2) != len || mtu < header_len + 8)
		return 0;
	data_len = len - header_len;
	if (first_offset + data_len > 0xffff)
		return 0;
	memcpy(header, packet, header_len);
	while (done < data_len) {
		size_t room = mtu - header_len;
		size_t piece = data_len - done <= room ? data_len - done : room & ~(size_t)7;
		bool more = done + piece < data_len || (field & IP_MORE_FRAGMENTS);
		uint16_t offset = (uint16_t)((first_offset + done) / 8);

		memcpy(scratch, header, header_len);
		memcpy(scratch + header_len, packet + (len - data_len) + done, piece);
		store16(scratch + 6, (uint16_t)((field & ~(IP_MORE_FRAGMENTS | IP_OFFSET_MASK)) |
						(more ? IP_MORE_FRAGMENTS : 0) | offset));
		ipv4_set_length(scratch, header_len, header_len + piece);
		emit(ctx, scratch, header_len + piece);
		count++;
		done += piece;
		if (count == 1)
			header_len = later_header(header, packet, header_len);
	}
	return count;
}

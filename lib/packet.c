/* Classifying inner packets; every length is checked against the buffer. */
#include "packet.h"

#include <arpa/inet.h>
#include <string.h>

enum { IPV4_MIN_HEADER = 20, IPV6_HEADER = 40 };

struct inner_packet packet_classify(const uint8_t *data, size_t len)
{
	struct inner_packet p = {.kind = INNER_INVALID};
	uint16_t total;

	if (len == 0) {
		p.kind = INNER_KEEPALIVE;
		return p;
	}
	switch (data[0] >> 4) {
	case 4:
		if (len < IPV4_MIN_HEADER || (data[0] & 0x0f) * 4 < IPV4_MIN_HEADER)
			return p;
		total = (uint16_t)(data[2] << 8 | data[3]);
		if (total < (data[0] & 0x0f) * 4 || total > len)
			return p;
		p.kind = INNER_IPV4;
		p.length = total;
		memcpy(&p.src, data + 12, 4);
		memcpy(&p.dst, data + 16, 4);
		return p;
	case 6:
		if (len < IPV6_HEADER)
			return p;
		total = (uint16_t)(data[4] << 8 | data[5]);
		if ((size_t)total + IPV6_HEADER > len)
			return p;
		p.kind = INNER_IPV6;
		p.length = (size_t)total + IPV6_HEADER;
		return p;
	default:
		p.kind = INNER_CONTROL;
		p.control_type = data[0];
		p.length = len;
		return p;
	}
}

/* STUN Binding requests and responses; see stun.h. */
#include "stun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_header(uint8_t *buf, uint16_t type, uint16_t length,
		       const uint8_t txid[STUN_TXID_LEN])
{
	uint32_t cookie = htonl(STUN_MAGIC_COOKIE);

	put16(buf, type);
	put16(buf + 2, length);
	memcpy(buf + 4, &cookie, 4);
	memcpy(buf + 8, txid, STUN_TXID_LEN);
}

bool stun_is_message(const uint8_t *buf, size_t len)
{
	uint32_t cookie;

	if (len < STUN_HEADER_LEN || (buf[0] & 0xc0) || (get16(buf + 2) & 3) ||
	    get16(buf + 2) != len - STUN_HEADER_LEN)
		return false;
	memcpy(&cookie, buf + 4, 4);
	return ntohl(cookie) == STUN_MAGIC_COOKIE;
}

int stun_build_request(uint8_t *buf, size_t len, const uint8_t txid[STUN_TXID_LEN])
{
	if (len < STUN_HEADER_LEN)
		return -EINVAL;
	put_header(buf, STUN_BINDING_REQUEST, 0, txid);
	return STUN_HEADER_LEN;
}

int stun_parse_request(const uint8_t *buf, size_t len, uint8_t txid[STUN_TXID_LEN])
{
	if (!stun_is_message(buf, len) || get16(buf) != STUN_BINDING_REQUEST)
		return -EINVAL;
	memcpy(txid, buf + 8, STUN_TXID_LEN);
	return 0;
}

/* XOR with the magic cookie (and, for IPv6 addresses, the transaction ID). */
static void xor_address(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t *header)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = src[i] ^ header[4 + i];
}

int stun_build_response(uint8_t *buf, size_t len, const uint8_t txid[STUN_TXID_LEN],
			const union endpoint *mapped)
{
	bool v4 = mapped->sa.sa_family == AF_INET;
	size_t addr_len = v4 ? 4 : 16, value_len = 4 + addr_len;
	const uint8_t *addr =
	    v4 ? (const uint8_t *)&mapped->in.sin_addr : (const uint8_t *)&mapped->in6.sin6_addr;
	uint16_t port = ntohs(v4 ? mapped->in.sin_port : mapped->in6.sin6_port);
	uint8_t *attr = buf + STUN_HEADER_LEN;

	if (len < STUN_HEADER_LEN + 4 + value_len)
		return -EINVAL;
	put_header(buf, STUN_BINDING_SUCCESS, (uint16_t)(4 + value_len), txid);
	put16(attr, STUN_ATTR_XOR_MAPPED_ADDRESS);
	put16(attr + 2, (uint16_t)value_len);
	attr[4] = 0;
	attr[5] = v4 ? 1 : 2;
	put16(attr + 6, port ^ (STUN_MAGIC_COOKIE >> 16));
	xor_address(attr + 8, addr, addr_len, buf);
	return (int)(STUN_HEADER_LEN + 4 + value_len);
}

static int parse_address(const uint8_t *value, size_t len, bool xored, const uint8_t *header,
			 union endpoint *mapped)
{
	uint8_t family = len >= 4 ? value[1] : 0;
	uint16_t port;

	memset(mapped, 0, sizeof(*mapped));
	if (!((family == 1 && len == 8) || (family == 2 && len == 20)))
		return -EINVAL;
	port = get16(value + 2) ^ (xored ? (uint16_t)(STUN_MAGIC_COOKIE >> 16) : 0);
	if (family == 1) {
		mapped->in.sin_family = AF_INET;
		mapped->in.sin_port = htons(port);
		if (xored)
			xor_address((uint8_t *)&mapped->in.sin_addr, value + 4, 4, header);
		else
			memcpy(&mapped->in.sin_addr, value + 4, 4);
	} else {
		mapped->in6.sin6_family = AF_INET6;
		mapped->in6.sin6_port = htons(port);
		if (xored)
			xor_address((uint8_t *)&mapped->in6.sin6_addr, value + 4, 16, header);
		else
			memcpy(&mapped->in6.sin6_addr, value + 4, 16);
	}
	return 0;
}

int stun_parse_response(const uint8_t *buf, size_t len, uint8_t txid[STUN_TXID_LEN],
			union endpoint *mapped)
{
	int found = -EINVAL;

	if (!stun_is_message(buf, len) || get16(buf) != STUN_BINDING_SUCCESS)
		return -EINVAL;
	memcpy(txid, buf + 8, STUN_TXID_LEN);
	for (size_t pos = STUN_HEADER_LEN; pos + 4 <= len;) {
		uint16_t type = get16(buf + pos), value_len = get16(buf + pos + 2);

		if (pos + 4 + value_len > len)
			return -EINVAL;
		if (type == STUN_ATTR_XOR_MAPPED_ADDRESS)
			return parse_address(buf + pos + 4, value_len, true, buf, mapped);
		if (type == STUN_ATTR_MAPPED_ADDRESS && found)
			found = parse_address(buf + pos + 4, value_len, false, buf, mapped);
		pos += 4 + ((value_len + 3u) & ~3u);
	}
	return found;
}

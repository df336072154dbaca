/* base64 for keys, secrets and certificates, strict about its input. */
#include "base64.h"

#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_encode(char *dst, const uint8_t *src, size_t len)
{
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
		*dst++ = alphabet[v >> 18];
		*dst++ = alphabet[(v >> 12) & 63];
		*dst++ = alphabet[(v >> 6) & 63];
		*dst++ = alphabet[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)src[i] << 16 | (i + 1 < len ? (uint32_t)src[i + 1] << 8 : 0);
		*dst++ = alphabet[v >> 18];
		*dst++ = alphabet[(v >> 12) & 63];
		*dst++ = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
		*dst++ = '=';
	}
	*dst = '\0';
}

static int decode_char(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

long base64_decode(uint8_t *dst, size_t max_len, const char *src)
{
	size_t src_len = strlen(src), out = 0;

	if (src_len % 4)
		return -1;
	for (size_t i = 0; i < src_len; i += 4) {
		int pad = (src[i + 2] == '=') + (src[i + 3] == '=');
		int c[4];
		uint32_t v = 0;

		if (pad && i + 4 != src_len)
			return -1;
		if (src[i + 3] != '=' && src[i + 2] == '=')
			return -1;
		for (int j = 0; j < 4; j++) {
			c[j] = j >= 4 - pad ? 0 : decode_char(src[i + j]);
			if (c[j] < 0)
				return -1;
			v = v << 6 | (uint32_t)c[j];
		}
		for (int j = 0; j < 3 - pad; j++) {
			if (out >= max_len)
				return -1;
			dst[out++] = (uint8_t)(v >> (16 - 8 * j));
		}
	}
	return (long)out;
}

int base64_decode_exact(uint8_t *dst, size_t len, const char *src)
{
	uint8_t buf[1024];
	long n;

	if (len > sizeof(buf) || strlen(src) != BASE64_LEN(len))
		return -1;
	n = base64_decode(buf, sizeof(buf), src);
	if (n != (long)len)
		return -1;
	memcpy(dst, buf, len);
	return 0;
}

/* The Internet checksum, 8 bytes at a time. */
#include "checksum.h"

#include <string.h>

static uint64_t add_carry(uint64_t sum, uint64_t word)
{
	sum += word;
	return sum + (sum < word); /* the end-around carry */
}

uint64_t checksum_add(uint64_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t word;

	for (; len >= 32; p += 32, len -= 32) {
		uint64_t w[4];

		memcpy(w, p, sizeof(w));
		sum = add_carry(sum, w[0]);
		sum = add_carry(sum, w[1]);
		sum = add_carry(sum, w[2]);
		sum = add_carry(sum, w[3]);
	}
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&word, p, 8);
		sum = add_carry(sum, word);
	}
	if (len) {
		/* The tail, zero padded to a word: an odd last byte is the high
		 * half of a 16-bit word in network order. */
		uint8_t tail[8] = {0};

		memcpy(tail, p, len);
		memcpy(&word, tail, 8);
		sum = add_carry(sum, word);
	}
	return sum;
}

uint64_t checksum_pseudo_ipv4(const uint8_t src[4], const uint8_t dst[4], uint8_t protocol,
			      uint16_t length)
{
	uint8_t header[12];

	memcpy(header, src, 4);
	memcpy(header + 4, dst, 4);
	header[8] = 0;
	header[9] = protocol;
	header[10] = (uint8_t)(length >> 8);
	header[11] = (uint8_t)length;
	return checksum_add(0, header, sizeof(header));
}

uint16_t checksum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t checksum_finish(uint64_t sum)
{
	return (uint16_t)~checksum_fold(sum);
}

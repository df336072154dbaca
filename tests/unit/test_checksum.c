/* The Internet checksum: RFC 1071's example, a real IPv4 header, and the
 * 64-bit summing against a plain 16-bit reference at every length. */
#include "vectors.h"

#include <stdlib.h>

#include "checksum.h"

static uint16_t reference(const uint8_t *data, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(data[i] << 8 | data[i + 1]);
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t network_order(uint16_t stored)
{
	uint8_t b[2];

	memcpy(b, &stored, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void test_rfc1071_example(void **state)
{
	const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	(void)state;
	assert_int_equal(network_order(checksum_fold(checksum_add(0, data, sizeof(data)))), 0xddf2);
	assert_int_equal(network_order(checksum_finish(checksum_add(0, data, sizeof(data)))),
			 0x220d);
}

static void test_ipv4_header(void **state)
{
	uint8_t header[20];

	(void)state;
	hex_decode(header, sizeof(header), "450000730000400040110000c0a80001c0a800c7");
	assert_int_equal(network_order(checksum_finish(checksum_add(0, header, 20))), 0xb861);
	header[10] = 0xb8, header[11] = 0x61; /* a valid header sums to all ones */
	assert_int_equal(checksum_fold(checksum_add(0, header, 20)), 0xffff);
}

static void test_against_reference(void **state)
{
	uint8_t data[1600];

	(void)state;
	srand(7);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rand();
	for (size_t len = 0; len <= sizeof(data); len++) {
		size_t cut = (len / 3) & ~(size_t)1; /* two calls, the first even */
		uint64_t sum = checksum_add(checksum_add(0, data, cut), data + cut, len - cut);

		assert_int_equal(network_order(checksum_finish(sum)), reference(data, len));
	}
}

static void test_pseudo_header(void **state)
{
	const uint8_t src[4] = {10, 26, 0, 1}, dst[4] = {10, 26, 0, 2};
	uint8_t bytes[12] = {10, 26, 0, 1, 10, 26, 0, 2, 0, 6, 0x05, 0xdc};

	(void)state;
	assert_int_equal(checksum_fold(checksum_pseudo_ipv4(src, dst, 6, 1500)),
			 checksum_fold(checksum_add(0, bytes, sizeof(bytes))));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc1071_example),
	    cmocka_unit_test(test_ipv4_header),
	    cmocka_unit_test(test_against_reference),
	    cmocka_unit_test(test_pseudo_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

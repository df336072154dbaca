/* IPv4 fragmentation: fragments that fit, that a receiver reassembles to
 * the packet, with the options RFC 791 copies; and packets it must refuse. */
#include "vectors.h"

#include <stdbool.h>

#include "checksum.h"
#include "ipfrag.h"

enum { MAX_FRAGMENTS = 16 };

struct fragments {
	size_t count;
	size_t len[MAX_FRAGMENTS];
	uint8_t data[MAX_FRAGMENTS][1500];
};

static void keep(void *ctx, const uint8_t *fragment, size_t len)
{
	struct fragments *all = ctx;

	assert_true(all->count < MAX_FRAGMENTS && len <= sizeof(all->data[0]));
	memcpy(all->data[all->count], fragment, len);
	all->len[all->count++] = len;
}

/* A UDP packet from 10.26.0.1 to 10.26.0.2 without DF; options (a multiple
 * of 4 bytes) after the fixed header. */
static size_t make_packet(uint8_t *p, size_t len, uint16_t flags_offset, const uint8_t *options,
			  size_t options_len)
{
	size_t header_len = 20 + options_len;

	memset(p, 0, len);
	p[0] = (uint8_t)(0x40 | header_len / 4);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = 0x12;
	p[5] = 0x34;
	p[6] = (uint8_t)(flags_offset >> 8);
	p[7] = (uint8_t)flags_offset;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, (uint8_t[]){10, 26, 0, 1}, 4);
	memcpy(p + 16, (uint8_t[]){10, 26, 0, 2}, 4);
	if (options_len)
		memcpy(p + 20, options, options_len);
	for (size_t i = header_len; i < len; i++)
		p[i] = (uint8_t)(i * 7);
	return header_len;
}

static size_t header_len_of(const uint8_t *fragment)
{
	return (size_t)(fragment[0] & 0x0f) * 4;
}

static uint16_t field(const uint8_t *fragment, size_t at)
{
	return (uint16_t)(fragment[at] << 8 | fragment[at + 1]);
}

/* Every fragment fits and is a valid IPv4 packet; put together by offset
 * they are the packet's data; only the last (of an unfragmented packet)
 * has no "more fragments". */
static void check_reassembles(const struct fragments *all, const uint8_t *packet, size_t len,
			      size_t mtu, uint16_t first_offset, bool more_after)
{
	size_t header_len = header_len_of(packet), data_len = len - header_len, covered = 0;

	for (size_t i = 0; i < all->count; i++) {
		const uint8_t *f = all->data[i];
		size_t f_header = header_len_of(f), f_data = all->len[i] - f_header;
		size_t offset = (size_t)(field(f, 6) & 0x1fff) * 8 - first_offset * 8U;
		bool more = field(f, 6) & 0x2000;

		assert_true(all->len[i] <= mtu);
		assert_int_equal(field(f, 2), all->len[i]);
		assert_int_equal(checksum_fold(checksum_add(0, f, f_header)), 0xffff);
		assert_memory_equal(f + 4, packet + 4, 2); /* the identification */
		assert_memory_equal(f + 8, packet + 8, 2); /* TTL and protocol */
		assert_memory_equal(f + 12, packet + 12, 8);
		assert_int_equal(field(f, 6) & 0x4000, 0);
		assert_int_equal(offset, covered);
		if (i + 1 < all->count)
			assert_int_equal(f_data % 8, 0);
		assert_int_equal(more, i + 1 < all->count || more_after);
		assert_memory_equal(f + f_header, packet + header_len + covered, f_data);
		covered += f_data;
	}
	assert_int_equal(covered, data_len);
}

static void test_cut_to_fit(void **state)
{
	static const size_t mtus[] = {576, 1232, 1280, 1399};
	uint8_t packet[1420];
	struct fragments all;

	make_packet(packet, sizeof(packet), 0, NULL, 0);
	for (size_t i = 0; i < sizeof(mtus) / sizeof(mtus[0]); i++) {
		size_t emitted;

		memset(&all, 0, sizeof(all));
		emitted = ipv4_fragment(packet, sizeof(packet), mtus[i], (uint8_t[1500]){0}, keep,
					&all);
		assert_int_equal(emitted, all.count);
		assert_int_equal(all.count, mtus[i] == 576 ? 3 : 2);
		check_reassembles(&all, packet, sizeof(packet), mtus[i], 0, false);
	}
}

/* A fragment cut again: its offsets continue from its own, and "more
 * fragments" stays on all of them when it was not the last. */
static void test_fragment_of_fragment(void **state)
{
	uint8_t packet[1020];
	struct fragments all = {0};

	make_packet(packet, sizeof(packet), 0x2000 | 100, NULL, 0);
	assert_int_equal(ipv4_fragment(packet, sizeof(packet), 600, (uint8_t[1500]){0}, keep, &all),
			 2);
	check_reassembles(&all, packet, sizeof(packet), 600, 100, true);
	assert_int_equal(field(all.data[0], 6) & 0x1fff, 100);
}

/* Options with the copied flag (here loose source route, 0x83) go into
 * every fragment; the others (record route, 0x07) only into the first. */
static void test_options(void **state)
{
	static const uint8_t options[] = {0x83, 7, 4, 10, 26, 0, 9, /**/ 0x07, 7, 4, 0, 0, 0, 0,
					  0x01, 0x00};
	uint8_t packet[1000];
	struct fragments all = {0};
	size_t header_len = make_packet(packet, sizeof(packet), 0, options, sizeof(options));

	assert_int_equal(header_len, 36);
	assert_int_equal(ipv4_fragment(packet, sizeof(packet), 500, (uint8_t[1500]){0}, keep, &all),
			 3);
	check_reassembles(&all, packet, sizeof(packet), 500, 0, false);
	assert_int_equal(header_len_of(all.data[0]), 36);
	assert_memory_equal(all.data[0] + 20, options, sizeof(options));
	for (size_t i = 1; i < all.count; i++) {
		assert_int_equal(header_len_of(all.data[i]), 28);
		assert_memory_equal(all.data[i] + 20, options, 7);
		assert_int_equal(all.data[i][27], 0); /* end of list */
	}
}

static void test_refused(void **state)
{
	uint8_t packet[1420], scratch[1500];
	struct fragments all = {0};

	make_packet(packet, sizeof(packet), 0, NULL, 0);
	/* Its total length is not what arrived. */
	assert_int_equal(ipv4_fragment(packet, sizeof(packet) - 1, 1280, scratch, keep, &all), 0);
	/* No room for 8 bytes of data after the header. */
	assert_int_equal(ipv4_fragment(packet, sizeof(packet), 27, scratch, keep, &all), 0);
	/* Not IPv4; a header longer than the packet; offset past 64 KiB. */
	packet[0] = 0x65;
	assert_int_equal(ipv4_fragment(packet, sizeof(packet), 1280, scratch, keep, &all), 0);
	packet[0] = 0x4f;
	assert_int_equal(ipv4_fragment(packet, 40, 1280, scratch, keep, &all), 0);
	make_packet(packet, sizeof(packet), 0x1fff, NULL, 0);
	assert_int_equal(ipv4_fragment(packet, sizeof(packet), 1280, scratch, keep, &all), 0);
	assert_int_equal(all.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cut_to_fit),
	    cmocka_unit_test(test_fragment_of_fragment),
	    cmocka_unit_test(test_options),
	    cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

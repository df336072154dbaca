/* Merging TCP segments for the TUN: what merges, what ends a run, and the
 * super-packet the kernel is handed. */
#include "packets.h"

#include <stdlib.h>

#include "gro.h"

enum { ACK = 0x10, PSH = 0x08, SYN = 0x02, MSS = 1000 };

static struct gro *gro;
static uint8_t packet[VNET_MAX_PACKET];

static int setup(void **state)
{
	(void)state;
	gro = malloc(sizeof(*gro));
	gro_init(gro);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(gro);
	return 0;
}

/* The n-th full segment of the stream. */
static size_t segment(unsigned int n, uint8_t flags, size_t payload)
{
	return tcp_packet(packet, 5000 + n * MSS, flags, n * MSS, payload);
}

static struct virtio_net_hdr header_of(const uint8_t *out)
{
	struct virtio_net_hdr hdr;

	memcpy(&hdr, out, sizeof(hdr));
	return hdr;
}

static void test_run_merges(void **state)
{
	size_t len, out_len;
	struct virtio_net_hdr hdr;
	const uint8_t *ip = gro->buffer + VNET_HDR_LEN;
	uint16_t check;

	(void)state;
	for (unsigned int n = 0; n < 4; n++) {
		len = segment(n, n == 3 ? ACK | PSH : ACK, n == 3 ? 400 : MSS);
		assert_true(gro_add(gro, packet, len));
	}
	assert_false(gro_add(gro, packet, segment(4, ACK, MSS))); /* PSH ended the run */
	out_len = gro_finish(gro);
	hdr = header_of(gro->buffer);
	assert_int_equal(out_len, VNET_HDR_LEN + TEST_TCP_HEADER + 3 * MSS + 400);
	assert_int_equal(hdr.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(hdr.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(hdr.gso_size, MSS);
	assert_int_equal(hdr.hdr_len, TEST_TCP_HEADER);
	assert_int_equal(hdr.csum_start, 20);
	assert_int_equal(hdr.csum_offset, 16);
	assert_int_equal(get16(ip + 2), out_len - VNET_HDR_LEN);
	assert_int_equal(checksum_fold(checksum_add(0, ip, 20)), 0xffff);
	assert_int_equal(get32(ip + 24), 5000);
	assert_int_equal(ip[33], ACK | PSH);
	for (size_t i = 0; i < 3 * MSS + 400; i++)
		assert_int_equal(ip[TEST_TCP_HEADER + i], payload_byte(i));
	/* The kernel completes the checksum from the primed pseudo-header sum. */
	check = checksum_finish(checksum_add(0, ip + 20, out_len - VNET_HDR_LEN - 20));
	memcpy(gro->buffer + VNET_HDR_LEN + 36, &check, 2);
	assert_checksums_valid(ip, out_len - VNET_HDR_LEN);
	assert_int_equal(gro_finish(gro), 0);
}

static void test_single_segment_unchanged(void **state)
{
	size_t len = segment(0, ACK, MSS), out_len;
	uint8_t copy[TEST_TCP_HEADER + MSS];

	(void)state;
	memcpy(copy, packet, len);
	assert_true(gro_add(gro, packet, len));
	out_len = gro_finish(gro);
	assert_int_equal(out_len, VNET_HDR_LEN + len);
	assert_int_equal(header_of(gro->buffer).gso_type, VIRTIO_NET_HDR_GSO_NONE);
	assert_int_equal(header_of(gro->buffer).flags, 0);
	assert_memory_equal(gro->buffer + VNET_HDR_LEN, copy, len);
}

static void test_what_does_not_merge(void **state)
{
	(void)state;
	assert_false(gro_add(gro, packet, segment(0, ACK, 0)));		/* no payload */
	assert_false(gro_add(gro, packet, segment(0, SYN | ACK, MSS))); /* flags */
	assert_true(gro_add(gro, packet, segment(0, ACK, MSS)));
	assert_false(gro_add(gro, packet, segment(2, ACK, MSS))); /* a gap */
	segment(1, ACK, MSS);
	packet[35] ^= 1; /* another acknowledgement */
	assert_false(gro_add(gro, packet, TEST_TCP_HEADER + MSS));
	segment(1, ACK, MSS);
	packet[21] ^= 1; /* another source port */
	assert_false(gro_add(gro, packet, TEST_TCP_HEADER + MSS));
	segment(1, ACK, MSS);
	packet[47] ^= 1; /* another timestamp */
	assert_false(gro_add(gro, packet, TEST_TCP_HEADER + MSS));
	assert_false(gro_add(gro, packet, segment(1, ACK, MSS + 1))); /* longer than the first */
	assert_true(gro_add(gro, packet, segment(1, ACK, MSS - 1)));
	assert_false(gro_add(gro, packet, segment(2, ACK, MSS))); /* after a short one */
	segment(0, ACK, MSS);
	packet[2] ^= 1; /* the IP length lies */
	assert_false(gro_add(gro, packet, TEST_TCP_HEADER + MSS));
}

static void test_size_limit(void **state)
{
	unsigned int n = 0;

	(void)state;
	while (gro_add(gro, packet, segment(n, ACK, MSS)))
		n++;
	assert_int_equal(n, (VNET_MAX_PACKET - TEST_TCP_HEADER) / MSS);
	assert_true(gro_finish(gro) - VNET_HDR_LEN <= VNET_MAX_PACKET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_run_merges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_single_segment_unchanged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_what_does_not_merge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_size_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

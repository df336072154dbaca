/* Cutting TUN super-packets: every segment a valid packet of its own,
 * together the stream that was read; bad headers refused. */
#include "packets.h"

#include <netinet/in.h>

#include "gso.h"

static uint8_t packet[VNET_MAX_PACKET], scratch[VNET_MAX_PACKET];

static struct virtio_net_hdr gso_header(uint8_t type, uint16_t size, uint16_t header_len,
					uint16_t csum_offset)
{
	struct virtio_net_hdr hdr = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				     .gso_type = type,
				     .hdr_len = header_len,
				     .gso_size = size,
				     .csum_start = 20,
				     .csum_offset = csum_offset};
	return hdr;
}

static void test_tcp_segments(void **state)
{
	const size_t payload = 5000, mss = 1400;
	size_t len =
	    tcp_packet(packet, 7000, 0x10 | 0x08 | 0x01 | 0x80, 0, payload); /* ACK PSH FIN CWR */
	struct virtio_net_hdr hdr = gso_header(VIRTIO_NET_HDR_GSO_TCPV4, mss, TEST_TCP_HEADER, 16);
	struct gso_split split;
	const uint8_t *seg;
	size_t seg_len, offset = 0;
	unsigned int n = 0;

	(void)state;
	assert_int_equal(gso_split_begin(&split, &hdr, packet, len), 0);
	while ((seg = gso_split_next(&split, scratch, &seg_len))) {
		size_t body = seg_len - TEST_TCP_HEADER;
		bool last = offset + body == payload;

		assert_int_equal(body, last ? payload % mss : mss);
		assert_int_equal(get16(seg + 2), seg_len);
		assert_int_equal(get16(seg + 4), 0x1000 + n);
		assert_int_equal(get32(seg + 24), 7000 + offset);
		assert_int_equal(seg[33] & 0x09, last ? 0x09 : 0); /* PSH FIN on the last */
		assert_int_equal(seg[33] & 0x80, n ? 0 : 0x80);	   /* CWR on the first */
		assert_memory_equal(seg + 40, packet + 40, TEST_TCP_OPTIONS);
		for (size_t i = 0; i < body; i++)
			assert_int_equal(seg[TEST_TCP_HEADER + i], payload_byte(offset + i));
		assert_checksums_valid(seg, seg_len);
		offset += body;
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(offset, payload);
}

static void test_udp_segments(void **state)
{
	const size_t payload = 3000, size = 1200;
	struct virtio_net_hdr hdr = gso_header(VIRTIO_NET_HDR_GSO_UDP_L4, size, 28, 6);
	struct gso_split split;
	const uint8_t *seg;
	size_t seg_len, offset = 0;

	(void)state;
	ipv4_header(packet, IPPROTO_UDP, 28 + payload);
	put16(packet + 20, 4000), put16(packet + 22, 53);
	for (size_t i = 0; i < payload; i++)
		packet[28 + i] = payload_byte(i);
	assert_int_equal(gso_split_begin(&split, &hdr, packet, 28 + payload), 0);
	while ((seg = gso_split_next(&split, scratch, &seg_len))) {
		assert_int_equal(get16(seg + 24), seg_len - 20); /* the UDP length */
		assert_memory_equal(seg + 28, packet + 28 + offset, seg_len - 28);
		assert_checksums_valid(seg, seg_len);
		offset += seg_len - 28;
	}
	assert_int_equal(offset, payload);
}

/* The kernel leaves the pseudo-header sum in the field; the rest is ours. */
static void test_checksum_completed(void **state)
{
	size_t len = tcp_packet(packet, 1, 0x18, 0, 333);
	uint16_t partial = checksum_fold(
	    checksum_pseudo_ipv4(packet + 12, packet + 16, IPPROTO_TCP, (uint16_t)(len - 20)));
	struct virtio_net_hdr hdr = {
	    .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20, .csum_offset = 16};
	struct gso_split split;
	size_t out_len;

	(void)state;
	memcpy(packet + 36, &partial, 2);
	assert_int_equal(gso_split_begin(&split, &hdr, packet, len), 0);
	assert_ptr_equal(gso_split_next(&split, scratch, &out_len), packet);
	assert_int_equal(out_len, len);
	assert_null(gso_split_next(&split, scratch, &out_len));
	assert_checksums_valid(packet, len);
}

static void test_bad_headers(void **state)
{
	size_t len = tcp_packet(packet, 1, 0x10, 0, 3000);
	struct virtio_net_hdr hdr = gso_header(VIRTIO_NET_HDR_GSO_TCPV4, 1000, TEST_TCP_HEADER, 16);
	struct gso_split split;

	(void)state;
	hdr.gso_size = 0;
	assert_int_equal(gso_split_begin(&split, &hdr, packet, len), -EINVAL);
	hdr.gso_size = 1000;
	hdr.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4; /* the packet is TCP */
	assert_int_equal(gso_split_begin(&split, &hdr, packet, len), -EINVAL);
	hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	assert_int_equal(gso_split_begin(&split, &hdr, packet, len), -EAFNOSUPPORT);
	hdr.gso_type = 99;
	assert_int_equal(gso_split_begin(&split, &hdr, packet, len), -EINVAL);
	hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	assert_int_equal(gso_split_begin(&split, &hdr, packet, TEST_TCP_HEADER), -EINVAL);
	assert_int_equal(gso_split_begin(&split, &hdr, packet, 30), -EINVAL);
	packet[32] = 0x40; /* a TCP header of 16 bytes */
	assert_int_equal(gso_split_begin(&split, &hdr, packet, len), -EINVAL);
	hdr = (struct virtio_net_hdr){
	    .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20, .csum_offset = 3040};
	assert_int_equal(gso_split_begin(&split, &hdr, packet, len), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp_segments),
	    cmocka_unit_test(test_udp_segments),
	    cmocka_unit_test(test_checksum_completed),
	    cmocka_unit_test(test_bad_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

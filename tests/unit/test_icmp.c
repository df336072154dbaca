/* ICMP "fragmentation needed": what the TUN gets back for a packet too big
 * for its path, and the packets that must get nothing. */
#include "vectors.h"

#include <arpa/inet.h>

#include "checksum.h"
#include "icmp.h"

enum { PACKET = 1420 };

/* An IPv4 TCP packet from 10.26.0.1 to 10.26.0.2 with DF, and a payload. */
static void make_packet(uint8_t *p, size_t len, uint8_t protocol, uint16_t flags_offset)
{
	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[6] = (uint8_t)(flags_offset >> 8);
	p[7] = (uint8_t)flags_offset;
	p[8] = 64;
	p[9] = protocol;
	memcpy(p + 12, (uint8_t[]){10, 26, 0, 1}, 4);
	memcpy(p + 16, (uint8_t[]){10, 26, 0, 2}, 4);
	for (size_t i = 20; i < len; i++)
		p[i] = (uint8_t)i;
}

static void test_frag_needed(void **state)
{
	uint8_t packet[PACKET], out[ICMP_FRAG_NEEDED_MAX];
	struct in_addr from;
	size_t len;

	make_packet(packet, sizeof(packet), 6, 0x4000);
	inet_pton(AF_INET, "10.26.0.2", &from);
	assert_true(ipv4_dont_fragment(packet, sizeof(packet)));
	len = icmp_frag_needed(out, packet, sizeof(packet), from, 1360);
	assert_int_equal(len, 576);
	/* IPv4: from the peer to the packet's source, ICMP, both checksums valid. */
	assert_int_equal(out[0], 0x45);
	assert_int_equal(out[2] << 8 | out[3], 576);
	assert_int_equal(out[9], 1);
	assert_memory_equal(out + 12, &from, 4);
	assert_memory_equal(out + 16, packet + 12, 4);
	assert_int_equal(checksum_finish(checksum_add(0, out, 20)), 0);
	assert_int_equal(checksum_finish(checksum_add(0, out + 20, len - 20)), 0);
	/* Type 3, code 4, the next-hop MTU, and the packet's start quoted. */
	assert_int_equal(out[20], 3);
	assert_int_equal(out[21], 4);
	assert_int_equal(out[26] << 8 | out[27], 1360);
	assert_memory_equal(out + 28, packet, ICMP_QUOTED_MAX);
	/* A short packet is quoted whole. */
	make_packet(packet, 60, 17, 0x4000);
	assert_int_equal(icmp_frag_needed(out, packet, 60, from, 1360), 20 + 8 + 60);
	assert_memory_equal(out + 28, packet, 60);
}

static void test_nothing_to_answer(void **state)
{
	uint8_t packet[PACKET], out[ICMP_FRAG_NEEDED_MAX];
	struct in_addr from = {0};

	make_packet(packet, sizeof(packet), 6, 0);
	assert_false(ipv4_dont_fragment(packet, sizeof(packet)));
	make_packet(packet, sizeof(packet), 6, 0x4000 | 185); /* a later fragment */
	assert_int_equal(icmp_frag_needed(out, packet, sizeof(packet), from, 1360), 0);
	make_packet(packet, sizeof(packet), 1, 0x4000);
	packet[20] = 3; /* an ICMP error */
	assert_int_equal(icmp_frag_needed(out, packet, sizeof(packet), from, 1360), 0);
	packet[20] = 8; /* an echo request is answered */
	assert_int_equal(icmp_frag_needed(out, packet, sizeof(packet), from, 1360), 576);
	packet[0] = 0x60; /* IPv6 */
	assert_false(ipv4_dont_fragment(packet, sizeof(packet)));
	assert_int_equal(icmp_frag_needed(out, packet, sizeof(packet), from, 1360), 0);
	make_packet(packet, sizeof(packet), 6, 0x4000);
	assert_int_equal(icmp_frag_needed(out, packet, 19, from, 1360), 0);
	packet[0] = 0x4f; /* a header longer than the packet */
	assert_int_equal(icmp_frag_needed(out, packet, 40, from, 1360), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_frag_needed),
	    cmocka_unit_test(test_nothing_to_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

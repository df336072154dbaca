/* Inner packet classification: lengths are believed only within the buffer. */
#include "vectors.h"

#include "packet.h"

static void test_classify(void **state)
{
	uint8_t v4[40] = {0x45, 0, 0, 28};
	uint8_t v6[60] = {0x60, 0, 0, 0, 0, 8};
	uint8_t control[3] = {0x01, 2, 3};
	struct inner_packet p;

	v4[12] = 10, v4[13] = 26, v4[14] = 0, v4[15] = 5;
	p = packet_classify(v4, sizeof(v4)); /* trailing padding is allowed */
	assert_int_equal(p.kind, INNER_IPV4);
	assert_int_equal(p.length, 28);
	assert_int_equal(p.src.s_addr, htonl(0x0a1a0005));
	p = packet_classify(v4, 27);
	assert_int_equal(p.kind, INNER_INVALID);
	v4[0] = 0x44; /* header length 16 < 20 */
	assert_int_equal(packet_classify(v4, sizeof(v4)).kind, INNER_INVALID);

	p = packet_classify(v6, sizeof(v6));
	assert_int_equal(p.kind, INNER_IPV6);
	assert_int_equal(p.length, 48);
	v6[5] = 30; /* payload runs past the buffer */
	assert_int_equal(packet_classify(v6, sizeof(v6)).kind, INNER_INVALID);

	assert_int_equal(packet_classify(NULL, 0).kind, INNER_KEEPALIVE);
	p = packet_classify(control, sizeof(control));
	assert_int_equal(p.kind, INNER_CONTROL);
	assert_int_equal(p.control_type, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

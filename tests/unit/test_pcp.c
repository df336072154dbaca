/* PCP MAP messages against byte layouts written from RFC 6887 sections 7 and 11. */
#include <arpa/inet.h>
#include <errno.h>

#include "vectors.h"

#include "pcp.h"

static struct pcp_map request_for(const char *internal)
{
	struct pcp_map map = {.protocol = IPPROTO_UDP, .lifetime_s = 7200};

	for (int i = 0; i < PCP_NONCE_LEN; i++)
		map.nonce[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(endpoint_parse(&map.internal, internal), 0);
	return map;
}

static void test_map_request_layout(void **state)
{
	struct pcp_map map = request_for("10.1.0.2:51820");
	uint8_t buf[PCP_MAP_LEN], want[PCP_MAP_LEN];

	/* version 2, MAP, lifetime 7200, client ::ffff:10.1.0.2; nonce, UDP,
	 * internal port 51820, no suggested port or address. */
	hex_decode(want, sizeof(want),
		   "0201000000001c20" "00000000000000000000ffff0a010002"
		   "a0a1a2a3a4a5a6a7a8a9aaab" "11000000" "ca6c" "0000"
		   "00000000000000000000000000000000");
	assert_int_equal(pcp_encode_map_request(buf, sizeof(buf), &map), PCP_MAP_LEN);
	assert_memory_equal(buf, want, PCP_MAP_LEN);
	assert_int_equal(pcp_encode_map_request(buf, PCP_MAP_LEN - 1, &map), -ENOSPC);
}

static void test_suggested_external_and_delete(void **state)
{
	struct pcp_map map = request_for("10.1.0.2:51820");
	uint8_t buf[PCP_MAP_LEN];

	map.lifetime_s = 0;
	assert_int_equal(endpoint_parse(&map.external, "203.0.113.101:40000"), 0);
	assert_int_equal(pcp_encode_map_request(buf, sizeof(buf), &map), PCP_MAP_LEN);
	assert_int_equal(buf[4] | buf[5] | buf[6] | buf[7], 0);
	assert_int_equal(buf[42] << 8 | buf[43], 40000);
	assert_int_equal(buf[54], 0xff);
	assert_int_equal(buf[56], 203);
	assert_int_equal(buf[59], 101);
}

/* The gateway's answer: result 0, lifetime 120, epoch 1000, external
 * 203.0.113.101:40001. */
static size_t answer(uint8_t *buf, const char *nonce_hex, const char *result_hex)
{
	char hex[2 * PCP_MAP_LEN + 1];

	snprintf(hex, sizeof(hex), "028100%s" "00000078" "000003e8" "000000000000000000000000"
		 "%s" "11000000" "ca6c" "9c41" "00000000000000000000ffffcb007165",
		 result_hex, nonce_hex);
	return hex_decode(buf, PCP_MAP_LEN, hex);
}

static void test_answer_decoded(void **state)
{
	struct pcp_map map = request_for("10.1.0.2:51820"), got;
	uint8_t buf[PCP_MAP_LEN];
	char text[ENDPOINT_STRLEN];
	size_t len = answer(buf, "a0a1a2a3a4a5a6a7a8a9aaab", "00");

	assert_int_equal(len, PCP_MAP_LEN);
	assert_int_equal(pcp_decode_map_response(buf, len, &map, &got), 0);
	assert_int_equal(got.result, PCP_SUCCESS);
	assert_int_equal(got.lifetime_s, 120);
	assert_int_equal(got.epoch_s, 1000);
	endpoint_format(&got.external, text, sizeof(text));
	assert_string_equal(text, "203.0.113.101:40001");

	len = answer(buf, "a0a1a2a3a4a5a6a7a8a9aaab", "08"); /* no resources */
	assert_int_equal(pcp_decode_map_response(buf, len, &map, &got), 0);
	assert_int_equal(got.result, 8);
	assert_string_equal(pcp_result_name(got.result), "no resources");
	assert_string_equal(pcp_result_name(200), "unknown result");
}

static void test_foreign_answers_refused(void **state)
{
	struct pcp_map map = request_for("10.1.0.2:51820"), got;
	uint8_t buf[PCP_MAP_LEN];
	size_t len = answer(buf, "a0a1a2a3a4a5a6a7a8a9aaff", "00");

	assert_int_equal(pcp_decode_map_response(buf, len, &map, &got), -EINVAL); /* nonce */
	len = answer(buf, "a0a1a2a3a4a5a6a7a8a9aaab", "00");
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(pcp_decode_map_response(buf, cut, &map, &got), -EINVAL);
	buf[1] = PCP_OPCODE_MAP; /* a request, not an answer */
	assert_int_equal(pcp_decode_map_response(buf, len, &map, &got), -EINVAL);
	buf[1] = PCP_RESPONSE_BIT | PCP_OPCODE_MAP;
	buf[0] = 0; /* NAT-PMP's version */
	assert_int_equal(pcp_decode_map_response(buf, len, &map, &got), -EINVAL);
	buf[0] = PCP_VERSION;
	buf[36] = IPPROTO_TCP;
	assert_int_equal(pcp_decode_map_response(buf, len, &map, &got), -EINVAL);
	buf[36] = IPPROTO_UDP;
	buf[41] ^= 1; /* another internal port */
	assert_int_equal(pcp_decode_map_response(buf, len, &map, &got), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_map_request_layout),
	    cmocka_unit_test(test_suggested_external_and_delete),
	    cmocka_unit_test(test_answer_decoded),
	    cmocka_unit_test(test_foreign_answers_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

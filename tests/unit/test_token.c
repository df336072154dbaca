/* Join tokens: round trip, tamper detection, expiry, wrong network key, use
 * counts (and version 1 tokens, which enroll one key). */
#include <arpa/inet.h>

#include "vectors.h"

#include "token.h"

static uint8_t signing_key[ED25519_SEED_LEN] = {3, 1, 4, 1, 5, 9, 2, 6};

static int make_token(uint8_t *buf, size_t len, uint64_t not_after)
{
	struct join_token token = {.uses = 3};

	strcpy(token.network.name, "lab");
	ipv4_prefix_parse("10.26.0.0/24", &token.network.subnet);
	memset(token.network.public_key, 7, 32);
	memset(token.network.secret, 8, 32);
	inet_pton(AF_INET, "10.26.0.254", &token.controller_id);
	memset(token.controller_key, 9, 32);
	endpoint_parse(&token.controller, "203.0.113.254:51820");
	token.not_after = not_after;
	memset(token.id, 0xab, sizeof(token.id));
	return token_sign(&token, signing_key, buf, len);
}

static void test_roundtrip(void **state)
{
	uint8_t buf[TOKEN_MAX_LEN];
	struct join_token out;
	char text[ENDPOINT_STRLEN];
	int len = make_token(buf, sizeof(buf), 2000);

	assert_true(len > 0);
	assert_int_equal(token_decode(&out, buf, (size_t)len), 0);
	assert_string_equal(out.network.name, "lab");
	assert_int_equal(out.network.subnet.length, 24);
	endpoint_format(&out.controller, text, sizeof(text));
	assert_string_equal(text, "203.0.113.254:51820");
	assert_int_equal(out.not_after, 2000);
	assert_int_equal(out.uses, 3);
	assert_int_equal(token_verify(buf, (size_t)len, signing_key, 1000), 0);
}

/* A version 1 token (no use count) enrolls one key; a count of 0 is no token. */
static void test_uses(void **state)
{
	uint8_t buf[TOKEN_MAX_LEN];
	struct join_token out;
	int len = make_token(buf, sizeof(buf), 2000);
	size_t uses_at = (size_t)len - TOKEN_MAC_LEN - TOKEN_ID_LEN - 2;

	buf[uses_at] = buf[uses_at + 1] = 0;
	assert_int_equal(token_decode(&out, buf, (size_t)len), -EINVAL);
	buf[4] = 1;
	memmove(buf + uses_at, buf + uses_at + 2, TOKEN_ID_LEN + TOKEN_MAC_LEN);
	assert_int_equal(token_decode(&out, buf, (size_t)len - 2), 0);
	assert_int_equal(out.uses, 1);
	out.uses = 0;
	assert_true(token_sign(&out, signing_key, buf, sizeof(buf)) < 0);
}

static void test_tamper_expiry_and_key(void **state)
{
	uint8_t buf[TOKEN_MAX_LEN], other_key[ED25519_SEED_LEN] = {1};
	int len = make_token(buf, sizeof(buf), 2000);

	assert_int_equal(token_verify(buf, (size_t)len, signing_key, 2000), -ETIMEDOUT);
	assert_int_equal(token_verify(buf, (size_t)len, other_key, 1000), -EBADMSG);
	for (int i = 0; i < len; i++) {
		buf[i] ^= 0x40;
		if (token_verify(buf, (size_t)len, signing_key, 1000) == 0)
			fail_msg("a change to byte %d went unnoticed", i);
		buf[i] ^= 0x40;
	}
	assert_int_equal(token_verify(buf, (size_t)len - 1, signing_key, 1000), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_tamper_expiry_and_key),
	    cmocka_unit_test(test_uses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

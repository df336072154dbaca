/* Join tokens; see token.h for the format. */
#include "token.h"

#include <errno.h>
#include <string.h>

static const uint8_t token_magic[4] = {'V', 'P', 'N', 'T'};
static const char mac_label[] = "vpnd join token v1";

static void put_be(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

static uint64_t get_be(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

/* Everything the MAC covers; returns its length. */
static int encode_body(const struct join_token *t, uint8_t *buf, size_t len)
{
	size_t name_len = strlen(t->network.name), pos = 0;
	bool v4 = t->controller.sa.sa_family == AF_INET;
	size_t needed = 6 + name_len + 5 + 32 + 32 + 4 + 32 + (v4 ? 7 : 19) + 8 + 2 + TOKEN_ID_LEN;

	if (!name_len || name_len > CERT_NAME_MAX || len < needed || !t->uses ||
	    (!v4 && t->controller.sa.sa_family != AF_INET6))
		return -EINVAL;
	memcpy(buf, token_magic, 4);
	buf[4] = TOKEN_VERSION;
	buf[5] = (uint8_t)name_len;
	pos = 6;
	memcpy(buf + pos, t->network.name, name_len), pos += name_len;
	memcpy(buf + pos, &t->network.subnet.network, 4), pos += 4;
	buf[pos++] = t->network.subnet.length;
	memcpy(buf + pos, t->network.public_key, 32), pos += 32;
	memcpy(buf + pos, t->network.secret, 32), pos += 32;
	memcpy(buf + pos, &t->controller_id, 4), pos += 4;
	memcpy(buf + pos, t->controller_key, 32), pos += 32;
	buf[pos++] = v4 ? 4 : 6;
	if (v4) {
		memcpy(buf + pos, &t->controller.in.sin_addr, 4), pos += 4;
		memcpy(buf + pos, &t->controller.in.sin_port, 2), pos += 2;
	} else {
		memcpy(buf + pos, &t->controller.in6.sin6_addr, 16), pos += 16;
		memcpy(buf + pos, &t->controller.in6.sin6_port, 2), pos += 2;
	}
	put_be(buf + pos, t->not_after, 8), pos += 8;
	put_be(buf + pos, t->uses, 2), pos += 2;
	memcpy(buf + pos, t->id, TOKEN_ID_LEN), pos += TOKEN_ID_LEN;
	return (int)pos;
}

static int compute_mac(uint8_t mac[TOKEN_MAC_LEN], const uint8_t *body, size_t len,
		       const uint8_t signing_key[ED25519_SEED_LEN])
{
	uint8_t key[BLAKE2S_HASH_LEN];
	struct blake2s_ctx ctx;
	int ret = blake2s_begin(&ctx, sizeof(key), NULL, 0) ||
		  blake2s_add(&ctx, mac_label, strlen(mac_label)) ||
		  blake2s_add(&ctx, signing_key, ED25519_SEED_LEN) ||
		  blake2s_end(&ctx, key, sizeof(key)) ||
		  blake2s_digest(mac, TOKEN_MAC_LEN, key, sizeof(key), body, len);

	crypto_wipe(key, sizeof(key));
	return ret ? -EINVAL : 0;
}

int token_sign(struct join_token *token, const uint8_t signing_key[ED25519_SEED_LEN], uint8_t *buf,
	       size_t len)
{
	int body = encode_body(token, buf, len);

	if (body < 0 || len < (size_t)body + TOKEN_MAC_LEN ||
	    compute_mac(token->mac, buf, (size_t)body, signing_key))
		return -EINVAL;
	memcpy(buf + body, token->mac, TOKEN_MAC_LEN);
	return body + TOKEN_MAC_LEN;
}

int token_decode(struct join_token *t, const uint8_t *buf, size_t len)
{
	size_t name_len, pos, tail, uses_len;

	memset(t, 0, sizeof(*t));
	if (len < 6 || memcmp(buf, token_magic, 4) != 0 || buf[4] < 1 || buf[4] > TOKEN_VERSION)
		return -EINVAL;
	uses_len = buf[4] >= 2 ? 2 : 0;
	name_len = buf[5];
	pos = 6 + name_len + 5 + 32 + 32 + 4 + 32;
	if (!name_len || name_len > CERT_NAME_MAX || len < pos + 1)
		return -EINVAL;
	tail = 8 + uses_len + TOKEN_ID_LEN + TOKEN_MAC_LEN;
	if ((buf[pos] != 4 && buf[pos] != 6) || len != pos + (buf[pos] == 4 ? 7 : 19) + tail ||
	    memchr(buf + 6, '\0', name_len))
		return -EINVAL;
	pos = 6;
	memcpy(t->network.name, buf + pos, name_len), pos += name_len;
	memcpy(&t->network.subnet.network, buf + pos, 4), pos += 4;
	t->network.subnet.length = buf[pos++];
	memcpy(t->network.public_key, buf + pos, 32), pos += 32;
	memcpy(t->network.secret, buf + pos, 32), pos += 32;
	memcpy(&t->controller_id, buf + pos, 4), pos += 4;
	memcpy(t->controller_key, buf + pos, 32), pos += 32;
	if (buf[pos++] == 4) {
		t->controller.in.sin_family = AF_INET;
		memcpy(&t->controller.in.sin_addr, buf + pos, 4), pos += 4;
		memcpy(&t->controller.in.sin_port, buf + pos, 2), pos += 2;
	} else {
		t->controller.in6.sin6_family = AF_INET6;
		memcpy(&t->controller.in6.sin6_addr, buf + pos, 16), pos += 16;
		memcpy(&t->controller.in6.sin6_port, buf + pos, 2), pos += 2;
	}
	t->not_after = get_be(buf + pos, 8), pos += 8;
	t->uses = uses_len ? (uint16_t)get_be(buf + pos, 2) : 1;
	pos += uses_len;
	memcpy(t->id, buf + pos, TOKEN_ID_LEN), pos += TOKEN_ID_LEN;
	memcpy(t->mac, buf + pos, TOKEN_MAC_LEN);
	if (t->network.subnet.length > 32 || !t->uses)
		return -EINVAL;
	return 0;
}

int token_verify(const uint8_t *buf, size_t len, const uint8_t signing_key[ED25519_SEED_LEN],
		 uint64_t now)
{
	struct join_token t;
	uint8_t mac[TOKEN_MAC_LEN];

	int ret = -EBADMSG;

	if (!token_decode(&t, buf, len) &&
	    !compute_mac(mac, buf, len - TOKEN_MAC_LEN, signing_key) &&
	    !crypto_memneq(mac, t.mac, TOKEN_MAC_LEN))
		ret = now < t.not_after ? 0 : -ETIMEDOUT;
	crypto_wipe(&t, sizeof(t));
	crypto_wipe(mac, sizeof(mac));
	return ret;
}

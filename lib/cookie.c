/*
 * mac1 = MAC(HASH("mac1----" || Spub_responder), msg up to mac1)
 * mac2 = MAC(cookie, msg up to mac2), cookie = MAC(Rm, source address)
 * where Rm is a secret renewed every two minutes, and the cookie travels
 * XChaCha20-Poly1305-sealed under HASH("cookie--" || Spub_responder) with
 * the mac1 it answers as associated data.
 */
#include "cookie.h"

#include <errno.h>
#include <string.h>

static const char label_mac1[] = "mac1----";
static const char label_cookie[] = "cookie--";

static void labelled_key(uint8_t key[NOISE_SYMMETRIC_KEY_LEN], const char *label,
			 const uint8_t public_key[NOISE_PUBLIC_KEY_LEN])
{
	struct blake2s_ctx ctx;

	blake2s_begin(&ctx, NOISE_SYMMETRIC_KEY_LEN, NULL, 0);
	blake2s_add(&ctx, label, strlen(label));
	blake2s_add(&ctx, public_key, NOISE_PUBLIC_KEY_LEN);
	blake2s_end(&ctx, key, NOISE_SYMMETRIC_KEY_LEN);
}

static size_t mac1_offset(size_t len)
{
	return len - sizeof(struct message_macs);
}

static size_t mac2_offset(size_t len)
{
	return len - COOKIE_LEN;
}

static void compute_mac(uint8_t mac[COOKIE_LEN], const void *msg, size_t len, const uint8_t *key,
			size_t key_len)
{
	blake2s_digest(mac, COOKIE_LEN, key, key_len, msg, len);
}

void cookie_checker_init(struct cookie_checker *checker,
			 const uint8_t local_static[NOISE_PUBLIC_KEY_LEN])
{
	memset(checker, 0, sizeof(*checker));
	labelled_key(checker->message_mac1_key, label_mac1, local_static);
	labelled_key(checker->cookie_encryption_key, label_cookie, local_static);
}

static void current_cookie(uint8_t cookie[COOKIE_LEN], struct cookie_checker *checker,
			   const struct cookie_source *source, uint64_t now_ms)
{
	if (!checker->secret_birth_ms ||
	    now_ms - checker->secret_birth_ms > COOKIE_SECRET_MAX_AGE * 1000ULL) {
		crypto_random(checker->secret, sizeof(checker->secret));
		checker->secret_birth_ms = now_ms ? now_ms : 1;
	}
	compute_mac(cookie, source->bytes, source->len, checker->secret, COOKIE_SECRET_LEN);
}

enum cookie_mac_state cookie_validate_packet(struct cookie_checker *checker, const void *msg,
					     size_t len, const struct cookie_source *source,
					     bool check_cookie, uint64_t now_ms)
{
	const struct message_macs *macs =
	    (const struct message_macs *)((const uint8_t *)msg + mac1_offset(len));
	uint8_t computed[COOKIE_LEN], cookie[COOKIE_LEN];

	compute_mac(computed, msg, mac1_offset(len), checker->message_mac1_key,
		    NOISE_SYMMETRIC_KEY_LEN);
	if (crypto_memneq(computed, macs->mac1, COOKIE_LEN))
		return COOKIE_MAC_INVALID;
	if (!check_cookie)
		return COOKIE_MAC_VALID_NO_COOKIE;
	current_cookie(cookie, checker, source, now_ms);
	compute_mac(computed, msg, mac2_offset(len), cookie, COOKIE_LEN);
	if (crypto_memneq(computed, macs->mac2, COOKIE_LEN))
		return COOKIE_MAC_VALID_NO_COOKIE;
	return COOKIE_MAC_VALID_WITH_COOKIE;
}

int cookie_message_create(struct message_handshake_cookie *dst, struct cookie_checker *checker,
			  const void *msg, size_t len, uint32_t receiver_index,
			  const struct cookie_source *source, uint64_t now_ms)
{
	const struct message_macs *macs =
	    (const struct message_macs *)((const uint8_t *)msg + mac1_offset(len));
	uint8_t cookie[COOKIE_LEN];

	memset(dst, 0, sizeof(*dst));
	dst->header.type = MESSAGE_HANDSHAKE_COOKIE;
	dst->receiver_index = receiver_index;
	if (crypto_random(dst->nonce, sizeof(dst->nonce)))
		return -EIO;
	current_cookie(cookie, checker, source, now_ms);
	return xaead_encrypt(dst->encrypted_cookie, cookie, COOKIE_LEN, macs->mac1, COOKIE_LEN,
			     dst->nonce, checker->cookie_encryption_key);
}

void cookie_init(struct cookie *cookie, const uint8_t remote_static[NOISE_PUBLIC_KEY_LEN])
{
	memset(cookie, 0, sizeof(*cookie));
	labelled_key(cookie->message_mac1_key, label_mac1, remote_static);
	labelled_key(cookie->cookie_decryption_key, label_cookie, remote_static);
}

void cookie_add_macs(struct cookie *cookie, void *msg, size_t len, uint64_t now_ms)
{
	struct message_macs *macs = (struct message_macs *)((uint8_t *)msg + mac1_offset(len));
	bool fresh = cookie->valid && now_ms - cookie->birth_ms <
					  (COOKIE_SECRET_MAX_AGE - COOKIE_SECRET_LATENCY) * 1000ULL;

	compute_mac(macs->mac1, msg, mac1_offset(len), cookie->message_mac1_key,
		    NOISE_SYMMETRIC_KEY_LEN);
	memcpy(cookie->last_mac1_sent, macs->mac1, COOKIE_LEN);
	cookie->have_sent_mac1 = true;
	if (fresh)
		compute_mac(macs->mac2, msg, mac2_offset(len), cookie->cookie, COOKIE_LEN);
	else
		memset(macs->mac2, 0, COOKIE_LEN);
}

int cookie_message_consume(struct cookie *cookie, const struct message_handshake_cookie *src,
			   uint64_t now_ms)
{
	uint8_t value[COOKIE_LEN];

	if (!cookie->have_sent_mac1)
		return -EINVAL;
	if (xaead_decrypt(value, src->encrypted_cookie, sizeof(src->encrypted_cookie),
			  cookie->last_mac1_sent, COOKIE_LEN, src->nonce,
			  cookie->cookie_decryption_key))
		return -EBADMSG;
	memcpy(cookie->cookie, value, COOKIE_LEN);
	cookie->birth_ms = now_ms;
	cookie->valid = true;
	cookie->have_sent_mac1 = false;
	return 0;
}

void cookie_source_of(const union endpoint *ep, struct cookie_source *source)
{
	if (ep->sa.sa_family == AF_INET) {
		memcpy(source->bytes, &ep->in.sin_addr, 4);
		memcpy(source->bytes + 4, &ep->in.sin_port, 2);
		source->len = 6;
	} else {
		memcpy(source->bytes, &ep->in6.sin6_addr, 16);
		memcpy(source->bytes + 16, &ep->in6.sin6_port, 2);
		source->len = 18;
	}
}

/*
 * mac1 and mac2 on handshake messages, and the cookie reply that asks an
 * initiator under load to prove its source address (WireGuard 5.4.4, 5.4.7).
 */
#ifndef VPND_COOKIE_H
#define VPND_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "messages.h"

/* The responder side: validates macs and makes cookie replies. */
struct cookie_checker {
	uint8_t secret[COOKIE_SECRET_LEN];
	uint64_t secret_birth_ms;
	uint8_t message_mac1_key[NOISE_SYMMETRIC_KEY_LEN];
	uint8_t cookie_encryption_key[NOISE_SYMMETRIC_KEY_LEN];
};

/* The initiator side: what a peer told us, and the macs we last sent it. */
struct cookie {
	uint8_t cookie[COOKIE_LEN];
	uint64_t birth_ms;
	bool valid;
	bool have_sent_mac1;
	uint8_t last_mac1_sent[COOKIE_LEN];
	uint8_t message_mac1_key[NOISE_SYMMETRIC_KEY_LEN];
	uint8_t cookie_decryption_key[NOISE_SYMMETRIC_KEY_LEN];
};

enum cookie_mac_state {
	COOKIE_MAC_INVALID,
	COOKIE_MAC_VALID_NO_COOKIE,
	COOKIE_MAC_VALID_WITH_COOKIE,
};

/* The bytes a cookie is bound to: the source address and port. */
struct cookie_source {
	uint8_t bytes[18];
	size_t len;
};

/* The source bytes cookies and rate limits are keyed on. */
void cookie_source_of(const union endpoint *ep, struct cookie_source *source);

void cookie_checker_init(struct cookie_checker *checker,
			 const uint8_t local_static[NOISE_PUBLIC_KEY_LEN]);
/* msg is a whole handshake message ending in struct message_macs. */
enum cookie_mac_state cookie_validate_packet(struct cookie_checker *checker, const void *msg,
					     size_t len, const struct cookie_source *source,
					     bool check_cookie, uint64_t now_ms);
int cookie_message_create(struct message_handshake_cookie *dst, struct cookie_checker *checker,
			  const void *msg, size_t len, uint32_t receiver_index,
			  const struct cookie_source *source, uint64_t now_ms);

void cookie_init(struct cookie *cookie, const uint8_t remote_static[NOISE_PUBLIC_KEY_LEN]);
void cookie_add_macs(struct cookie *cookie, void *msg, size_t len, uint64_t now_ms);
int cookie_message_consume(struct cookie *cookie, const struct message_handshake_cookie *src,
			   uint64_t now_ms);

#endif

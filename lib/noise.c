/*
 * The Noise IKpsk2 handshake. Message by message (WireGuard whitepaper 5.4):
 *   initiation: e, es, s, ss, {timestamp}
 *   response:   e, ee, se, psk, {}
 * then (Tsend, Trecv) = KDF2(C, "") for the initiator, swapped for the
 * responder. A message that fails to decrypt leaves the state untouched.
 */
#include "noise.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

#include "hmac.h"

static const char noise_construction[] = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
static const char noise_identifier[] = "WireGuard v1 zx2c4 Jason@zx2c4.com";

static int mix_hash(uint8_t hash[NOISE_HASH_LEN], const void *data, size_t len)
{
	struct blake2s_ctx ctx;

	if (blake2s_begin(&ctx, NOISE_HASH_LEN, NULL, 0) ||
	    blake2s_add(&ctx, hash, NOISE_HASH_LEN) || blake2s_add(&ctx, data, len))
		return -EINVAL;
	return blake2s_end(&ctx, hash, NOISE_HASH_LEN);
}

/* C and H for a handshake whose responder has this static key. */
static int handshake_start(uint8_t chaining_key[NOISE_HASH_LEN], uint8_t hash[NOISE_HASH_LEN],
			   const uint8_t responder_static[NOISE_PUBLIC_KEY_LEN])
{
	if (blake2s_digest(chaining_key, NOISE_HASH_LEN, NULL, 0, noise_construction,
			   strlen(noise_construction)))
		return -EINVAL;
	memcpy(hash, chaining_key, NOISE_HASH_LEN);
	if (mix_hash(hash, noise_identifier, strlen(noise_identifier)))
		return -EINVAL;
	return mix_hash(hash, responder_static, NOISE_PUBLIC_KEY_LEN);
}

/* (C, k) = KDF2(C, DH(private, public)); k may be NULL for KDF1. */
static int mix_dh(uint8_t chaining_key[NOISE_HASH_LEN], uint8_t *key,
		  const uint8_t private_key[NOISE_PUBLIC_KEY_LEN],
		  const uint8_t public_key[NOISE_PUBLIC_KEY_LEN])
{
	uint8_t dh[NOISE_PUBLIC_KEY_LEN];
	int ret = x25519_shared(dh, private_key, public_key);

	if (ret == 0)
		ret = noise_kdf(chaining_key, key, NULL, chaining_key, dh, sizeof(dh));
	crypto_wipe(dh, sizeof(dh));
	return ret;
}

static int mix_psk(uint8_t chaining_key[NOISE_HASH_LEN], uint8_t hash[NOISE_HASH_LEN],
		   uint8_t key[NOISE_SYMMETRIC_KEY_LEN], const uint8_t psk[NOISE_SYMMETRIC_KEY_LEN])
{
	uint8_t temp[NOISE_HASH_LEN];
	int ret = noise_kdf(chaining_key, temp, key, chaining_key, psk, NOISE_SYMMETRIC_KEY_LEN);

	if (ret == 0)
		ret = mix_hash(hash, temp, sizeof(temp));
	crypto_wipe(temp, sizeof(temp));
	return ret;
}

static int message_ephemeral(uint8_t dst[NOISE_PUBLIC_KEY_LEN],
			     const uint8_t src[NOISE_PUBLIC_KEY_LEN],
			     uint8_t chaining_key[NOISE_HASH_LEN], uint8_t hash[NOISE_HASH_LEN])
{
	if (dst != src)
		memcpy(dst, src, NOISE_PUBLIC_KEY_LEN);
	if (mix_hash(hash, src, NOISE_PUBLIC_KEY_LEN))
		return -EINVAL;
	return noise_kdf(chaining_key, NULL, NULL, chaining_key, src, NOISE_PUBLIC_KEY_LEN);
}

static int message_encrypt(uint8_t *dst, const uint8_t *src, size_t len,
			   const uint8_t key[NOISE_SYMMETRIC_KEY_LEN], uint8_t hash[NOISE_HASH_LEN])
{
	if (aead_encrypt(dst, src, len, hash, NOISE_HASH_LEN, 0, key))
		return -EINVAL;
	return mix_hash(hash, dst, NOISE_ENCRYPTED_LEN(len));
}

static int message_decrypt(uint8_t *dst, const uint8_t *src, size_t src_len,
			   const uint8_t key[NOISE_SYMMETRIC_KEY_LEN], uint8_t hash[NOISE_HASH_LEN])
{
	if (aead_decrypt(dst, src, src_len, hash, NOISE_HASH_LEN, 0, key))
		return -EBADMSG;
	return mix_hash(hash, src, src_len);
}

int noise_handshake_init(struct noise_handshake *hs, const struct noise_static_identity *identity,
			 const uint8_t remote_static[NOISE_PUBLIC_KEY_LEN],
			 const uint8_t preshared_key[NOISE_SYMMETRIC_KEY_LEN])
{
	memset(hs, 0, sizeof(*hs));
	hs->static_identity = identity;
	memcpy(hs->remote_static, remote_static, NOISE_PUBLIC_KEY_LEN);
	if (preshared_key)
		memcpy(hs->preshared_key, preshared_key, NOISE_SYMMETRIC_KEY_LEN);
	return x25519_shared(hs->precomputed_static_static, identity->static_private,
			     remote_static);
}

void noise_handshake_clear(struct noise_handshake *hs)
{
	crypto_wipe(hs->ephemeral_private, sizeof(hs->ephemeral_private));
	crypto_wipe(hs->remote_ephemeral, sizeof(hs->remote_ephemeral));
	crypto_wipe(hs->hash, sizeof(hs->hash));
	crypto_wipe(hs->chaining_key, sizeof(hs->chaining_key));
	hs->remote_index = 0;
	hs->state = HANDSHAKE_ZEROED;
}

static int new_ephemeral(uint8_t private_key[NOISE_PUBLIC_KEY_LEN],
			 uint8_t public_key[NOISE_PUBLIC_KEY_LEN])
{
	if (x25519_generate_private(private_key))
		return -EIO;
	return x25519_public(public_key, private_key);
}

int noise_handshake_create_initiation(struct message_handshake_initiation *msg,
				      struct noise_handshake *hs, uint32_t local_index)
{
	uint8_t key[NOISE_SYMMETRIC_KEY_LEN], ephemeral_public[NOISE_PUBLIC_KEY_LEN];
	uint8_t timestamp[NOISE_TIMESTAMP_LEN];
	int ret = -EINVAL;

	memset(msg, 0, sizeof(*msg));
	msg->header.type = MESSAGE_HANDSHAKE_INITIATION;
	if (handshake_start(hs->chaining_key, hs->hash, hs->remote_static) ||
	    new_ephemeral(hs->ephemeral_private, ephemeral_public) ||
	    message_ephemeral(msg->unencrypted_ephemeral, ephemeral_public, hs->chaining_key,
			      hs->hash) ||
	    mix_dh(hs->chaining_key, key, hs->ephemeral_private, hs->remote_static) ||
	    message_encrypt(msg->encrypted_static, hs->static_identity->static_public,
			    NOISE_PUBLIC_KEY_LEN, key, hs->hash) ||
	    noise_kdf(hs->chaining_key, key, NULL, hs->chaining_key, hs->precomputed_static_static,
		      NOISE_PUBLIC_KEY_LEN))
		goto out;
	tai64n_now(timestamp);
	if (message_encrypt(msg->encrypted_timestamp, timestamp, NOISE_TIMESTAMP_LEN, key,
			    hs->hash))
		goto out;
	hs->local_index = local_index;
	msg->sender_index = htole32(local_index);
	hs->state = HANDSHAKE_CREATED_INITIATION;
	ret = 0;
out:
	crypto_wipe(key, sizeof(key));
	if (ret)
		noise_handshake_clear(hs);
	return ret;
}

static bool initiation_is_acceptable(const struct noise_handshake *hs,
				     const uint8_t timestamp[NOISE_TIMESTAMP_LEN], uint64_t now_ms)
{
	bool replay = !tai64n_after(timestamp, hs->latest_timestamp);
	bool flood = hs->last_initiation_consumption_ms &&
		     now_ms - hs->last_initiation_consumption_ms < 1000 / INITIATIONS_PER_SECOND;

	return !replay && !flood;
}

struct noise_handshake *
noise_handshake_consume_initiation(const struct message_handshake_initiation *msg,
				   const struct noise_static_identity *identity,
				   noise_peer_lookup_fn lookup, void *ctx, uint64_t now_ms)
{
	uint8_t chaining_key[NOISE_HASH_LEN], hash[NOISE_HASH_LEN];
	uint8_t key[NOISE_SYMMETRIC_KEY_LEN], ephemeral[NOISE_PUBLIC_KEY_LEN];
	uint8_t remote_static[NOISE_PUBLIC_KEY_LEN], timestamp[NOISE_TIMESTAMP_LEN];
	struct noise_handshake *hs = NULL;

	if (handshake_start(chaining_key, hash, identity->static_public) ||
	    message_ephemeral(ephemeral, msg->unencrypted_ephemeral, chaining_key, hash) ||
	    mix_dh(chaining_key, key, identity->static_private, ephemeral) ||
	    message_decrypt(remote_static, msg->encrypted_static, sizeof(msg->encrypted_static),
			    key, hash))
		goto out;
	hs = lookup(ctx, remote_static);
	if (!hs)
		goto out;
	if (noise_kdf(chaining_key, key, NULL, chaining_key, hs->precomputed_static_static,
		      NOISE_PUBLIC_KEY_LEN) ||
	    message_decrypt(timestamp, msg->encrypted_timestamp, sizeof(msg->encrypted_timestamp),
			    key, hash) ||
	    !initiation_is_acceptable(hs, timestamp, now_ms)) {
		hs = NULL;
		goto out;
	}
	memcpy(hs->remote_ephemeral, ephemeral, sizeof(ephemeral));
	memcpy(hs->latest_timestamp, timestamp, sizeof(timestamp));
	memcpy(hs->hash, hash, sizeof(hash));
	memcpy(hs->chaining_key, chaining_key, sizeof(chaining_key));
	hs->remote_index = le32toh(msg->sender_index);
	hs->last_initiation_consumption_ms = now_ms;
	hs->state = HANDSHAKE_CONSUMED_INITIATION;
out:
	crypto_wipe(key, sizeof(key));
	crypto_wipe(chaining_key, sizeof(chaining_key));
	crypto_wipe(hash, sizeof(hash));
	return hs;
}

int noise_handshake_create_response(struct message_handshake_response *msg,
				    struct noise_handshake *hs, uint32_t local_index)
{
	uint8_t key[NOISE_SYMMETRIC_KEY_LEN], ephemeral_public[NOISE_PUBLIC_KEY_LEN];
	int ret = -EINVAL;

	if (hs->state != HANDSHAKE_CONSUMED_INITIATION)
		return -EINVAL;
	memset(msg, 0, sizeof(*msg));
	msg->header.type = MESSAGE_HANDSHAKE_RESPONSE;
	if (new_ephemeral(hs->ephemeral_private, ephemeral_public) ||
	    message_ephemeral(msg->unencrypted_ephemeral, ephemeral_public, hs->chaining_key,
			      hs->hash) ||
	    mix_dh(hs->chaining_key, NULL, hs->ephemeral_private, hs->remote_ephemeral) ||
	    mix_dh(hs->chaining_key, NULL, hs->ephemeral_private, hs->remote_static) ||
	    mix_psk(hs->chaining_key, hs->hash, key, hs->preshared_key) ||
	    message_encrypt(msg->encrypted_nothing, NULL, 0, key, hs->hash))
		goto out;
	hs->local_index = local_index;
	msg->sender_index = htole32(local_index);
	msg->receiver_index = htole32(hs->remote_index);
	hs->state = HANDSHAKE_CREATED_RESPONSE;
	ret = 0;
out:
	crypto_wipe(key, sizeof(key));
	if (ret)
		noise_handshake_clear(hs);
	return ret;
}

int noise_handshake_consume_response(const struct message_handshake_response *msg,
				     struct noise_handshake *hs)
{
	uint8_t chaining_key[NOISE_HASH_LEN], hash[NOISE_HASH_LEN];
	uint8_t key[NOISE_SYMMETRIC_KEY_LEN], ephemeral[NOISE_PUBLIC_KEY_LEN];
	int ret = -EBADMSG;

	if (hs->state != HANDSHAKE_CREATED_INITIATION)
		return -EINVAL;
	memcpy(chaining_key, hs->chaining_key, sizeof(chaining_key));
	memcpy(hash, hs->hash, sizeof(hash));
	if (message_ephemeral(ephemeral, msg->unencrypted_ephemeral, chaining_key, hash) ||
	    mix_dh(chaining_key, NULL, hs->ephemeral_private, ephemeral) ||
	    mix_dh(chaining_key, NULL, hs->static_identity->static_private, ephemeral) ||
	    mix_psk(chaining_key, hash, key, hs->preshared_key) ||
	    message_decrypt(NULL, msg->encrypted_nothing, sizeof(msg->encrypted_nothing), key,
			    hash))
		goto out;
	memcpy(hs->remote_ephemeral, ephemeral, sizeof(ephemeral));
	memcpy(hs->chaining_key, chaining_key, sizeof(chaining_key));
	memcpy(hs->hash, hash, sizeof(hash));
	hs->remote_index = le32toh(msg->sender_index);
	hs->state = HANDSHAKE_CONSUMED_RESPONSE;
	ret = 0;
out:
	crypto_wipe(key, sizeof(key));
	crypto_wipe(chaining_key, sizeof(chaining_key));
	crypto_wipe(hash, sizeof(hash));
	return ret;
}

int noise_handshake_begin_session(struct noise_handshake *hs, struct noise_keypair *keypair,
				  uint64_t now_ms)
{
	bool initiator = hs->state == HANDSHAKE_CONSUMED_RESPONSE;
	int ret;

	if (!initiator && hs->state != HANDSHAKE_CREATED_RESPONSE)
		return -EINVAL;
	memset(keypair, 0, sizeof(*keypair));
	ret = noise_kdf(initiator ? keypair->sending_key : keypair->receiving_key,
			initiator ? keypair->receiving_key : keypair->sending_key, NULL,
			hs->chaining_key, NULL, 0);
	if (ret == 0) {
		replay_init(&keypair->replay);
		keypair->local_index = hs->local_index;
		keypair->remote_index = hs->remote_index;
		keypair->i_am_the_initiator = initiator;
		keypair->birth_ms = now_ms;
		keypair->valid = true;
	}
	noise_handshake_clear(hs);
	return ret;
}

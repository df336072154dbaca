/* Encoding, signing and verification of node certificates. */
#include "cert.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base64.h"

static const uint8_t cert_magic[4] = {'V', 'P', 'N', 'C'};

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Encodes everything the signature covers; returns its length. */
static int cert_encode_body(const struct cert *cert, uint8_t *buf, size_t len)
{
	size_t name_len = strnlen(cert->network, sizeof(cert->network));

	if (name_len == 0 || name_len > CERT_NAME_MAX || len < CERT_HEADER_LEN + name_len)
		return -EINVAL;
	memcpy(buf, cert_magic, sizeof(cert_magic));
	buf[4] = CERT_VERSION;
	buf[5] = cert->flags;
	buf[6] = (uint8_t)name_len;
	buf[7] = 0;
	memcpy(buf + 8, &cert->node_id, 4);
	put_be64(buf + 12, cert->not_before);
	put_be64(buf + 20, cert->not_after);
	memcpy(buf + 28, cert->public_key, X25519_KEY_LEN);
	memcpy(buf + CERT_HEADER_LEN, cert->network, name_len);
	return (int)(CERT_HEADER_LEN + name_len);
}

int cert_sign(struct cert *cert, const uint8_t network_seed[ED25519_SEED_LEN])
{
	uint8_t body[CERT_MAX_LEN];
	int len = cert_encode_body(cert, body, sizeof(body));

	if (len < 0)
		return len;
	return ed25519_sign(cert->signature, body, (size_t)len, network_seed);
}

int cert_encode(const struct cert *cert, uint8_t *buf, size_t len)
{
	int body_len = cert_encode_body(cert, buf, len);

	if (body_len < 0 || len < (size_t)body_len + ED25519_SIGNATURE_LEN)
		return -EINVAL;
	memcpy(buf + body_len, cert->signature, ED25519_SIGNATURE_LEN);
	return body_len + ED25519_SIGNATURE_LEN;
}

int cert_wire_len(const uint8_t *buf, size_t len)
{
	size_t claimed;

	if (len < CERT_HEADER_LEN)
		return -EINVAL;
	claimed = CERT_HEADER_LEN + buf[6] + ED25519_SIGNATURE_LEN;
	return claimed <= len ? (int)claimed : -EINVAL;
}

int cert_decode(struct cert *cert, const uint8_t *buf, size_t len)
{
	size_t name_len;

	memset(cert, 0, sizeof(*cert));
	if (len < CERT_HEADER_LEN || memcmp(buf, cert_magic, sizeof(cert_magic)) != 0 ||
	    buf[4] != CERT_VERSION || buf[7] != 0 || (buf[5] & ~CERT_FLAGS_KNOWN))
		return -EINVAL;
	name_len = buf[6];
	if (name_len == 0 || name_len > CERT_NAME_MAX ||
	    len != CERT_HEADER_LEN + name_len + ED25519_SIGNATURE_LEN ||
	    memchr(buf + CERT_HEADER_LEN, '\0', name_len))
		return -EINVAL;
	cert->flags = buf[5];
	memcpy(&cert->node_id, buf + 8, 4);
	cert->not_before = get_be64(buf + 12);
	cert->not_after = get_be64(buf + 20);
	memcpy(cert->public_key, buf + 28, X25519_KEY_LEN);
	memcpy(cert->network, buf + CERT_HEADER_LEN, name_len);
	memcpy(cert->signature, buf + CERT_HEADER_LEN + name_len, ED25519_SIGNATURE_LEN);
	return 0;
}

enum cert_status cert_verify(const struct cert *cert,
			     const uint8_t network_public[ED25519_PUBLIC_LEN],
			     const char *network_name, uint64_t now)
{
	uint8_t body[CERT_MAX_LEN];
	int len = cert_encode_body(cert, body, sizeof(body));

	if (len < 0 || ed25519_verify(cert->signature, body, (size_t)len, network_public))
		return CERT_BAD_SIGNATURE;
	if (strcmp(cert->network, network_name) != 0)
		return CERT_WRONG_NETWORK;
	if (now < cert->not_before)
		return CERT_NOT_YET_VALID;
	if (now >= cert->not_after)
		return CERT_EXPIRED;
	return CERT_OK;
}

const char *cert_status_string(enum cert_status status)
{
	switch (status) {
	case CERT_OK:
		return "valid";
	case CERT_BAD_SIGNATURE:
		return "not signed by the network key";
	case CERT_WRONG_NETWORK:
		return "issued for another network";
	case CERT_NOT_YET_VALID:
		return "not yet valid";
	case CERT_EXPIRED:
		return "expired";
	}
	return "unknown";
}

int cert_to_base64(const struct cert *cert, char *buf, size_t len)
{
	uint8_t raw[CERT_MAX_LEN];
	int raw_len = cert_encode(cert, raw, sizeof(raw));

	if (raw_len < 0 || len < BASE64_LEN((size_t)raw_len) + 1)
		return -EINVAL;
	base64_encode(buf, raw, (size_t)raw_len);
	return 0;
}

int cert_from_base64(struct cert *cert, const char *text)
{
	uint8_t raw[CERT_MAX_LEN];
	long len = base64_decode(raw, sizeof(raw), text);

	if (len < 0)
		return -EINVAL;
	return cert_decode(cert, raw, (size_t)len);
}

static const struct {
	const char *name;
	uint8_t flag;
} flag_names[] = {
    {"relay", CERT_FLAG_RELAY},
    {"rendezvous", CERT_FLAG_RENDEZVOUS},
};

int cert_flags_parse(const char *text, uint8_t *flags)
{
	char copy[64], *save = NULL;

	*flags = 0;
	if (strlen(text) >= sizeof(copy))
		return -EINVAL;
	if (!*text || strcmp(text, "none") == 0)
		return 0;
	strcpy(copy, text);
	for (char *word = strtok_r(copy, ",", &save); word; word = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (strcmp(word, flag_names[i].name) == 0)
				break;
		if (i == sizeof(flag_names) / sizeof(flag_names[0]))
			return -EINVAL;
		*flags |= flag_names[i].flag;
	}
	return 0;
}

void cert_flags_format(uint8_t flags, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (flags & flag_names[i].flag)
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
						 used ? "," : "", flag_names[i].name);
	}
	if (!used)
		snprintf(buf, len, "none");
}

bool cert_equal(const struct cert *a, const struct cert *b)
{
	return strcmp(a->network, b->network) == 0 && a->node_id.s_addr == b->node_id.s_addr &&
	       !memcmp(a->public_key, b->public_key, sizeof(a->public_key)) &&
	       a->not_before == b->not_before && a->not_after == b->not_after &&
	       a->flags == b->flags && !memcmp(a->signature, b->signature, sizeof(a->signature));
}

/*
 * The network a node belongs to: its name, subnet and keys. The
 * configuration file and join tokens both carry one; this header lets
 * token.h name it without depending on config.h.
 */
#ifndef VPND_NETWORK_H
#define VPND_NETWORK_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "cert.h"
#include "crypto.h"

struct network_config {
	char name[CERT_NAME_MAX + 1];
	struct ipv4_prefix subnet;
	uint8_t public_key[ED25519_PUBLIC_LEN];
	uint8_t secret[AEAD_KEY_LEN];
	char secret_file[200]; /* where the secret came from, if not given inline */
	bool has_signing_key;
	uint8_t signing_key[ED25519_SEED_LEN];
};

#endif

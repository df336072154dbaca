/* tunctl pubkey: the public key of the private key on stdin. */
#include <stdio.h>

#include "base64.h"
#include "crypto.h"
#include "format.h"
#include "subcommands.h"

int pubkey_main(int argc, char **argv)
{
	uint8_t private_key[X25519_KEY_LEN], public_key[X25519_KEY_LEN];
	char text[BASE64_LEN(X25519_KEY_LEN) + 1];

	if (argc != 1)
		return usage_error("pubkey");
	if (read_key_stdin(private_key, sizeof(private_key), "private key"))
		return 1;
	if (x25519_public(public_key, private_key)) {
		fprintf(stderr, "%s: cannot derive the public key\n", prog);
		return 1;
	}
	crypto_wipe(private_key, sizeof(private_key));
	base64_encode(text, public_key, sizeof(public_key));
	puts(text);
	return 0;
}

/* tunctl genkey: a new X25519 private key, base64, like wg genkey. */
#include <stdio.h>
#include <sys/stat.h>

#include "base64.h"
#include "crypto.h"
#include "subcommands.h"

int genkey_main(int argc, char **argv)
{
	uint8_t key[X25519_KEY_LEN];
	char text[BASE64_LEN(X25519_KEY_LEN) + 1];

	if (argc != 1)
		return usage_error("genkey");
	umask(077);
	if (x25519_generate_private(key)) {
		fprintf(stderr, "%s: cannot generate a key\n", prog);
		return 1;
	}
	base64_encode(text, key, sizeof(key));
	crypto_wipe(key, sizeof(key));
	puts(text);
	return 0;
}

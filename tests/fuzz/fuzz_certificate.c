/* Certificates as they arrive inside sessions (binary) and in configs (base64). */
#include <stdlib.h>
#include <string.h>

#include "cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t network_public[ED25519_PUBLIC_LEN] = {1};
	char text[CERT_BASE64_MAX];
	struct cert cert;
	char *copy;

	if (cert_decode(&cert, data, size) == 0) {
		cert_verify(&cert, network_public, "fuzz", 1000);
		if (cert_to_base64(&cert, text, sizeof(text)) != 0)
			abort(); /* a decoded certificate always encodes again */
	}
	copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	cert_from_base64(&cert, copy);
	free(copy);
	return 0;
}

/* Configuration text: libconfig's grammar and vpnd's checks on top of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CONFIG_ERROR_LEN];
	struct config cfg;
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	if (config_load_string(&cfg, text, "fuzz.conf", err, sizeof(err)) == 0) {
		FILE *out = fopen("/dev/null", "w");

		config_print(&cfg, out, CONFIG_PRINT_SECRETS);
		fclose(out);
		config_free(&cfg);
	}
	free(text);
	return 0;
}

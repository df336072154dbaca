/* Human-readable sizes and ages, and keys from standard input. */
#include "format.h"

#include <stdio.h>
#include <string.h>

#include "base64.h"
#include "cert.h"
#include "subcommands.h"

bool has_flag(int argc, char **argv, const char *flag)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return true;
	return false;
}

const char *option_value(int argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

void format_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double value = (double)bytes;
	size_t unit = 0;

	while (value >= 1024 && unit + 1 < sizeof(units) / sizeof(units[0])) {
		value /= 1024;
		unit++;
	}
	if (unit == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%.1f %s", value, units[unit]);
}

void format_ago(char *buf, size_t len, time_t then, time_t now)
{
	long seconds = (long)(now - then);

	if (then == 0)
		snprintf(buf, len, "never");
	else if (seconds < 120)
		snprintf(buf, len, "%lds ago", seconds < 0 ? 0 : seconds);
	else if (seconds < 7200)
		snprintf(buf, len, "%ldm ago", seconds / 60);
	else
		snprintf(buf, len, "%ldh ago", seconds / 3600);
}

int read_key_stdin(uint8_t *key, size_t key_len, const char *what)
{
	char line[256];

	if (!fgets(line, sizeof(line), stdin)) {
		fprintf(stderr, "%s: expected a %s on standard input\n", prog, what);
		return -1;
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (base64_decode_exact(key, key_len, line)) {
		fprintf(stderr, "%s: standard input is not a %s (%zu bytes in base64)\n", prog,
			what, key_len);
		return -1;
	}
	return 0;
}

/* A certificate given inline, in a file, or on stdin ("-"). */
int read_certificate_arg(const char *arg, struct cert *cert)
{
	char text[CERT_BASE64_MAX + 2] = "";
	FILE *in = strcmp(arg, "-") == 0 ? stdin : fopen(arg, "r");

	if (in) {
		if (!fgets(text, sizeof(text), in))
			text[0] = '\0';
		if (in != stdin)
			fclose(in);
		text[strcspn(text, "\r\n")] = '\0';
		arg = text;
	}
	if (cert_from_base64(cert, arg)) {
		fprintf(stderr, "%s: not a vpnd certificate\n", prog);
		return -1;
	}
	return 0;
}

/*
 * tunctl network init NAME SUBNET [-o FILE]: a new network — its Ed25519
 * signing key and the secret (the Noise PSK) — as a file only the network's
 * administrator keeps. tunctl network export FILE: the part every node's
 * configuration needs, without the signing key.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base64.h"
#include "config.h"
#include "format.h"
#include "token.h"
#include "subcommands.h"

static FILE *open_private_output(const char *path)
{
	int fd;
	FILE *out;

	if (!path)
		return stdout;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(path);
		return NULL;
	}
	out = fdopen(fd, "w");
	if (!out)
		close(fd);
	return out;
}

static int network_init(int argc, char **argv)
{
	struct network_config net = {.has_signing_key = true};
	const char *output = NULL;
	FILE *out;

	if (argc == 5 && strcmp(argv[3], "-o") == 0)
		output = argv[4];
	else if (argc != 3)
		return usage_error("network");
	if (!*argv[1] || strlen(argv[1]) > CERT_NAME_MAX) {
		fprintf(stderr, "%s: network name must be 1 to %d characters\n", prog,
			CERT_NAME_MAX);
		return 1;
	}
	strcpy(net.name, argv[1]);
	if (ipv4_prefix_parse(argv[2], &net.subnet) || net.subnet.length < 8 ||
	    net.subnet.length > 30) {
		fprintf(stderr,
			"%s: '%s' is not an IPv4 network from /8 to /30 (e.g. "
			"10.26.0.0/24)\n",
			prog, argv[2]);
		return 1;
	}
	if (crypto_random(net.signing_key, sizeof(net.signing_key)) ||
	    crypto_random(net.secret, sizeof(net.secret)) ||
	    ed25519_public(net.public_key, net.signing_key)) {
		fprintf(stderr, "%s: cannot generate keys\n", prog);
		return 1;
	}
	out = open_private_output(output);
	if (!out)
		return 1;
	fprintf(out, "# vpnd network \"%s\": keep this file secret; it signs certificates.\n",
		net.name);
	network_config_print(&net, out, CONFIG_PRINT_SECRETS | CONFIG_PRINT_SIGNING_KEY);
	crypto_wipe(&net, sizeof(net));
	return out != stdout && fclose(out) ? 1 : 0;
}

static int network_export(int argc, char **argv)
{
	struct network_config net;
	char err[CONFIG_ERROR_LEN];

	if (argc != 2)
		return usage_error("network");
	if (network_file_load(&net, argv[1], err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return 1;
	}
	network_config_print(&net, stdout, CONFIG_PRINT_SECRETS); /* what members need */
	crypto_wipe(&net, sizeof(net));
	return 0;
}

/* A join token for the controller named by its certificate and endpoint. */
static int network_token(int argc, char **argv)
{
	const char *controller = option_value(argc, argv, "-c"),
		   *endpoint = option_value(argc, argv, "-e");
	const char *days = option_value(argc, argv, "-d"), *uses = option_value(argc, argv, "-u");
	struct network_config net;
	struct join_token token = {0};
	struct cert cert;
	uint8_t raw[TOKEN_MAX_LEN];
	char err[CONFIG_ERROR_LEN], text[TOKEN_BASE64_MAX];
	long validity = days ? strtol(days, NULL, 10) : 7, max_uses = uses ? strtol(uses, NULL, 10) : 1;
	int len;

	if (argc < 6 || argc % 2 == 1 || !controller || !endpoint)
		return usage_error("network");
	if (network_file_load(&net, argv[1], err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return 1;
	}
	if (read_certificate_arg(controller, &cert) ||
	    cert_verify(&cert, net.public_key, net.name, (uint64_t)time(NULL)) != CERT_OK ||
	    !(cert.flags & CERT_FLAG_RENDEZVOUS)) {
		fprintf(stderr,
			"%s: -c needs the controller's certificate, valid in %s and with "
			"the rendezvous flag\n",
			prog, net.name);
		return 1;
	}
	if (endpoint_parse(&token.controller, endpoint) || validity <= 0 || validity > 3650 ||
	    max_uses < 1 || max_uses > 65535) {
		fprintf(stderr,
			"%s: -e takes the controller's host:port, -d 1 to 3650 days, -u 1 to "
			"65535 uses\n",
			prog);
		return 1;
	}
	token.uses = (uint16_t)max_uses;
	token.network = net;
	memset(token.network.signing_key, 0, sizeof(token.network.signing_key));
	token.controller_id = cert.node_id;
	memcpy(token.controller_key, cert.public_key, sizeof(token.controller_key));
	token.not_after = (uint64_t)time(NULL) + (uint64_t)validity * 86400;
	crypto_random(token.id, sizeof(token.id));
	len = token_sign(&token, net.signing_key, raw, sizeof(raw));
	crypto_wipe(&net, sizeof(net));
	crypto_wipe(&token, sizeof(token));
	if (len < 0)
		return 1;
	base64_encode(text, raw, (size_t)len);
	crypto_wipe(raw, sizeof(raw));
	puts(text);
	crypto_wipe(text, sizeof(text));
	return 0;
}

int network_main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "token") == 0)
		return network_token(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "init") == 0)
		return network_init(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "export") == 0)
		return network_export(argc - 1, argv + 1);
	return usage_error("network");
}

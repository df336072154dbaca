/*
 * tunctl cert sign: a node certificate signed with the network's key.
 * tunctl cert show: what a certificate says, and whether it is valid.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "cert.h"
#include "config.h"
#include "format.h"
#include "node_id.h"
#include "registry.h"
#include "subcommands.h"

enum { DEFAULT_VALIDITY_DAYS = 365 };

static int load_network(const char *path, struct network_config *net)
{
	char err[CONFIG_ERROR_LEN];

	if (network_file_load(net, path, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	return 0;
}

static int fill_cert(struct cert *cert, const struct network_config *net, const char *node_id,
		     const char *key, const char *days, const char *flags)
{
	char *end;
	long validity = days ? strtol(days, &end, 10) : DEFAULT_VALIDITY_DAYS;

	if (days && (*end || validity <= 0 || validity > 36500))
		return fprintf(stderr, "%s: -d takes a number of days from 1 to 36500\n", prog), -1;
	if (ipv4_parse(node_id, &cert->node_id) ||
	    !ipv4_prefix_contains(&net->subnet, cert->node_id))
		return fprintf(stderr,
			       "%s: node ID '%s' is not an address in the network's "
			       "subnet\n",
			       prog, node_id),
		       -1;
	if (base64_decode_exact(cert->public_key, sizeof(cert->public_key), key))
		return fprintf(stderr, "%s: '%s' is not a public key (32 bytes in base64)\n", prog,
			       key),
		       -1;
	if (flags && cert_flags_parse(flags, &cert->flags))
		return fprintf(stderr, "%s: unknown flag in '%s' (relay, rendezvous)\n", prog,
			       flags),
		       -1;
	strcpy(cert->network, net->name);
	cert->not_before = (uint64_t)time(NULL) - 60; /* tolerate clocks a little behind */
	cert->not_after = cert->not_before + (uint64_t)validity * 86400;
	return 0;
}

/* The hand-signed certificate in a controller's registry, so that
 * enrollment never gives its ID to another key. */
static int record_signed(const char *path, const struct cert *cert)
{
	struct registry *reg;
	char why[512];
	int taken;

	if (registry_open(&reg, path, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", prog, why);
		return -1;
	}
	taken = registry_id_taken(reg, cert->node_id, cert->public_key, (uint64_t)time(NULL));
	if (taken || registry_record(reg, cert->node_id, cert->public_key, cert->not_after,
				     REGISTRY_SIGNED, (uint64_t)time(NULL))) {
		fprintf(stderr, "%s: %s\n", prog,
			taken > 0 ? "another key holds that node ID in the registry"
				  : "cannot record the certificate in the registry");
		registry_close(reg);
		return -1;
	}
	registry_close(reg);
	return 0;
}

static int cert_sign_main(int argc, char **argv)
{
	const char *network = option_value(argc, argv, "-N"),
		   *node_id = option_value(argc, argv, "-n");
	const char *key = option_value(argc, argv, "-k"), *registry = option_value(argc, argv, "-r");
	struct network_config net;
	struct cert cert = {0};
	char text[CERT_BASE64_MAX];

	if (!network || !node_id || !key || argc % 2 == 0)
		return usage_error("cert");
	if (load_network(network, &net))
		return 1;
	if (fill_cert(&cert, &net, node_id, key, option_value(argc, argv, "-d"),
		      option_value(argc, argv, "-f")) ||
	    cert_sign(&cert, net.signing_key) || cert_to_base64(&cert, text, sizeof(text))) {
		crypto_wipe(&net, sizeof(net));
		return 1;
	}
	crypto_wipe(&net, sizeof(net));
	if (registry && record_signed(registry, &cert))
		return 1;
	puts(text);
	return 0;
}

static const char *validity(const struct cert *cert, const char *network)
{
	struct network_config net;

	if (!network)
		return "signature not checked (give the network file with -N)";
	if (load_network(network, &net))
		return "signature not checked (network file unreadable)";
	return cert_status_string(
	    cert_verify(cert, net.public_key, net.name, (uint64_t)time(NULL)));
}

static void format_time(char *buf, size_t len, uint64_t t)
{
	time_t when = (time_t)t;
	struct tm tm;

	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&when, &tm));
}

static int cert_show_main(int argc, char **argv)
{
	bool json = has_flag(argc, argv, "--json");
	const char *network = option_value(argc, argv, "-N");
	struct cert cert;
	char key[BASE64_LEN(X25519_KEY_LEN) + 1], flags[64], before[32], after[32];
	const char *status;

	if (argc < 2 || read_certificate_arg(argv[argc - 1], &cert))
		return argc < 2 ? usage_error("cert") : 1;
	base64_encode(key, cert.public_key, sizeof(cert.public_key));
	cert_flags_format(cert.flags, flags, sizeof(flags));
	format_time(before, sizeof(before), cert.not_before);
	format_time(after, sizeof(after), cert.not_after);
	status = validity(&cert, network);
	if (json) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "network", json_object_new_string(cert.network));
		json_object_object_add(obj, "node_id",
				       json_object_new_string(NODE_ID(cert.node_id)));
		json_object_object_add(obj, "public_key", json_object_new_string(key));
		json_object_object_add(obj, "not_before", json_object_new_string(before));
		json_object_object_add(obj, "not_after", json_object_new_string(after));
		json_object_object_add(obj, "flags", json_object_new_string(flags));
		json_object_object_add(obj, "status", json_object_new_string(status));
		puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY));
		json_object_put(obj);
		return 0;
	}
	printf("network:    %s\nnode id:    %s\npublic key: %s\nvalid:      %s to %s\n"
	       "flags:      %s\nstatus:     %s\n",
	       cert.network, NODE_ID(cert.node_id), key, before, after, flags, status);
	return 0;
}

int cert_main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "sign") == 0)
		return cert_sign_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return cert_show_main(argc - 1, argv + 1);
	return usage_error("cert");
}

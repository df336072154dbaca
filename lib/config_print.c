/*
 * The canonical form of a configuration: every setting, defaults filled in,
 * in a fixed order. `vpnd -n` prints it (secrets hidden unless asked for)
 * and golden tests compare it.
 */
#include <netinet/in.h>

#include "base64.h"
#include "config.h"
#include "node_id.h"

/* A key or token in base64 (a join token is the longest). */
static void print_key(FILE *out, const char *indent, const char *name, const uint8_t *key,
		      size_t len)
{
	char text[BASE64_LEN(sizeof(((struct config *)0)->enroll_token)) + 1];

	base64_encode(text, key, len);
	fprintf(out, "%s%s = \"%s\";\n", indent, name, text);
	crypto_wipe(text, sizeof(text));
}

/* A secret: from its file, shown, or hidden. */
static void print_secret(FILE *out, const char *indent, const char *name, const uint8_t *key,
			 size_t len, const char *file, unsigned int flags)
{
	if (file && file[0])
		fprintf(out, "%s%s_file = \"%s\";\n", indent, name, file);
	else if (flags & CONFIG_PRINT_SECRETS)
		print_key(out, indent, name, key, len);
	else
		fprintf(out, "%s%s = \"(hidden)\";\n", indent, name);
}

void network_config_print(const struct network_config *net, FILE *out, unsigned int flags)
{
	char subnet[INET_ADDRSTRLEN + 4];

	ipv4_prefix_format(&net->subnet, subnet, sizeof(subnet));
	fprintf(out, "network = {\n  name = \"%s\";\n  subnet = \"%s\";\n", net->name, subnet);
	print_key(out, "  ", "public_key", net->public_key, sizeof(net->public_key));
	print_secret(out, "  ", "secret", net->secret, sizeof(net->secret), net->secret_file, flags);
	if ((flags & CONFIG_PRINT_SIGNING_KEY) && net->has_signing_key)
		print_secret(out, "  ", "signing_key", net->signing_key, sizeof(net->signing_key),
			     NULL, flags);
	fprintf(out, "};\n");
}

static void print_enroll(FILE *out, const struct config *cfg, unsigned int flags)
{
	fprintf(out, "enroll = {\n");
	print_secret(out, "  ", "token", cfg->enroll_token, cfg->enroll_token_len, NULL, flags);
	if (cfg->enroll_node_id.s_addr)
		fprintf(out, "  node_id = \"%s\";\n", NODE_ID(cfg->enroll_node_id));
	fprintf(out, "};\n");
}

static void print_peer(FILE *out, const struct config_peer *peer, bool last)
{
	char endpoint[ENDPOINT_STRLEN];

	fprintf(out, "  {\n    node_id = \"%s\";\n", NODE_ID(peer->node_id));
	print_key(out, "    ", "public_key", peer->public_key, sizeof(peer->public_key));
	if (peer->endpoint_host[0]) {
		fprintf(out, "    endpoint = \"%s:%u\";\n", peer->endpoint_host, peer->endpoint_port);
	} else if (peer->endpoint.sa.sa_family) {
		endpoint_format(&peer->endpoint, endpoint, sizeof(endpoint));
		fprintf(out, "    endpoint = \"%s\";\n", endpoint);
	}
	fprintf(
	    out,
	    "    wireguard = %s;\n    rendezvous = %s;\n    persistent_keepalive = %u;\n  }%s\n",
	    peer->wireguard ? "true" : "false", peer->rendezvous ? "true" : "false",
	    peer->persistent_keepalive, last ? "" : ",");
}

/* The configured peers; the token's controller is implied by the token. */
static void print_peers(FILE *out, const struct config *cfg)
{
	size_t last = cfg->peer_count;

	while (last > 0 && cfg->peers[last - 1].from_token)
		last--;
	fprintf(out, "peers = (\n");
	for (size_t i = 0; i < last; i++)
		if (!cfg->peers[i].from_token)
			print_peer(out, &cfg->peers[i], i + 1 == last);
	fprintf(out, ");\n");
}

void config_print(const struct config *cfg, FILE *out, unsigned int flags)
{
	char cert[CERT_BASE64_MAX];

	fprintf(out, "interface = {\n  name = \"%s\";\n  mtu = %u;\n  listen_port = %u;\n",
		cfg->ifname, cfg->mtu, cfg->listen_port);
	if (cfg->workers >= 0)
		fprintf(out, "  workers = %d;\n", cfg->workers);
	fprintf(out, "};\n");
	fprintf(out, "node = {\n");
	print_secret(out, "  ", "private_key", cfg->private_key, sizeof(cfg->private_key),
		     cfg->private_key_file, flags);
	if (cfg->has_cert) {
		cert_to_base64(&cfg->cert, cert, sizeof(cert));
		fprintf(out, "  certificate = \"%s\";\n", cert);
	}
	fprintf(out, "};\n");
	if (cfg->enrolling)
		print_enroll(out, cfg, flags); /* the token names the network */
	else
		network_config_print(&cfg->network, out, flags & CONFIG_PRINT_SECRETS);
	print_peers(out, cfg);
	fprintf(out, "rendezvous = {\n  enabled = %s;\n  second_port = %u;\n",
		cfg->rendezvous_enabled ? "true" : "false", cfg->rendezvous_second_port);
	if (cfg->network_file[0])
		fprintf(out, "  network_file = \"%s\";\n", cfg->network_file);
	fprintf(out, "};\n");
	fprintf(out, "stun_servers = (");
	for (size_t i = 0; i < cfg->stun_server_count; i++) {
		char endpoint[ENDPOINT_STRLEN];

		endpoint_format(&cfg->stun_servers[i], endpoint, sizeof(endpoint));
		fprintf(out, "%s\"%s\"", i ? ", " : " ", endpoint);
	}
	fprintf(out, "%s);\n", cfg->stun_server_count ? " " : "");
	fprintf(out, "control = {\n  socket = \"%s\";\n  group = \"%s\";\n};\n",
		cfg->control_socket, cfg->control_group);
	fprintf(out, "state_dir = \"%s\";\n", cfg->state_dir);
	fprintf(out, "punch = {\n  sockets = %u;\n  probes = %u;\n  rate = %u;\n};\n",
		cfg->punch_sockets, cfg->punch_probes, cfg->punch_rate);
	fprintf(out, "lan_beacon = {\n  enabled = %s;\n  port = %u;\n};\n",
		cfg->beacon_enabled ? "true" : "false", cfg->beacon_port);
	fprintf(out, "portmap = {\n  enabled = %s;\n  protocols = (", cfg->portmap_enabled ? "true" : "false");
	for (size_t i = 0; i < cfg->portmap_protocol_count; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : " ", portmap_protocol_name(cfg->portmap_protocols[i]));
	fprintf(out, " );\n};\n");
	fprintf(out, "log_level = \"%s\";\n", log_level_name(cfg->log_level));
}

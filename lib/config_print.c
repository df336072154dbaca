/*
 * The canonical form of a configuration: every setting, defaults filled in,
 * in a fixed order. `vpnd -n` prints it and golden tests compare it.
 */
#include <arpa/inet.h>

#include "base64.h"
#include "config.h"

static void print_key(FILE *out, const char *indent, const char *name, const uint8_t *key,
		      size_t len)
{
	char text[BASE64_LEN(64) + 1];

	base64_encode(text, key, len);
	fprintf(out, "%s%s = \"%s\";\n", indent, name, text);
}

void network_config_print(const struct network_config *net, FILE *out, bool with_signing_key)
{
	char subnet[INET_ADDRSTRLEN + 4];

	ipv4_prefix_format(&net->subnet, subnet, sizeof(subnet));
	fprintf(out, "network = {\n  name = \"%s\";\n  subnet = \"%s\";\n", net->name, subnet);
	print_key(out, "  ", "public_key", net->public_key, sizeof(net->public_key));
	print_key(out, "  ", "secret", net->secret, sizeof(net->secret));
	if (with_signing_key && net->has_signing_key)
		print_key(out, "  ", "signing_key", net->signing_key, sizeof(net->signing_key));
	fprintf(out, "};\n");
}

static void print_peer(FILE *out, const struct config_peer *peer, bool last)
{
	char endpoint[ENDPOINT_STRLEN];

	fprintf(out, "  {\n    node_id = \"%s\";\n", inet_ntoa(peer->node_id));
	print_key(out, "    ", "public_key", peer->public_key, sizeof(peer->public_key));
	if (peer->endpoint.sa.sa_family) {
		endpoint_format(&peer->endpoint, endpoint, sizeof(endpoint));
		fprintf(out, "    endpoint = \"%s\";\n", endpoint);
	}
	fprintf(
	    out,
	    "    wireguard = %s;\n    rendezvous = %s;\n    persistent_keepalive = %u;\n  }%s\n",
	    peer->wireguard ? "true" : "false", peer->rendezvous ? "true" : "false",
	    peer->persistent_keepalive, last ? "" : ",");
}

void config_print(const struct config *cfg, FILE *out)
{
	char cert[CERT_BASE64_MAX];

	fprintf(out, "interface = {\n  name = \"%s\";\n  mtu = %u;\n  listen_port = %u;\n};\n",
		cfg->ifname, cfg->mtu, cfg->listen_port);
	fprintf(out, "node = {\n");
	print_key(out, "  ", "private_key", cfg->private_key, sizeof(cfg->private_key));
	cert_to_base64(&cfg->cert, cert, sizeof(cert));
	fprintf(out, "  certificate = \"%s\";\n};\n", cert);
	network_config_print(&cfg->network, out, false);
	fprintf(out, "peers = (\n");
	for (size_t i = 0; i < cfg->peer_count; i++)
		print_peer(out, &cfg->peers[i], i + 1 == cfg->peer_count);
	fprintf(out, ");\nrendezvous = {\n  enabled = %s;\n  second_port = %u;\n};\n",
		cfg->rendezvous_enabled ? "true" : "false", cfg->rendezvous_second_port);
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
	fprintf(out, "log_level = \"%s\";\n", log_level_name(cfg->log_level));
}

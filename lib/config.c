/*
 * libconfig behind a strict reader: every setting has one type, unknown
 * settings are errors, and each error names the file and line. Nothing here
 * touches the system; the daemon applies the result.
 */
#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "secret_file.h"
#include "token.h"

struct reader {
	const char *name;
	char *err;
	size_t err_len;
};

static int fail(struct reader *r, const config_setting_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct reader *r, const config_setting_t *at, const char *fmt, ...)
{
	int used = snprintf(r->err, r->err_len, "%s:%d: ", r->name,
			    at ? config_setting_source_line(at) : 1);
	va_list ap;

	va_start(ap, fmt);
	if (used >= 0 && (size_t)used < r->err_len)
		vsnprintf(r->err + used, r->err_len - (size_t)used, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_known(struct reader *r, const config_setting_t *group, const char *const known[])
{
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		size_t k;

		for (k = 0; known[k] && strcmp(known[k], name) != 0; k++)
			;
		if (!known[k])
			return fail(r, s, "unknown setting '%s'", name);
	}
	return 0;
}

static const config_setting_t *get_group(struct reader *r, const config_setting_t *parent,
					 const char *name, bool required, int *ret)
{
	const config_setting_t *s = config_setting_get_member(parent, name);

	*ret = 0;
	if (!s) {
		if (required)
			*ret = fail(r, parent, "missing group '%s'", name);
		return NULL;
	}
	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		*ret = fail(r, s, "'%s' must be a group { ... }", name);
		return NULL;
	}
	return s;
}

/* 1 when set, 0 when absent (error if required), -1 on error. */
static int get_string(struct reader *r, const config_setting_t *group, const char *name,
		      bool required, const char **value)
{
	const config_setting_t *s = group ? config_setting_get_member(group, name) : NULL;

	if (!s)
		return required ? fail(r, group, "missing setting '%s'", name) : 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(r, s, "'%s' must be a string", name);
	*value = config_setting_get_string(s);
	return 1;
}

static int get_int(struct reader *r, const config_setting_t *group, const char *name, long min,
		   long max, long *value)
{
	const config_setting_t *s = group ? config_setting_get_member(group, name) : NULL;
	long long v;

	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return fail(r, s, "'%s' must be an integer", name);
	v = config_setting_get_int64(s);
	if (v < min || v > max)
		return fail(r, s, "'%s' must be between %ld and %ld, not %lld", name, min, max, v);
	*value = (long)v;
	return 1;
}

static int get_bool(struct reader *r, const config_setting_t *group, const char *name, bool *value)
{
	const config_setting_t *s = group ? config_setting_get_member(group, name) : NULL;

	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(r, s, "'%s' must be true or false", name);
	*value = config_setting_get_bool(s);
	return 1;
}

static int get_key(struct reader *r, const config_setting_t *group, const char *name, bool required,
		   uint8_t *key, size_t key_len)
{
	const char *text = NULL;
	int ret = get_string(r, group, name, required, &text);

	if (ret <= 0)
		return ret;
	if (base64_decode_exact(key, key_len, text))
		return fail(r, config_setting_get_member(group, name),
			    "'%s' must be %zu bytes in base64", name, key_len);
	return 1;
}

static const config_setting_t *member(const config_setting_t *group, const char *name)
{
	return config_setting_get_member(group, name);
}

/* A key given inline (name) or in a file of its own (name_file, whose path
 * goes to file): one of them. */
static int get_secret_key(struct reader *r, const config_setting_t *g, const char *name,
			  uint8_t *key, size_t key_len, char *file, size_t file_len)
{
	char file_setting[64], text[256], why[CONFIG_ERROR_LEN - 64];
	const char *path = NULL;
	int ret;

	snprintf(file_setting, sizeof(file_setting), "%s_file", name);
	if (get_string(r, g, file_setting, false, &path) < 0)
		return -1;
	if (!path) {
		if (!member(g, name))
			return fail(r, g, "missing setting '%s' (or '%s')", name, file_setting);
		return get_key(r, g, name, true, key, key_len);
	}
	if (member(g, name))
		return fail(r, member(g, name), "give '%s' or '%s', not both", name, file_setting);
	if (!*path || strlen(path) >= file_len)
		return fail(r, member(g, file_setting), "'%s' must be a path of 1 to %zu characters",
			    file_setting, file_len - 1);
	strcpy(file, path);
	if (secret_file_read(path, r->name, text, sizeof(text), why, sizeof(why)))
		return fail(r, member(g, file_setting), "%s: %s", file_setting, why);
	ret = base64_decode_exact(key, key_len, text)
		  ? fail(r, member(g, file_setting), "%s: '%s' must hold %zu bytes in base64",
			 file_setting, path, key_len)
		  : 1;
	crypto_wipe(text, sizeof(text));
	return ret;
}

static int read_network(struct reader *r, const config_setting_t *root, struct network_config *net,
			bool with_signing_key)
{
	static const char *const known_node[] = {"name",   "subnet",	  "public_key",
						 "secret", "secret_file", NULL};
	static const char *const known_file[] = {"name",	"subnet",      "public_key",
						 "secret",	"secret_file", "signing_key",
						 NULL};
	const config_setting_t *g;
	const char *text = NULL;
	int ret;

	g = get_group(r, root, "network", true, &ret);
	if (!g || check_known(r, g, with_signing_key ? known_file : known_node))
		return -1;
	if (get_string(r, g, "name", true, &text) < 0)
		return -1;
	if (!*text || strlen(text) > CERT_NAME_MAX)
		return fail(r, member(g, "name"), "network name must be 1 to %d characters",
			    CERT_NAME_MAX);
	strcpy(net->name, text);
	if (get_string(r, g, "subnet", true, &text) < 0)
		return -1;
	if (ipv4_prefix_parse(text, &net->subnet) || net->subnet.length > 30 ||
	    net->subnet.length < 8)
		return fail(r, member(g, "subnet"),
			    "subnet '%s' is not an IPv4 network from /8 to /30 (e.g. 10.26.0.0/24)",
			    text);
	if (get_key(r, g, "public_key", true, net->public_key, ED25519_PUBLIC_LEN) < 0 ||
	    get_secret_key(r, g, "secret", net->secret, AEAD_KEY_LEN, net->secret_file,
			   sizeof(net->secret_file)) < 0)
		return -1;
	if (!with_signing_key)
		return 0;
	if (get_key(r, g, "signing_key", true, net->signing_key, ED25519_SEED_LEN) < 0)
		return -1;
	net->has_signing_key = true;
	return 0;
}

static int read_enroll(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"token", "node_id", NULL};
	const config_setting_t *g;
	const char *text = NULL, *node_id = NULL;
	struct join_token token;
	long len;
	int ret;

	g = get_group(r, root, "enroll", false, &ret);
	if (ret < 0 || !g)
		return ret;
	if (check_known(r, g, known) || get_string(r, g, "token", true, &text) < 0 ||
	    get_string(r, g, "node_id", false, &node_id) < 0)
		return -1;
	len = base64_decode(cfg->enroll_token, sizeof(cfg->enroll_token), text);
	ret = len < 0 || token_decode(&token, cfg->enroll_token, (size_t)len);
	if (!ret)
		cfg->network = token.network;
	crypto_wipe(&token, sizeof(token));
	if (ret)
		return fail(r, member(g, "token"),
			    "token is not a vpnd join token "
			    "(tunctl network token makes them)");
	if (member(root, "network"))
		return fail(r, member(root, "network"),
			    "give either a network or an enroll "
			    "token: the token names the network");
	cfg->enroll_token_len = (size_t)len;
	if (node_id && (ipv4_parse(node_id, &cfg->enroll_node_id) ||
			!ipv4_prefix_contains(&cfg->network.subnet, cfg->enroll_node_id)))
		return fail(r, member(g, "node_id"), "node_id '%s' is not an address in %s",
			    node_id, cfg->network.name);
	cfg->enrolling = true;
	return 0;
}

/* The controller named in the token becomes a rendezvous peer. */
static int add_controller(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	struct join_token token;
	struct config_peer *grown;

	if (!cfg->enrolling || token_decode(&token, cfg->enroll_token, cfg->enroll_token_len))
		return 0;
	for (size_t i = 0; i < cfg->peer_count; i++)
		if (cfg->peers[i].node_id.s_addr == token.controller_id.s_addr)
			return fail(r, member(root, "peers"),
				    "the token's controller is also a peer");
	grown = realloc(cfg->peers, (cfg->peer_count + 1) * sizeof(*cfg->peers));
	if (!grown)
		return fail(r, root, "out of memory");
	cfg->peers = grown;
	memset(&cfg->peers[cfg->peer_count], 0, sizeof(*cfg->peers));
	cfg->peers[cfg->peer_count].node_id = token.controller_id;
	memcpy(cfg->peers[cfg->peer_count].public_key, token.controller_key, X25519_KEY_LEN);
	cfg->peers[cfg->peer_count].endpoint = token.controller;
	cfg->peers[cfg->peer_count].rendezvous = true;
	cfg->peers[cfg->peer_count].from_token = true;
	cfg->peer_count++;
	return 0;
}

static int read_interface(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"name", "mtu", "listen_port", "workers", NULL};
	const config_setting_t *g;
	const char *name = CONFIG_DEFAULT_IFNAME;
	long mtu = CONFIG_DEFAULT_MTU, port = CONFIG_DEFAULT_PORT, workers = -1;
	int ret;

	g = get_group(r, root, "interface", false, &ret);
	if (ret < 0 || (g && check_known(r, g, known)))
		return -1;
	if (get_string(r, g, "name", false, &name) < 0 ||
	    get_int(r, g, "mtu", CONFIG_MIN_MTU, CONFIG_MAX_MTU, &mtu) < 0 ||
	    get_int(r, g, "listen_port", 0, 65535, &port) < 0 ||
	    get_int(r, g, "workers", 0, CONFIG_MAX_WORKERS, &workers) < 0)
		return -1;
	if (!*name || strlen(name) >= IFNAMSIZ || strpbrk(name, "/: \t%"))
		return fail(r, member(g, "name"),
			    "interface name '%s' is not valid (1 to %d "
			    "characters, no '/', ':', '%%' or spaces)",
			    name, IFNAMSIZ - 1);
	strcpy(cfg->ifname, name);
	cfg->mtu = (uint16_t)mtu;
	cfg->listen_port = (uint16_t)port;
	cfg->workers = (int)workers;
	return 0;
}

static int read_node(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"private_key", "private_key_file", "certificate", NULL};
	const config_setting_t *g, *cert_setting;
	const char *text = NULL;
	enum cert_status status;
	int ret;

	g = get_group(r, root, "node", true, &ret);
	if (!g || check_known(r, g, known))
		return -1;
	if (get_secret_key(r, g, "private_key", cfg->private_key, X25519_KEY_LEN,
			   cfg->private_key_file, sizeof(cfg->private_key_file)) < 0)
		return -1;
	if (x25519_public(cfg->public_key, cfg->private_key))
		return fail(r, member(g, "private_key"), "private_key is not a valid X25519 key");
	ret = get_string(r, g, "certificate", !cfg->enrolling, &text);
	if (ret <= 0)
		return ret;
	cert_setting = member(g, "certificate");
	if (cert_from_base64(&cfg->cert, text))
		return fail(r, cert_setting, "certificate is not a vpnd certificate in base64");
	status = cert_verify(&cfg->cert, cfg->network.public_key, cfg->network.name,
			     (uint64_t)time(NULL));
	if (status != CERT_OK)
		return fail(r, cert_setting, "certificate is %s", cert_status_string(status));
	if (crypto_memneq(cfg->cert.public_key, cfg->public_key, X25519_KEY_LEN))
		return fail(r, cert_setting,
			    "certificate was issued for another key, not "
			    "this node's private_key");
	if (!ipv4_prefix_contains(&cfg->network.subnet, cfg->cert.node_id))
		return fail(r, cert_setting, "certificate's node ID is outside subnet");
	cfg->has_cert = true;
	return 0;
}

static int read_peer(struct reader *r, const config_setting_t *g, struct config *cfg,
		     struct config_peer *peer)
{
	static const char *const known[] = {"node_id",	 "public_key", "endpoint",
					    "wireguard", "rendezvous", "persistent_keepalive",
					    NULL};
	const char *text = NULL;
	long keepalive = 0;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(r, g, "each peer must be a group { ... }");
	if (check_known(r, g, known) || get_string(r, g, "node_id", true, &text) < 0)
		return -1;
	if (ipv4_parse(text, &peer->node_id))
		return fail(r, member(g, "node_id"), "node_id '%s' is not an IPv4 address", text);
	if (!ipv4_prefix_contains(&cfg->network.subnet, peer->node_id))
		return fail(r, member(g, "node_id"), "node_id %s is outside subnet", text);
	if (peer->node_id.s_addr == cfg->cert.node_id.s_addr)
		return fail(r, member(g, "node_id"), "node_id %s is this node's own", text);
	if (get_key(r, g, "public_key", true, peer->public_key, X25519_KEY_LEN) < 0)
		return -1;
	if (get_string(r, g, "endpoint", false, &text) == 1 &&
	    endpoint_parse(&peer->endpoint, text) &&
	    endpoint_name_parse(text, peer->endpoint_host, &peer->endpoint_port))
		return fail(r, member(g, "endpoint"),
			    "endpoint '%s' is not host:port with an IPv4 address, an [IPv6] "
			    "address or a DNS name as host",
			    text);
	if (get_bool(r, g, "wireguard", &peer->wireguard) < 0 ||
	    get_bool(r, g, "rendezvous", &peer->rendezvous) < 0 ||
	    get_int(r, g, "persistent_keepalive", 0, 65535, &keepalive) < 0)
		return -1;
	peer->persistent_keepalive = (uint16_t)keepalive;
	return 0;
}

static int check_peer_unique(struct reader *r, const config_setting_t *g, const struct config *cfg,
			     size_t index)
{
	const struct config_peer *peer = &cfg->peers[index];

	if (!crypto_memneq(peer->public_key, cfg->public_key, X25519_KEY_LEN))
		return fail(r, g, "peer has this node's own public_key");
	for (size_t i = 0; i < index; i++) {
		if (cfg->peers[i].node_id.s_addr == peer->node_id.s_addr)
			return fail(r, g, "two peers have the same node_id");
		if (!crypto_memneq(cfg->peers[i].public_key, peer->public_key, X25519_KEY_LEN))
			return fail(r, g, "two peers have the same public_key");
	}
	return 0;
}

static int read_peers(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	const config_setting_t *list = member(root, "peers");
	int count;

	if (!list)
		return 0;
	if (config_setting_type(list) != CONFIG_TYPE_LIST)
		return fail(r, list, "'peers' must be a list ( { ... }, ... )");
	count = config_setting_length(list);
	if (count == 0)
		return 0;
	cfg->peers = calloc((size_t)count, sizeof(*cfg->peers));
	if (!cfg->peers)
		return fail(r, list, "out of memory");
	for (int i = 0; i < count; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);

		if (read_peer(r, g, cfg, &cfg->peers[i]))
			return -1;
		cfg->peer_count = (size_t)i + 1;
		if (check_peer_unique(r, g, cfg, (size_t)i))
			return -1;
	}
	return 0;
}

/* A controller enrolls nodes: it holds the network's signing key. */
static int read_signing_key(struct reader *r, const config_setting_t *at, const char *path,
			    struct config *cfg)
{
	struct network_config net;
	char err[CONFIG_ERROR_LEN], full[sizeof(cfg->network_file)];

	if (secret_file_beside(path, r->name, full, sizeof(full)))
		return fail(r, at, "network_file: the path is too long");
	path = full; /* relative to the configuration, not to where vpnd runs */
	if (network_file_load(&net, path, err, sizeof(err)))
		return fail(r, at, "network_file: %s", err);
	if (crypto_memneq(net.public_key, cfg->network.public_key, ED25519_PUBLIC_LEN) ||
	    strcmp(net.name, cfg->network.name) != 0) {
		crypto_wipe(&net, sizeof(net));
		return fail(r, at, "network_file %s is not this node's network", path);
	}
	memcpy(cfg->network.signing_key, net.signing_key, ED25519_SEED_LEN);
	cfg->network.has_signing_key = true;
	snprintf(cfg->network_file, sizeof(cfg->network_file), "%s", path);
	crypto_wipe(&net, sizeof(net));
	return 0;
}

static int read_rendezvous(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"enabled", "second_port", "network_file", NULL};
	const config_setting_t *g;
	const char *network_file = NULL;
	long second_port = 0;
	int ret;

	g = get_group(r, root, "rendezvous", false, &ret);
	if (ret < 0 || !g)
		return ret;
	if (check_known(r, g, known) || get_bool(r, g, "enabled", &cfg->rendezvous_enabled) < 0 ||
	    get_int(r, g, "second_port", 0, 65535, &second_port) < 0)
		return -1;
	cfg->rendezvous_second_port = (uint16_t)second_port;
	if (cfg->rendezvous_enabled && !(cfg->cert.flags & CERT_FLAG_RENDEZVOUS))
		return fail(r, member(g, "enabled"),
			    "serving as rendezvous needs a certificate "
			    "with the rendezvous flag (tunctl cert sign -f rendezvous)");
	if (cfg->rendezvous_enabled && second_port && second_port == cfg->listen_port)
		return fail(r, member(g, "second_port"),
			    "second_port must differ from listen_port");
	if (get_string(r, g, "network_file", false, &network_file) < 0)
		return -1;
	return network_file ? read_signing_key(r, member(g, "network_file"), network_file, cfg) : 0;
}

static int read_stun_servers(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	const config_setting_t *list = member(root, "stun_servers");

	if (!list)
		return 0;
	if (config_setting_type(list) != CONFIG_TYPE_LIST &&
	    config_setting_type(list) != CONFIG_TYPE_ARRAY)
		return fail(r, list, "'stun_servers' must be a list of \"host:port\" strings");
	if (config_setting_length(list) > CONFIG_MAX_STUN_SERVERS)
		return fail(r, list, "at most %d stun_servers", CONFIG_MAX_STUN_SERVERS);
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *item = config_setting_get_elem(list, (unsigned)i);
		const char *text = config_setting_get_string(item);

		if (!text || endpoint_parse(&cfg->stun_servers[i], text))
			return fail(r, item,
				    "stun server '%s' is not host:port with a numeric host",
				    text ? text : "?");
		cfg->stun_server_count++;
	}
	return 0;
}

static int read_control(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"socket", "group", NULL};
	const config_setting_t *g;
	const char *path = NULL, *group = "";
	int ret;

	g = get_group(r, root, "control", false, &ret);
	if (ret < 0 || (g && check_known(r, g, known)))
		return -1;
	if (get_string(r, g, "socket", false, &path) < 0 ||
	    get_string(r, g, "group", false, &group) < 0)
		return -1;
	if (path && (path[0] != '/' || strlen(path) >= sizeof(cfg->control_socket)))
		return fail(r, member(g, "socket"),
			    "socket must be an absolute path shorter "
			    "than %zu characters",
			    sizeof(cfg->control_socket));
	if (strlen(group) >= sizeof(cfg->control_group))
		return fail(r, member(g, "group"), "group name is too long");
	if (path)
		strcpy(cfg->control_socket, path);
	else
		snprintf(cfg->control_socket, sizeof(cfg->control_socket), "%s/%s.sock",
			 CONFIG_SOCKET_DIR, cfg->ifname);
	strcpy(cfg->control_group, group);
	return 0;
}

static int read_punch(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"sockets", "probes", "rate", NULL};
	long sockets = CONFIG_DEFAULT_PUNCH_SOCKETS, probes = CONFIG_DEFAULT_PUNCH_PROBES;
	long rate = CONFIG_DEFAULT_PUNCH_RATE;
	const config_setting_t *g;
	int ret;

	g = get_group(r, root, "punch", false, &ret);
	if (ret < 0 || (g && check_known(r, g, known)) ||
	    get_int(r, g, "sockets", 0, 512, &sockets) < 0 ||
	    get_int(r, g, "probes", 0, 8192, &probes) < 0 ||
	    get_int(r, g, "rate", 10, 10000, &rate) < 0)
		return -1;
	cfg->punch_sockets = (uint16_t)sockets;
	cfg->punch_probes = (uint16_t)probes;
	cfg->punch_rate = (uint16_t)rate;
	return 0;
}

static int read_lan_beacon(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"enabled", "port", NULL};
	long port = CONFIG_DEFAULT_BEACON_PORT;
	const config_setting_t *g;
	int ret;

	cfg->beacon_enabled = true;
	g = get_group(r, root, "lan_beacon", false, &ret);
	if (ret < 0 || (g && check_known(r, g, known)) ||
	    get_bool(r, g, "enabled", &cfg->beacon_enabled) < 0 ||
	    get_int(r, g, "port", 1, 65535, &port) < 0)
		return -1;
	if (port == cfg->listen_port) {
		if (g && member(g, "port"))
			return fail(r, member(g, "port"), "the beacon port must differ from listen_port");
		port++; /* the default, where a node listens on it */
	}
	cfg->beacon_port = (uint16_t)port;
	return 0;
}

const char *portmap_protocol_name(enum portmap_protocol protocol)
{
	static const char *const names[PORTMAP_PROTOCOLS] = {"pcp", "natpmp", "upnp"};

	return protocol < PORTMAP_PROTOCOLS ? names[protocol] : "?";
}

static int read_portmap_protocol(struct reader *r, const config_setting_t *item,
				 struct config *cfg)
{
	const char *text = config_setting_get_string(item);

	for (uint8_t p = 0; text && p < PORTMAP_PROTOCOLS; p++) {
		if (strcmp(text, portmap_protocol_name(p)))
			continue;
		if (memchr(cfg->portmap_protocols, p, cfg->portmap_protocol_count))
			return fail(r, item, "portmap protocol '%s' is listed twice", text);
		cfg->portmap_protocols[cfg->portmap_protocol_count++] = p;
		return 0;
	}
	return fail(r, item, "portmap protocols are \"pcp\", \"natpmp\" and \"upnp\", not '%s'",
		    text ? text : "?");
}

static int read_portmap(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"enabled", "protocols", NULL};
	const config_setting_t *g, *list;
	int ret;

	cfg->portmap_enabled = true;
	g = get_group(r, root, "portmap", false, &ret);
	if (ret < 0 || (g && check_known(r, g, known)) ||
	    get_bool(r, g, "enabled", &cfg->portmap_enabled) < 0)
		return -1;
	list = g ? member(g, "protocols") : NULL;
	if (!list) {
		for (uint8_t p = 0; p < PORTMAP_PROTOCOLS; p++)
			cfg->portmap_protocols[p] = p;
		cfg->portmap_protocol_count = PORTMAP_PROTOCOLS;
		return 0;
	}
	if ((config_setting_type(list) != CONFIG_TYPE_LIST &&
	     config_setting_type(list) != CONFIG_TYPE_ARRAY) ||
	    config_setting_length(list) < 1)
		return fail(r, list, "'protocols' must be a list of one or more of \"pcp\", "
				     "\"natpmp\" and \"upnp\"");
	for (int i = 0; i < config_setting_length(list); i++)
		if (read_portmap_protocol(r, config_setting_get_elem(list, (unsigned)i), cfg))
			return -1;
	return 0;
}

static int read_state_dir(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	const char *dir = CONFIG_STATE_DIR;

	if (get_string(r, root, "state_dir", false, &dir) < 0)
		return -1;
	if (dir[0] != '/' || strlen(dir) >= sizeof(cfg->state_dir))
		return fail(r, member(root, "state_dir"),
			    "state_dir must be an absolute path shorter than %zu characters",
			    sizeof(cfg->state_dir));
	strcpy(cfg->state_dir, dir);
	return 0;
}

static int read_root(struct reader *r, const config_setting_t *root, struct config *cfg)
{
	static const char *const known[] = {"interface", "node",       "network",      "peers",
					    "control",	 "rendezvous", "stun_servers", "state_dir",
					    "punch",	 "enroll",     "log_level",    "lan_beacon",
					    "portmap",	 NULL};
	const char *level = "info";

	if (check_known(r, root, known) || read_enroll(r, root, cfg) ||
	    (!cfg->enrolling && read_network(r, root, &cfg->network, false)) ||
	    read_interface(r, root, cfg) || read_node(r, root, cfg) || read_peers(r, root, cfg) ||
	    add_controller(r, root, cfg) || read_rendezvous(r, root, cfg) ||
	    read_stun_servers(r, root, cfg) || read_control(r, root, cfg) ||
	    get_string(r, root, "log_level", false, &level) < 0)
		return -1;
	if (read_state_dir(r, root, cfg) || read_punch(r, root, cfg) ||
	    read_lan_beacon(r, root, cfg) || read_portmap(r, root, cfg))
		return -1;
	if (log_level_parse(level, &cfg->log_level))
		return fail(r, member(root, "log_level"),
			    "log_level must be error, warn, info or debug");
	return 0;
}

static int syntax_error(struct reader *r, const config_t *lc);

/* Why libconfig could not read the text: the file, or its syntax. */
static int read_failure(struct reader *r, const config_t *lc, bool from_file)
{
	if (from_file && config_error_type(lc) == CONFIG_ERR_FILE_IO) {
		snprintf(r->err, r->err_len, "%s: cannot read file: %s", r->name, strerror(errno));
		return -1;
	}
	return syntax_error(r, lc);
}

static int syntax_error(struct reader *r, const config_t *lc)
{
	const char *file = config_error_file(lc);

	snprintf(r->err, r->err_len, "%s:%d: %s", file ? file : r->name, config_error_line(lc),
		 config_error_text(lc));
	return -1;
}

static int load(struct config *cfg, const char *path, const char *text, char *err, size_t err_len)
{
	struct reader r = {.name = path, .err = err, .err_len = err_len};
	config_t lc;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	config_init(&lc);
	if ((text ? config_read_string(&lc, text) : config_read_file(&lc, path)) != CONFIG_TRUE)
		ret = read_failure(&r, &lc, !text);
	else
		ret = read_root(&r, config_root_setting(&lc), cfg);
	config_destroy(&lc);
	if (ret)
		config_free(cfg);
	return ret;
}

int config_load(struct config *cfg, const char *path, char *err, size_t err_len)
{
	return load(cfg, path, NULL, err, err_len);
}

int config_load_string(struct config *cfg, const char *text, const char *name, char *err,
		       size_t err_len)
{
	return load(cfg, name, text, err, err_len);
}

void config_free(struct config *cfg)
{
	free(cfg->peers);
	cfg->peers = NULL;
	cfg->peer_count = 0;
	crypto_wipe(cfg->private_key, sizeof(cfg->private_key));
	crypto_wipe(cfg->enroll_token, sizeof(cfg->enroll_token));
	network_config_wipe(&cfg->network);
}

void network_config_wipe(struct network_config *net)
{
	crypto_wipe(net->secret, sizeof(net->secret));
	crypto_wipe(net->signing_key, sizeof(net->signing_key));
}

int network_file_load(struct network_config *net, const char *path, char *err, size_t err_len)
{
	struct reader r = {.name = path, .err = err, .err_len = err_len};
	static const char *const known[] = {"network", NULL};
	config_t lc;
	int ret;

	memset(net, 0, sizeof(*net));
	config_init(&lc);
	if (config_read_file(&lc, path) != CONFIG_TRUE)
		ret = read_failure(&r, &lc, true);
	else
		ret = check_known(&r, config_root_setting(&lc), known) ||
		      read_network(&r, config_root_setting(&lc), net, true);
	config_destroy(&lc);
	return ret ? -1 : 0;
}

/*
 * Both sides of enrollment. The controller's record of given IDs is
 * <state_dir>/<ifname>.enrolled, a line per node: "<node ID> <public key>".
 * The node keeps its certificate in <state_dir>/<ifname>.cert.
 */
#include "members/enroll.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <stdlib.h>

#include "base64.h"
#include "core/device.h"
#include "core/peer.h"
#include "core/send.h"
#include "log.h"
#include "node_id.h"
#include "token.h"
#include "wire.h"

int enroll_device_init(struct device *dev)
{
	dev->enrollment = calloc(1, sizeof(*dev->enrollment));
	return dev->enrollment ? 0 : -ENOMEM;
}

void enroll_device_free(struct device *dev)
{
	free(dev->enrollment);
	dev->enrollment = NULL;
}

static bool certificate_fits(const struct device *dev, const struct cert *cert)
{
	return device_check_cert(dev, cert) == CERT_OK &&
	       !crypto_memneq(cert->public_key, dev->cfg.public_key, X25519_KEY_LEN) &&
	       ipv4_prefix_contains(&dev->cfg.network.subnet, cert->node_id);
}

bool enroll_load_cached(struct device *dev)
{
	char path[512], text[CERT_BASE64_MAX + 2] = "";
	struct cert cert;
	FILE *in;

	if (!device_state_path(dev, "cert", path, sizeof(path)) || !(in = fopen(path, "r")))
		return false;
	if (!fgets(text, sizeof(text), in))
		text[0] = '\0';
	fclose(in);
	text[strcspn(text, "\r\n")] = '\0';
	if (cert_from_base64(&cert, text) || !certificate_fits(dev, &cert))
		return false;
	dev->cfg.cert = cert;
	dev->cfg.has_cert = true;
	return true;
}

static struct peer *controller_of(struct device *dev)
{
	for (size_t i = 0; i < dev->peer_count; i++)
		if (dev->peers[i]->config.from_token)
			return dev->peers[i];
	return NULL;
}

bool enroll_step(struct device *dev)
{
	struct peer *controller = controller_of(dev);
	uint8_t msg[8 + sizeof(dev->cfg.enroll_token)];
	struct enroll_message request = {
	    .type = CONTROL_ENROLL_REQUEST,
	    .node_id = dev->cfg.enroll_node_id,
	    .body = dev->cfg.enroll_token,
	    .body_len = dev->cfg.enroll_token_len,
	};
	int len;

	if (!controller || dev->enrollment->requested || !controller->current.valid)
		return dev->enrollment->done;
	len = wire_encode_enroll(msg, sizeof(msg), &request);
	if (len > 0 && send_plaintext(controller, msg, (size_t)len) == 0)
		dev->enrollment->requested = true;
	return dev->enrollment->done;
}

int enroll_accept(struct device *dev)
{
	char path[512], text[CERT_BASE64_MAX];
	FILE *out;

	int ret = device_make_state_dir(dev);

	dev->cfg.cert = dev->enrollment->cert;
	dev->cfg.has_cert = true;
	if (ret)
		return ret;
	if (!device_state_path(dev, "cert", path, sizeof(path)))
		return -ENAMETOOLONG;
	out = fopen(path, "w");
	if (!out || cert_to_base64(&dev->cfg.cert, text, sizeof(text))) {
		if (out)
			fclose(out);
		return -EIO;
	}
	fprintf(out, "%s\n", text);
	return fclose(out) ? -EIO : 0;
}

void enroll_receive_reply(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	struct device *dev = peer->dev;
	struct enrollment *e = dev->enrollment;
	struct enroll_message reply;

	if (e->done || wire_decode_enroll(msg, len, &reply) || reply.type != CONTROL_ENROLL_REPLY)
		return;
	e->done = true;
	if (reply.status) {
		snprintf(e->message, sizeof(e->message), "%.*s", (int)reply.body_len,
			 (const char *)reply.body);
		return;
	}
	if (cert_decode(&e->cert, reply.body, reply.body_len) || !certificate_fits(dev, &e->cert)) {
		snprintf(e->message, sizeof(e->message),
			 "the controller sent an unusable certificate");
		return;
	}
	e->ok = true;
}

/* The controller's side. */

static bool id_recorded(const struct device *dev, struct in_addr id, const uint8_t *key,
			struct in_addr *key_id)
{
	char path[512], line[128], key_text[BASE64_LEN(X25519_KEY_LEN) + 1];
	bool taken = false;
	FILE *in;

	base64_encode(key_text, key, X25519_KEY_LEN);
	in = device_state_path(dev, "enrolled", path, sizeof(path)) ? fopen(path, "r") : NULL;
	key_id->s_addr = 0;
	while (in && fgets(line, sizeof(line), in)) {
		char addr[INET_ADDRSTRLEN], who[64];
		struct in_addr recorded;

		if (sscanf(line, "%15s %63s", addr, who) != 2 || ipv4_parse(addr, &recorded))
			continue;
		if (strcmp(who, key_text) == 0)
			*key_id = recorded;
		else if (recorded.s_addr == id.s_addr)
			taken = true;
	}
	if (in)
		fclose(in);
	return taken;
}

static bool id_free(const struct device *dev, struct in_addr id, const uint8_t *key)
{
	const struct ipv4_prefix *subnet = &dev->cfg.network.subnet;
	uint32_t host = ntohl(id.s_addr) & ~(subnet->length ? ~0U << (32 - subnet->length) : 0);
	uint32_t last = subnet->length ? ~(~0U << (32 - subnet->length)) : ~0U;
	const struct peer *holder = peer_lookup_by_node_id(dev, id);
	struct in_addr ignored;

	return ipv4_prefix_contains(subnet, id) && host != 0 && host != last &&
	       id.s_addr != dev->cfg.cert.node_id.s_addr &&
	       !(holder && crypto_memneq(holder->config.public_key, key, X25519_KEY_LEN)) &&
	       !id_recorded(dev, id, key, &ignored);
}

/* The key's ID from before, the one asked for, or the lowest free one. */
static int choose_id(const struct device *dev, const uint8_t *key, struct in_addr asked,
		     struct in_addr *id, char *why, size_t why_len)
{
	uint32_t first = ntohl(dev->cfg.network.subnet.network.s_addr);
	uint32_t count =
	    dev->cfg.network.subnet.length ? 1U << (32 - dev->cfg.network.subnet.length) : 0;

	id_recorded(dev, asked, key, id);
	if (id->s_addr)
		return 0;
	if (asked.s_addr) {
		*id = asked;
		if (id_free(dev, asked, key))
			return 0;
		snprintf(why, why_len, "node ID %s is taken", NODE_ID(asked));
		return -EEXIST;
	}
	for (uint32_t i = 1; i + 1 < count; i++) {
		id->s_addr = htonl(first + i);
		if (id_free(dev, *id, key))
			return 0;
	}
	snprintf(why, why_len, "no free node ID in the network");
	return -ENOSPC;
}

static void record_id(const struct device *dev, struct in_addr id, const uint8_t *key)
{
	char path[512], key_text[BASE64_LEN(X25519_KEY_LEN) + 1];
	FILE *out;

	if (device_make_state_dir(dev) || !device_state_path(dev, "enrolled", path, sizeof(path)))
		return;
	out = fopen(path, "a");
	if (!out)
		return;
	base64_encode(key_text, key, X25519_KEY_LEN);
	fprintf(out, "%s %s\n", NODE_ID(id), key_text);
	fclose(out);
}

static void reply(struct peer *peer, uint8_t status, const void *body, size_t len)
{
	uint8_t msg[8 + CERT_MAX_LEN + 160];
	struct enroll_message answer = {
	    .type = CONTROL_ENROLL_REPLY, .status = status, .body = body, .body_len = len};
	int msg_len = wire_encode_enroll(msg, sizeof(msg), &answer);

	if (msg_len > 0)
		send_plaintext(peer, msg, (size_t)msg_len);
}

static void refuse(struct peer *peer, const char *why)
{
	log_warnx("enrollment refused: %s", why);
	reply(peer, 1, why, strlen(why));
}

static int check_token(const struct device *dev, const struct enroll_message *request, char *why,
		       size_t why_len)
{
	struct join_token token;
	bool valid = false;
	int ret = token_verify(request->body, request->body_len, dev->cfg.network.signing_key,
			       (uint64_t)time(NULL));

	if (ret == -ETIMEDOUT)
		snprintf(why, why_len, "the join token has expired");
	else if (ret || token_decode(&token, request->body, request->body_len) ||
		 strcmp(token.network.name, dev->cfg.network.name) != 0)
		snprintf(why, why_len, "the join token is not valid for this network");
	else
		valid = true;
	crypto_wipe(&token, sizeof(token));
	return valid ? 0 : -EINVAL;
}

void enroll_serve(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	struct device *dev = peer->dev;
	struct enroll_message request;
	struct cert cert = {0};
	uint8_t encoded[CERT_MAX_LEN];
	char why[160];
	int cert_len;

	if (!dev->cfg.network.has_signing_key || wire_decode_enroll(msg, len, &request) ||
	    request.type != CONTROL_ENROLL_REQUEST) {
		peer_count_drop(peer, DROP_MALFORMED);
		return;
	}
	if (check_token(dev, &request, why, sizeof(why)) ||
	    choose_id(dev, peer->config.public_key, request.node_id, &cert.node_id, why,
		      sizeof(why))) {
		refuse(peer, why);
		return;
	}
	strcpy(cert.network, dev->cfg.network.name);
	memcpy(cert.public_key, peer->config.public_key, X25519_KEY_LEN);
	cert.not_before = (uint64_t)time(NULL) - 60;
	cert.not_after = cert.not_before + ENROLL_VALIDITY_DAYS * 86400ULL;
	cert_len = cert_sign(&cert, dev->cfg.network.signing_key)
		       ? -1
		       : cert_encode(&cert, encoded, sizeof(encoded));
	if (cert_len < 0) {
		refuse(peer, "cannot sign a certificate");
		return;
	}
	record_id(dev, cert.node_id, peer->config.public_key);
	log_info("enrolled %s", NODE_ID(cert.node_id));
	reply(peer, 0, encoded, (size_t)cert_len);
}

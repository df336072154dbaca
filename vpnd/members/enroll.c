/*
 * Both sides of enrollment. The controller allocates node IDs from its
 * registry (lib/registry.h, <state_dir>/<ifname>.registry), which holds
 * every certificate it issued or saw; an old <ifname>.enrolled file is
 * imported once. The node keeps its certificate in <state_dir>/<ifname>.cert.
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
#include "registry.h"
#include "token.h"
#include "wire.h"

int enroll_device_init(struct device *dev)
{
	dev->enrollment = calloc(1, sizeof(*dev->enrollment));
	return dev->enrollment ? 0 : -ENOMEM;
}

void enroll_device_free(struct device *dev)
{
	if (!dev->enrollment)
		return;
	registry_close(dev->enrollment->registry);
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

/* The registry, opened (and an old .enrolled file imported) on first use;
 * NULL with why when it cannot be. */
static struct registry *registry_of(struct device *dev, char *why, size_t why_len)
{
	struct enrollment *e = dev->enrollment;
	char path[512], old[512];
	int imported;

	if (e->registry)
		return e->registry;
	if (device_make_state_dir(dev) || !device_state_path(dev, "registry", path, sizeof(path)) ||
	    !device_state_path(dev, "enrolled", old, sizeof(old))) {
		snprintf(why, why_len, "the controller has no state directory to keep its registry");
		return NULL;
	}
	if (registry_open(&e->registry, path, why, why_len))
		return NULL;
	imported = registry_import_enrolled(e->registry, old, (uint64_t)time(NULL));
	if (imported < 0) { /* IDs it holds may be unknown: refuse, and try again next time */
		snprintf(why, why_len, "the controller cannot import its .enrolled file");
		registry_close(e->registry);
		e->registry = NULL;
		return NULL;
	}
	if (imported > 0)
		log_info("registry: %d node IDs imported from %s", imported, old);
	return e->registry;
}

/* An ID enrollment may give the key: in the subnet, not its first or last
 * address, not ours, not a peer's of another key, not held by any
 * certificate of another key the registry knows of. */
static int id_free(struct device *dev, struct registry *reg, struct in_addr id, const uint8_t *key)
{
	const struct ipv4_prefix *subnet = &dev->cfg.network.subnet;
	uint32_t host = ntohl(id.s_addr) & ~(subnet->length ? ~0U << (32 - subnet->length) : 0);
	uint32_t last = subnet->length ? ~(~0U << (32 - subnet->length)) : ~0U;
	const struct peer *holder = peer_lookup_by_node_id(dev, id);
	int taken;

	if (!ipv4_prefix_contains(subnet, id) || host == 0 || host == last ||
	    id.s_addr == dev->cfg.cert.node_id.s_addr ||
	    (holder && crypto_memneq(holder->config.public_key, key, X25519_KEY_LEN)))
		return 0;
	taken = registry_id_taken(reg, id, key, (uint64_t)time(NULL));
	return taken < 0 ? taken : !taken;
}

/* The key's ID from before, the one asked for, or the lowest free one. */
static int choose_id(struct device *dev, struct registry *reg, const uint8_t *key,
		     struct in_addr asked, struct in_addr *id, char *why, size_t why_len)
{
	uint32_t first = ntohl(dev->cfg.network.subnet.network.s_addr);
	uint32_t count =
	    dev->cfg.network.subnet.length ? 1U << (32 - dev->cfg.network.subnet.length) : 0;
	int usable;

	if (registry_id_of(reg, key, id))
		goto failed;
	/* Its ID from before, unless another key's certificate holds it now. */
	usable = id->s_addr ? id_free(dev, reg, *id, key) : 0;
	if (usable > 0)
		return 0;
	if (usable < 0)
		goto failed;
	if (asked.s_addr) {
		*id = asked;
		usable = id_free(dev, reg, asked, key);
		if (usable > 0)
			return 0;
		if (usable < 0)
			goto failed;
		snprintf(why, why_len, "node ID %s is taken", NODE_ID(asked));
		return -EEXIST;
	}
	for (uint32_t i = 1; i + 1 < count; i++) {
		id->s_addr = htonl(first + i);
		usable = id_free(dev, reg, *id, key);
		if (usable > 0)
			return 0;
		if (usable < 0)
			goto failed;
	}
	snprintf(why, why_len, "no usable node ID in the network");
	return -ENOSPC;
failed:
	snprintf(why, why_len, "the controller cannot read its registry");
	return -EIO;
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

/* What a valid token grants: its ID, and how many keys it may enroll. */
struct grant {
	uint8_t token_id[TOKEN_ID_LEN];
	unsigned int uses;
};

static int check_token(const struct device *dev, const struct enroll_message *request,
		       struct grant *grant, char *why, size_t why_len)
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
	if (valid) {
		memcpy(grant->token_id, token.id, sizeof(grant->token_id));
		grant->uses = token.uses;
	}
	crypto_wipe(&token, sizeof(token));
	return valid ? 0 : -EINVAL;
}

/* The certificate for the key, signed and encoded into out; its length. */
static int sign_for(const struct device *dev, const uint8_t *key, struct cert *cert,
		    uint8_t *out, size_t len)
{
	strcpy(cert->network, dev->cfg.network.name);
	memcpy(cert->public_key, key, X25519_KEY_LEN);
	cert->not_before = (uint64_t)time(NULL) - 60;
	cert->not_after = cert->not_before + ENROLL_VALIDITY_DAYS * 86400ULL;
	return cert_sign(cert, dev->cfg.network.signing_key) ? -1 : cert_encode(cert, out, len);
}

/* Records the certificate before it goes out: nothing is handed out that
 * the registry does not hold. */
static int record(struct registry *reg, const struct cert *cert, const struct grant *grant,
		  char *why, size_t why_len)
{
	int ret = registry_issue(reg, cert->node_id, cert->public_key, cert->not_after,
				 grant->token_id, sizeof(grant->token_id), grant->uses,
				 (uint64_t)time(NULL));

	if (ret == -EDQUOT)
		snprintf(why, why_len, "the join token is used up (it enrolls %u node%s)",
			 grant->uses, grant->uses == 1 ? "" : "s");
	else if (ret == -EEXIST)
		snprintf(why, why_len, "node ID %s is taken", NODE_ID(cert->node_id));
	else if (ret)
		snprintf(why, why_len, "the controller cannot record the enrollment");
	return ret;
}

void enroll_serve(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	struct device *dev = peer->dev;
	struct enroll_message request;
	struct registry *reg;
	struct grant grant;
	struct cert cert = {0};
	uint8_t encoded[CERT_MAX_LEN];
	char why[160];
	int cert_len;

	if (!dev->cfg.network.has_signing_key || wire_decode_enroll(msg, len, &request) ||
	    request.type != CONTROL_ENROLL_REQUEST) {
		peer_count_drop(peer, DROP_MALFORMED);
		return;
	}
	if (check_token(dev, &request, &grant, why, sizeof(why)) ||
	    !(reg = registry_of(dev, why, sizeof(why))) ||
	    choose_id(dev, reg, peer->config.public_key, request.node_id, &cert.node_id, why,
		      sizeof(why))) {
		refuse(peer, why);
		return;
	}
	cert_len = sign_for(dev, peer->config.public_key, &cert, encoded, sizeof(encoded));
	if (cert_len < 0) {
		refuse(peer, "cannot sign a certificate");
		return;
	}
	if (record(reg, &cert, &grant, why, sizeof(why))) {
		refuse(peer, why);
		return;
	}
	log_info("enrolled %s", NODE_ID(cert.node_id));
	reply(peer, 0, encoded, (size_t)cert_len);
}

void enroll_note_certificate(struct device *dev, const struct cert *cert)
{
	char why[256];
	struct registry *reg;

	if (!dev->cfg.network.has_signing_key || !dev->cfg.rendezvous_enabled)
		return;
	reg = registry_of(dev, why, sizeof(why));
	if (!reg || registry_record(reg, cert->node_id, cert->public_key, cert->not_after,
				    REGISTRY_SEEN, (uint64_t)time(NULL)))
		log_warnx("registry: cannot record %s's certificate", NODE_ID(cert->node_id));
}

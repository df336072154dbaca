/*
 * <state_dir>/<ifname>.peers, one peer a line: "<endpoint> <certificate>".
 * The certificate is checked again when loading (network key, validity),
 * so the file grants nothing that the network did not sign. Written
 * atomically (a temporary file renamed), mode 0600.
 */
#include "members/peer_cache.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "core/certificate.h"
#include "core/device.h"
#include "core/path.h"
#include "core/peer.h"
#include "log.h"
#include "node_id.h"

static void load_line(struct device *dev, char *line)
{
	char *space = strchr(line, ' ');
	union endpoint endpoint;
	struct cert cert;
	struct peer *peer;

	line[strcspn(line, "\r\n")] = '\0';
	if (!space)
		return;
	*space = '\0';
	if (endpoint_parse(&endpoint, line) || cert_from_base64(&cert, space + 1) ||
	    device_check_cert(dev, &cert) != CERT_OK ||
	    cert.node_id.s_addr == dev->cfg.cert.node_id.s_addr ||
	    peer_lookup_by_node_id(dev, cert.node_id) || peer_lookup_by_key(dev, cert.public_key))
		return;
	peer = peer_create_dynamic(dev, cert.public_key, cert.node_id);
	if (!peer)
		return;
	path_set_endpoint(peer, &endpoint);
	certificate_adopt(peer, &cert);
	log_info("peer %s from the peer cache, at %s", NODE_ID(cert.node_id), line);
}

void peer_cache_load(struct device *dev)
{
	char path[512], line[ENDPOINT_STRLEN + CERT_BASE64_MAX + 8];
	FILE *in;

	if (!device_state_path(dev, "peers", path, sizeof(path)) || !(in = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), in))
		load_line(dev, line);
	fclose(in);
}

void peer_cache_save(const struct device *dev)
{
	char path[512], endpoint[ENDPOINT_STRLEN], cert[CERT_BASE64_MAX];
	struct atomic_file file;
	int err;

	if (device_make_state_dir(dev) || !device_state_path(dev, "peers", path, sizeof(path)))
		return;
	err = atomic_file_open(&file, path);
	if (err) {
		log_warn("cannot write the peer cache %s.tmp: %s", path, strerror(-err));
		return;
	}
	for (size_t i = 0; i < dev->peer_count; i++) {
		const struct peer *peer = dev->peers[i];

		if (!peer->dynamic || !peer->path.direct_up || !peer->certificate_verified ||
		    cert_to_base64(&peer->certificate, cert, sizeof(cert)))
			continue;
		endpoint_format(&peer->endpoint, endpoint, sizeof(endpoint));
		fprintf(file.out, "%s %s\n", endpoint, cert);
	}
	atomic_file_commit(&file, false);
}

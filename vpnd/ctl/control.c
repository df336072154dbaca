/*
 * The control server. A stale socket left by a crashed daemon is removed;
 * a live one means another daemon runs and is an error. Root and the
 * daemon's own user may send every command; members of the socket's group
 * may look (status, peers, paths, ping, netcheck, blocks) but not change
 * routes or the blocklist.
 */
#include "ctl/control.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <json-c/json.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "base64.h"
#include "core/device.h"
#include "core/dispatch.h"
#include "core/hub.h"
#include "core/path.h"
#include "ctl/control_blocks.h"
#include "ctl/control_paths.h"
#include "ipc.h"
#include "log.h"
#include "nat/birthday.h"
#include "nat/netcheck.h"
#include "nat/portmap.h"
#include "node_id.h"
#include "route/select.h"

static int socket_in_use(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), live;

	if (fd < 0)
		return -errno;
	strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
	live = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(fd);
	return live;
}

static int remove_stale_socket(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("%s exists and is not a socket", path);
		return -EEXIST;
	}
	if (socket_in_use(path) > 0) {
		log_warnx("%s is in use: is another vpnd running for this interface?", path);
		return -EADDRINUSE;
	}
	return unlink(path) < 0 ? -errno : 0;
}

/* With no group configured, the package's system group "vpnd" if the
 * machine has one: its members may use tunctl without root. */
static int apply_group(const char *path, const char *group)
{
	struct group *gr = getgrnam(*group ? group : CONTROL_DEFAULT_GROUP);

	if (!gr && !*group)
		return 0;
	if (!gr) {
		log_warnx("control group '%s' does not exist", group);
		return -ENOENT;
	}
	return chown(path, (uid_t)-1, gr->gr_gid) < 0 ? -errno : 0;
}

void control_init(struct control *ctl)
{
	memset(ctl, 0, sizeof(*ctl));
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		ctl->clients[i].watch.fd = -1;
		ctl->clients[i].ctl = ctl;
	}
	ctl->listener.fd = -1;
}

static void accept_client(struct watch *watch, uint32_t events);

int control_open(struct control *ctl, const char *path, const char *group, struct loop *loop,
		 struct device *dev)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char dir[sizeof(addr.sun_path)], *slash;
	int ret, fd;

	control_init(ctl);
	ctl->loop = loop;
	ctl->dev = dev;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	ret = remove_stale_socket(path);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = loop_watch(loop, &ctl->listener, fd, EPOLLIN, accept_client);
	if (ret) {
		close(fd);
		return ret;
	}
	strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, 0660) < 0 ||
	    listen(fd, 8) < 0) {
		ret = -errno;
		control_close(ctl);
		return ret;
	}
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ret = apply_group(path, group);
	if (ret)
		control_close(ctl);
	return ret;
}

static void drop_client(struct control_client *client)
{
	loop_unwatch(client->ctl->loop, &client->watch);
	close(client->watch.fd);
	client->watch.fd = -1;
}

void control_close(struct control *ctl)
{
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (ctl->clients[i].watch.fd >= 0)
			drop_client(&ctl->clients[i]);
	if (ctl->listener.fd >= 0) {
		loop_unwatch(ctl->loop, &ctl->listener);
		close(ctl->listener.fd);
		if (ctl->path[0])
			unlink(ctl->path);
	}
	ctl->listener.fd = -1;
}

static bool user_in_group(uid_t uid, gid_t group)
{
	struct passwd *pw = getpwuid(uid);
	gid_t groups[256];
	int count = sizeof(groups) / sizeof(groups[0]);

	if (!pw || getgrouplist(pw->pw_name, pw->pw_gid, groups, &count) < 0)
		return false;
	for (int i = 0; i < count; i++)
		if (groups[i] == group)
			return true;
	return false;
}

/* Root or the daemon's own user: everything; a member of the socket's group
 * (when it has one other than root's): looking. */
static enum control_caller caller_of(const struct control *ctl, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct stat st;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return CONTROL_STRANGER;
	if (cred.uid == 0 || cred.uid == geteuid())
		return CONTROL_ADMIN;
	if (stat(ctl->path, &st) < 0 || st.st_gid == 0)
		return CONTROL_STRANGER;
	return cred.gid == st.st_gid || user_in_group(cred.uid, st.st_gid) ? CONTROL_VIEWER
									   : CONTROL_STRANGER;
}

static void serve(struct watch *watch, uint32_t events);

static void accept_client(struct watch *watch, uint32_t events)
{
	struct control *ctl = container_of(watch, struct control, listener);
	int fd = accept4(watch->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct timeval timeout = {.tv_sec = 1};

	if (fd < 0)
		return;
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		struct control_client *client = &ctl->clients[i];

		if (client->watch.fd < 0) {
			client->len = 0;
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
			if (loop_watch(ctl->loop, &client->watch, fd, EPOLLIN, serve) == 0)
				return;
			client->watch.fd = -1;
			break;
		}
	}
	close(fd);
}

static void add_drops(json_object *obj, const struct peer_stats *stats)
{
	json_object *drops = json_object_new_object();

	for (int i = 0; i < DROP_REASON_COUNT; i++)
		json_object_object_add(drops, drop_reason_name(i),
				       json_object_new_int64((int64_t)stats->drops[i]));
	json_object_object_add(obj, "drops", drops);
}

static void add_key(json_object *obj, const char *name, const uint8_t *key)
{
	char text[BASE64_LEN(NOISE_PUBLIC_KEY_LEN) + 1];

	base64_encode(text, key, NOISE_PUBLIC_KEY_LEN);
	json_object_object_add(obj, name, json_object_new_string(text));
}

static void add_count(json_object *obj, const char *name, uint64_t count)
{
	json_object_object_add(obj, name, json_object_new_int64((int64_t)count));
}

/* What the kernel does for us, and how much of the traffic it touched. */
static void add_offload(json_object *obj, const struct device *dev)
{
	static const struct {
		unsigned int flag;
		const char *name;
	} tun_flags[] = {{TUN_F_CSUM, "csum"},
			 {TUN_F_TSO4, "tso4"},
			 {TUN_F_TSO6, "tso6"},
			 {TUN_F_USO4, "uso4"},
			 {TUN_F_USO6, "uso6"}};
	const struct send_batch *batch = &dev->hub->send_batch;
	json_object *offload = json_object_new_object(), *tun = json_object_new_array();

	for (size_t i = 0; i < sizeof(tun_flags) / sizeof(tun_flags[0]); i++)
		if (dev->tun_offloads & tun_flags[i].flag)
			json_object_array_add(tun, json_object_new_string(tun_flags[i].name));
	json_object_object_add(offload, "tun", tun);
	json_object_object_add(offload, "udp_gso", json_object_new_boolean(!batch->gso_refused));
	json_object_object_add(offload, "udp_gro", json_object_new_boolean(dev->hub->udp_gro));
	add_count(offload, "workers", dev->hub->workers.thread_count);
	add_count(offload, "super_packets", dev->offload.super_packets);
	add_count(offload, "super_segments", dev->offload.super_segments);
	add_count(offload, "trains", batch->trains);
	add_count(offload, "train_datagrams", batch->train_datagrams);
	add_count(offload, "merged_writes", dev->offload.merged_writes);
	add_count(offload, "merged_segments", dev->offload.merged_segments);
	json_object_object_add(obj, "offload", offload);
}

/* Each control message type: received, and refused for the sender's standing. */
static void add_control_counts(json_object *obj, const struct control_counts *counts)
{
	json_object *control = json_object_new_object();

	for (size_t i = 0; i < control_handler_count; i++) {
		const struct control_handler *h = &control_handlers[i];
		json_object *entry = json_object_new_object();

		add_count(entry, "received", counts->received[h->type]);
		add_count(entry, "refused", counts->refused[h->type]);
		json_object_object_add(entry, "standing",
				       json_object_new_string(standing_name(h->standing)));
		json_object_object_add(control, h->name, entry);
	}
	json_object_object_add(obj, "control", control);
}

/* The hub's TCP streams: open, proven by an authenticated message, and
 * connections refused at once (too many unproven from one source). */
static void add_streams(json_object *reply, const struct stream_set *set)
{
	json_object *tcp = json_object_new_object();
	int proven = 0;

	for (size_t i = 0; i < set->count; i++)
		proven += set->streams[i]->proven;
	json_object_object_add(tcp, "streams", json_object_new_int((int)set->count));
	json_object_object_add(tcp, "proven", json_object_new_int(proven));
	json_object_object_add(tcp, "refused", json_object_new_int64((int64_t)set->refused));
	json_object_object_add(reply, "tcp", tcp);
}

static void reply_status(json_object *reply, struct device *dev, json_object *request)
{
	char subnet[32];

	ipv4_prefix_format(&dev->cfg.network.subnet, subnet, sizeof(subnet));
	json_object_object_add(reply, "node_id",
			       json_object_new_string(NODE_ID(dev->cfg.cert.node_id)));
	json_object_object_add(reply, "network", json_object_new_string(dev->cfg.network.name));
	json_object_object_add(reply, "subnet", json_object_new_string(subnet));
	json_object_object_add(reply, "interface", json_object_new_string(dev->cfg.ifname));
	json_object_object_add(reply, "mtu", json_object_new_int(dev->cfg.mtu));
	json_object_object_add(reply, "listen_port", json_object_new_int(dev->hub->listen_port));
	add_key(reply, "public_key", dev->identity.static_public);
	json_object_object_add(reply, "peer_count", json_object_new_int((int)dev->peer_count));
	json_object_object_add(reply, "strangers", json_object_new_int((int)device_strangers(dev)));
	add_drops(reply, &dev->unattributed);
	add_offload(reply, dev);
	add_control_counts(reply, &dev->control);
	add_streams(reply, &dev->hub->streams);
}

static const char *certificate_state(const struct peer *peer)
{
	if (peer->config.wireguard)
		return "not required";
	return peer->certificate_verified ? "verified" : "pending";
}

/* The local port a direct path leaves from: the device's, or a punching socket's. */
static int local_port_of(const struct peer *peer)
{
	union endpoint local;
	socklen_t len = sizeof(local);

	if (peer->path.fd < 0)
		return peer->dev->hub->listen_port;
	if (getsockname(peer->path.fd, &local.sa, &len) < 0)
		return 0;
	return ntohs(local.sa.sa_family == AF_INET ? local.in.sin_port : local.in6.sin6_port);
}

static json_object *peer_json(const struct peer *peer)
{
	json_object *obj = json_object_new_object();
	char endpoint[ENDPOINT_STRLEN], route[64];
	struct in_addr first = path_first_relay(peer);
	bool relay = first.s_addr != 0;

	select_format_route(&peer->path.route, route, sizeof(route));
	if (!peer->path.routed)
		snprintf(route, sizeof(route), "%s", path_kind(peer));

	endpoint_format(&peer->endpoint, endpoint, sizeof(endpoint));
	json_object_object_add(obj, "node_id",
			       json_object_new_string(NODE_ID(peer->config.node_id)));
	add_key(obj, "public_key", peer->config.public_key);
	json_object_object_add(obj, "endpoint", json_object_new_string(endpoint));
	json_object_object_add(
	    obj, "kind", json_object_new_string(peer->config.wireguard ? "wireguard" : "vpnd"));
	json_object_object_add(obj, "certificate", json_object_new_string(certificate_state(peer)));
	json_object_object_add(obj, "last_handshake",
			       json_object_new_int64((int64_t)peer->last_handshake_time));
	json_object_object_add(obj, "session", json_object_new_boolean(peer->current.valid));
	json_object_object_add(obj, "path", json_object_new_string(path_kind(peer)));
	json_object_object_add(obj, "relay", json_object_new_string(relay ? NODE_ID(first) : ""));
	json_object_object_add(obj, "route", json_object_new_string(route));
	json_object_object_add(obj, "dynamic", json_object_new_boolean(peer->dynamic));
	json_object_object_add(obj, "local_port", json_object_new_int(local_port_of(peer)));
	json_object_object_add(obj, "transport",
			       json_object_new_string(path_over_tcp(peer) ? "tcp" : "udp"));
	json_object_object_add(obj, "nat",
			       json_object_new_string(nat_type_name(peer->location.nat)));
	json_object_object_add(obj, "punch_probes_sent", json_object_new_int64(peer->spray->sent));
	json_object_object_add(obj, "rx_bytes",
			       json_object_new_int64((int64_t)peer->stats.rx_bytes));
	json_object_object_add(obj, "rx_packets",
			       json_object_new_int64((int64_t)peer->stats.rx_packets));
	json_object_object_add(obj, "tx_bytes",
			       json_object_new_int64((int64_t)peer->stats.tx_bytes));
	json_object_object_add(obj, "tx_packets",
			       json_object_new_int64((int64_t)peer->stats.tx_packets));
	json_object_object_add(obj, "fragmented",
			       json_object_new_int64((int64_t)peer->stats.fragmented));
	add_drops(obj, &peer->stats);
	return obj;
}

static void reply_peers(json_object *reply, struct device *dev, json_object *request)
{
	json_object *list = json_object_new_array();

	for (size_t i = 0; i < dev->peer_count; i++)
		json_object_array_add(list, peer_json(dev->peers[i]));
	json_object_object_add(reply, "peers", list);
}

static void start_netcheck(json_object *reply, struct device *dev, json_object *request)
{
	netcheck_start(dev);
	json_object_object_add(reply, "timeout_ms", json_object_new_int(NETCHECK_TIMEOUT_MS));
}

static void report_netcheck(json_object *reply, struct device *dev, json_object *request)
{
	netcheck_report(dev, reply);
	portmap_report(dev, reply);
}

static const struct {
	const char *name;
	void (*handle)(json_object *reply, struct device *dev, json_object *request);
	enum control_caller needs;
} commands[] = {
    {"status", reply_status, CONTROL_VIEWER},
    {"peers", reply_peers, CONTROL_VIEWER},
    {"netcheck", start_netcheck, CONTROL_VIEWER},
    {"netcheck_result", report_netcheck, CONTROL_VIEWER},
    {"paths", reply_paths, CONTROL_VIEWER},
    {"ping", start_ping, CONTROL_VIEWER},
    {"ping_result", report_ping, CONTROL_VIEWER},
    {"pin", pin_route, CONTROL_ADMIN},
    {"block", block_entry, CONTROL_ADMIN},
    {"unblock", unblock_entry, CONTROL_ADMIN},
    {"blocks", reply_blocks, CONTROL_VIEWER},
};

const char *control_text(json_object *request, const char *name)
{
	json_object *value;

	if (!json_object_object_get_ex(request, name, &value) ||
	    !json_object_is_type(value, json_type_string))
		return NULL;
	return json_object_get_string(value);
}

void control_fail(json_object *reply, const char *code, const char *message)
{
	json_object_object_add(reply, "ok", json_object_new_boolean(0));
	json_object_object_add(reply, "error", json_object_new_string(message));
	json_object_object_add(reply, "code", json_object_new_string(code));
}

static json_object *error_reply(const char *code, const char *message)
{
	json_object *reply = json_object_new_object();

	control_fail(reply, code, message);
	return reply;
}

json_object *control_handle_request(const char *line, struct device *dev,
				    enum control_caller caller)
{
	json_object *request = json_tokener_parse(line), *command, *reply;
	const char *name;

	if (!request || !json_object_is_type(request, json_type_object) ||
	    !json_object_object_get_ex(request, "command", &command) ||
	    !json_object_is_type(command, json_type_string)) {
		json_object_put(request);
		return error_reply("bad_request", "a request is {\"command\": \"...\"}");
	}
	name = json_object_get_string(command);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) != 0)
			continue;
		if (caller < commands[i].needs) {
			reply = error_reply("denied", "only root may change routes or the blocklist");
		} else {
			reply = json_object_new_object();
			json_object_object_add(reply, "ok", json_object_new_boolean(1));
			commands[i].handle(reply, dev, request);
		}
		json_object_put(request);
		return reply;
	}
	reply = error_reply("unknown_command", "unknown command");
	json_object_put(request);
	return reply;
}

static void send_reply(int fd, json_object *reply)
{
	const char *text = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);
	size_t len = strlen(text);

	if (send(fd, text, len, MSG_NOSIGNAL) == (ssize_t)len)
		send(fd, "\n", 1, MSG_NOSIGNAL);
	json_object_put(reply);
}

static void serve(struct watch *watch, uint32_t events)
{
	struct control_client *client = container_of(watch, struct control_client, watch);
	struct control *ctl = client->ctl;
	enum control_caller caller;
	int fd = watch->fd;
	char *newline;
	ssize_t n;

	n = read(fd, client->buf + client->len, sizeof(client->buf) - 1 - client->len);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		drop_client(client);
		return;
	}
	caller = caller_of(ctl, fd);
	if (caller == CONTROL_STRANGER) {
		send_reply(fd, error_reply("denied", "permission denied"));
		drop_client(client);
		return;
	}
	client->len += (size_t)n;
	client->buf[client->len] = '\0';
	while ((newline = strchr(client->buf, '\n'))) {
		*newline = '\0';
		send_reply(fd, control_handle_request(client->buf, ctl->dev, caller));
		client->len -= (size_t)(newline + 1 - client->buf);
		memmove(client->buf, newline + 1, client->len + 1);
	}
	if (client->len == sizeof(client->buf) - 1) {
		send_reply(fd, error_reply("bad_request", "request line too long"));
		drop_client(client);
	}
}

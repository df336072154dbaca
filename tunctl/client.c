/*
 * Finding the daemon's socket and asking it one question. Every failure
 * says what happened in words: not running, permission, protocol.
 */
#include "client.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ipc.h"

/* The only socket in the default directory, when exactly one daemon runs. */
static int find_only_socket(char *path, size_t len)
{
	DIR *dir = opendir(IPC_SOCKET_DIR);
	struct dirent *entry;
	int found = 0;

	if (!dir)
		return 0;
	while ((entry = readdir(dir))) {
		size_t name_len = strlen(entry->d_name);

		if (name_len > 5 && strcmp(entry->d_name + name_len - 5, ".sock") == 0) {
			if (found++ == 0)
				snprintf(path, len, "%s/%s", IPC_SOCKET_DIR, entry->d_name);
		}
	}
	closedir(dir);
	return found;
}

static int resolve_socket(const struct target *target, char *path, size_t len)
{
	int found;

	if (target->socket) {
		snprintf(path, len, "%s", target->socket);
		return 0;
	}
	if (target->ifname) {
		snprintf(path, len, "%s/%s.sock", IPC_SOCKET_DIR, target->ifname);
		return 0;
	}
	found = find_only_socket(path, len);
	if (found == 1)
		return 0;
	if (found == 0)
		fprintf(stderr, "%s: vpnd is not running (no control socket in %s)\n", prog,
			IPC_SOCKET_DIR);
	else
		fprintf(stderr, "%s: %d vpnd daemons are running: choose one with -i IFNAME\n",
			prog, found);
	return -1;
}

static int connect_socket(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void explain_connect_error(const char *path, int err)
{
	if (err == -ENOENT || err == -ECONNREFUSED)
		fprintf(stderr, "%s: vpnd is not running (cannot connect to %s)\n", prog, path);
	else if (err == -EACCES || err == -EPERM)
		fprintf(stderr,
			"%s: permission denied on %s: run as root or as a member of the "
			"daemon's control group\n",
			prog, path);
	else
		fprintf(stderr, "%s: cannot connect to %s: %s\n", prog, path, strerror(-err));
}

static json_object *read_reply(int fd)
{
	static char line[1 << 20];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(line) - 1) {
		n = read(fd, line + len, sizeof(line) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(line + len - (size_t)n, '\n', (size_t)n))
			break;
	}
	line[len] = '\0';
	return len ? json_tokener_parse(line) : NULL;
}

json_object *client_request(const struct target *target, const char *command)
{
	json_object *request = json_object_new_object();

	json_object_object_add(request, "command", json_object_new_string(command));
	return client_call(target, request);
}

json_object *client_call(const struct target *target, json_object *request)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char command[64];
	json_object *reply, *ok, *error;
	const char *text;
	int fd, sent;

	snprintf(command, sizeof(command), "%s", json_text(request, "command", "?"));
	if (resolve_socket(target, path, sizeof(path))) {
		json_object_put(request);
		return NULL;
	}
	fd = connect_socket(path);
	if (fd < 0) {
		explain_connect_error(path, fd);
		json_object_put(request);
		return NULL;
	}
	text = json_object_to_json_string_ext(request, JSON_C_TO_STRING_PLAIN);
	sent = write(fd, text, strlen(text)) >= 0 && write(fd, "\n", 1) == 1;
	json_object_put(request);
	if (!sent) {
		fprintf(stderr, "%s: cannot send to %s: %s\n", prog, path, strerror(errno));
		close(fd);
		return NULL;
	}
	reply = read_reply(fd);
	close(fd);
	if (!reply || !json_object_object_get_ex(reply, "ok", &ok)) {
		fprintf(stderr, "%s: vpnd sent no valid reply on %s\n", prog, path);
		json_object_put(reply);
		return NULL;
	}
	if (!json_object_get_boolean(ok)) {
		json_object_object_get_ex(reply, "error", &error);
		fprintf(stderr, "%s: vpnd refused '%s': %s\n", prog, command,
			error ? json_object_get_string(error) : "no reason given");
		json_object_put(reply);
		return NULL;
	}
	return reply;
}

const char *json_text(json_object *obj, const char *name, const char *fallback)
{
	json_object *value;

	return json_object_object_get_ex(obj, name, &value) ? json_object_get_string(value)
							    : fallback;
}

/* The control server: tunctl's requests over a unix socket (see ipc.h). */
#ifndef VPND_CONTROL_H
#define VPND_CONTROL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct device;

enum { CONTROL_MAX_CLIENTS = 16 };

struct control_client {
	int fd;
	size_t len;
	char buf[4096];
};

struct control {
	int listen_fd;
	char path[108];
	struct control_client clients[CONTROL_MAX_CLIENTS];
};

/* No socket, no clients: control_close does nothing. */
void control_init(struct control *ctl);
int control_open(struct control *ctl, const char *path, const char *group);
void control_close(struct control *ctl);
/* Accepts a new client; returns its fd or -1. */
int control_accept(struct control *ctl);
bool control_has_client(const struct control *ctl, int fd);
/* Serves what the client sent; false when it has gone and was closed. */
bool control_serve(struct control *ctl, int fd, struct device *dev);
/* Turns a reply into an error reply. */
void control_fail(json_object *reply, const char *code, const char *message);
/* One request line to its reply object (the caller puts it). */
json_object *control_handle_request(const char *line, struct device *dev);

#endif

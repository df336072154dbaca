/* The control server: tunctl's requests over a unix socket (see ipc.h). */
#ifndef VPND_CONTROL_H
#define VPND_CONTROL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "io/loop.h"

/* The control socket's group when none is configured and it exists. */
#define CONTROL_DEFAULT_GROUP "vpnd"

struct device;

enum { CONTROL_MAX_CLIENTS = 16 };

struct control;

struct control_client {
	struct watch watch; /* fd -1: a free slot */
	struct control *ctl;
	size_t len;
	char buf[4096];
};

/* One device's control socket and its clients, served by the event loop. */
struct control {
	struct loop *loop;
	struct device *dev;
	struct watch listener; /* fd -1: not listening */
	char path[108];
	struct control_client clients[CONTROL_MAX_CLIENTS];
};

/* No socket, no clients: control_close does nothing. */
void control_init(struct control *ctl);
int control_open(struct control *ctl, const char *path, const char *group, struct loop *loop,
		 struct device *dev);
void control_close(struct control *ctl);
/* A request's string member, or NULL. */
const char *control_text(json_object *request, const char *name);
/* Turns a reply into an error reply. */
void control_fail(json_object *reply, const char *code, const char *message);
/* Who sent a request: root and the daemon's user may change things, the
 * socket's group may look. */
enum control_caller { CONTROL_STRANGER, CONTROL_VIEWER, CONTROL_ADMIN };

/* One request line to its reply object (the caller puts it). */
json_object *control_handle_request(const char *line, struct device *dev,
				    enum control_caller caller);

#endif

/* Talking to a running vpnd over its control socket (lib/ipc.h). */
#ifndef TUNCTL_CLIENT_H
#define TUNCTL_CLIENT_H

#include <json-c/json.h>

#include "subcommands.h"

/* Sends {"command": name}; returns the reply (ok true) or NULL after
 * printing why to stderr. The caller puts the reply. */
json_object *client_request(const struct target *target, const char *command);
/* The same with a whole request object, which it puts. */
json_object *client_call(const struct target *target, json_object *request);

/* A reply field as text, or fallback when it is absent. */
const char *json_text(json_object *obj, const char *name, const char *fallback);

#endif

/* The control commands about routes (lib/ipc.h): paths, ping, ping_result, pin. */
#ifndef VPND_CONTROL_PATHS_H
#define VPND_CONTROL_PATHS_H

#include <json-c/json.h>

struct device;

void reply_paths(json_object *reply, struct device *dev, json_object *request);
void start_ping(json_object *reply, struct device *dev, json_object *request);
void report_ping(json_object *reply, struct device *dev, json_object *request);
void pin_route(json_object *reply, struct device *dev, json_object *request);

#endif

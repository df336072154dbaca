/* The control commands of the blocklist (lib/blocklist.h): block, unblock,
 * blocks. */
#ifndef VPND_CONTROL_BLOCKS_H
#define VPND_CONTROL_BLOCKS_H

#include <json-c/json.h>

struct device;

void block_entry(json_object *reply, struct device *dev, json_object *request);
void unblock_entry(json_object *reply, struct device *dev, json_object *request);
void reply_blocks(json_object *reply, struct device *dev, json_object *request);

#endif

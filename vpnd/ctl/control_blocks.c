/*
 * The control commands of the blocklist. An entry is a node ID or a base64
 * public key:
 *   {"command": "block", "entry": "10.26.0.5"}
 *   {"command": "unblock", "entry": "..."}
 *   {"command": "blocks"}
 * A change is written to the state directory first: if it cannot be kept,
 * nothing changes and the reply says why.
 */
#include "ctl/control_blocks.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "blocklist.h"
#include "core/device.h"
#include "core/peer.h"
#include "ctl/control.h"
#include "log.h"

static bool requested_entry(json_object *reply, json_object *request, struct blocked *entry)
{
	const char *text = control_text(request, "entry");

	if (!text || blocked_parse(text, entry)) {
		control_fail(reply, "bad_request", "name a node ID or a base64 public key");
		return false;
	}
	return true;
}

/* Writes the new list and makes it the device's; false (reply failed) if
 * it could not be written. */
static bool keep(json_object *reply, struct device *dev, const struct blocklist *list)
{
	char path[512], message[600];
	int err = device_make_state_dir(dev);

	if (!err && !device_state_path(dev, "blocks", path, sizeof(path)))
		err = -ENAMETOOLONG;
	if (!err)
		err = blocklist_save(list, path);
	if (err) {
		snprintf(message, sizeof(message), "cannot write the blocklist in %s: %s",
			 dev->cfg.state_dir, strerror(-err));
		control_fail(reply, "not_saved", message);
		return false;
	}
	dev->blocks = *list;
	return true;
}

/* Applies edit (add or remove) to a copy of the list and keeps it; the
 * edit's result, or -EIO (reply failed) if it could not be kept. */
static int change(json_object *reply, struct device *dev, json_object *request,
		  int (*edit)(struct blocklist *, const struct blocked *))
{
	struct blocklist list = dev->blocks;
	struct blocked entry;
	int err;

	if (!requested_entry(reply, request, &entry))
		return -EINVAL;
	err = edit(&list, &entry);
	if (err == -ENOSPC) {
		control_fail(reply, "full", "the blocklist holds 256 entries");
		return err;
	}
	if (err == 0 && !keep(reply, dev, &list))
		return -EIO;
	json_object_object_add(reply, "changed", json_object_new_boolean(err == 0));
	return err;
}

void block_entry(json_object *reply, struct device *dev, json_object *request)
{
	int err = change(reply, dev, request, blocklist_add);

	if (err && err != -EEXIST)
		return;
	if (err == 0)
		log_info("blocked %s", control_text(request, "entry"));
	device_apply_blocklist(dev);
}

void unblock_entry(json_object *reply, struct device *dev, json_object *request)
{
	if (change(reply, dev, request, blocklist_remove))
		return;
	log_info("unblocked %s", control_text(request, "entry"));
	/* A rendezvous we stopped talking to is called again at once; other
	 * peers at their next packet. */
	device_connect_rendezvous(dev);
}

void reply_blocks(json_object *reply, struct device *dev, json_object *request)
{
	json_object *list = json_object_new_array();
	char text[BLOCKED_TEXT_LEN];

	for (size_t i = 0; i < dev->blocks.count; i++) {
		const struct blocked *entry = &dev->blocks.items[i];
		json_object *item = json_object_new_object();
		struct peer *peer = entry->is_key ? peer_lookup_by_key(dev, entry->key)
						  : peer_lookup_by_node_id(dev, entry->node_id);

		blocked_format(entry, text, sizeof(text));
		json_object_object_add(item, "entry", json_object_new_string(text));
		json_object_object_add(item, "kind",
				       json_object_new_string(entry->is_key ? "key" : "node"));
		json_object_object_add(
		    item, "drops",
		    json_object_new_int64(peer ? (int64_t)peer->stats.drops[DROP_BLOCKED] : 0));
		json_object_array_add(list, item);
	}
	json_object_object_add(reply, "blocks", list);
}

/*
 * The blocklist: nodes (by node ID) and keys (by public key) this node will
 * have nothing to do with - no handshake answered, no session kept, nothing
 * relayed to or from them, not introduced. Kept in a file of the state
 * directory, one entry a line (a node ID, or a base64 public key; '#'
 * starts a comment), written whole through a temporary file and rename.
 */
#ifndef VPND_BLOCKLIST_H
#define VPND_BLOCKLIST_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

enum { BLOCKLIST_MAX = 256, BLOCKED_TEXT_LEN = 48 };

struct blocked {
	bool is_key;
	struct in_addr node_id;
	uint8_t key[X25519_KEY_LEN];
};

struct blocklist {
	size_t count;
	struct blocked items[BLOCKLIST_MAX];
};

/* A node ID (dotted quad) or a base64 public key; -EINVAL otherwise. */
int blocked_parse(const char *text, struct blocked *entry);
/* Writes the entry as blocked_parse reads it (BLOCKED_TEXT_LEN bytes). */
void blocked_format(const struct blocked *entry, char *buf, size_t len);

/* A missing file is an empty list. On a bad line, nothing is loaded and
 * error says which line and why. */
int blocklist_load(struct blocklist *list, const char *path, char *error, size_t error_len);
int blocklist_save(const struct blocklist *list, const char *path);

/* 0, -EEXIST if it is there already, or -ENOSPC. */
int blocklist_add(struct blocklist *list, const struct blocked *entry);
/* 0, or -ENOENT. */
int blocklist_remove(struct blocklist *list, const struct blocked *entry);
bool blocklist_has_key(const struct blocklist *list, const uint8_t key[X25519_KEY_LEN]);
bool blocklist_has_node(const struct blocklist *list, struct in_addr node_id);

#endif

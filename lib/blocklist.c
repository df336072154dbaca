/* The blocklist (see blocklist.h). */
#include "blocklist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "atomic_file.h"
#include "base64.h"

int blocked_parse(const char *text, struct blocked *entry)
{
	memset(entry, 0, sizeof(*entry));
	if (inet_pton(AF_INET, text, &entry->node_id) == 1)
		return entry->node_id.s_addr ? 0 : -EINVAL;
	entry->is_key = true;
	return base64_decode_exact(entry->key, sizeof(entry->key), text) ? -EINVAL : 0;
}

void blocked_format(const struct blocked *entry, char *buf, size_t len)
{
	char key[BASE64_LEN(X25519_KEY_LEN) + 1];

	if (entry->is_key) {
		base64_encode(key, entry->key, sizeof(entry->key));
		snprintf(buf, len, "%s", key);
	} else {
		inet_ntop(AF_INET, &entry->node_id, buf, (socklen_t)len);
	}
}

static bool same(const struct blocked *a, const struct blocked *b)
{
	if (a->is_key != b->is_key)
		return false;
	return a->is_key ? memcmp(a->key, b->key, sizeof(a->key)) == 0
			 : a->node_id.s_addr == b->node_id.s_addr;
}

static size_t find(const struct blocklist *list, const struct blocked *entry)
{
	size_t i = 0;

	while (i < list->count && !same(&list->items[i], entry))
		i++;
	return i;
}

int blocklist_add(struct blocklist *list, const struct blocked *entry)
{
	if (find(list, entry) < list->count)
		return -EEXIST;
	if (list->count == BLOCKLIST_MAX)
		return -ENOSPC;
	list->items[list->count++] = *entry;
	return 0;
}

int blocklist_remove(struct blocklist *list, const struct blocked *entry)
{
	size_t i = find(list, entry);

	if (i == list->count)
		return -ENOENT;
	list->items[i] = list->items[--list->count];
	return 0;
}

bool blocklist_has_key(const struct blocklist *list, const uint8_t key[X25519_KEY_LEN])
{
	struct blocked entry = {.is_key = true};

	memcpy(entry.key, key, sizeof(entry.key));
	return find(list, &entry) < list->count;
}

bool blocklist_has_node(const struct blocklist *list, struct in_addr node_id)
{
	struct blocked entry = {.node_id = node_id};

	return node_id.s_addr && find(list, &entry) < list->count;
}

/* One line: blank, a comment, or an entry (added to list). */
static const char *load_line(struct blocklist *list, char *line)
{
	struct blocked entry;
	char *end;

	line[strcspn(line, "#\r\n")] = '\0';
	line += strspn(line, " \t");
	for (end = line + strlen(line); end > line && (end[-1] == ' ' || end[-1] == '\t');)
		*--end = '\0';
	if (!*line)
		return NULL;
	if (blocked_parse(line, &entry))
		return "not a node ID or a base64 public key";
	if (blocklist_add(list, &entry) == -ENOSPC)
		return "more entries than the limit of 256";
	return NULL;
}

int blocklist_load(struct blocklist *list, const char *path, char *error, size_t error_len)
{
	struct blocklist loaded = {0};
	FILE *in = fopen(path, "re");
	const char *problem = NULL;
	char line[256];
	int number = 0;

	if (!in) {
		int err = errno;

		if (err != ENOENT) {
			snprintf(error, error_len, "%s: %s", path, strerror(err));
			return -err;
		}
		*list = loaded;
		return 0;
	}
	while (!problem && fgets(line, sizeof(line), in)) {
		number++;
		if (!strchr(line, '\n') && !feof(in))
			problem = "line too long";
		else
			problem = load_line(&loaded, line);
	}
	if (!problem && ferror(in))
		problem = "read error";
	fclose(in);
	if (problem) {
		snprintf(error, error_len, "%s:%d: %s", path, number, problem);
		return -EINVAL;
	}
	*list = loaded;
	return 0;
}

int blocklist_save(const struct blocklist *list, const char *path)
{
	struct atomic_file file;
	char text[BLOCKED_TEXT_LEN];
	int err = atomic_file_open(&file, path);

	if (err)
		return err;
	fprintf(file.out, "# Blocked by tunctl block: node IDs and public keys, one a line.\n");
	for (size_t i = 0; i < list->count; i++) {
		blocked_format(&list->items[i], text, sizeof(text));
		fprintf(file.out, "%s\n", text);
	}
	return atomic_file_commit(&file, true);
}

/* Session indices: the receiver index in every message names a peer. */
#ifndef VPND_INDEX_H
#define VPND_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct peer;

enum { INDEX_BUCKETS = 1024 };

struct index_entry {
	uint32_t index;
	struct peer *peer;
	struct index_entry *next;
};

struct index_table {
	struct index_entry *buckets[INDEX_BUCKETS];
};

/* A fresh random nonzero index for this peer; 0 when out of memory. */
uint32_t index_table_insert(struct index_table *table, struct peer *peer);
void index_table_remove(struct index_table *table, uint32_t index);
struct peer *index_table_lookup(const struct index_table *table, uint32_t index);
void index_table_clear(struct index_table *table);

#endif

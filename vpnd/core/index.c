/*
 * Random 32-bit indices chosen per handshake, mapped to their peer. Entries
 * are allocated per handshake, never per packet.
 */
#include "core/index.h"

#include <stdlib.h>

#include "crypto.h"

static size_t bucket_of(uint32_t index)
{
	return (index * 2654435761U) >> 22; /* top 10 bits: INDEX_BUCKETS */
}

struct peer *index_table_lookup(const struct index_table *table, uint32_t index)
{
	for (const struct index_entry *e = table->buckets[bucket_of(index)]; e; e = e->next)
		if (e->index == index)
			return e->peer;
	return NULL;
}

uint32_t index_table_insert(struct index_table *table, struct peer *peer)
{
	struct index_entry *entry = malloc(sizeof(*entry));
	uint32_t index;

	if (!entry)
		return 0;
	do {
		if (crypto_random(&index, sizeof(index))) {
			free(entry);
			return 0;
		}
	} while (index == 0 || index_table_lookup(table, index));
	entry->index = index;
	entry->peer = peer;
	entry->next = table->buckets[bucket_of(index)];
	table->buckets[bucket_of(index)] = entry;
	return index;
}

void index_table_remove(struct index_table *table, uint32_t index)
{
	for (struct index_entry **p = &table->buckets[bucket_of(index)]; *p; p = &(*p)->next) {
		if ((*p)->index == index) {
			struct index_entry *gone = *p;

			*p = gone->next;
			free(gone);
			return;
		}
	}
}

void index_table_clear(struct index_table *table)
{
	for (size_t i = 0; i < INDEX_BUCKETS; i++) {
		while (table->buckets[i]) {
			struct index_entry *gone = table->buckets[i];

			table->buckets[i] = gone->next;
			free(gone);
		}
	}
}

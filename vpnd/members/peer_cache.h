/* The peer cache: peers once reached directly, kept across restarts so that
 * a node can find them again without a rendezvous. */
#ifndef VPND_PEER_CACHE_H
#define VPND_PEER_CACHE_H

struct device;

/* Adds the cached peers whose certificates are still valid. */
void peer_cache_load(struct device *dev);
/* Rewrites the cache with every learned peer that has a direct path. */
void peer_cache_save(const struct device *dev);

#endif

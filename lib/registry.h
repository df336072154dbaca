/*
 * The enrollment controller's registry: which node IDs the certificates it
 * knows of hold (issued by enrollment, signed by hand and recorded, or seen
 * from members), and how often each join token was used. A SQLite database
 * behind this small interface, so that a shared database could later serve
 * several controllers of one network. Each change is one transaction, all
 * or nothing; every failure is an error, on which the caller refuses (fail
 * closed).
 *
 * Tables: nodes (node ID, public key, origin, not_after, recorded_at; one
 * row per ID and key), token_uses (token ID, key, node ID, used_at), meta
 * (schema version, whether an old .enrolled file was imported).
 */
#ifndef VPND_REGISTRY_H
#define VPND_REGISTRY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

struct registry;

enum registry_origin {
	REGISTRY_ENROLLED, /* issued by this controller to a token holder */
	REGISTRY_SIGNED,   /* signed by hand (tunctl cert sign -r) */
	REGISTRY_SEEN,	   /* presented by a member */
	REGISTRY_IMPORTED, /* from an old .enrolled file */
};

/* Opens (creating) the database at path; -errno with why on failure. */
int registry_open(struct registry **out, const char *path, char *why, size_t why_len);
void registry_close(struct registry *reg);
/* The node ID a key holds (0.0.0.0: none). */
int registry_id_of(struct registry *reg, const uint8_t key[X25519_KEY_LEN], struct in_addr *id);
/* 1 when a certificate of another key that has not expired holds the ID, 0 when not. */
int registry_id_taken(struct registry *reg, struct in_addr id, const uint8_t key[X25519_KEY_LEN],
		      uint64_t now);
/* Records a certificate: the ID is the key's from now on. */
int registry_record(struct registry *reg, struct in_addr id, const uint8_t key[X25519_KEY_LEN],
		    uint64_t not_after, enum registry_origin origin, uint64_t now);
/* Records a certificate issued under a join token that may enroll uses
 * keys: -EDQUOT when other keys used it up, -EEXIST when the ID is another
 * key's; nothing changes then. A key enrolling again uses no more of it. */
int registry_issue(struct registry *reg, struct in_addr id, const uint8_t key[X25519_KEY_LEN],
		   uint64_t not_after, const uint8_t *token_id, size_t token_id_len,
		   unsigned int uses, uint64_t now);
/* How many keys a token enrolled. */
int registry_token_used(struct registry *reg, const uint8_t *token_id, size_t token_id_len);
/* The lines "<node ID> <public key>" of an old .enrolled file, once (a
 * missing file is nothing to import). */
int registry_import_enrolled(struct registry *reg, const char *path, uint64_t now);

#endif

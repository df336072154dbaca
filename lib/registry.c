/* The controller's registry in SQLite (see registry.h). */
#include "registry.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "log.h"

struct registry {
	sqlite3 *db;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS nodes ("
    "  node_id INTEGER NOT NULL,"
    "  public_key BLOB NOT NULL,"
    "  origin INTEGER NOT NULL,"
    "  not_after INTEGER NOT NULL,"
    "  recorded_at INTEGER NOT NULL,"
    "  PRIMARY KEY (node_id, public_key));"
    "CREATE INDEX IF NOT EXISTS nodes_by_key ON nodes (public_key);"
    "CREATE TABLE IF NOT EXISTS token_uses ("
    "  token_id BLOB NOT NULL,"
    "  public_key BLOB NOT NULL,"
    "  node_id INTEGER NOT NULL,"
    "  used_at INTEGER NOT NULL,"
    "  PRIMARY KEY (token_id, public_key));"
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT OR IGNORE INTO meta VALUES ('schema', '1');";

int registry_open(struct registry **out, const char *path, char *why, size_t why_len)
{
	struct registry *reg = calloc(1, sizeof(*reg));
	char *err = NULL;

	*out = NULL;
	if (!reg)
		return -ENOMEM;
	if (sqlite3_open_v2(path, &reg->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		SQLITE_OK ||
	    sqlite3_busy_timeout(reg->db, 2000) != SQLITE_OK ||
	    sqlite3_exec(reg->db, schema, NULL, NULL, &err) != SQLITE_OK) {
		snprintf(why, why_len, "cannot open the registry %s: %s", path,
			 err ? err : sqlite3_errmsg(reg->db));
		sqlite3_free(err);
		registry_close(reg);
		return -EIO;
	}
	*out = reg;
	return 0;
}

void registry_close(struct registry *reg)
{
	if (!reg)
		return;
	sqlite3_close(reg->db);
	free(reg);
}

static sqlite3_stmt *prepare(struct registry *reg, const char *sql)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(reg->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		log_warnx("registry: %s", sqlite3_errmsg(reg->db));
		return NULL;
	}
	return stmt;
}

static int exec(struct registry *reg, const char *sql)
{
	if (sqlite3_exec(reg->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	log_warnx("registry: %s", sqlite3_errmsg(reg->db));
	return -EIO;
}

/* Runs a statement that returns at most one integer; -EIO on failure,
 * def when it returns no row. */
static int64_t single_integer(sqlite3_stmt *stmt, int64_t def)
{
	int64_t value = -EIO;
	int step = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;

	if (step == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	else if (step == SQLITE_DONE)
		value = def;
	sqlite3_finalize(stmt);
	return value;
}

static int run(sqlite3_stmt *stmt)
{
	int step = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;

	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : -EIO;
}

int registry_id_of(struct registry *reg, const uint8_t key[X25519_KEY_LEN], struct in_addr *id)
{
	sqlite3_stmt *stmt = prepare(reg, "SELECT node_id FROM nodes WHERE public_key = ?1 "
					  "ORDER BY not_after DESC LIMIT 1");
	int64_t found;

	if (stmt)
		sqlite3_bind_blob(stmt, 1, key, X25519_KEY_LEN, SQLITE_STATIC);
	found = single_integer(stmt, 0);
	if (found < 0)
		return (int)found;
	id->s_addr = htonl((uint32_t)found);
	return 0;
}

int registry_id_taken(struct registry *reg, struct in_addr id, const uint8_t key[X25519_KEY_LEN],
		      uint64_t now)
{
	sqlite3_stmt *stmt = prepare(reg, "SELECT count(*) FROM nodes WHERE node_id = ?1 AND "
					  "public_key != ?2 AND not_after > ?3");
	int64_t count;

	if (stmt) {
		sqlite3_bind_int64(stmt, 1, ntohl(id.s_addr));
		sqlite3_bind_blob(stmt, 2, key, X25519_KEY_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, (int64_t)now);
	}
	count = single_integer(stmt, 0);
	return count < 0 ? (int)count : count > 0;
}

int registry_record(struct registry *reg, struct in_addr id, const uint8_t key[X25519_KEY_LEN],
		    uint64_t not_after, enum registry_origin origin, uint64_t now)
{
	sqlite3_stmt *stmt = prepare(
	    reg, "INSERT INTO nodes VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (node_id, public_key) "
		 "DO UPDATE SET not_after = max(not_after, excluded.not_after)");

	if (stmt) {
		sqlite3_bind_int64(stmt, 1, ntohl(id.s_addr));
		sqlite3_bind_blob(stmt, 2, key, X25519_KEY_LEN, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 3, origin);
		sqlite3_bind_int64(stmt, 4, (int64_t)not_after);
		sqlite3_bind_int64(stmt, 5, (int64_t)now);
	}
	return run(stmt);
}

int registry_token_used(struct registry *reg, const uint8_t *token_id, size_t token_id_len)
{
	sqlite3_stmt *stmt = prepare(reg, "SELECT count(*) FROM token_uses WHERE token_id = ?1");

	if (stmt)
		sqlite3_bind_blob(stmt, 1, token_id, (int)token_id_len, SQLITE_STATIC);
	return (int)single_integer(stmt, 0);
}

/* Whether this key used the token before. */
static int token_used_by(struct registry *reg, const uint8_t *token_id, size_t token_id_len,
			 const uint8_t key[X25519_KEY_LEN])
{
	sqlite3_stmt *stmt = prepare(
	    reg, "SELECT count(*) FROM token_uses WHERE token_id = ?1 AND public_key = ?2");

	if (stmt) {
		sqlite3_bind_blob(stmt, 1, token_id, (int)token_id_len, SQLITE_STATIC);
		sqlite3_bind_blob(stmt, 2, key, X25519_KEY_LEN, SQLITE_STATIC);
	}
	return (int)single_integer(stmt, 0);
}

static int record_use(struct registry *reg, const uint8_t *token_id, size_t token_id_len,
		      const uint8_t key[X25519_KEY_LEN], struct in_addr id, uint64_t now)
{
	sqlite3_stmt *stmt = prepare(reg, "INSERT OR IGNORE INTO token_uses VALUES (?1, ?2, ?3, ?4)");

	if (stmt) {
		sqlite3_bind_blob(stmt, 1, token_id, (int)token_id_len, SQLITE_STATIC);
		sqlite3_bind_blob(stmt, 2, key, X25519_KEY_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, ntohl(id.s_addr));
		sqlite3_bind_int64(stmt, 4, (int64_t)now);
	}
	return run(stmt);
}

/* The checks and the records of registry_issue, inside its transaction. */
static int issue(struct registry *reg, struct in_addr id, const uint8_t key[X25519_KEY_LEN],
		 uint64_t not_after, const uint8_t *token_id, size_t token_id_len,
		 unsigned int uses, uint64_t now)
{
	int taken = registry_id_taken(reg, id, key, now);
	int before = token_used_by(reg, token_id, token_id_len, key);
	int used = registry_token_used(reg, token_id, token_id_len);

	if (taken < 0 || before < 0 || used < 0)
		return -EIO;
	if (taken)
		return -EEXIST;
	if (!before && used >= (int)uses)
		return -EDQUOT;
	if (registry_record(reg, id, key, not_after, REGISTRY_ENROLLED, now) ||
	    record_use(reg, token_id, token_id_len, key, id, now))
		return -EIO;
	return 0;
}

int registry_issue(struct registry *reg, struct in_addr id, const uint8_t key[X25519_KEY_LEN],
		   uint64_t not_after, const uint8_t *token_id, size_t token_id_len,
		   unsigned int uses, uint64_t now)
{
	int ret;

	/* IMMEDIATE: another controller on the same database waits. */
	if (exec(reg, "BEGIN IMMEDIATE"))
		return -EIO;
	ret = issue(reg, id, key, not_after, token_id, token_id_len, uses, now);
	if (ret || exec(reg, "COMMIT")) {
		exec(reg, "ROLLBACK");
		return ret ? ret : -EIO;
	}
	return 0;
}

/* One line of an .enrolled file; false when it is not one. */
static bool parse_enrolled(const char *line, struct in_addr *id, uint8_t key[X25519_KEY_LEN])
{
	char addr[INET_ADDRSTRLEN], text[64];

	return sscanf(line, "%15s %63s", addr, text) == 2 && inet_pton(AF_INET, addr, id) == 1 &&
	       !base64_decode_exact(key, X25519_KEY_LEN, text);
}

static int import_lines(struct registry *reg, FILE *in, uint64_t now)
{
	char line[128];
	int count = 0;

	while (fgets(line, sizeof(line), in)) {
		struct in_addr id;
		uint8_t key[X25519_KEY_LEN];

		if (!parse_enrolled(line, &id, key))
			continue;
		/* Its certificates ran for ENROLL_VALIDITY_DAYS at most: held until then. */
		if (registry_record(reg, id, key, now + 3650 * 86400ULL, REGISTRY_IMPORTED, now))
			return -EIO;
		count++;
	}
	return ferror(in) ? -EIO : count;
}

int registry_import_enrolled(struct registry *reg, const char *path, uint64_t now)
{
	sqlite3_stmt *stmt = prepare(reg, "SELECT count(*) FROM meta WHERE name = 'imported'");
	int64_t done = single_integer(stmt, 0);
	FILE *in;
	int count;

	if (done)
		return done < 0 ? (int)done : 0;
	in = fopen(path, "r");
	if (!in && errno != ENOENT) /* there may be IDs we cannot see: not "nothing" */
		return -EIO;
	if (exec(reg, "BEGIN IMMEDIATE")) {
		if (in)
			fclose(in);
		return -EIO;
	}
	count = in ? import_lines(reg, in, now) : 0;
	if (in)
		fclose(in);
	if (count < 0 || exec(reg, "INSERT INTO meta VALUES ('imported', datetime('now'))") ||
	    exec(reg, "COMMIT")) {
		exec(reg, "ROLLBACK");
		return -EIO;
	}
	return count;
}

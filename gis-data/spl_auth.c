/*
 * spl_auth: the SpatiaLite backend's tokens and sessions (see spl.h). Only
 * hashes of the secrets are kept. A credential check that misses auth's
 * cache costs one indexed read with a cached statement.
 */
#include "spl.h"

#include "err.h"

#include <stdio.h>

static const char *const sql[ST_COUNT] = {
    [ST_TOKEN_DROP_REVOKED] = "DELETE FROM tokens WHERE name = ?1 AND revoked_at IS NOT NULL",
    [ST_TOKEN_INS] = "INSERT INTO tokens(name, role, hash, created_at) VALUES(?1, ?2, ?3, ?4)",
    [ST_TOKEN_REVOKE] = "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS "
                        "NULL",
    /* Both: ?1 the hash, ?2 now; the name, the role and when the answer
     * expires (NULL: never). */
    [ST_TOKEN_WHO] = "SELECT name, role, NULL FROM tokens WHERE hash = ?1 AND revoked_at IS "
                     "NULL AND ?2 > 0",
    [ST_SESSION_WHO] = "SELECT t.name, t.role, s.expires_at FROM sessions s JOIN tokens t ON "
                       "t.id = s.token_id WHERE s.hash = ?1 AND s.expires_at > ?2 AND "
                       "t.revoked_at IS NULL",
    [ST_SESSION_INS] = "INSERT INTO sessions(hash, token_id, created_at, expires_at) "
                       "SELECT ?1, id, ?2, ?3 FROM tokens WHERE name = ?4 AND revoked_at IS "
                       "NULL",
    [ST_SESSION_DEL] = "DELETE FROM sessions WHERE hash = ?1",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

int spl_token_add(store *base, const char *name, const char *role, const char *hash, int64_t now)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_TOKEN_DROP_REVOKED);
	int rc;
	if (!s)
		return ERR_DB;
	/* A revoked token's name may be given again; its sessions go with it. */
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if ((rc = spl_step_done(st, s, "token")) < 0)
		return rc;
	if (!(s = stmt(st, ST_TOKEN_INS)))
		return ERR_DB;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	int r = sqlite3_step(s);
	if ((r & 0xff) == SQLITE_CONSTRAINT)
		rc = err_set(ERR_CONFLICT, "a token named '%s' exists (revoke it first)", name);
	else if (r != SQLITE_DONE)
		rc = spl_error(st, "token");
	sqlite3_reset(s);
	return rc;
}

int spl_token_revoke(store *base, const char *name, int64_t now)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_TOKEN_REVOKE);
	int rc;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	if ((rc = spl_step_done(st, s, "revoke")) == 0 && sqlite3_changes(st->db) == 0)
		rc = err_set(ERR_NOTFOUND, "no active token named '%s'", name);
	return rc;
}

int spl_credential(store *base, enum store_secret kind, const char *hash, int64_t now,
                   struct store_credential *out)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, kind == STORE_SESSION ? ST_SESSION_WHO : ST_TOKEN_WHO);
	int rc = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		snprintf(out->name, sizeof out->name, "%s",
		         (const char *)sqlite3_column_text(s, 0));
		snprintf(out->role, sizeof out->role, "%s",
		         (const char *)sqlite3_column_text(s, 1));
		out->expires = spl_column_time(s, 2);
	} else if (r == SQLITE_DONE) {
		rc = err_set(ERR_NOTFOUND, "unknown or expired credentials");
	} else {
		rc = spl_error(st, "credentials");
	}
	sqlite3_reset(s);
	return rc;
}

int spl_session_add(store *base, const char *hash, const char *token_name, int64_t now,
                    int64_t expires)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_SESSION_INS);
	int rc;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, expires);
	sqlite3_bind_text(s, 4, token_name, -1, SQLITE_STATIC);
	if ((rc = spl_step_done(st, s, "session")) == 0 && sqlite3_changes(st->db) == 0)
		rc = err_set(ERR_NOTFOUND, "no active token named '%s'", token_name);
	return rc;
}

int spl_session_delete(store *base, const char *hash)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_SESSION_DEL);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
	return spl_step_done(st, s, "logout");
}

/*
 * spl_auth: the SpatiaLite backend's tokens and sessions (see spl.h). Only
 * hashes of the secrets are kept. A credential check that misses auth's
 * cache costs one indexed read with a cached statement, and once a minute
 * per token the write of its last use.
 */
#include "spl.h"

#include "err.h"
#include "timeparse.h"

#include <stdio.h>

static const char *const sql[ST_COUNT] = {
    [ST_TOKEN_DROP_REVOKED] = "DELETE FROM tokens WHERE name = ?1 AND revoked_at IS NOT NULL",
    [ST_TOKEN_INS] = "INSERT INTO tokens(name, role, hash, created_at, expires_at, scope, "
                     "service) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_TOKEN_REVOKE] = "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS "
                        "NULL",
    /* Both: the name, the role, when the answer expires (NULL: never), the
     * token's id, last use, scope and service. A token's expiry is compared in C, to tell
     * an expired token from an unknown one; a session ends with its token. */
    [ST_TOKEN_WHO] = "SELECT name, role, expires_at, id, last_used_at, scope, service FROM tokens "
                     "WHERE "
                     "hash = ?1 AND revoked_at IS NULL",
    [ST_SESSION_WHO] =
        "SELECT t.name, t.role, min(s.expires_at, coalesce(t.expires_at, "
        "s.expires_at)), t.id, t.last_used_at, t.scope, t.service FROM sessions s JOIN "
        "tokens t ON "
        "t.id = s.token_id WHERE s.hash = ?1 AND s.expires_at > ?2 AND "
        "t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?2)",
    [ST_TOKEN_USED] = "UPDATE tokens SET last_used_at = ?2 WHERE id = ?1",
    [ST_TOKEN_LIST] = "SELECT name, role, created_at, last_used_at, expires_at, revoked_at, "
                      "scope, service FROM tokens ORDER BY name",
    [ST_SESSION_INS] = "INSERT INTO sessions(hash, token_id, created_at, expires_at) "
                       "SELECT ?1, id, ?2, ?3 FROM tokens WHERE name = ?4 AND revoked_at IS "
                       "NULL AND (expires_at IS NULL OR expires_at > ?2)",
    [ST_SESSION_DEL] = "DELETE FROM sessions WHERE hash = ?1",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

int spl_token_add(store *base, const char *name, const char *role, const char *hash, int64_t now,
                  int64_t expires, const char *scope, const char *service)
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
	spl_bind_time(s, 5, expires);
	spl_bind_text(s, 6, scope);
	spl_bind_text(s, 7, service);
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

/* Writes a token's use at now when the last one written is
 * STORE_LAST_USE_SECONDS old or more (store.h): without waiting for a busy
 * database, and without failing the check that asked. */
static void note_use(struct spl *st, int64_t id, int64_t last, int64_t now)
{
	if (st->readonly || (last != STORE_NO_TIME && now - last < STORE_LAST_USE_SECONDS))
		return;
	sqlite3_stmt *s = stmt(st, ST_TOKEN_USED);
	if (!s)
		return;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_busy_timeout(st->db, 0);
	sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_busy_timeout(st->db, SPL_BUSY_MS);
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
	if (kind == STORE_SESSION)
		sqlite3_bind_int64(s, 2, now);
	int r = sqlite3_step(s);
	int64_t id = 0, last = STORE_NO_TIME;
	if (r == SQLITE_ROW) {
		snprintf(out->name, sizeof out->name, "%s",
		         (const char *)sqlite3_column_text(s, 0));
		snprintf(out->role, sizeof out->role, "%s",
		         (const char *)sqlite3_column_text(s, 1));
		out->expires = spl_column_time(s, 2);
		id = sqlite3_column_int64(s, 3);
		last = spl_column_time(s, 4);
		const char *scope = (const char *)sqlite3_column_text(s, 5);
		snprintf(out->scope, sizeof out->scope, "%s", scope ? scope : "");
		const char *service = (const char *)sqlite3_column_text(s, 6);
		snprintf(out->service, sizeof out->service, "%s", service ? service : "");
	} else if (r == SQLITE_DONE) {
		rc = err_set(ERR_NOTFOUND, "unknown or expired credentials");
	} else {
		rc = spl_error(st, "credentials");
	}
	sqlite3_reset(s);
	if (rc == 0 && out->expires != STORE_NO_TIME && out->expires <= now) {
		char when[32];
		return err_set(ERR_NOTFOUND, "the token '%s' expired at %s", out->name,
		               timeparse_utc_text(out->expires, when, sizeof when));
	}
	if (rc == 0)
		note_use(st, id, last, now);
	return rc;
}

int spl_list_tokens(store *base, store_token_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_TOKEN_LIST);
	int r = SQLITE_DONE, rc = 0;
	if (!s)
		return ERR_DB;
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_token t = {.name = (const char *)sqlite3_column_text(s, 0),
		                        .role = (const char *)sqlite3_column_text(s, 1),
		                        .created = spl_column_time(s, 2),
		                        .last_used = spl_column_time(s, 3),
		                        .expires = spl_column_time(s, 4),
		                        .revoked = spl_column_time(s, 5),
		                        .scope = (const char *)sqlite3_column_text(s, 6),
		                        .service = (const char *)sqlite3_column_text(s, 7)};
		rc = fn(ctx, &t);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = spl_error(st, "tokens");
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

/*
 * spl_hook: the SpatiaLite backend's webhook subscriptions (see spl.h):
 * one row each, read by the daemon's delivery thread about once a second
 * (a handful of rows) and written once a delivered batch.
 */
#include "spl.h"

#include "err.h"

static const char *const sql[ST_COUNT] = {
    [ST_HOOK_INS] = "INSERT INTO webhooks(name, url, secret_file, scope, kinds, cursor, "
                    "created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_HOOK_DEL] = "DELETE FROM webhooks WHERE name = ?1",
    [ST_HOOK_LIST] = "SELECT id, name, url, secret_file, scope, kinds, cursor, created_at, "
                     "delivered_at FROM webhooks ORDER BY name",
    [ST_HOOK_ADVANCE] = "UPDATE webhooks SET cursor = ?3, delivered_at = ?4 WHERE id = ?1 AND "
                        "cursor = ?2",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

int spl_webhook_add(store *base, const struct store_webhook *h, int64_t now)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_HOOK_INS);
	int rc = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, h->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, h->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, h->secret_file, -1, SQLITE_STATIC);
	spl_bind_text(s, 4, h->scope);
	spl_bind_text(s, 5, h->kinds);
	sqlite3_bind_int64(s, 6, h->cursor);
	sqlite3_bind_int64(s, 7, now);
	int r = sqlite3_step(s);
	if ((r & 0xff) == SQLITE_CONSTRAINT)
		rc = err_set_field(ERR_CONFLICT, "name",
		                   "a webhook named '%s' exists (remove it first)", h->name);
	else if (r != SQLITE_DONE)
		rc = spl_error(st, "webhook");
	sqlite3_reset(s);
	return rc;
}

int spl_webhook_remove(store *base, const char *name)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_HOOK_DEL);
	int rc;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if ((rc = spl_step_done(st, s, "webhook")) == 0 && sqlite3_changes(st->db) == 0)
		rc = err_set_field(ERR_NOTFOUND, "name", "no webhook named '%s'", name);
	return rc;
}

int spl_list_webhooks(store *base, store_webhook_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_HOOK_LIST);
	int r = SQLITE_DONE, rc = 0;
	if (!s)
		return ERR_DB;
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_webhook h = {.id = sqlite3_column_int64(s, 0),
		                          .name = (const char *)sqlite3_column_text(s, 1),
		                          .url = (const char *)sqlite3_column_text(s, 2),
		                          .secret_file = (const char *)sqlite3_column_text(s, 3),
		                          .scope = (const char *)sqlite3_column_text(s, 4),
		                          .kinds = (const char *)sqlite3_column_text(s, 5),
		                          .cursor = sqlite3_column_int64(s, 6),
		                          .created = spl_column_time(s, 7),
		                          .delivered = spl_column_time(s, 8)};
		rc = fn(ctx, &h);
	}
	if (rc == 0 && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = spl_error(st, "webhooks");
	sqlite3_reset(s);
	return rc;
}

int spl_webhook_advance(store *base, int64_t id, int64_t from, int64_t to, int64_t now)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_HOOK_ADVANCE);
	int rc;
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	sqlite3_bind_int64(s, 4, now);
	if ((rc = spl_step_done(st, s, "webhook cursor")) == 0 && sqlite3_changes(st->db) == 0)
		rc = err_set(ERR_CONFLICT, "the webhook was removed or moved on meanwhile");
	return rc;
}

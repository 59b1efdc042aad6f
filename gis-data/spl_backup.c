/*
 * spl_backup: the SpatiaLite backend's copies of a database (see spl.h):
 * the backup of store_backup(), also taken before a migration, and the
 * integrity check.
 *
 * A copy reads one snapshot: the source connection holds a read
 * transaction across every step of SQLite's backup. Stepped without one,
 * SQLite restarts the backup whenever another process writes between two
 * steps, so that a steady stream of inserts could keep it from ever
 * finishing; held, the steps read the same pages however much the daemon
 * writes meanwhile, and in WAL mode the writers never wait for it (the WAL
 * only grows until the copy ends).
 */
#include "spl.h"

#include "durable.h"
#include "err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Pages a step copies: 4 MB of 4 KiB pages. */
enum { STEP_PAGES = 1000 };

/* Whether path + suffix names a file that exists. */
static int exists_with(const char *path, const char *suffix)
{
	char name[4096];
	if ((size_t)snprintf(name, sizeof name, "%s%s", path, suffix) >= sizeof name)
		return 0;
	return access(name, F_OK) == 0;
}

/* With STORE_BACKUP_IDLE: when dest exists, takes it from every other
 * connection and keeps it until *hold is closed. In WAL mode every
 * connection keeps a shared lock for as long as it is open, so leaving WAL
 * (which also takes the last pages of the -wal file in and removes it)
 * succeeds only when no other connection has the file open; the exclusive
 * transaction then keeps new ones out until the copy is renamed over it. */
static int hold_idle(const char *dest, sqlite3 **hold)
{
	*hold = NULL;
	if (access(dest, F_OK) != 0)
		return 0;
	if (sqlite3_open_v2(dest, hold, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return err_set(ERR_IO, "%s: %s", dest,
		               *hold ? sqlite3_errmsg(*hold) : "out of memory");
	/* No busy wait: a connection open now is a process that stays. */
	int r = sqlite3_exec(*hold, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	if (r == SQLITE_OK)
		r = sqlite3_exec(*hold, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
	if ((r & 0xff) == SQLITE_BUSY || (r & 0xff) == SQLITE_LOCKED)
		return err_set(ERR_CONFLICT,
		               "%s is open in another process (a running posbon serve?): stop it "
		               "first",
		               dest);
	if (r != SQLITE_OK)
		return err_set(ERR_DB, "%s: %s", dest, sqlite3_errmsg(*hold));
	return 0;
}

/* Copies every page of sp's database into out, from one snapshot. */
static int copy_pages(struct spl *sp, sqlite3 *out, const char *dest)
{
	int rc = 0, r = SQLITE_OK;
	/* Inside a caller's transaction, that is the snapshot. */
	int began = sqlite3_get_autocommit(sp->db);
	if (began && ((rc = spl_exec(sp, "BEGIN", "backup")) < 0 ||
	              (rc = spl_exec(sp, "SELECT count(*) FROM sqlite_master", "backup")) < 0))
		goto out;
	sqlite3_backup *b = sqlite3_backup_init(out, "main", sp->db, "main");
	if (!b) {
		rc = err_set(ERR_DB, "%s: %s", dest, sqlite3_errmsg(out));
		goto out;
	}
	while ((r = sqlite3_backup_step(b, STEP_PAGES)) == SQLITE_OK)
		;
	if (r != SQLITE_DONE)
		rc = err_set(ERR_DB, "%s: copying: %s", dest, sqlite3_errstr(r));
	if (sqlite3_backup_finish(b) != SQLITE_OK && rc == 0)
		rc = err_set(ERR_DB, "%s: copying: %s", dest, sqlite3_errmsg(out));
	/* One file: a copy that is moved or read where nothing may be
	 * written needs no -wal beside it. */
	if (rc == 0 &&
	    sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = err_set(ERR_DB, "%s: %s", dest, sqlite3_errmsg(out));
out:
	if (began && !sqlite3_get_autocommit(sp->db))
		sqlite3_exec(sp->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

int spl_copy(struct spl *sp, const char *dest, int flags)
{
	sqlite3 *hold = NULL, *out = NULL;
	char *tmp = NULL;
	int rc;
	if (!(flags & STORE_BACKUP_REPLACE) && access(dest, F_OK) == 0)
		return err_set(ERR_CONFLICT, "%s exists", dest);
	if ((flags & STORE_BACKUP_IDLE) && (rc = hold_idle(dest, &hold)) < 0)
		goto out;
	if (exists_with(dest, "-wal")) {
		rc = err_set(ERR_CONFLICT,
		             "%s-wal exists, the journal of another database: move it away first",
		             dest);
		goto out;
	}
	if ((rc = durable_temp_name(dest, &tmp)) < 0)
		goto out;
	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = err_set(ERR_IO, "%s: cannot write beside it (%s)", dest,
		             out ? sqlite3_errmsg(out) : "out of memory");
		goto out;
	}
	/* The file is private until the rename and made durable once: no
	 * journal, no syncs. */
	if (sqlite3_exec(out, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
	                 NULL) != SQLITE_OK) {
		rc = err_set(ERR_DB, "%s: %s", dest, sqlite3_errmsg(out));
		goto out;
	}
	if ((rc = copy_pages(sp, out, dest)) < 0)
		goto out;
	if (sqlite3_close(out) != SQLITE_OK) {
		rc = err_set(ERR_DB, "%s: closing the copy: %s", dest, sqlite3_errmsg(out));
		goto out;
	}
	out = NULL;
	rc = durable_commit(tmp, dest, flags & STORE_BACKUP_REPLACE);
out:
	sqlite3_close(out);
	if (rc < 0 && tmp)
		unlink(tmp);
	free(tmp);
	/* After the rename: the lock held the file now replaced. */
	sqlite3_close(hold);
	return rc;
}

int spl_backup(store *st, const char *dest, int flags)
{
	return spl_copy(spl_of(st), dest, flags);
}

int spl_copy_before_migration(struct spl *sp, int version, int latest)
{
	const char *path = sqlite3_db_filename(sp->db, "main");
	char name[4096];
	int rc = 0;
	if (!path || !*path)
		return 0;
	for (int i = 1; i <= 99; i++) {
		int n = i == 1 ? snprintf(name, sizeof name, "%s.bak-v%d", path, version)
		               : snprintf(name, sizeof name, "%s.bak-v%d.%d", path, version, i);
		if ((size_t)n >= sizeof name)
			return err_set(ERR_IO, "%s: the path is too long", path);
		if ((rc = spl_copy(sp, name, 0)) != ERR_CONFLICT)
			break;
	}
	if (rc < 0)
		return err_set(rc,
		               "%s: no copy could be made before migrating it from schema "
		               "version %d to %d, so it was left as it is: %s",
		               path, version, latest, err_msg());
	store_notice("%s: copied to %s before migrating it from schema version %d to %d", path,
	             name, version, latest);
	return 0;
}

int spl_check_integrity(store *st)
{
	struct spl *sp = spl_of(st);
	sqlite3_stmt *s = NULL;
	char problems[512] = "";
	size_t used = 0;
	int r, rc = 0;
	/* At most a few lines: the first problems say enough. */
	if (sqlite3_prepare_v2(sp->db, "PRAGMA integrity_check(5)", -1, &s, NULL) != SQLITE_OK)
		return spl_error(sp, "integrity check");
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(s, 0);
		if (line && strcmp(line, "ok") != 0 && used < sizeof problems)
			used += (size_t)snprintf(problems + used, sizeof problems - used, "%s%s",
			                         used ? "; " : "", line);
	}
	if (r != SQLITE_DONE)
		rc = spl_error(sp, "integrity check");
	else if (used)
		rc = err_set(ERR_DB, "%s: integrity check failed: %s",
		             sqlite3_db_filename(sp->db, "main"), problems);
	sqlite3_finalize(s);
	return rc;
}

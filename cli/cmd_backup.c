/*
 * posbon backup and restore: a copy of a database taken while the daemon
 * serves it, and the way back. Both are store_backup() (store.h): a
 * snapshot written under a temporary name and renamed into place, so that
 * neither ever leaves a half-written file.
 */
#include "commands.h"
#include "err.h"
#include "opts.h"
#include "store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_backup(int argc, char **argv)
{
	int force = 0;
	const struct opt table[] = {
	    {"force", OPT_FLAG, &force, NULL, "replace FILE when it exists", 0, 0, 'f'},
	    {0},
	};
	const char *pos[2];
	int npos, rc;
	store *st = NULL;
	rc = opts_parse("backup", "DB FILE [--force]",
	                "Copies DB to FILE as it is at the start of the copy, while a posbon serve "
	                "may go on writing to it (SQLite's online backup).",
	                table, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 2)
		return err_set(ERR_INVALID,
		               "backup needs the database and the file to write (see posbon backup "
		               "--help)");
	/* As it is: an old database is copied without being migrated. */
	if ((rc = store_open(pos[0], STORE_READONLY | STORE_AS_IS, &st)) < 0)
		return rc;
	rc = store_backup(st, pos[1], force ? STORE_BACKUP_REPLACE : 0);
	if (rc == ERR_CONFLICT && !force)
		rc = err_set(rc, "%s (--force replaces it)", err_msg());
	if (rc == 0)
		printf("%s: copied to %s (schema version %d)\n", pos[0], pos[1],
		       store_schema_version(st));
	store_close(st);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	const struct opt table[] = {{0}};
	const char *pos[2];
	int npos, rc;
	store *st = NULL;
	rc =
	    opts_parse("restore", "FILE DB",
	               "Puts the backup FILE in place of DB: FILE must be a posbon database that "
	               "passes SQLite's integrity check and that this posbon can read. DB must not "
	               "be open in another process (stop posbon serve first); it is replaced whole "
	               "or not at all.",
	               table, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 2)
		return err_set(ERR_INVALID,
		               "restore needs the backup and the database (see posbon restore "
		               "--help)");
	char a[PATH_MAX], b[PATH_MAX];
	if (realpath(pos[0], a) && realpath(pos[1], b) && strcmp(a, b) == 0)
		return err_set(ERR_INVALID, "%s and %s are the same file", pos[0], pos[1]);
	if ((rc = store_open(pos[0], STORE_READONLY | STORE_AS_IS, &st)) < 0)
		return err_set(rc, "%s is not a database this posbon can restore: %s", pos[0],
		               err_msg());
	int version = store_schema_version(st);
	if (version < 1)
		rc = err_set(ERR_INVALID, "%s is not a posbon database (it has no schema version)",
		             pos[0]);
	else if ((rc = store_check_integrity(st)) == 0 &&
	         (rc = store_backup(st, pos[1], STORE_BACKUP_REPLACE | STORE_BACKUP_IDLE)) == 0)
		printf("%s: restored from %s (schema version %d%s)\n", pos[1], pos[0], version,
		       version < store_schema_latest() ? "; migrated at its next open" : "");
	store_close(st);
	return rc;
}

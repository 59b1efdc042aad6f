/* spl_backup: copies of a database (store_backup()) taken while another
 * connection writes, their refusals, the copy made before a migration, a
 * database newer than the build, and the integrity check. */
#include "testdb.h"
#include "testutil.h"

#include "err.h"
#include "store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void add_theft(store *st)
{
	assert_int_equal(store_ensure_category(st, "theft", "Theft"), 0);
}

static long offences(const char *path)
{
	store *st = NULL;
	long n = -1;
	assert_int_equal(store_open(path, STORE_READONLY, &st), 0);
	assert_int_equal(store_offence_count(st, &n), 0);
	store_close(st);
	return n;
}

/* Inserts offences w-1, w-2, ... one commit each until told to stop. */
struct writer {
	const char *path;
	atomic_long acked;
	atomic_int stop;
	int failed;
	char msg[256];
};

static void *write_offences(void *arg)
{
	struct writer *w = arg;
	store *st = NULL;
	if (store_open(w->path, 0, &st) < 0) {
		w->failed = 1;
		snprintf(w->msg, sizeof w->msg, "%s", err_msg());
		return NULL;
	}
	for (long i = 1; !atomic_load(&w->stop) && i < 100000; i++) {
		char id[32];
		struct store_put_info info;
		snprintf(id, sizeof id, "w-%ld", i);
		struct store_offence o = {.external_id = id,
		                          .occurred_from = 1700000000 + i,
		                          .occurred_to = 1700000000 + i,
		                          .precision = PREC_MINUTE,
		                          .reported_at = STORE_NO_TIME,
		                          .category = "theft",
		                          .has_point = 1,
		                          .lon = 69.2 + i * 1e-5,
		                          .lat = 41.3};
		if (store_put_offence(st, &o, &info) < 0) {
			w->failed = 1;
			snprintf(w->msg, sizeof w->msg, "%s", err_msg());
			break;
		}
		atomic_store(&w->acked, i);
	}
	store_close(st);
	return NULL;
}

static void wait_acked(struct writer *w, long n)
{
	const struct timespec ms = {0, 1000000};
	for (int i = 0; i < 60000 && atomic_load(&w->acked) < n && !w->failed; i++)
		nanosleep(&ms, NULL);
	assert_false(w->failed);
	assert_true(atomic_load(&w->acked) >= n);
}

/* A copy taken while another connection commits holds everything
 * committed before it began, and is whole. */
static void test_backup_while_writing(void **state)
{
	struct testutil_db *f = *state;
	char copy[700];
	struct writer w = {.path = f->path};
	pthread_t t;
	add_theft(f->st);
	testutil_path(copy, sizeof copy, f->dir, "copy.sqlite");
	assert_int_equal(pthread_create(&t, NULL, write_offences, &w), 0);
	wait_acked(&w, 20);
	long before = atomic_load(&w.acked);
	assert_int_equal(store_backup(f->st, copy, 0), 0);
	/* The writer went on past the copy: it was never blocked. */
	wait_acked(&w, atomic_load(&w.acked) + 5);
	atomic_store(&w.stop, 1);
	pthread_join(t, NULL);
	assert_false(w.failed);

	store *c = NULL;
	char suffixed[720];
	snprintf(suffixed, sizeof suffixed, "%s-wal", copy);
	assert_int_equal(access(suffixed, F_OK), -1); /* one file */
	assert_int_equal(store_open(copy, STORE_READONLY, &c), 0);
	assert_int_equal(store_check_integrity(c), 0);
	assert_int_equal(store_schema_version(c), store_schema_latest());
	for (long i = 1; i <= before; i++) {
		char id[32];
		int64_t got;
		snprintf(id, sizeof id, "w-%ld", i);
		assert_int_equal(store_offence_id(c, id, &got), 0);
	}
	store_close(c);
	assert_true(offences(copy) >= before);
}

static void test_backup_refuses_an_existing_file(void **state)
{
	struct testutil_db *f = *state;
	char copy[700];
	testutil_path(copy, sizeof copy, f->dir, "copy.sqlite");
	testutil_write(copy, "not mine");
	assert_int_equal(store_backup(f->st, copy, 0), ERR_CONFLICT);
	assert_non_null(strstr(err_msg(), "exists"));
	/* untouched, and no temporary file left */
	FILE *fp = fopen(copy, "r");
	char text[16] = "";
	assert_non_null(fgets(text, sizeof text, fp));
	fclose(fp);
	assert_string_equal(text, "not mine");
	assert_int_equal(store_backup(f->st, copy, STORE_BACKUP_REPLACE), 0);
	assert_int_equal(offences(copy), 0);

	/* a journal beside the target would be replayed into the copy */
	char wal[720];
	snprintf(wal, sizeof wal, "%s-wal", copy);
	testutil_write(wal, "stale");
	assert_int_equal(store_backup(f->st, copy, STORE_BACKUP_REPLACE), ERR_CONFLICT);
	assert_non_null(strstr(err_msg(), "-wal"));
	unlink(wal);
}

/* A restore's target is replaced only when no connection has it open. */
static void test_replace_idle_only(void **state)
{
	struct testutil_db *f = *state;
	char target[700];
	store *busy = NULL;
	add_theft(f->st);
	testutil_put_offence(f->st, "a", 69.2, 41.3, 1700000000, 1700000000, "theft");
	testutil_path(target, sizeof target, f->dir, "target.sqlite");
	assert_int_equal(store_open(target, STORE_CREATE, &busy), 0);
	assert_int_equal(store_backup(f->st, target, STORE_BACKUP_REPLACE | STORE_BACKUP_IDLE),
	                 ERR_CONFLICT);
	assert_non_null(strstr(err_msg(), "open in another process"));
	assert_int_equal(store_offence_count(busy, &(long){0}), 0);
	store_close(busy);
	assert_int_equal(store_backup(f->st, target, STORE_BACKUP_REPLACE | STORE_BACKUP_IDLE), 0);
	assert_int_equal(offences(target), 1);
	/* and a file that is no database is not taken for one */
	testutil_write(target, "plain text, long enough to be read as a header of sorts....."
	                       "..........................................................");
	assert_int_equal(store_backup(f->st, target, STORE_BACKUP_REPLACE | STORE_BACKUP_IDLE),
	                 ERR_DB);
}

static int count_notices;
static char last_notice[1024];

static void collect_notice(const char *line)
{
	count_notices++;
	snprintf(last_notice, sizeof last_notice, "%s", line);
}

/* An old database is copied before it is migrated, the copy is the old
 * version, and an existing copy is kept. */
static void test_migration_copies_first(void **state)
{
	struct testutil_db *f = *state;
	char old[700], bak[720], bak2[720];
	int latest = store_schema_latest();
	store *st = NULL;
	testutil_path(old, sizeof old, f->dir, "old.sqlite");
	snprintf(bak, sizeof bak, "%s.bak-v%d", old, latest - 1);
	snprintf(bak2, sizeof bak2, "%s.bak-v%d.2", old, latest - 1);
	assert_int_equal(store_open(old, STORE_CREATE | STORE_SCHEMA_UPTO(latest - 1), &st), 0);
	assert_int_equal(store_schema_version(st), latest - 1);
	store_close(st);

	/* as it is: no migration, no copy */
	assert_int_equal(store_open(old, STORE_READONLY | STORE_AS_IS, &st), 0);
	assert_int_equal(store_schema_version(st), latest - 1);
	store_close(st);
	assert_int_equal(access(bak, F_OK), -1);

	store_set_notice(collect_notice);
	count_notices = 0;
	assert_int_equal(store_open(old, 0, &st), 0);
	assert_int_equal(store_schema_version(st), latest);
	store_close(st);
	assert_int_equal(count_notices, 1);
	assert_non_null(strstr(last_notice, bak));
	assert_int_equal(store_open(bak, STORE_READONLY | STORE_AS_IS, &st), 0);
	assert_int_equal(store_schema_version(st), latest - 1);
	assert_int_equal(store_check_integrity(st), 0);
	store_close(st);

	/* the next old database of that name keeps the first copy */
	unlink(old);
	assert_int_equal(store_open(old, STORE_CREATE | STORE_SCHEMA_UPTO(latest - 1), &st), 0);
	store_close(st);
	assert_int_equal(store_open(old, 0, &st), 0);
	store_close(st);
	store_set_notice(NULL);
	assert_int_equal(access(bak, F_OK), 0);
	assert_int_equal(access(bak2, F_OK), 0);
	assert_non_null(strstr(last_notice, bak2));
	/* a new database is not copied */
	assert_int_equal(count_notices, 2);
}

static void test_newer_database_is_refused(void **state)
{
	struct testutil_db *f = *state;
	char sql[200], want[64];
	sqlite3 *db = NULL;
	store *st = NULL;
	int latest = store_schema_latest();
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql,
	         "INSERT INTO schema_migrations VALUES(%d, 'from the future', '2099-01-01')",
	         latest + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	const int flags[] = {0, STORE_READONLY, STORE_READONLY | STORE_AS_IS};
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
		assert_int_equal(store_open(f->path, flags[i], &st), ERR_UNSUPPORTED);
		snprintf(want, sizeof want, "version %d is newer than this posbon knows (%d)",
		         latest + 1, latest);
		assert_non_null(strstr(err_msg(), want));
	}
	assert_int_equal(store_open(f->path, STORE_CREATE | STORE_SCHEMA_UPTO(latest + 1), &st),
	                 ERR_UNSUPPORTED);
}

static void test_integrity_check_finds_damage(void **state)
{
	struct testutil_db *f = *state;
	char copy[700];
	store *st = NULL;
	add_theft(f->st);
	for (int i = 0; i < 300; i++) {
		char id[16];
		snprintf(id, sizeof id, "o%d", i);
		testutil_put_offence(f->st, id, 69.2 + i * 1e-4, 41.3, 1700000000, 1700000000,
		                     "theft");
	}
	testutil_path(copy, sizeof copy, f->dir, "copy.sqlite");
	assert_int_equal(store_backup(f->st, copy, 0), 0);
	assert_int_equal(store_open(copy, STORE_READONLY, &st), 0);
	assert_int_equal(store_check_integrity(st), 0);
	store_close(st);
	/* The last page of the copy, an index's or a table's, overwritten. */
	FILE *fp = fopen(copy, "r+b");
	assert_non_null(fp);
	fseek(fp, -4096, SEEK_END);
	char junk[4096];
	memset(junk, 0x5a, sizeof junk);
	fwrite(junk, 1, sizeof junk, fp);
	fclose(fp);
	int rc = store_open(copy, STORE_READONLY, &st);
	if (rc == 0) {
		rc = store_check_integrity(st);
		store_close(st);
	}
	assert_int_equal(rc, ERR_DB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_backup_while_writing, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_backup_refuses_an_existing_file, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_replace_idle_only, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_migration_copies_first, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_newer_database_is_refused, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_integrity_check_finds_damage, testutil_db_open,
	                                    testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

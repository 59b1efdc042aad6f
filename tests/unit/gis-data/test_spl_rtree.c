/* spl_rtree: a bulk-loaded R*Tree is valid, finds what SQLite's own INSERT
 * would find (float rounding included), replaces old content, keeps working
 * under ordinary SQL, and store_bulk_end() uses it for large loads. A test
 * of the SpatiaLite backend from inside (spl.h): it reads and writes the
 * R*Tree's SQLite tables, and uses the store's own connection. */
#include "testdb.h"
#include "testutil.h"

#include "err.h"
#include "spl.h"
#include "store.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERIES 100

/* The store's own connection: the bulk load runs on it. */
static sqlite3 *spl_db_of(store *st)
{
	return spl_of(st)->db;
}

struct fixture {
	char *dir;
	char path[600];
	sqlite3 *db; /* idx_x is loaded by spl_rtree_load(), ref by INSERT */
	int node_cells;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

/* Uniform in [0, 1), deterministic (xorshift64*). */
static double rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double)((rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static void assert_rtreecheck_ok(sqlite3 *db, const char *name)
{
	char sql[200];
	sqlite3_stmt *s;
	snprintf(sql, sizeof sql, "SELECT rtreecheck('%s')", name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	testutil_path(f->path, sizeof f->path, f->dir, "r.sqlite");
	if (sqlite3_open(f->path, &f->db) != SQLITE_OK)
		return -1;
	exec(f->db, "CREATE VIRTUAL TABLE idx_x USING rtree(pkid, xmin, xmax, ymin, ymax);"
	            "CREATE VIRTUAL TABLE ref USING rtree(pkid, xmin, xmax, ymin, ymax)");
	/* cells per node, from the root's size as SQLite reads it (51 for 4 KiB pages) */
	f->node_cells =
	    (int)(testdb_count(f->db, "SELECT length(data) FROM idx_x_node WHERE nodeno = 1") - 4) /
	    24;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sqlite3_close(f->db);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* n entries with ids first, first + 3, ...: points (size 0) or boxes, with
 * full double precision so that most coordinates are no float. */
static struct rtree_entry *make_entries(size_t n, int64_t first, double size)
{
	struct rtree_entry *e = calloc(n ? n : 1, sizeof *e);
	assert_non_null(e);
	for (size_t i = 0; i < n; i++) {
		e[i].id = first + 3 * (int64_t)i;
		e[i].minx = 69.0 + rnd() * 0.5;
		e[i].miny = 41.1 + rnd() * 0.4;
		e[i].maxx = e[i].minx + (size > 0 ? rnd() * size : 0);
		e[i].maxy = e[i].miny + (size > 0 ? rnd() * size : 0);
	}
	return e;
}

/* Fills an rtree through SQL, as SpatiaLite's triggers do. */
static void insert_sql(sqlite3 *db, const char *name, const struct rtree_entry *e, size_t n)
{
	char sql[200];
	sqlite3_stmt *s;
	snprintf(sql, sizeof sql, "INSERT INTO %s VALUES(?1, ?2, ?3, ?4, ?5)", name);
	exec(db, "SAVEPOINT fill");
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(s, 1, e[i].id);
		sqlite3_bind_double(s, 2, e[i].minx);
		sqlite3_bind_double(s, 3, e[i].maxx);
		sqlite3_bind_double(s, 4, e[i].miny);
		sqlite3_bind_double(s, 5, e[i].maxy);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	exec(db, "RELEASE fill");
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Sorted ids of the rtree's rows whose box meets q (minx, maxx, miny, maxy),
 * through the rtree's own search; returns how many (out has room for all). */
static size_t query(sqlite3 *db, const char *name, const double q[4], int64_t *out)
{
	char sql[200];
	sqlite3_stmt *s;
	size_t n = 0;
	snprintf(sql, sizeof sql,
	         "SELECT pkid FROM %s WHERE xmin <= ?1 AND xmax >= ?2 AND ymin <= ?3 "
	         "AND ymax >= ?4",
	         name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_double(s, 1, q[1]);
	sqlite3_bind_double(s, 2, q[0]);
	sqlite3_bind_double(s, 3, q[3]);
	sqlite3_bind_double(s, 4, q[2]);
	while (sqlite3_step(s) == SQLITE_ROW)
		out[n++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	qsort(out, n, sizeof *out, cmp_i64);
	return n;
}

/* Sorted ids of the entries meeting q, by a scan of the boxes given. */
static size_t brute(const struct rtree_entry *e, size_t n, const double q[4], int64_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (e[i].minx <= q[1] && e[i].maxx >= q[0] && e[i].miny <= q[3] &&
		    e[i].maxy >= q[2])
			out[k++] = e[i].id;
	qsort(out, k, sizeof *out, cmp_i64);
	return k;
}

/* The boxes as an rtree stores them (rounded outward to floats). */
static struct rtree_entry *stored(sqlite3 *db, const char *name, size_t n)
{
	char sql[200];
	sqlite3_stmt *s;
	struct rtree_entry *e = calloc(n ? n : 1, sizeof *e);
	size_t k = 0;
	assert_non_null(e);
	snprintf(sql, sizeof sql, "SELECT pkid, xmin, xmax, ymin, ymax FROM %s", name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		assert_true(k < n);
		e[k].id = sqlite3_column_int64(s, 0);
		e[k].minx = sqlite3_column_double(s, 1);
		e[k].maxx = sqlite3_column_double(s, 2);
		e[k].miny = sqlite3_column_double(s, 3);
		e[k].maxy = sqlite3_column_double(s, 4);
		k++;
	}
	sqlite3_finalize(s);
	assert_int_equal(k, n);
	return e;
}

/* A query box: random, or with its edges on coordinates of entries. */
static void query_box(const struct rtree_entry *e, size_t n, int i, double q[4])
{
	if (i % 2 == 0 || n == 0) {
		double w = rnd() * 0.2, h = rnd() * 0.2;
		q[0] = 69.0 + rnd() * 0.5 - w / 2;
		q[1] = q[0] + w;
		q[2] = 41.1 + rnd() * 0.4 - h / 2;
		q[3] = q[2] + h;
		return;
	}
	const struct rtree_entry *a = &e[(size_t)(rnd() * (double)n)];
	const struct rtree_entry *b = &e[(size_t)(rnd() * (double)n)];
	q[0] = fmin(a->minx, b->maxx);
	q[1] = fmax(a->minx, b->maxx);
	q[2] = fmin(a->maxy, b->miny);
	q[3] = fmax(a->maxy, b->miny);
}

/* idx_x holds exactly e[0..n) and ref the same through INSERT: checks the
 * structure, the stored boxes and QUERIES searches against brute force. */
static void check_tree(sqlite3 *db, const struct rtree_entry *e, size_t n)
{
	assert_rtreecheck_ok(db, "idx_x");
	assert_int_equal(testdb_count(db, "SELECT count(*) FROM idx_x"), (long)n);
	assert_int_equal(testdb_count(db, "SELECT count(*) FROM ref"), (long)n);
	/* bit for bit the floats an INSERT stores */
	assert_int_equal(testdb_count(db,
	                              "SELECT count(*) FROM idx_x a JOIN ref b ON a.pkid = b.pkid "
	                              "WHERE a.xmin = b.xmin AND a.xmax = b.xmax "
	                              "AND a.ymin = b.ymin AND a.ymax = b.ymax"),
	                 (long)n);
	struct rtree_entry *rounded = stored(db, "idx_x", n);
	int64_t *got = malloc((n + 1) * sizeof *got), *want = malloc((n + 1) * sizeof *want);
	int64_t *exact = malloc((n + 1) * sizeof *exact);
	assert_true(got && want && exact);
	for (int i = 0; i < QUERIES; i++) {
		double q[4];
		query_box(e, n, i, q);
		size_t ng = query(db, "idx_x", q, got);
		assert_int_equal(ng, brute(rounded, n, q, want));
		assert_memory_equal(got, want, ng * sizeof *got);
		assert_int_equal(query(db, "ref", q, want), ng);
		assert_memory_equal(got, want, ng * sizeof *got);
		/* and never less than the unrounded boxes meet */
		size_t ne = brute(e, n, q, exact);
		for (size_t j = 0, k = 0; j < ne; j++) {
			while (k < ng && got[k] < exact[j])
				k++;
			assert_true(k < ng && got[k] == exact[j]);
		}
	}
	/* a search exactly on an entry's box finds it, though its edges are no floats */
	for (size_t i = 0; i < n && i < QUERIES; i++) {
		const struct rtree_entry *t = &e[(size_t)(rnd() * (double)n)];
		double q[4] = {t->minx, t->maxx, t->miny, t->maxy};
		size_t ng = query(db, "idx_x", q, got);
		assert_non_null(bsearch(&t->id, got, ng, sizeof *got, cmp_i64));
	}
	free(rounded);
	free(got);
	free(want);
	free(exact);
}

static void load_and_check(struct fixture *f, size_t n, double size)
{
	struct rtree_entry *e = make_entries(n, 1000, size);
	insert_sql(f->db, "ref", e, n);
	int rc = spl_rtree_load(f->db, "idx_x", e, n);
	if (rc < 0)
		fail_msg("%s", err_msg());
	check_tree(f->db, e, n);
	free(e);
}

static void test_empty(void **state)
{
	struct fixture *f = *state;
	load_and_check(f, 0, 0);
	assert_int_equal(testdb_count(f->db, "SELECT count(*) FROM idx_x_node"), 1);
}

static void test_one(void **state)
{
	load_and_check(*state, 1, 0);
}

static void test_exactly_one_node(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(f->node_cells, 51);
	load_and_check(f, (size_t)f->node_cells, 0);
	assert_int_equal(testdb_count(f->db, "SELECT count(*) FROM idx_x_node"), 1);
	assert_int_equal(testdb_count(f->db, "SELECT count(*) FROM idx_x_parent"), 0);
}

static void test_one_node_and_one(void **state)
{
	struct fixture *f = *state;
	load_and_check(f, (size_t)f->node_cells + 1, 0);
	/* two half-full leaves under the root */
	assert_int_equal(testdb_count(f->db, "SELECT count(*) FROM idx_x_node"), 3);
	assert_int_equal(
	    testdb_count(f->db, "SELECT count(*) FROM idx_x_parent WHERE parentnode = 1"), 2);
}

static void test_many_points(void **state)
{
	struct fixture *f = *state;
	load_and_check(f, 100000, 0);
	/* packed: ceil(100000 / 51) leaves, ceil(1961 / 51) nodes above, a root */
	assert_int_equal(testdb_count(f->db, "SELECT count(*) FROM idx_x_node"), 1961 + 39 + 1);
}

static void test_boxes(void **state)
{
	load_and_check(*state, 5000, 0.01);
}

static void test_replaces_content_and_keeps_working(void **state)
{
	struct fixture *f = *state;
	struct rtree_entry *old = make_entries(3000, 1, 0.001);
	struct rtree_entry *e = make_entries(4000, 2, 0);
	insert_sql(f->db, "idx_x", old, 3000);
	insert_sql(f->db, "ref", e, 4000);
	/* inside a transaction that used the rtree already */
	exec(f->db, "BEGIN; INSERT INTO idx_x VALUES(3, 0, 1, 0, 1)");
	assert_int_equal(spl_rtree_load(f->db, "idx_x", e, 4000), 0);
	exec(f->db, "COMMIT");
	check_tree(f->db, e, 4000);

	/* ordinary inserts, updates and deletes on both trees alike */
	struct rtree_entry *more = make_entries(2000, 100000, 0.002);
	insert_sql(f->db, "idx_x", more, 2000);
	insert_sql(f->db, "ref", more, 2000);
	const char *changes[] = {"DELETE FROM %s WHERE pkid %% 5 = 0 AND pkid < 100000",
	                         "UPDATE %s SET xmin = xmin + 0.01, xmax = xmax + 0.01 "
	                         "WHERE pkid %% 7 = 0"};
	for (size_t i = 0; i < 2; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, changes[i], "idx_x");
		exec(f->db, sql);
		snprintf(sql, sizeof sql, changes[i], "ref");
		exec(f->db, sql);
	}
	size_t n = (size_t)testdb_count(f->db, "SELECT count(*) FROM ref");
	struct rtree_entry *now = stored(f->db, "ref", n);
	check_tree(f->db, now, n);
	free(now);
	free(more);
	free(old);
	free(e);
}

static void test_rollback_restores_old_tree(void **state)
{
	struct fixture *f = *state;
	struct rtree_entry *old = make_entries(500, 1, 0);
	struct rtree_entry *e = make_entries(800, 1, 0);
	insert_sql(f->db, "idx_x", old, 500);
	insert_sql(f->db, "ref", old, 500);
	exec(f->db, "BEGIN");
	assert_int_equal(spl_rtree_load(f->db, "idx_x", e, 800), 0);
	assert_int_equal(testdb_count(f->db, "SELECT count(*) FROM idx_x"), 800);
	exec(f->db, "ROLLBACK");
	check_tree(f->db, old, 500);
	free(old);
	free(e);
}

static void test_bad_input_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct rtree_entry *e = make_entries(300, 1, 0);
	insert_sql(f->db, "idx_x", e, 300);
	insert_sql(f->db, "ref", e, 300);
	struct rtree_entry *bad = make_entries(200, 5000, 0);

	bad[7].maxx = bad[7].minx - 1;
	assert_int_equal(spl_rtree_load(f->db, "idx_x", bad, 200), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "5021"));
	bad[7].maxx = NAN;
	assert_int_equal(spl_rtree_load(f->db, "idx_x", bad, 200), ERR_INVALID);
	bad[7].maxx = bad[7].minx;
	/* found only after the old content is gone: the savepoint brings it back */
	bad[150].id = bad[3].id;
	assert_int_equal(spl_rtree_load(f->db, "idx_x", bad, 200), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "given twice"));
	check_tree(f->db, e, 300);

	assert_int_equal(spl_rtree_load(f->db, "nothing", e, 300), ERR_NOTFOUND);
	exec(f->db, "CREATE TABLE plain(a, b, c, d, e);"
	            "CREATE VIRTUAL TABLE ints USING rtree_i32(id, x0, x1, y0, y1);"
	            "CREATE VIRTUAL TABLE cube USING rtree(id, x0, x1, y0, y1, z0, z1);"
	            "CREATE VIRTUAL TABLE aux USING rtree(id, x0, x1, y0, y1, +name)");
	assert_int_equal(spl_rtree_load(f->db, "plain", e, 300), ERR_UNSUPPORTED);
	assert_int_equal(spl_rtree_load(f->db, "ints", e, 300), ERR_UNSUPPORTED);
	assert_int_equal(spl_rtree_load(f->db, "cube", e, 300), ERR_UNSUPPORTED);
	assert_int_equal(spl_rtree_load(f->db, "aux", e, 300), ERR_UNSUPPORTED);
	/* a quoted, odd name is fine */
	exec(f->db, "CREATE VIRTUAL TABLE \"odd \"\" name\" USING rtree (id,a,b,c,d)");
	assert_int_equal(spl_rtree_load(f->db, "odd \" name", e, 300), 0);
	assert_rtreecheck_ok(f->db, "odd \" name");

	int on = 1;
	assert_int_equal(sqlite3_db_config(f->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on), SQLITE_OK);
	assert_int_equal(spl_rtree_load(f->db, "idx_x", bad, 200), ERR_UNSUPPORTED);
	check_tree(f->db, e, 300);
	free(e);
	free(bad);
}

/* --- store_bulk_end() on offences --- */

struct store_fixture {
	char *dir;
	store *st;
};

static int store_setup(void **state)
{
	struct store_fixture *f = calloc(1, sizeof *f);
	char path[600];
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "s.sqlite");
	if (store_open(path, STORE_CREATE, &f->st) < 0) {
		fprintf(stderr, "%s\n", err_msg());
		return -1;
	}
	*state = f;
	return 0;
}

static int store_teardown(void **state)
{
	struct store_fixture *f = *state;
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* Puts offences first..first+n-1 at random points; in a bulk load or not. */
static void put_offences(store *st, int first, int n, int bulk)
{
	struct store_put_info info;
	char id[32];
	struct store_offence o = {.occurred_from = STORE_NO_TIME,
	                          .occurred_to = STORE_NO_TIME,
	                          .reported_at = STORE_NO_TIME,
	                          .has_point = 1};
	assert_int_equal(store_begin(st), 0);
	if (bulk)
		assert_int_equal(store_bulk_begin(st), 0);
	for (int i = first; i < first + n; i++) {
		snprintf(id, sizeof id, "O%d", i);
		o.external_id = id;
		o.lon = 69.0 + rnd() * 0.5;
		o.lat = 41.1 + rnd() * 0.4;
		assert_int_equal(store_put_offence(st, &o, &info), 0);
	}
	if (bulk) {
		/* an old point moved meanwhile */
		o.external_id = "O1";
		o.lon = 69.7;
		assert_int_equal(store_put_offence(st, &o, &info), 0);
		int rc = store_bulk_end(st);
		if (rc < 0)
			fail_msg("%s", err_msg());
	}
	assert_int_equal(store_commit(st), 0);
}

/* The index holds every located offence at its point, and SpatiaLite's
 * SpatialIndex finds what a scan of the table finds. */
static void check_offences_index(store *st)
{
	sqlite3 *db = spl_db_of(st);
	assert_rtreecheck_ok(db, "idx_offences_geom");
	long located = testdb_count(db, "SELECT count(*) FROM offences WHERE geom IS NOT NULL");
	assert_int_equal(testdb_count(db, "SELECT count(*) FROM idx_offences_geom"), located);
	assert_int_equal(testdb_count(db,
	                              "SELECT count(*) FROM offences o JOIN idx_offences_geom i "
	                              "ON i.pkid = o.id WHERE i.xmin <= ST_X(o.geom) "
	                              "AND i.xmax >= ST_X(o.geom) AND i.ymin <= ST_Y(o.geom) "
	                              "AND i.ymax >= ST_Y(o.geom)"),
	                 located);
	long scan =
	    testdb_count(db, "SELECT count(*) FROM offences WHERE ST_X(geom) BETWEEN 69.1 AND "
	                     "69.3 AND ST_Y(geom) BETWEEN 41.2 AND 41.3");
	assert_true(scan > 0);
	assert_int_equal(testdb_count(db,
	                              "SELECT count(*) FROM offences WHERE ROWID IN (SELECT ROWID "
	                              "FROM SpatialIndex WHERE f_table_name = 'offences' AND "
	                              "search_frame = BuildMbr(69.1, 41.2, 69.3, 41.3)) AND "
	                              "ST_X(geom) BETWEEN 69.1 AND 69.3 AND ST_Y(geom) BETWEEN "
	                              "41.2 AND 41.3"),
	                 scan);
	assert_int_equal(testdb_count(db,
	                              "SELECT count(*) FROM offences WHERE ROWID IN (SELECT ROWID "
	                              "FROM SpatialIndex WHERE f_table_name = 'offences' AND "
	                              "search_frame = BuildMbr(69.69, 41, 69.71, 42))"),
	                 1);
}

static void test_store_bulk_end_rebuilds_large_loads(void **state)
{
	struct store_fixture *f = *state;
	sqlite3 *db = spl_db_of(f->st);
	put_offences(f->st, 1, 20, 0);
	put_offences(f->st, 21, 3000, 1);
	check_offences_index(f->st);
	/* packed by the bulk path: ceil(3020 / 51) = 60 leaves, two nodes, a root */
	assert_int_equal(testdb_count(db, "SELECT count(*) FROM idx_offences_geom_node"), 63);

	/* a small append is indexed one by one, and the triggers work again */
	put_offences(f->st, 3021, 30, 1);
	put_offences(f->st, 3051, 30, 0);
	check_offences_index(f->st);
	assert_true(testdb_count(db, "SELECT count(*) FROM idx_offences_geom_node") > 63);
	exec(db, "DELETE FROM offences WHERE id % 3 = 0");
	check_offences_index(f->st);
}

static void test_store_bulk_end_on_defensive_connection(void **state)
{
	struct store_fixture *f = *state;
	int on = 1;
	assert_int_equal(sqlite3_db_config(spl_db_of(f->st), SQLITE_DBCONFIG_DEFENSIVE, 1, &on),
	                 SQLITE_OK);
	put_offences(f->st, 1, 10, 0);
	put_offences(f->st, 11, 500, 1);
	check_offences_index(f->st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exactly_one_node, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_node_and_one, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_points, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_boxes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replaces_content_and_keeps_working, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_rollback_restores_old_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_input_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_bulk_end_rebuilds_large_loads, store_setup,
	                                    store_teardown),
	    cmocka_unit_test_setup_teardown(test_store_bulk_end_on_defensive_connection,
	                                    store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

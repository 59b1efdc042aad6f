/* routes: the route table as http.c matches it (method and path to the
 * handler, 404 and 405), the roles its routes need, and the layering of
 * the server's own files: no include cycle, and only routes.c knows the
 * handler families. */
#include "testutil.h"

#include "api_analysis.h"
#include "api_meta.h"
#include "api_print.h"
#include "api_server.h"
#include "api_tiles.h"
#include "api_zones.h"
#include "auth.h"
#include "routes.h"
#include "wms.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static http_handler handler_of(const char *method, const char *path, unsigned *status)
{
	const struct http_route *r = http_route_find(routes_table, method, path, status);
	return r ? r->handler : NULL;
}

static void test_paths_reach_their_handlers(void **state)
{
	unsigned status;
	(void)state;
	assert_ptr_equal(handler_of("GET", "/healthz", &status), api_health);
	assert_ptr_equal(handler_of("GET", "/api/meta", &status), api_meta);
	assert_ptr_equal(handler_of("GET", "/api/mahallas/1726", &status), api_mahallas);
	assert_ptr_equal(handler_of("PUT", "/api/zones/z1", &status), api_zones_put);
	assert_ptr_equal(handler_of("GET", "/api/backtest/chart.svg", &status), api_backtest_chart);
	assert_ptr_equal(handler_of("GET", "/api/backtest", &status), api_backtest);
	assert_ptr_equal(handler_of("GET", "/api/compare", &status), api_compare);
	assert_ptr_equal(handler_of("GET", "/tiles/heatmap/12/1/2.png", &status), api_tile);
	assert_ptr_equal(handler_of("GET", "/print/district/1726.pdf", &status), api_print);
	assert_ptr_equal(handler_of("GET", "/wms", &status), wms_get);
	/* HEAD is answered as GET. */
	assert_ptr_equal(handler_of("HEAD", "/api/meta", &status), api_meta);
	/* "/" answers every other path: the viewer's files. */
	assert_ptr_equal(handler_of("GET", "/index.html", &status), api_static);
}

static void test_other_methods_are_405_and_nothing_is_404(void **state)
{
	unsigned status;
	(void)state;
	assert_null(handler_of("DELETE", "/api/meta", &status));
	assert_int_equal(status, 405);
	assert_null(handler_of("POST", "/api/trends", &status));
	assert_int_equal(status, 405);
	/* A prefix without '/' matches itself and below it, not a longer word. */
	assert_null(http_route_find(
	    (const struct http_route[]){{"GET", "/api/meta", api_meta, 0}, {NULL, NULL, NULL, 0}},
	    "GET", "/api/metadata", &status));
	assert_int_equal(status, 404);
}

/* What a CORS preflight lists: each method of the path once, HEAD with
 * GET, none for a path no route has. */
static void test_methods_of_a_path(void **state)
{
	char m[128];
	(void)state;
	http_route_methods(routes_table, "/api/zones/7", m, sizeof m);
	assert_string_equal(m, "GET, HEAD, POST, PUT, DELETE"); /* as the table routes them */
	http_route_methods(routes_table, "/api/offences", m, sizeof m);
	assert_string_equal(m, "GET, HEAD, POST");
	http_route_methods(routes_table, "/healthz", m, 10);
	assert_string_equal(m, "GET, HEAD");
	http_route_methods(routes_table, "/api/zones/7", m, 12);
	assert_string_equal(m, "GET, HEAD");
	http_route_methods(
	    (const struct http_route[]){{"GET", "/api/meta", api_meta, 0}, {NULL, NULL, NULL, 0}},
	    "/api/metadata", m, sizeof m);
	assert_string_equal(m, "");
}

static void test_roles(void **state)
{
	unsigned status;
	(void)state;
	assert_int_equal(http_route_find(routes_table, "GET", "/healthz", &status)->need,
	                 ROLE_NONE);
	assert_int_equal(http_route_find(routes_table, "GET", "/api/offences", &status)->need,
	                 ROLE_VIEWER);
	assert_int_equal(http_route_find(routes_table, "POST", "/api/offences", &status)->need,
	                 ROLE_OFFICER);
	assert_int_equal(http_route_find(routes_table, "POST", "/api/zones", &status)->need,
	                 ROLE_PLANNER);
	/* Any role reads; officers and planners write only their own things;
	 * an admin does everything. */
	assert_true(auth_allows(ROLE_ADMIN, ROLE_PLANNER));
	assert_true(auth_allows(ROLE_ADMIN, ROLE_OFFICER));
	assert_true(auth_allows(ROLE_PLANNER, ROLE_VIEWER));
	assert_true(auth_allows(ROLE_OFFICER, ROLE_VIEWER));
	assert_false(auth_allows(ROLE_PLANNER, ROLE_OFFICER));
	assert_false(auth_allows(ROLE_VIEWER, ROLE_OFFICER));
	assert_false(auth_allows(ROLE_OFFICER, ROLE_PLANNER));
	assert_false(auth_allows(ROLE_NONE, ROLE_VIEWER));
	enum auth_role r;
	assert_int_equal(auth_role_parse(auth_role_name(ROLE_PLANNER), &r), 0);
	assert_int_equal(r, ROLE_PLANNER);
	assert_true(auth_role_parse("root", &r) < 0);
}

/* ---- the include graph of server/ ---------------------------------------- */

#define MAX_FILES 128

static struct graph {
	char names[MAX_FILES][64]; /* "api_meta.c", "app.h" */
	unsigned char edge[MAX_FILES][MAX_FILES];
	size_t n;
} g;

static int node(const char *name)
{
	for (size_t i = 0; i < g.n; i++)
		if (strcmp(g.names[i], name) == 0)
			return (int)i;
	return -1;
}

static void read_graph(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	g.n = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > 2 && e->d_name[l - 2] == '.' &&
		    (e->d_name[l - 1] == 'c' || e->d_name[l - 1] == 'h')) {
			assert_true(g.n < MAX_FILES);
			snprintf(g.names[g.n++], sizeof g.names[0], "%.63s", e->d_name);
		}
	}
	closedir(d);
	for (size_t i = 0; i < g.n; i++) {
		char path[1024], line[512], inc[64];
		int n = snprintf(path, sizeof path, "%s/%s", dir, g.names[i]);
		assert_true(n > 0 && (size_t)n < sizeof path);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof line, f)) {
			int j;
			if (sscanf(line, "#include \"%63[^\"]\"", inc) == 1 &&
			    (j = node(inc)) >= 0 && (size_t)j != i)
				g.edge[i][j] = 1;
		}
		fclose(f);
	}
	/* A module's .c and its .h are one node: the .h includes what the .c may. */
	for (size_t i = 0; i < g.n; i++) {
		size_t l = strlen(g.names[i]);
		if (g.names[i][l - 1] != 'c')
			continue;
		char h[64];
		snprintf(h, sizeof h, "%.*sh", (int)(l - 1), g.names[i]);
		int j = node(h);
		if (j >= 0)
			g.edge[j][i] = 0;
	}
}

/* Depth-first search: 1 when a cycle is reachable from i. */
static int cycle_from(size_t i, unsigned char *mark, char *path, size_t n)
{
	mark[i] = 1;
	for (size_t j = 0; j < g.n; j++) {
		if (!g.edge[i][j])
			continue;
		if (mark[j] == 1 || (mark[j] == 0 && cycle_from(j, mark, path, n))) {
			size_t len = strlen(path);
			snprintf(path + len, n - len, " <- %s", g.names[i]);
			return 1;
		}
	}
	mark[i] = 2;
	return 0;
}

static void test_server_files_include_no_cycle(void **state)
{
	char dir[1024], path[2048] = "";
	unsigned char mark[MAX_FILES] = {0};
	(void)state;
	const char *src = getenv("POSBON_SOURCE_DIR");
	assert_non_null(src);
	snprintf(dir, sizeof dir, "%s/server", src);
	read_graph(dir);
	assert_true(node("routes.c") >= 0 && node("app.h") >= 0);
	for (size_t i = 0; i < g.n; i++)
		if (mark[i] == 0 && cycle_from(i, mark, path, sizeof path)) {
			print_error("include cycle:%s\n", path);
			fail();
		}
}

static void test_only_routes_knows_the_handler_families(void **state)
{
	(void)state;
	int routes = node("routes.c");
	assert_true(routes >= 0);
	for (size_t j = 0; j < g.n; j++) {
		const char *h = g.names[j];
		size_t l = strlen(h);
		int family =
		    h[l - 1] == 'h' && (strncmp(h, "api_", 4) == 0 || strcmp(h, "wms.h") == 0);
		int routes_h = strcmp(h, "routes.h") == 0;
		for (size_t i = 0; i < g.n; i++) {
			if (!g.edge[i][j] || (int)i == routes)
				continue;
			/* a family's own .c includes its .h */
			if (family && strncmp(g.names[i], h, l - 1) == 0 && strlen(g.names[i]) == l)
				continue;
			if (family || routes_h) {
				print_error("%s includes %s\n", g.names[i], h);
				fail();
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paths_reach_their_handlers),
	    cmocka_unit_test(test_other_methods_are_405_and_nothing_is_404),
	    cmocka_unit_test(test_methods_of_a_path),
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_server_files_include_no_cycle),
	    cmocka_unit_test(test_only_routes_knows_the_handler_families),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

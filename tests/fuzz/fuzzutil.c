#include "fuzzutil.h"

#include "auth.h"
#include "err.h"
#include "log.h"
#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[512];
static struct app app;
static char bearer[16 + AUTH_SECRET_LEN];
static store *owner; /* the renderer's connection, as cmd_serve keeps one */

static void die(const char *what)
{
	fprintf(stderr, "fuzz setup: %s: %s\n", what, err_msg());
	exit(1);
}

/* Removes the temporary folder at exit (a crash leaves it for the report). */
static void remove_dir(void)
{
	char cmd[600];
	if (!dir[0])
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

static const char *temp_dir(void)
{
	if (dir[0])
		return dir;
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/posbon-fuzz-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		err_set(ERR_IO, "mkdtemp failed");
		die("temporary folder");
	}
	atexit(remove_dir);
	return dir;
}

const char *fuzzutil_path(const char *name, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", temp_dir(), name);
	return buf;
}

/* The database name as a URI whose commits do not wait for the disk. */
static const char *scratch_url(const char *name, char *buf, size_t n)
{
	char path[600];
	snprintf(buf, n, "file:%s?nosync=1", fuzzutil_path(name, path, sizeof path));
	return buf;
}

store *fuzzutil_sample_store(const char *name)
{
	char path[700];
	struct sample_options o;
	struct sample_report rep;
	store *st = NULL;
	sample_defaults(&o);
	o.offences = FUZZUTIL_OFFENCES;
	o.mahallas = 6;
	scratch_url(name, path, sizeof path);
	if (sample_end_day("2026-06-30", &o.end_day) < 0 || store_open(path, STORE_CREATE, &st) < 0)
		die(path);
	if (sample_generate(st, &o, &rep) < 0)
		die("sample");
	return st;
}

struct app *fuzzutil_app(void)
{
	static char db_path[700];
	if (app.r)
		return &app;
	/* The handlers' 500s are findings of their own; the log is noise. */
	log_set_level(LOG_ERROR);
	owner = fuzzutil_sample_store("app.sqlite");
	scratch_url("app.sqlite", db_path, sizeof db_path);
	char token[AUTH_SECRET_LEN];
	if (auth_token_add(owner, "fuzz", ROLE_VIEWER, STORE_NO_TIME, NULL, NULL, token) < 0)
		die("token");
	snprintf(bearer, sizeof bearer, "Bearer %s", token);
	struct cache_options co = {.memory_bytes = 4 << 20, .dir = NULL};
	app.db_path = db_path;
	atomic_init(&app.ingested, 0);
	if (cache_open(&co, &app.cache) < 0 || tz_open("Asia/Tashkent", &app.zone) < 0 ||
	    events_new(16, &app.events) < 0 ||
	    renderer_open(owner, POSBON_FUZZ_STYLE, NULL, &app.r) < 0 || app_init(&app) < 0)
		die("app");
	return &app;
}

const char *fuzzutil_viewer(void)
{
	fuzzutil_app();
	return bearer;
}

store *fuzzutil_handler_store(void)
{
	store *st = app_store(fuzzutil_app());
	if (!st)
		die("handler store");
	return st;
}

void fuzzutil_call(http_handler handler, struct fake_request *f)
{
	handler(&f->rq);
	if (f->rq.status == 0) {
		fprintf(stderr, "%s %s: the handler did not answer\n", f->rq.method, f->rq.path);
		abort();
	}
}

/*
 * app: the per-thread store connections, authorization of a request by its
 * credentials, and the one answer to a recorded error.
 */
#include "app.h"

#include "err.h"
#include "log.h"
#include "numtext.h"

#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void close_store(void *p)
{
	store_close(p);
}

int app_init(struct app *app)
{
	if (pthread_key_create(&app->store_key, close_store) != 0)
		return err_set(ERR_NOMEM, "app: no thread key");
	return 0;
}

void app_cleanup(struct app *app)
{
	pthread_key_delete(app->store_key);
}

store *app_store(struct app *app)
{
	store *st = pthread_getspecific(app->store_key);
	if (st)
		return st;
	if (store_open(app->db_path, 0, &st) < 0) {
		log_msg(LOG_ERROR, 0, "opening %s: %s", app->db_path, err_msg());
		return NULL;
	}
	pthread_setspecific(app->store_key, st);
	return st;
}

/* The rate limit's key of rq's client, and a monotonic now in seconds. */
static int64_t login_key(const struct http_request *rq, unsigned char key[16])
{
	struct timespec now;
	memcpy(key, rq->addr, 16);
	if (!netaddr_is_v4(key))
		memset(key + 8, 0, 8);
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec;
}

unsigned app_login_allowed(struct http_request *rq)
{
	struct app *app = rq->app;
	unsigned char key[16];
	if (!app->logins)
		return 0;
	int64_t now = login_key(rq, key);
	rq->retry_after = ratelimit_wait(app->logins, key, now);
	return rq->retry_after ? 429 : 0;
}

void app_login_failed(struct http_request *rq)
{
	struct app *app = rq->app;
	unsigned char key[16];
	if (!app->logins)
		return;
	int64_t now = login_key(rq, key);
	unsigned wait = ratelimit_fail(app->logins, key, now);
	if (wait)
		log_msg(LOG_WARN, rq->id, "auth: too many wrong tokens from %s; refused for %u s",
		        rq->client, wait);
}

unsigned app_authorize(struct http_request *rq, int need)
{
	struct app *app = rq->app;
	struct auth_identity who;
	const char *auth = http_header(rq, "Authorization");
	const char *session = http_cookie(rq, "posbon_session");
	if (need == ROLE_NONE)
		return 0;
	store *st = app_store(app);
	if (!st)
		return 401;
	int rc = ERR_NOTFOUND,
	    token = auth && (strncmp(auth, "Bearer ", 7) == 0 || strncmp(auth, "Basic ", 6) == 0);
	if (token && app_login_allowed(rq))
		return 429;
	if (auth && strncmp(auth, "Bearer ", 7) == 0)
		rc = auth_check_token(st, auth + 7, &who);
	else if (auth && strncmp(auth, "Basic ", 6) == 0)
		rc = auth_check_basic(st, auth + 6, &who);
	else if (session && (rc = auth_check_session(st, session, &who)) == 0)
		rq->by_cookie = 1;
	if (rc < 0) {
		if (who.expired)
			snprintf(rq->denial, sizeof rq->denial, "%s; ask for a new token",
			         err_msg());
		else if (token && (rc == ERR_NOTFOUND || rc == ERR_INVALID))
			app_login_failed(rq);
		return 401;
	}
	/* not snprintf: it is slow here (see log_access()), and this runs for
	 * every request */
	size_t wn = strnlen(who.name, sizeof rq->who - 1);
	memcpy(rq->who, who.name, wn);
	rq->who[wn] = '\0';
	rq->role = who.role;
	_Static_assert(sizeof rq->scope == sizeof who.districts, "one size of scope");
	memcpy(rq->scope, who.districts, sizeof rq->scope);
	_Static_assert(sizeof rq->service == sizeof who.service, "one size of service");
	memcpy(rq->service, who.service, sizeof rq->service);
	return auth_allows(who.role, (enum auth_role)need) ? 0 : 403;
}

const char *app_cache_control(struct app *app, const struct render_request *q,
                              char buf[APP_CACHE_CONTROL_SIZE])
{
	static const char head[] = "public, max-age=";
	unsigned age = render_max_age(app->r, q, (int64_t)time(NULL));
	char digits[12];
	size_t nd = 0, o = sizeof head - 1;
	/* by hand, as the ETag: printf's family is slow on the tiles' path */
	do {
		digits[nd++] = (char)('0' + age % 10);
		age /= 10;
	} while (age);
	memcpy(buf, head, o);
	while (nd)
		buf[o++] = digits[--nd];
	buf[o] = '\0';
	return buf;
}

int app_base_url(const struct http_request *rq, char *out, size_t n)
{
	const char *host = rq->host ? rq->host : "localhost";
	/* It goes into JSON, which must be UTF-8. */
	if (!g_utf8_validate(host, -1, NULL))
		return err_set_field(ERR_INVALID, "Host", "Host: not UTF-8 text");
	int w = snprintf(out, n, "%s://%s", rq->secure ? "https" : "http", host);
	if (w < 0 || (size_t)w >= n)
		return err_set_field(ERR_INVALID, "Host", "Host: over %zu bytes", n);
	return 0;
}

int app_refuse(struct http_request *rq, unsigned status)
{
	return http_reply_error(rq, status, status < 500 ? err_field() : NULL, "%s", err_msg());
}

int app_reply_error(struct http_request *rq)
{
	int code = err_last();
	return app_refuse(rq, code == ERR_INVALID     ? 400
	                      : code == ERR_FORBIDDEN ? 403
	                      : code == ERR_NOTFOUND  ? 404
	                                              : 500);
}

static int copy_zone_district(void *ctx, const struct store_zone_record *z)
{
	snprintf(ctx, STORE_SCOPE_MAX, "%s", z->zone.district_code ? z->zone.district_code : "");
	return 0;
}

int app_zone_in_scope(struct http_request *rq, store *st, const char *id, const char *field,
                      char *district)
{
	district[0] = '\0';
	if (store_get_zone(st, id, copy_zone_district, district) < 0)
		return 0;
	if (auth_scope_has(rq->scope, district))
		return 0;
	return err_set_field(ERR_FORBIDDEN, field,
	                     "%s: zone %s lies in %s, outside the districts of %s", field, id,
	                     district[0] ? district : "no district", rq->who);
}

int app_where_add(char *where, const char *district)
{
	size_t len = strlen(where), n = district ? strlen(district) : 0;
	if (!n || (len && auth_scope_has(where, district)))
		return 0;
	if (len + n + 2 > STORE_SCOPE_MAX)
		return -1;
	snprintf(where + len, STORE_SCOPE_MAX - len, "%s%s", len ? "," : "", district);
	return 0;
}

int app_if_match(struct http_request *rq, int *version)
{
	const char *h = http_header(rq, "If-Match");
	*version = -1;
	if (!h || strcmp(h, "*") == 0)
		return 0;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	/* The ETag's number, quoted or not */
	char text[32];
	size_t n = strlen(h), quoted = n >= 2 && h[0] == '"' && h[n - 1] == '"';
	long v;
	if (n - 2 * quoted < sizeof text) {
		snprintf(text, sizeof text, "%.*s", (int)(n - 2 * quoted), h + quoted);
		if (numtext_whole("If-Match", text, 0, INT_MAX, "a version", &v) == 0) {
			*version = (int)v;
			return 0;
		}
	}
	return err_set_field(ERR_INVALID, "If-Match",
	                     "If-Match: '%s' is not a version (an ETag this server sent)", h);
}

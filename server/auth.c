#include "auth.h"

#include "err.h"
#include "log.h"
#include "shapes.h"

#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const role_names[] = {
    [ROLE_NONE] = "none",       [ROLE_VIEWER] = "viewer", [ROLE_OFFICER] = "officer",
    [ROLE_PLANNER] = "planner", [ROLE_ADMIN] = "admin",
};

int auth_role_parse(const char *text, enum auth_role *out)
{
	for (int r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
		if (text && strcmp(text, role_names[r]) == 0) {
			*out = (enum auth_role)r;
			return 0;
		}
	return err_set(ERR_INVALID, "role '%s': use viewer, officer, planner or admin",
	               text ? text : "");
}

const char *auth_role_name(enum auth_role r)
{
	return (unsigned)r <= ROLE_ADMIN ? role_names[r] : "none";
}

int auth_allows(enum auth_role have, enum auth_role need)
{
	if (have == ROLE_ADMIN)
		return 1;
	if (need == ROLE_VIEWER)
		return have != ROLE_NONE;
	return have == need;
}

/* 32 bytes as 64 lower-case hex digits and a NUL. By hand: every request
 * hashes its credentials, and with libquadmath's printf hooks loaded (GDAL
 * brings them) each snprintf takes glibc's slow path. */
static void hex32(const unsigned char in[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < 32; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[64] = '\0';
}

/* "pb_" + 64 hex digits of fresh randomness. */
static int new_secret(char *out)
{
	unsigned char raw[32];
	if (gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof raw) != 0)
		return err_set(ERR_IO, "no randomness for a secret");
	memcpy(out, "pb_", 3);
	hex32(raw, out + 3);
	return 0;
}

/* SHA-256 of a secret as 64 hex digits. */
static int hash_secret(const char *secret, char out[65])
{
	unsigned char d[32];
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, secret, strlen(secret), d) != 0)
		return err_set(ERR_IO, "hashing failed");
	hex32(d, out);
	return 0;
}

/* Answers of recent look-ups, so that a wall screen's tile requests do not
 * each cost an SQL query (about 35 µs, and contention between the worker
 * threads on SQLite's allocator): a hit costs the hash and a read(2).
 *
 * An answer holds while the database file's times did not change
 * (inotify: auth_watch()), up to a session's expiry, and at most
 * CACHE_SECONDS for changes made around this module. A revocation
 * touches the file after its commit (mark_changed()), and the kernel
 * queues the report before that call returns, so a check that reads the
 * reports first sees every revocation committed before it began. The
 * reports are read under the cache's lock, with the cache, so that no
 * thread can consume one while another still trusts an older answer.
 * Keyed by the secret's hash and its kind. */
enum {
	CACHE_SLOTS = 256,
	CACHE_SECONDS = 10,
};

struct cached {
	char hash[65];
	int kind; /* enum store_secret */
	unsigned long generation;
	time_t until;
	struct auth_identity who;
};

static struct cached cache[CACHE_SLOTS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static int watch_fd = -1;        /* inotify on the database file; -1: no cache */
static unsigned long generation; /* reports read so far */

/* Reads the pending reports (under lock). A file replaced or removed can
 * no longer be watched, and caching stops. */
static void read_reports(void)
{
	union {
		struct inotify_event e;
		char buf[4096];
	} u;
	ssize_t n;
	while (watch_fd >= 0 && (n = read(watch_fd, &u, sizeof u)) > 0) {
		generation++;
		for (char *p = u.buf; p < u.buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			if (e->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
				log_msg(LOG_WARN, 0,
				        "auth: the database file was moved or "
				        "replaced; credentials are now checked "
				        "without a cache");
				close(watch_fd);
				watch_fd = -1;
				break;
			}
			p += sizeof *e + e->len;
		}
	}
}

int auth_watch(store *st)
{
	const char *path = store_path(st);
	pthread_mutex_lock(&cache_lock);
	if (watch_fd < 0 && path && (watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) >= 0 &&
	    inotify_add_watch(watch_fd, path, IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
		close(watch_fd);
		watch_fd = -1;
	}
	int watching = watch_fd >= 0;
	pthread_mutex_unlock(&cache_lock);
	return watching ? 0
	                : err_set(ERR_IO, "%s: cannot watch the file for revocations",
	                          path ? path : "the database");
}

void auth_unwatch(void)
{
	pthread_mutex_lock(&cache_lock);
	if (watch_fd >= 0)
		close(watch_fd);
	watch_fd = -1;
	memset(cache, 0, sizeof cache);
	pthread_mutex_unlock(&cache_lock);
}

/* Tells serving processes that credentials changed: the file's times
 * change, which their watch reports. */
static void mark_changed(store *st)
{
	const char *path = store_path(st);
	if (path && utimensat(AT_FDCWD, path, NULL, 0) != 0)
		log_msg(LOG_WARN, 0,
		        "%s: cannot touch the file; a running posbon serve takes up to %d s "
		        "to notice",
		        path, CACHE_SECONDS);
}

static unsigned cache_slot(const char *hash, int kind)
{
	char head[9];
	memcpy(head, hash, 8);
	head[8] = '\0';
	return (unsigned)((strtoul(head, NULL, 16) + (unsigned long)kind) % CACHE_SLOTS);
}

/* A valid cached answer into *who: 1, or 0 with *gen the generation an
 * answer looked up now may be cached under. */
static int cache_get(const char *hash, int kind, struct auth_identity *who, unsigned long *gen)
{
	int hit = 0;
	pthread_mutex_lock(&cache_lock);
	read_reports();
	const struct cached *c = &cache[cache_slot(hash, kind)];
	if (watch_fd >= 0 && c->kind == kind && c->generation == generation &&
	    c->until > time(NULL) && strcmp(c->hash, hash) == 0) {
		*who = c->who;
		hit = 1;
	}
	*gen = generation;
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

/* Keeps an answer looked up in generation gen until until. */
static void cache_put(const char *hash, int kind, const struct auth_identity *who,
                      unsigned long gen, time_t until)
{
	pthread_mutex_lock(&cache_lock);
	struct cached *c = &cache[cache_slot(hash, kind)];
	memcpy(c->hash, hash, sizeof c->hash);
	c->kind = kind;
	c->generation = gen;
	c->until = until;
	c->who = *who;
	pthread_mutex_unlock(&cache_lock);
}

static void cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	memset(cache, 0, sizeof cache);
	pthread_mutex_unlock(&cache_lock);
}

/* A name goes into JSON answers and logs: text, short, one line. */
static int valid_name(const char *name)
{
	if (!name || !*name || strlen(name) >= sizeof((struct auth_identity *)0)->name)
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	json_t *utf8 = json_string(name); /* NULL unless valid UTF-8 */
	json_decref(utf8);
	return utf8 != NULL;
}

#define SCOPE_DISTRICT "district:"
#define SCOPE_REGION   "region:"

/* A region scope "region:A,B" as stored: as given, once every region is
 * known. */
static int region_scope(store *st, const char *text, char *out)
{
	char districts[STORE_SCOPE_MAX];
	const char *list = text + strlen(SCOPE_REGION);
	if (strlen(text) >= STORE_SCOPE_MAX)
		return err_set_field(ERR_INVALID, "scope", "scope: longer than %d characters",
		                     STORE_SCOPE_MAX - 1);
	int rc = store_region_districts(st, list, districts, sizeof districts);
	if (rc < 0)
		return err_set_field(ERR_INVALID, "scope", "scope: %s", err_msg());
	snprintf(out, STORE_SCOPE_MAX, "%s", text);
	return 0;
}

int auth_scope_districts(store *st, const char *stored, char *out)
{
	if (strncmp(stored, SCOPE_REGION, strlen(SCOPE_REGION)) != 0) {
		snprintf(out, STORE_SCOPE_MAX, "%s", stored);
		return 0;
	}
	int rc = store_region_districts(st, stored + strlen(SCOPE_REGION), out, STORE_SCOPE_MAX);
	if (rc == 0 && !*out)
		snprintf(out, STORE_SCOPE_MAX, "%s", stored);
	return rc;
}

int auth_scope_parse(store *st, const char *text, char *out)
{
	char code[256];
	out[0] = '\0';
	if (!text || !*text || strcmp(text, "all") == 0)
		return 0;
	if (strncmp(text, SCOPE_REGION, strlen(SCOPE_REGION)) == 0)
		return region_scope(st, text, out);
	if (strncmp(text, SCOPE_DISTRICT, strlen(SCOPE_DISTRICT)) != 0)
		return err_set_field(ERR_INVALID, "scope",
		                     "scope: '%.60s' is not all, district:CODE[,CODE...] or "
		                     "region:CODE[,CODE...]",
		                     text);
	const char *list = text + strlen(SCOPE_DISTRICT);
	if (strlen(list) >= STORE_SCOPE_MAX)
		return err_set_field(ERR_INVALID, "scope", "scope: longer than %d characters",
		                     STORE_SCOPE_MAX - 1);
	for (const char *p = list;; p++) {
		size_t n = strcspn(p, ",");
		struct store_area_found d;
		if (n == 0 || n >= sizeof code)
			return err_set_field(ERR_INVALID, "scope",
			                     "scope: '%.60s' is not a list of district codes",
			                     list);
		memcpy(code, p, n);
		code[n] = '\0';
		int rc = store_find_area(st, STORE_DISTRICTS, code, &d);
		if (rc < 0)
			return rc;
		if (!d.found)
			return err_set_field(ERR_INVALID, "scope",
			                     "scope: no district has the code '%s'", code);
		p += n;
		if (!*p)
			break;
	}
	snprintf(out, STORE_SCOPE_MAX, "%s", list);
	return 0;
}

int auth_scope_has(const char *districts, const char *code)
{
	return shapes_territory_has(districts, code);
}

int auth_token_add(store *st, const char *name, enum auth_role role, int64_t expires,
                   const char *scope, const char *service, char *out)
{
	char hash[65], code[STORE_SERVICE_MAX];
	int rc;
	if (!valid_name(name))
		return err_set_field(ERR_INVALID, "name",
		                     "name: 1 to 127 bytes of UTF-8 without control characters");
	if (service && *service) {
		if (strlen(service) >= sizeof code || !valid_name(service))
			return err_set_field(ERR_INVALID, "service",
			                     "service: CODE or CODE/UNIT, at most %zu bytes",
			                     sizeof code - 1);
		snprintf(code, sizeof code, "%.*s", (int)strcspn(service, "/"), service);
		if ((rc = store_code_exists(st, STORE_SERVICES, code)) <= 0)
			return rc < 0
			           ? rc
			           : err_set_field(ERR_NOTFOUND, "service",
			                           "service: no service has the code '%s'", code);
	}
	if ((rc = new_secret(out)) < 0 || (rc = hash_secret(out, hash)) < 0)
		return rc;
	rc = store_token_add(st, name, auth_role_name(role), hash, (int64_t)time(NULL), expires,
	                     scope && *scope ? scope : NULL, service && *service ? service : NULL);
	if (rc == 0)
		rc = store_audit(st, "admin", "create", "token", name, auth_role_name(role));
	if (rc < 0)
		memset(out, 0, AUTH_SECRET_LEN);
	return rc;
}

int auth_token_revoke(store *st, const char *name)
{
	int rc = store_token_revoke(st, name, (int64_t)time(NULL));
	if (rc == 0)
		rc = store_audit(st, "admin", "revoke", "token", name, NULL);
	mark_changed(st);
	cache_clear();
	return rc;
}

/* Who holds a secret of a kind (a token or a session). */
static int lookup(store *st, enum store_secret kind, const char *secret, struct auth_identity *who)
{
	char hash[65];
	struct store_credential c;
	int rc;
	memset(who, 0, sizeof *who);
	if (!secret || strncmp(secret, "pb_", 3) != 0 || strlen(secret) != AUTH_SECRET_LEN - 1)
		return err_set(ERR_NOTFOUND, "unknown credentials");
	if ((rc = hash_secret(secret, hash)) < 0)
		return rc;
	unsigned long gen;
	if (cache_get(hash, kind, who, &gen))
		return 0;
	time_t now = time(NULL), until = now + CACHE_SECONDS;
	if ((rc = store_credential(st, kind, hash, (int64_t)now, &c)) < 0) {
		who->expired = rc == ERR_NOTFOUND && c.expires != STORE_NO_TIME;
		return rc;
	}
	snprintf(who->name, sizeof who->name, "%s", c.name);
	snprintf(who->service, sizeof who->service, "%s", c.service);
	if ((rc = auth_scope_districts(st, c.scope, who->districts)) < 0 ||
	    (rc = auth_role_parse(c.role, &who->role)) < 0)
		return rc;
	if (c.expires != STORE_NO_TIME && c.expires < (int64_t)until)
		until = (time_t)c.expires;
	cache_put(hash, kind, who, gen, until);
	return 0;
}

int auth_check_token(store *st, const char *token, struct auth_identity *who)
{
	return lookup(st, STORE_TOKEN, token, who);
}

int auth_check_basic(store *st, const char *b64, struct auth_identity *who)
{
	gnutls_datum_t in = {(unsigned char *)b64, (unsigned)strlen(b64)}, plain = {NULL, 0};
	/* A token is 67 characters; a longer user name is no reason to decode
	 * megabytes. */
	if (in.size == 0 || in.size > 1024 || gnutls_base64_decode2(&in, &plain) < 0 ||
	    !plain.data) {
		gnutls_free(plain.data);
		return err_set_field(ERR_INVALID, "authorization",
		                     "authorization: Basic credentials are not base64");
	}
	char text[1024];
	snprintf(text, sizeof text, "%.*s", (int)plain.size, (const char *)plain.data);
	gnutls_free(plain.data);
	const char *colon = strchr(text, ':');
	if (!colon || strlen(text) != plain.size)
		return err_set_field(ERR_INVALID, "authorization",
		                     "authorization: Basic credentials are not user:token");
	int rc = auth_check_token(st, colon + 1, who);
	if (rc == 0 && who->role > ROLE_VIEWER)
		who->role = ROLE_VIEWER;
	return rc;
}

int auth_check_session(store *st, const char *session, struct auth_identity *who)
{
	return lookup(st, STORE_SESSION, session, who);
}

int auth_login(store *st, const char *token, struct auth_identity *who, char *out)
{
	char hash[65];
	int rc;
	if ((rc = auth_check_token(st, token, who)) < 0)
		return rc;
	if ((rc = new_secret(out)) < 0 || (rc = hash_secret(out, hash)) < 0)
		return rc;
	int64_t now = (int64_t)time(NULL);
	return store_session_add(st, hash, who->name, now, now + AUTH_SESSION_SECONDS);
}

int auth_logout(store *st, const char *session)
{
	char hash[65];
	int rc;
	if (!session || (rc = hash_secret(session, hash)) < 0)
		return 0;
	rc = store_session_delete(st, hash);
	mark_changed(st);
	cache_clear();
	return rc;
}

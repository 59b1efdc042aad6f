/*
 * auth: who is asking, and may they.
 *
 * Tokens are 32 random bytes shown once as "pb_" + 64 hex digits; only
 * their SHA-256 is stored (tokens table), so a copied database gives no one
 * access. A viewer exchanges its token once for a session (a second random
 * secret, also stored hashed, valid for 12 hours) carried in an HttpOnly
 * cookie. Roles: viewer reads; officer also ingests and corrects offences;
 * planner also edits patrol zones; admin may do everything.
 *
 * A serving process keeps answers in a process-wide cache, so that tile
 * requests do not each cost a query, and watches the database file
 * (auth_watch()): a revocation or logout, by `posbon token revoke` in
 * another process too, touches the file, and takes effect at the next
 * request, as does a session's expiry. A change made around this module
 * (SQL by hand) takes at most 10 seconds.
 *
 * Threading: functions use the store they are given (one per thread); the
 * cache is shared under a lock.
 */
#ifndef POSBON_AUTH_H
#define POSBON_AUTH_H

#include "store.h"

#include <stddef.h>

enum auth_role {
	ROLE_NONE = 0,
	ROLE_VIEWER,
	ROLE_OFFICER,
	ROLE_PLANNER,
	ROLE_ADMIN,
};

#define AUTH_SECRET_LEN      68 /* "pb_" + 64 hex + NUL */
#define AUTH_SESSION_SECONDS (12 * 3600)

struct auth_identity {
	char name[128];
	enum auth_role role;
	/* The districts the credentials reach, codes joined by ","; "": every
	 * one (a region's: its districts when they were looked up). */
	char districts[STORE_SCOPE_MAX];
	char service[STORE_SERVICE_MAX]; /* the service it speaks for, "CODE[/UNIT]"; "": none */
	int expired; /* refused: a token past its expiry (err_msg() says when) */
};

/* "officer" -> ROLE_OFFICER; ERR_INVALID naming the roles otherwise. */
int auth_role_parse(const char *text, enum auth_role *out);
const char *auth_role_name(enum auth_role r);

/* Whether a holder of role have may do what needs role need. */
int auth_allows(enum auth_role have, enum auth_role need);

/* A token's territory as `posbon token add --scope` takes it: "all" (or
 * NULL or ""), "district:CODE[,CODE...]" with districts that st holds, or
 * "region:CODE[,CODE...]" with regions it holds (their districts at each
 * request, so a district imported later into a region is reached).
 * Writes its stored form into out[STORE_SCOPE_MAX] ("" for all; the
 * districts' codes; the region form as given). ERR_INVALID naming
 * "scope". */
int auth_scope_parse(store *st, const char *text, char *out);

/* The districts a stored scope (as auth_scope_parse() writes it) reaches
 * now into out[STORE_SCOPE_MAX]: a list of districts as it is; a region's,
 * its districts now. A region that holds none reaches nothing: its stored
 * form, which names no district, stands for that (an empty list would mean
 * every district). */
int auth_scope_districts(store *st, const char *stored, char *out);

/* Whether the districts of a scope (auth_identity's; "": every one) hold
 * the district code (NULL or "": none, which only the whole scope
 * holds). */
int auth_scope_has(const char *districts, const char *code);

/* Makes a token for name with role, valid until expires (UTC seconds;
 * STORE_NO_TIME: no end), reaching scope (as auth_scope_parse() writes
 * it), speaking for service ("CODE" or "CODE/UNIT" of a stored service;
 * NULL: none), stores its hash and writes the token (shown once) into
 * out[AUTH_SECRET_LEN]. ERR_CONFLICT when name exists, ERR_NOTFOUND
 * naming "service" for an unknown service. */
int auth_token_add(store *st, const char *name, enum auth_role role, int64_t expires,
                   const char *scope, const char *service, char *out);

/* Revokes name's token and its sessions. ERR_NOTFOUND when there is none. */
int auth_token_revoke(store *st, const char *name);

/* Starts caching answers, for as long as st's database file can be
 * watched for revocations (Linux inotify); ERR_IO when it cannot (then
 * every check asks the database). auth_unwatch() stops and forgets. */
int auth_watch(store *st);
void auth_unwatch(void);

/* Who holds this token or session secret; ERR_NOTFOUND when nobody does
 * (or it expired or was revoked; who->expired for a token past its
 * expiry). */
int auth_check_token(store *st, const char *token, struct auth_identity *who);
int auth_check_session(store *st, const char *session, struct auth_identity *who);

/* Who sends the HTTP Basic credentials b64 (the text after "Basic "):
 * base64 of "anything:TOKEN", as GIS clients (QGIS, GDAL_HTTP_USERPWD) send
 * a user and password. The holder gets at most the viewer role: browsers
 * resend Basic credentials by themselves, so writes keep needing a Bearer
 * token or a session. ERR_INVALID for bad base64 or no ':', ERR_NOTFOUND
 * for an unknown token. */
int auth_check_basic(store *st, const char *b64, struct auth_identity *who);

/* Opens a session for a valid token: the new secret goes to
 * out[AUTH_SECRET_LEN]. */
int auth_login(store *st, const char *token, struct auth_identity *who, char *out);

/* Ends a session (no error when it does not exist). */
int auth_logout(store *st, const char *session);

#endif

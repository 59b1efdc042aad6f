/*
 * posbon token: API and viewer credentials. The token is printed once;
 * the database keeps only its hash, and the list shows neither.
 */
#include "auth.h"
#include "commands.h"
#include "err.h"
#include "numtext.h"
#include "opts.h"
#include "store.h"
#include "timeparse.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* "2026-12-07T12:00:00Z", or "-" for no time; buf has 32 bytes. */
static const char *utc_or_dash(int64_t t, char *buf)
{
	return t == STORE_NO_TIME ? "-" : timeparse_utc_text(t, buf, 32);
}

/* --expires: a span from now ("90d", "12h", "2w") or a date or time
 * (UTC unless it says otherwise; a day means its start). */
static int parse_expiry(const char *text, int64_t now, int64_t *out)
{
	static const struct {
		char unit;
		long seconds;
	} units[] = {{'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};
	size_t n = strlen(text);
	for (size_t i = 0; n > 1 && i < sizeof units / sizeof *units; i++) {
		if (text[n - 1] != units[i].unit)
			continue;
		char number[32];
		long v;
		snprintf(number, sizeof number, "%.*s", (int)(n - 1), text);
		/* up to a hundred years */
		if (numtext_whole("--expires", number, 1, 100L * 365 * 86400 / units[i].seconds,
		                  "a whole number", &v) < 0)
			return err_set_field(ERR_INVALID, "expires",
			                     "--expires '%s': a span is 1 or more hours, days or "
			                     "weeks, as 12h, 90d or 2w, up to a hundred years",
			                     text);
		*out = now + (int64_t)v * units[i].seconds;
		return 0;
	}
	tz *utc = NULL;
	struct time_span span;
	int rc = tz_open("UTC", &utc);
	if (rc == 0)
		rc = timeparse_parse(utc, text, NULL, DATE_ORDER_AUTO, &span);
	tz_free(utc);
	if (rc < 0)
		return err_set_field(ERR_INVALID, "expires",
		                     "--expires '%s': give a span (12h, 90d, 2w) or a date or time "
		                     "(2026-12-31, 2026-12-31T18:00+05:00)",
		                     text);
	*out = span.from;
	return 0;
}

struct listing {
	int64_t now;
};

static int print_token(void *ctx, const struct store_token *t)
{
	const struct listing *l = ctx;
	char created[32], used[32], expires[32];
	const char *state = t->revoked != STORE_NO_TIME                           ? "revoked"
	                    : t->expires != STORE_NO_TIME && t->expires <= l->now ? "expired"
	                                                                          : "active";
	printf("%-20s %-8s %-20s %-20s %-20s %-8s %-16s %s%s\n", t->name, t->role,
	       utc_or_dash(t->created, created), utc_or_dash(t->last_used, used),
	       utc_or_dash(t->expires, expires), state, t->service ? t->service : "-",
	       !t->scope                              ? "all"
	       : strncmp(t->scope, "region:", 7) == 0 ? ""
	                                              : "district:",
	       t->scope ? t->scope : "");
	return 0;
}

int cmd_token(int argc, char **argv)
{
	const char *role_text = NULL, *name = NULL, *expires_text = NULL, *scope_text = NULL,
	           *service = NULL;
	const struct opt table[] = {
	    {"role", OPT_STRING, &role_text, "ROLE", "viewer, officer, planner or admin (add)", 0,
	     0, 0},
	    {"name", OPT_STRING, &name, "NAME", "who holds the token (a person or a system)", 0, 0,
	     0},
	    {"expires", OPT_STRING, &expires_text, "WHEN",
	     "add: the token ends after a span (12h, 90d, 2w) or at a date or time, UTC unless "
	     "it says otherwise (2026-12-31, 2026-12-31T18:00+05:00); default: never",
	     0, 0, 0},
	    {"scope", OPT_STRING, &scope_text, "SCOPE",
	     "add: the territory the token reaches: all (default) or district:CODE[,CODE...]; "
	     "its holder sees and changes nothing of other districts",
	     0, 0, 0},
	    {"service", OPT_STRING, &service, "CODE[/UNIT]",
	     "add: the service (and unit) the holder works for: the tasks asked of it are its "
	     "own to accept, and what it asks or records is in its name",
	     0, 0, 0},
	    {0},
	};
	const char *pos[2];
	int npos, rc;
	store *st = NULL;
	rc = opts_parse(
	    "token",
	    "add|list|revoke DB [--name NAME] [--role ROLE] [--expires WHEN] [--scope SCOPE] "
	    "[--service CODE[/UNIT]]",
	    "add: makes a token and prints it once (only its hash is stored).\n"
	    "list: every token's name, role, creation, last use (written at most once "
	    "a minute), expiry, state and scope; never a secret.\n"
	    "revoke: ends a token and its sessions.",
	    table, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	const char *verb = npos == 2 ? pos[0] : "";
	int add = strcmp(verb, "add") == 0, list = strcmp(verb, "list") == 0;
	if (!add && !list && strcmp(verb, "revoke") != 0)
		return err_set_field(ERR_INVALID, "usage",
		                     "usage: posbon token add|list|revoke DB [--name NAME] "
		                     "[--role ROLE] [--expires WHEN]");
	if (!name && !list)
		return err_set(ERR_INVALID, "--name is required");
	enum auth_role role = ROLE_NONE;
	int64_t now = (int64_t)time(NULL), expires = STORE_NO_TIME;
	if (add && ((rc = auth_role_parse(role_text, &role)) < 0 ||
	            (expires_text && (rc = parse_expiry(expires_text, now, &expires)) < 0)))
		return rc;
	if ((rc = store_open(pos[1], list ? STORE_READONLY : 0, &st)) < 0)
		return rc;
	if (list) {
		struct listing l = {now};
		printf("%-20s %-8s %-20s %-20s %-20s %-8s %-16s %s\n", "name", "role", "created",
		       "last used", "expires", "state", "service", "scope");
		rc = store_list_tokens(st, print_token, &l);
	} else if (add) {
		char token[AUTH_SECRET_LEN], when[32], scope[STORE_SCOPE_MAX];
		if ((rc = auth_scope_parse(st, scope_text, scope)) == 0 &&
		    (rc = auth_token_add(st, name, role, expires, scope, service, token)) == 0) {
			printf("%s\n", token);
			if (expires != STORE_NO_TIME)
				fprintf(stderr, "posbon token: '%s' %s at %s\n", name,
				        expires <= now ? "has expired already," : "expires",
				        utc_or_dash(expires, when));
		}
	} else {
		rc = auth_token_revoke(st, name);
	}
	store_close(st);
	return rc;
}

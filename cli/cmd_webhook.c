/*
 * posbon webhook: the subscriptions of other systems to the change feed,
 * which the running daemon delivers (server/webhook.h; docs/api.md,
 * "Webhooks"). The database keeps the secret file's path, never the
 * secret.
 */
#include "auth.h"
#include "commands.h"
#include "err.h"
#include "numtext.h"
#include "opts.h"
#include "store.h"
#include "timeparse.h"
#include "webhook.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct listing {
	int64_t head;
};

static int print_hook(void *ctx, const struct store_webhook *h)
{
	const struct listing *l = ctx;
	char delivered[32];
	printf("%-20s %10lld %8lld %-20s %-24s %-16s %s %s\n", h->name, (long long)h->cursor,
	       (long long)(l->head > h->cursor ? l->head - h->cursor : 0),
	       h->delivered == STORE_NO_TIME
	           ? "-"
	           : timeparse_utc_text(h->delivered, delivered, sizeof delivered),
	       h->scope ? h->scope : "all", h->kinds ? h->kinds : "all", h->url, h->secret_file);
	return 0;
}

/* The checks of `add` that need no database: the URL, the kinds, and a
 * secret file that reads (its absolute path into path[PATH_MAX]). */
static int check_add(const char *url, const char *secret_file, const char *kinds_text, char *kinds,
                     size_t n, char *path)
{
	char secret[WEBHOOK_SECRET_MAX + 1];
	size_t len;
	struct stat sb;
	int rc;
	if (!url || !secret_file)
		return err_set_field(ERR_INVALID, url ? "secret-file" : "url",
		                     "add needs --url and --secret-file");
	if ((rc = webhook_url_check(url)) < 0 ||
	    (rc = webhook_kinds_parse(kinds_text, kinds, n)) < 0)
		return err_set_field(rc, err_field(), "--%s", err_msg());
	if ((rc = webhook_secret_read(secret_file, secret, &len)) < 0)
		return err_set_field(rc, "secret-file", "--secret-file %s", err_msg());
	memset(secret, 0, sizeof secret);
	if (!realpath(secret_file, path))
		return err_set_field(ERR_IO, "secret-file", "--secret-file %s: no path",
		                     secret_file);
	if (stat(path, &sb) == 0 && (sb.st_mode & S_IROTH))
		fprintf(stderr, "posbon webhook: %s can be read by every user: chmod o-r it\n",
		        path);
	return 0;
}

int cmd_webhook(int argc, char **argv)
{
	const char *name = NULL, *url = NULL, *secret_file = NULL, *scope_text = NULL,
	           *kinds_text = NULL, *since_text = "head";
	const struct opt table[] = {
	    {"name", OPT_STRING, &name, "NAME",
	     "the subscription (letters, digits, . _ -): sent with each delivery", 0, 0, 0},
	    {"url", OPT_STRING, &url, "URL", "add: where the changes are POSTed (http or https)", 0,
	     0, 0},
	    {"secret-file", OPT_STRING, &secret_file, "FILE",
	     "add: the file holding the secret the deliveries are signed with (16 to 1024 "
	     "bytes, e.g. made by openssl rand -hex 32; readable by the daemon, by no one else)",
	     0, 0, 0},
	    {"scope", OPT_STRING, &scope_text, "SCOPE",
	     "add: the territory whose changes are delivered, as a token's: all (default), "
	     "district:CODE[,CODE...] or region:CODE[,CODE...]",
	     0, 0, 0},
	    {"kinds", OPT_STRING, &kinds_text, "LIST",
	     "add: the kinds of changes delivered: all (default) or some of offence, zone, task, "
	     "activity, standing, joined by commas",
	     0, 0, 0},
	    {"since", OPT_STRING, &since_text, "SEQ",
	     "add: deliver the changes after this one: head (the default: from now on), 0 (every "
	     "change kept) or a change's seq",
	     0, 0, 0},
	    {0},
	};
	const char *pos[2];
	int npos, rc;
	store *st = NULL;
	rc = opts_parse("webhook",
	                "add|list|remove DB [--name NAME] [--url URL] [--secret-file FILE] "
	                "[--scope SCOPE] [--kinds LIST] [--since SEQ]",
	                "add: subscribes a system to the change feed: the running daemon POSTs "
	                "every change after --since to --url, in order, signed with the secret "
	                "(docs/api.md, \"Webhooks\"); no restart is needed.\n"
	                "list: each subscription's name, cursor (the last change delivered), "
	                "lag (changes after it), last delivery, scope, kinds, URL and secret "
	                "file.\n"
	                "remove: ends a subscription.",
	                table, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	const char *verb = npos == 2 ? pos[0] : "";
	int add = strcmp(verb, "add") == 0, list = strcmp(verb, "list") == 0;
	if (!add && !list && strcmp(verb, "remove") != 0)
		return err_set_field(
		    ERR_INVALID, "usage",
		    "usage: posbon webhook add|list|remove DB [--name NAME] [--url "
		    "URL] [--secret-file FILE] [--scope SCOPE] [--kinds LIST]");
	if (!name && !list)
		return err_set_field(ERR_INVALID, "name", "--name is required");
	char kinds[128], path[PATH_MAX], scope[STORE_SCOPE_MAX];
	if (add && (rc = check_add(url, secret_file, kinds_text, kinds, sizeof kinds, path)) < 0)
		return rc;
	if ((rc = store_open(pos[1], list ? STORE_READONLY : 0, &st)) < 0)
		return rc;
	struct listing l = {0};
	if ((rc = store_change_head(st, &l.head)) < 0)
		goto out;
	if (list) {
		printf("%-20s %10s %8s %-20s %-24s %-16s %s %s\n", "name", "cursor", "lag",
		       "delivered", "scope", "kinds", "url", "secret file");
		rc = store_list_webhooks(st, print_hook, &l);
	} else if (add) {
		long since = (long)l.head;
		struct store_webhook h = {.name = name,
		                          .url = url,
		                          .secret_file = path,
		                          .scope = scope,
		                          .kinds = *kinds ? kinds : NULL};
		if ((strcmp(since_text, "head") != 0 &&
		     (rc = numtext_whole("--since", since_text, 0, LONG_MAX,
		                         "a change's seq or head", &since)) < 0) ||
		    (rc = auth_scope_parse(st, scope_text, scope)) < 0)
			goto out;
		h.scope = *scope ? scope : NULL;
		h.cursor = since;
		if ((rc = store_webhook_add(st, &h, (int64_t)time(NULL))) == 0)
			printf(
			    "posbon webhook: '%s' gets the changes after %ld (the head is %lld)\n",
			    name, since, (long long)l.head);
	} else {
		rc = store_webhook_remove(st, name);
	}
out:
	store_close(st);
	return rc;
}

/*
 * api_changes: the change feed. A page holds the changes after the cursor
 * that the credentials' districts reach; its "next" is the last change
 * read, seen or not, so that a scoped reader pages through others'
 * changes without seeing them and never reads one twice.
 */
#include "api_changes.h"

#include "app.h"
#include "err.h"
#include "geojson.h"
#include "numtext.h"

#include <jansson.h>
#include <limits.h>
#include <string.h>

#define CHANGES_LIMIT     500
#define CHANGES_LIMIT_MAX 5000

struct page {
	const char *scope;
	json_t *changes;
	int64_t last;
	int read;
};

static int add_change(void *ctx, const struct store_feed_entry *c)
{
	struct page *p = ctx;
	p->last = c->seq;
	p->read++;
	if (!auth_scope_has(p->scope, c->district))
		return 0;
	json_array_append_new(p->changes, geojson_change(c));
	return 0;
}

int api_changes(struct http_request *rq)
{
	store *st = app_store(rq->app);
	const char *since_text = http_arg(rq, "since"), *limit_text = http_arg(rq, "limit");
	long since = 0, limit = CHANGES_LIMIT;
	int64_t head;
	if (!st)
		return http_reply_error(rq, 503, NULL, "database unavailable");
	if (store_change_head(st, &head) < 0)
		return app_reply_error(rq);
	if (since_text && strcmp(since_text, "head") == 0)
		since = (long)head;
	else if (since_text && numtext_whole("since", since_text, 0, LONG_MAX,
	                                     "a cursor (a change's seq)", &since) < 0)
		return app_refuse(rq, 400);
	if (limit_text && numtext_whole("limit", limit_text, 1, CHANGES_LIMIT_MAX,
	                                "the most changes a page holds", &limit) < 0)
		return app_refuse(rq, 400);
	struct page p = {rq->scope, json_array(), since, 0};
	if (store_list_changes(st, since, (int)limit, add_change, &p) < 0) {
		json_decref(p.changes);
		return app_reply_error(rq);
	}
	return http_reply_value(rq, 200,
	                        json_pack("{s:o, s:I, s:b, s:I}", "changes", p.changes, "next",
	                                  (json_int_t)p.last, "more", p.last < head, "head",
	                                  (json_int_t)head),
	                        "Cache-Control", "no-store");
}

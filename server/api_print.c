/*
 * api_print: printed pages over HTTP: a district's or mahalla's map
 * (an atlas, a mahalla's meeting pack), a shift's coverage, a roster, a backtest's page and the
 * comparison table, as PDF,
 * PNG or CSV, with the arguments `posbon print` takes (params.h holds the
 * bounds both read).
 */
#include "api_print.h"

#include "app.h"
#include "err.h"
#include "print.h"
#include "query.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* GET /print/{district|mahalla}/{code}.{pdf|png}?paper=&landscape=&scale=
 * &lang=&layers=&atlas=&dpi=&hotspots=&from=&to=..., a mahalla's meeting
 * pack with pack=1&since=, and
 * /print/coverage.{pdf|png} and /print/roster.{pdf|csv} with shift=&weekdays=
 * (the days the shift starts on)&date=&district=&visit=&every=, and
 * /print/backtest.{pdf|png} with the arguments of /api/backtest (an atlas's
 * last page with backtest=1), and /print/compare.{pdf|png} with
 * from=&to=&district=&sort= */
/* in with every byte but letters, digits and "-._~" as %XX into out (n
 * bytes, three per byte of in at most), cut at a whole escape. */
static void percent_encode(const char *in, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 <= n; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
}

/* Whether byte c cannot stand in a quoted filename= parameter: all but
 * printable ASCII, and quotes, backslashes, slashes and percent signs
 * (which some clients decode). */
static int unquotable(unsigned char c)
{
	return c < 0x20 || c > 0x7e || strchr("\"\\%/", c);
}

/* Whether every byte of s can stand in a quoted filename= parameter. */
static int quotable(const char *s)
{
	while (*s && !unquotable((unsigned char)*s))
		s++;
	return !*s;
}

/* Whether the district or mahalla q prints lies in rq's scope: a mahalla by
 * the district it belongs to. An unknown one is left to print_make(). */
static int in_scope(struct http_request *rq, store *st, const struct print_request *q)
{
	struct store_area_found m;
	if (q->district)
		return auth_scope_has(rq->scope, q->district);
	if (store_find_area(st, STORE_MAHALLAS, q->mahalla, &m) < 0)
		return 0;
	return !m.found || auth_scope_has(rq->scope, m.district_code);
}

int api_print(struct http_request *rq)
{
	struct app *app = rq->app;
	const char *rest = rq->path + strlen("/print/");
	const char *slash = strchr(rest, '/'), *dot = strrchr(rest, '.');
	char code[160], first[128];
	struct print_request q = {.printed_at = (int64_t)time(NULL)};
	struct render_request rr = {0};
	struct print_result res;
	struct backtest bt = {0};
	struct shift shift;
	double scale = 0, dpi = 0, visit = 0, every = 0;
	long hotspots = (long)param_print_hotspots.def;
	int rc;
	size_t stem = dot ? (size_t)(dot - rest) : 0;
	static const struct {
		const char *name;
		enum print_kind kind;
	} documents[] = {{"coverage", PRINT_COVERAGE},
	                 {"roster", PRINT_ROSTER},
	                 {"backtest", PRINT_BACKTEST},
	                 {"compare", PRINT_COMPARE}};
	for (size_t i = 0; dot && !slash && i < sizeof documents / sizeof documents[0]; i++)
		if (stem == strlen(documents[i].name) &&
		    strncmp(rest, documents[i].name, stem) == 0)
			q.kind = documents[i].kind;
	if (q.kind == PRINT_COMPARE) {
		/* The filter's districts (the scope's), or the mahallas of one. */
		q.district = http_arg(rq, "district");
		if (q.district && strchr(q.district, ','))
			q.district = NULL;
		snprintf(code, sizeof code, "%.*s", (int)stem, rest);
		q.sort = http_arg(rq, "sort");
		if (query_whole_days(rq) < 0)
			return app_reply_error(rq);
	} else if (q.kind != PRINT_AREA) {
		/* The district is an argument (the scope's first by default); the
		 * weekdays are the shift's. */
		q.district = http_arg(rq, "district");
		if (!q.district && rq->scope[0]) {
			snprintf(first, sizeof first, "%.*s", (int)strcspn(rq->scope, ","),
			         rq->scope);
			q.district = first;
		}
		snprintf(code, sizeof code, "%.*s", (int)stem, rest);
		if (query_shift(rq, &shift) < 0)
			return app_reply_error(rq);
		q.shift = &shift;
		q.date = http_arg(rq, "date");
	} else if (!slash || !dot || dot < slash || dot == slash + 1 ||
	           (size_t)(dot - slash - 1) >= sizeof code) {
		return http_reply_error(
		    rq, 404, NULL,
		    "expected /print/district/CODE.pdf, /print/mahalla/CODE.pdf, "
		    "/print/coverage.pdf, /print/roster.pdf, /print/backtest.pdf or "
		    "/print/compare.pdf");
	} else if ((size_t)(slash - rest) == strlen("district") &&
	           strncmp(rest, "district", 8) == 0) {
		snprintf(code, sizeof code, "%.*s", (int)(dot - slash - 1), slash + 1);
		q.district = code;
	} else if ((size_t)(slash - rest) == strlen("mahalla") &&
	           strncmp(rest, "mahalla", 7) == 0) {
		snprintf(code, sizeof code, "%.*s", (int)(dot - slash - 1), slash + 1);
		q.mahalla = code;
	} else {
		return http_reply_error(rq, 404, "kind",
		                        "print a district or a mahalla, not '%.*s'",
		                        (int)(slash - rest), rest);
	}
	const char *paper = http_arg(rq, "paper"), *lang = http_arg(rq, "lang");
	const char *layers = http_arg(rq, "layers");
	if (print_format_parse(dot + 1, &q.format) < 0)
		return http_reply_error(rq, 404, "format",
		                        "prints are .pdf, .png or .csv, not '%s'", dot);
	if ((paper && print_paper_parse(paper, &q.paper) < 0) ||
	    (lang && print_lang_parse(lang, &q.lang) < 0) ||
	    (layers && render_layers_parse(layers, &q.layers) < 0) ||
	    query_param(rq, &param_print_scale, &scale) < 0 ||
	    query_param(rq, &param_print_dpi, &dpi) < 0 ||
	    query_param(rq, &param_print_hotspots, &hotspots) < 0 ||
	    query_param(rq, &param_print_visit, &visit) < 0 ||
	    query_param(rq, &param_print_every, &every) < 0 ||
	    query_filter(rq, renderer_dataset(app->r), &rr) < 0)
		return app_reply_error(rq);
	if (q.kind != PRINT_AREA)
		dataset_filter_any_time(&rr.filter);
	q.landscape = query_flag(rq, "landscape");
	q.atlas = query_flag(rq, "atlas");
	q.pack = query_flag(rq, "pack");
	q.since = http_arg(rq, "since");
	q.standing = &app->standing;
	q.scale = scale;
	q.dpi = dpi;
	q.visit = visit;
	q.every = every;
	q.hotspots = hotspots >= 1 ? (int)hotspots : -1;
	q.filter = rr.filter;
	q.bandwidth = rr.bandwidth;
	static const char *const not_backtest[] = {"from", "to", "hours"};
	for (int i = 0; q.kind == PRINT_BACKTEST && i < 3; i++)
		if (http_arg(rq, not_backtest[i]))
			return http_reply_error(rq, 400, not_backtest[i],
			                        "%s: a backtest spans folds of weeks up to end, "
			                        "with a shift",
			                        not_backtest[i]);
	store *st = app_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "the database is not available");
	if (rq->scope[0] && (q.district || q.mahalla) && !in_scope(rq, st, &q))
		return http_reply_error(rq, 403, q.kind == PRINT_AREA ? "code" : "district",
		                        "%s %s is outside the districts of %s",
		                        q.district ? "district" : "mahalla",
		                        q.district ? q.district : q.mahalla, rq->who);
	/* The backtest runs last, once every other argument is known good. */
	if (q.kind == PRINT_BACKTEST || (q.atlas && query_flag(rq, "backtest"))) {
		if (query_backtest(rq, &bt) < 0)
			return app_reply_error(rq);
		q.backtest = &bt;
	}
	rc = print_make(app->r, st, &q, &res);
	backtest_free(&bt);
	if (rc < 0)
		return rc == ERR_NOTFOUND
		           ? http_reply_error(rq, 404, q.kind == PRINT_AREA ? "code" : "district",
		                              "%s", err_msg())
		       : rc == ERR_INVALID ? app_reply_error(rq)
		                           : http_reply_error(rq, 500, NULL, "%s", err_msg());
	static const char *const types[] = {[PRINT_PDF] = "application/pdf",
	                                    [PRINT_PNG] = "image/png",
	                                    [PRINT_CSV] = "text/csv; charset=utf-8"};
	static const char *const extensions[] = {
	    [PRINT_PDF] = "pdf", [PRINT_PNG] = "png", [PRINT_CSV] = "csv"};
	/* Downloaded under the place and period, "Sagʻbon-2026-09-09_2026-12-07.pdf":
	 * the name as printed in filename* (RFC 6266, RFC 5987's UTF-8), and in
	 * filename for clients without it when it is plain ASCII, else the code. */
	char name[300], encoded[sizeof name * 3], fallback[sizeof name],
	    disposition[sizeof encoded + sizeof fallback + 64];
	const char *place = *res.place ? res.place : code;
	const char *part = q.atlas ? "-atlas" : q.pack ? "-pack" : "";
	snprintf(name, sizeof name, "%s%s-%s.%s", place, part, res.dates, extensions[q.format]);
	percent_encode(name, encoded, sizeof encoded);
	snprintf(fallback, sizeof fallback, "%s%s-%s.%s", quotable(place) ? place : code, part,
	         res.dates, extensions[q.format]);
	for (char *c = fallback; *c; c++)
		if (unquotable((unsigned char)*c))
			*c = '_';
	snprintf(disposition, sizeof disposition,
	         "attachment; filename=\"%s\"; filename*=UTF-8''%s", fallback, encoded);
	/* The reply takes the document over. */
	return http_reply(rq, 200, types[q.format], res.data, res.len, "Content-Disposition",
	                  disposition, "Cache-Control", "no-store", NULL);
}

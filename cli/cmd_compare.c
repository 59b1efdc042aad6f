/*
 * posbon compare: the directorate's comparison table of the districts (or
 * of one district's mahallas) as a table for reading, or as the CSV and
 * JSON of GET /api/compare.
 */
#include "commands.h"
#include "compare.h"
#include "dosage.h"
#include "err.h"
#include "msg.h"
#include "opts.h"
#include "params.h"
#include "render.h"
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Characters of UTF-8 text (what a terminal's column counts for the
 * Latin and Cyrillic of names). */
static int text_width(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* s padded with spaces to width columns. */
static void print_padded(const char *s, int width)
{
	printf("%s%*s", s, width > text_width(s) ? width - text_width(s) : 0, "");
}

/* A change as "+30%", "-50%*" (significant), "-" without a base. */
static void change_text(const struct compare_change *ch, char *out, size_t n)
{
	if (isnan(ch->percent))
		snprintf(out, n, "-%s", ch->significant ? "*" : "");
	else if (fabs(ch->percent) < 0.5)
		snprintf(out, n, "0%%%s", ch->significant ? "*" : "");
	else
		snprintf(out, n, "%+.0f%%%s", ch->percent, ch->significant ? "*" : "");
}

static void print_row(const struct compare *c, const struct compare_row *r, const char *code,
                      const char *name, int code_w, int name_w)
{
	char ch[COMPARE_CHANGES][32], rate[32] = "-", covered[32] = "-";
	for (int a = 0; a < COMPARE_CHANGES; a++)
		change_text(&r->change[a], ch[a], sizeof ch[a]);
	if (!isnan(r->rate))
		snprintf(rate, sizeof rate, "%.2f", r->rate);
	if (c->has_hotspots)
		snprintf(covered, sizeof covered, "%zu/%zu", r->covered, r->hotspots);
	print_padded(code, code_w + 2);
	print_padded(name, name_w + 2);
	printf("%8.10g %8.10g %7s %8.10g %7s %8.10g %8.10g %7s %9s %9s\n",
	       r->offences[COMPARE_PERIOD], r->offences[COMPARE_PREVIOUS], ch[COMPARE_VS_PREVIOUS],
	       r->offences[COMPARE_LAST_YEAR], ch[COMPARE_VS_LAST_YEAR], r->offences[COMPARE_YTD],
	       r->offences[COMPARE_YTD_LAST_YEAR], ch[COMPARE_VS_YTD], rate, covered);
}

static void span_text(const struct compare *c, enum compare_span s, char *out, size_t n)
{
	char from[16], to[16];
	dosage_day_text(c->days[s][0], from, sizeof from);
	dosage_day_text(c->days[s][1], to, sizeof to);
	snprintf(out, n, "%s .. %s", from, to);
}

static void print_table(const struct compare *c, const dataset *ds, const char *lang)
{
	char spans[COMPARE_SPANS][48];
	int code_w = (int)strlen("total"), name_w = 4;
	for (int s = 0; s < COMPARE_SPANS; s++)
		span_text(c, (enum compare_span)s, spans[s], sizeof spans[s]);
	printf("period %s (%ld days); previous %s; last year %s\nyear to date %s against %s\n",
	       spans[COMPARE_PERIOD], c->days[COMPARE_PERIOD][1] - c->days[COMPARE_PERIOD][0] + 1,
	       spans[COMPARE_PREVIOUS], spans[COMPARE_LAST_YEAR], spans[COMPARE_YTD],
	       spans[COMPARE_YTD_LAST_YEAR]);
	if (c->district >= 0)
		printf("mahallas of %s\n", dataset_district(ds, (size_t)c->district));
	printf("\n");
	for (size_t i = 0; i < c->n; i++) {
		int w = text_width(c->rows[i].code),
		    nw = text_width(compare_row_name(&c->rows[i], lang));
		code_w = w > code_w ? w : code_w;
		name_w = nw > name_w ? nw : name_w;
	}
	print_padded("code", code_w + 2);
	print_padded("name", name_w + 2);
	printf("%8s %8s %7s %8s %7s %8s %8s %7s %9s %9s\n", "period", "previous", "change",
	       "last yr", "change", "ytd", "ytd-1", "change", "per 1000", "hot cov.");
	for (size_t i = 0; i < c->n; i++)
		print_row(c, &c->rows[i], c->rows[i].code, compare_row_name(&c->rows[i], lang),
		          code_w, name_w);
	if (!c->n)
		printf("(no %s in the territory)\n", c->district >= 0 ? "mahalla" : "district");
	/* The total of the districts has no code; of the mahallas it is the district. */
	print_row(c, &c->total, "total", c->total.code ? compare_row_name(&c->total, lang) : "",
	          code_w, name_w);
	printf("\n* a significant change (two-sided exact Poisson test, p < %.2g); per 1000: "
	       "offences of the period per 1,000 residents; hot cov.: the period's hotspots "
	       "covered by zones\n",
	       COMPARE_ALPHA);
}

static int write_output(const struct compare *c, const dataset *ds, int csv, int json,
                        const char *lang, const char *path)
{
	FILE *f = path ? fopen(path, "w") : stdout;
	int rc = 0;
	if (!f)
		return err_set(ERR_IO, "%s: cannot write", path);
	if (csv) {
		rc = compare_csv(c, ds, f);
	} else if (json) {
		json_t *o;
		if ((rc = compare_json(c, ds, &o)) == 0) {
			if (json_dumpf(o, f, JSON_COMPACT) < 0)
				rc = err_set(ERR_IO, "%s: cannot write", path ? path : "stdout");
			json_decref(o);
		}
	} else {
		print_table(c, ds, lang);
	}
	if (path && fclose(f) != 0 && rc == 0)
		rc = err_set(ERR_IO, "%s: cannot write", path);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	const char *out = NULL, *sort = NULL, *lang = "uz", *style_path = NULL, *tz = NULL;
	struct dataset_filter_text ft = {0};
	double share = 0, cell = 0, bandwidth = 0;
	int csv = 0, json = 0;
	const struct opt table[] = {
	    {"from", OPT_STRING, &ft.from, "DATE",
	     "first day of the period (local; default: 4 weeks up to --to)", 0, 0, 0},
	    {"to", OPT_STRING, &ft.to, "DATE", "last day (local; default: the latest offence's)", 0,
	     0, 0},
	    {"district", OPT_STRING, &ft.district, "CODES",
	     "one district: its mahallas; several: only those districts (default: every one)", 0, 0,
	     0},
	    {"region", OPT_STRING, &ft.region, "CODES", "only these regions' districts", 0, 0, 0},
	    {"categories", OPT_STRING, &ft.categories, "CODES", "offence categories", 0, 0, 0},
	    {"services", OPT_STRING, &ft.services, "CODES", "registering services", 0, 0, 0},
	    {"sort", OPT_STRING, &sort, "MEASURE",
	     "order by a measure (offences, change_previous, rate, covered_share, a category, "
	     "...), descending with a leading -; default code",
	     0, 0, 0},
	    {"csv", OPT_FLAG, &csv, NULL, "write CSV with a header row", 0, 0, 0},
	    {"json", OPT_FLAG, &json, NULL, "write the JSON of GET /api/compare", 0, 0, 0},
	    {"lang", OPT_STRING, &lang, "uz|ru|en", "language of the names (uz)", 0, 0, 0},
	    {"output", OPT_STRING, &out, "FILE", "write to FILE instead of stdout", 0, 0, 'o'},
	    OPT_PARAM(param_hotspot_share, &share),
	    OPT_PARAM(param_hotspot_cell, &cell),
	    OPT_PARAM_HELP(param_bandwidth, &bandwidth,
	                   "hotspots' density bandwidth (the style's)"),
	    {"style", OPT_STRING, &style_path, "FILE", "style for the kernel and bandwidth", 0, 0,
	     0},
	    {"tz", OPT_STRING, &tz, "ZONE", "time zone of the district (Asia/Tashkent)", 0, 0, 0},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct compare c = {0};
	struct compare_params p = {.district = -1};

	rc = opts_parse(
	    "compare", "DB [--from DATE --to DATE] [--district CODE] [--sort MEASURE] [--csv]",
	    "The comparison table of the districts (of one district's mahallas with --district "
	    "CODE):\noffences by category in the period, the previous period, the same period "
	    "last year\nand year to date against last year's; the changes with a significance "
	    "test, the rate\nper 1,000 residents and the share of the period's hotspots covered "
	    "by patrol zones.",
	    table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "compare needs the database path (see posbon compare --help)");
	if (csv && json)
		return err_set(ERR_INVALID, "--csv and --json: choose one");
	if (!msg_lang_known(lang))
		return err_set(ERR_INVALID, "--lang: '%s' is not uz, ru or en", lang);
	if ((rc = store_open(pos[0], STORE_READONLY, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, tz, &r)) < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	if ((rc = dataset_filter_parse(ds, &ft, &p.filter)) < 0 ||
	    (rc = compare_period(ds, &p.filter, &p.from_day, &p.to_day)) < 0)
		goto out;
	if (ft.district && !strchr(ft.district, ','))
		p.district = dataset_district_index(ds, ft.district);
	p.share = share;
	p.cell = cell;
	renderer_kernel(r, &p.kernel, &p.bandwidth);
	if (bandwidth > 0)
		p.bandwidth = bandwidth;
	struct held_shapes *held;
	const shapes *sh = renderer_shapes_acquire(r, &held);
	rc = compare_compute(ds, sh, &p, &c);
	if (rc == 0 && (rc = compare_sort(&c, ds, sort, lang)) == 0)
		rc = write_output(&c, ds, csv, json, lang, out);
	compare_free(&c);
	renderer_shapes_release(r, held);
out:
	renderer_free(r);
	store_close(st);
	return rc;
}

/*
 * compare: one pass of dataset_tally_table() for the whole table (every
 * row, span and category at once), one hotspot run per district, which
 * also serves its mahallas.
 *
 * Workload: up to a country of 200 districts and 10 million offences, or
 * one district's mahallas; the counts cost one read of every offence held
 * whatever the rows, each district's hotspots one kernel density on the
 * grid of its box.
 */
#include "compare.h"

#include "civil.h"
#include "coverage.h"
#include "csv.h"
#include "dosage.h"
#include "err.h"
#include "hotspot.h"
#include "tilemath.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const span_names[COMPARE_SPANS] = {
    [COMPARE_PERIOD] = "offences",
    [COMPARE_PREVIOUS] = "previous",
    [COMPARE_LAST_YEAR] = "last_year",
    [COMPARE_YTD] = "ytd",
    [COMPARE_YTD_LAST_YEAR] = "ytd_last_year",
};

/* The spans of a change: now against then. */
static const enum compare_span change_spans[COMPARE_CHANGES][2] = {
    [COMPARE_VS_PREVIOUS] = {COMPARE_PERIOD, COMPARE_PREVIOUS},
    [COMPARE_VS_LAST_YEAR] = {COMPARE_PERIOD, COMPARE_LAST_YEAR},
    [COMPARE_VS_YTD] = {COMPARE_YTD, COMPARE_YTD_LAST_YEAR},
};

static const char *const change_names[COMPARE_CHANGES] = {
    [COMPARE_VS_PREVIOUS] = "previous",
    [COMPARE_VS_LAST_YEAR] = "last_year",
    [COMPARE_VS_YTD] = "ytd",
};

int compare_period(const dataset *ds, const struct dataset_filter *f, long *from_day, long *to_day)
{
	const tz *z = dataset_zone(ds);
	int64_t first, last;
	dataset_time_range(ds, &first, &last);
	int64_t end = last != STORE_NO_TIME ? last : (int64_t)time(NULL);
	long from = f->from != STORE_NO_TIME ? (long)tz_local_day(z, f->from) : 0;
	long to = (long)tz_local_day(z, f->to != STORE_NO_TIME ? f->to : end);
	if (f->from == STORE_NO_TIME)
		from = to - (COMPARE_DEFAULT_DAYS - 1);
	else if (f->to == STORE_NO_TIME)
		to = from + COMPARE_DEFAULT_DAYS - 1;
	if (to - from + 1 > COMPARE_MAX_DAYS)
		return err_set_field(ERR_INVALID, "from",
		                     "from: a period of %ld days is longer than %d", to - from + 1,
		                     COMPARE_MAX_DAYS);
	*from_day = from;
	*to_day = to;
	return 0;
}

/* The day a year before day; 29 February becomes the 28th. */
static long year_before(long day)
{
	int64_t y;
	int m, d;
	civil_date_from_days(day, &y, &m, &d);
	int last = civil_days_in_month(y - 1, m);
	return (long)civil_days_from_date(y - 1, m, d < last ? d : last);
}

/* The spans' days and UTC bounds of the period from .. to. */
static void set_spans(struct compare *c, const tz *z, long from, long to)
{
	int64_t y;
	int m, d;
	long len = to - from + 1;
	civil_date_from_days(to, &y, &m, &d);
	long jan1 = (long)civil_days_from_date(y, 1, 1);
	const long days[COMPARE_SPANS][2] = {
	    [COMPARE_PERIOD] = {from, to},
	    [COMPARE_PREVIOUS] = {from - len, from - 1},
	    [COMPARE_LAST_YEAR] = {year_before(from), year_before(to)},
	    [COMPARE_YTD] = {jan1, to},
	    [COMPARE_YTD_LAST_YEAR] = {year_before(jan1), year_before(to)},
	};
	for (int s = 0; s < COMPARE_SPANS; s++) {
		c->days[s][0] = days[s][0];
		c->days[s][1] = days[s][1];
		c->from[s] = tz_local_to_utc(z, (int64_t)days[s][0] * CIVIL_SECONDS_PER_DAY);
		c->to[s] =
		    tz_local_to_utc(z, ((int64_t)days[s][1] + 1) * CIVIL_SECONDS_PER_DAY) - 1;
	}
}

/* Log of the binomial probability of k in n at p (0 < p < 1). */
static double log_binomial(long k, long n, double p)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) +
	       (double)k * log(p) + (double)(n - k) * log1p(-p);
}

/* The sum of the probabilities of i = from, from + step, ... while they
 * matter: a binomial tail read outwards from its inner end, where the
 * terms only shrink. */
static double tail(long from, long step, long n, double p)
{
	double sum = 0;
	for (long i = from; i >= 0 && i <= n; i += step) {
		double t = exp(log_binomial(i, n, p));
		sum += t;
		if (t <= sum * 1e-18)
			break;
	}
	return sum;
}

double compare_poisson_p(double n1, double t1, double n2, double t2)
{
	long k = lround(fmax(n1, 0)), n = k + lround(fmax(n2, 0));
	if (n == 0 || !(t1 > 0 && t2 > 0))
		return 1;
	double p = t1 / (t1 + t2), d = log_binomial(k, n, p) + log1p(1e-7);
	/* The outcomes no more likely than k are two tails around the mode:
	 * the binomial rises to it and falls after. Each tail's inner end is
	 * found by bisection, its sum read outwards, so a count of millions
	 * costs thousands of terms, not millions. */
	long mode = (long)floor((double)(n + 1) * p), lo = -1, hi = n + 1;
	if (mode > n)
		mode = n;
	for (long a = 0, b = mode; a <= b;) { /* the last i <= mode with P(i) <= d */
		long mid = a + (b - a) / 2;
		if (log_binomial(mid, n, p) <= d)
			lo = mid, a = mid + 1;
		else
			b = mid - 1;
	}
	for (long a = mode, b = n; a <= b;) { /* the first i >= mode with P(i) <= d */
		long mid = a + (b - a) / 2;
		if (log_binomial(mid, n, p) <= d)
			hi = mid, b = mid - 1;
		else
			a = mid + 1;
	}
	if (lo >= hi)
		return 1; /* k is as likely as the mode: every outcome counts */
	double sum = (lo >= 0 ? tail(lo, -1, n, p) : 0) + (hi <= n ? tail(hi, 1, n, p) : 0);
	return sum < 1 ? sum : 1;
}

static struct compare_change change_of(double now, double then, double t_now, double t_then)
{
	struct compare_change ch = {.percent = then > 0 ? (now - then) / then * 100 : NAN,
	                            .p = compare_poisson_p(now, t_now, then, t_then)};
	ch.significant = ch.p < COMPARE_ALPHA;
	return ch;
}

static double span_days(const struct compare *c, enum compare_span s)
{
	return (double)(c->days[s][1] - c->days[s][0] + 1);
}

/* The changes of r's total and categories. */
static void set_changes(const struct compare *c, struct compare_row *r)
{
	for (int a = 0; a < COMPARE_CHANGES; a++) {
		enum compare_span now = change_spans[a][0], then = change_spans[a][1];
		double tn = span_days(c, now), tt = span_days(c, then);
		r->change[a] = change_of(r->offences[now], r->offences[then], tn, tt);
		for (size_t k = 0; k < c->n_categories; k++)
			r->changes[k * COMPARE_CHANGES + a] =
			    change_of(r->counts[k * COMPARE_SPANS + now],
			              r->counts[k * COMPARE_SPANS + then], tn, tt);
	}
	r->rate =
	    r->population > 0 ? r->offences[COMPARE_PERIOD] / (double)r->population * 1000 : NAN;
}

/* The counts of c's rows (the rows of index row_of[k] of district index k,
 * or of mahalla index k when by_mahalla) and of its total, every offence
 * passing f, for every span: one pass over the dataset for the table. */
static int tally_rows(const dataset *ds, struct compare *c, const struct dataset_filter *f,
                      int by_mahalla, const int *row_of, size_t n_keys)
{
	size_t n = c->n_categories, cells = (c->n + 1) * COMPARE_SPANS;
	struct dataset_table t = {.by_mahalla = by_mahalla,
	                          .row_of = row_of,
	                          .n_keys = n_keys,
	                          .n_rows = c->n,
	                          .from = c->from,
	                          .to = c->to,
	                          .n_spans = COMPARE_SPANS,
	                          .n_categories = n,
	                          .total = malloc(cells * sizeof *t.total),
	                          .by_category =
	                              malloc(cells * (n ? n : 1) * sizeof *t.by_category)};
	int rc = 0;
	if (!t.total || !t.by_category) {
		rc = err_set(ERR_NOMEM, "compare: out of memory");
		goto out;
	}
	dataset_tally_table(ds, f, &t);
	for (size_t i = 0; i <= c->n; i++) {
		struct compare_row *r = i < c->n ? &c->rows[i] : &c->total;
		r->counts = malloc((n ? n : 1) * COMPARE_SPANS * sizeof *r->counts);
		r->changes = calloc(n ? n * COMPARE_CHANGES : 1, sizeof *r->changes);
		r->covered_share = NAN;
		if (!r->counts || !r->changes) {
			rc = err_set(ERR_NOMEM, "compare: out of memory");
			goto out;
		}
		for (int s = 0; s < COMPARE_SPANS; s++) {
			size_t cell = i * COMPARE_SPANS + (size_t)s;
			r->offences[s] = t.total[cell];
			for (size_t k = 0; k < n; k++)
				r->counts[k * COMPARE_SPANS + s] = t.by_category[cell * n + k];
		}
		if (i < c->n) /* the total's, once its population is known */
			set_changes(c, r);
	}
out:
	free(t.total);
	free(t.by_category);
	return rc;
}

static void free_row(struct compare_row *r)
{
	free(r->counts);
	free(r->changes);
}

void compare_free(struct compare *c)
{
	for (size_t i = 0; c->rows && i < c->n; i++)
		free_row(&c->rows[i]);
	free(c->rows);
	free_row(&c->total);
	*c = (struct compare){0};
}

static const struct shapes_area *find_area(const shapes *sh, enum shapes_kind kind,
                                           const char *code)
{
	for (size_t i = 0; sh && code && i < shapes_count(sh, kind); i++)
		if (strcmp(shapes_area(sh, kind, i)->code, code) == 0)
			return shapes_area(sh, kind, i);
	return NULL;
}

/* The residents of district code: the sum of its mahallas' when every one
 * is known, else -1. */
static long district_population(const shapes *sh, const char *code)
{
	long sum = 0, n = 0;
	for (size_t i = 0; sh && i < shapes_count(sh, SHAPES_MAHALLAS); i++) {
		const struct shapes_area *m = shapes_area(sh, SHAPES_MAHALLAS, i);
		if (!m->district_code || strcmp(m->district_code, code) != 0)
			continue;
		if (m->population < 0)
			return -1;
		sum += m->population;
		n++;
	}
	return n ? sum : -1;
}

/* Whether hotspot h of a coverage counts as covered. */
static int is_covered(const struct coverage_hotspot *h)
{
	return h->status != COVERAGE_GAP;
}

/* One table being computed. */
struct work {
	const dataset *ds;
	const shapes *sh;
	const struct compare_params *p;
	struct dataset_filter base; /* the caller's at every hour */
	coverage_index *idx;
	struct compare *c;
};

/* The hotspots of the period under f (narrowed to one district) into r,
 * and with the mahalla rows, each hotspot also in the row whose area holds
 * its peak. */
static int district_hotspots(struct work *w, const struct dataset_filter *f, struct compare_row *r,
                             struct compare_row *mahallas, size_t n_mahallas)
{
	const dataset *ds = w->ds;
	const shapes *sh = w->sh;
	const struct compare_params *p = w->p;
	struct compare *c = w->c;
	char date[16];
	dosage_day_text(c->days[COMPARE_PERIOD][1], date, sizeof date);
	struct hotspot_params hp = {.filter = *f,
	                            .kernel = p->kernel,
	                            .bandwidth = p->bandwidth,
	                            .share = p->share,
	                            .cell = p->cell};
	hp.filter.from = c->from[COMPARE_PERIOD];
	hp.filter.to = c->to[COMPARE_PERIOD];
	struct coverage_params cp = {.date = date, .index = w->idx, .statuses_only = 1};
	struct hotspot_set set;
	struct coverage cov;
	int rc = hotspot_find(ds, sh, &hp, &set);
	if (rc < 0)
		return rc;
	if ((rc = coverage_compute(ds, sh, &set, &cp, &cov)) < 0) {
		hotspot_set_free(&set);
		return rc;
	}
	for (size_t i = 0; i < cov.n_hotspots; i++) {
		const struct coverage_hotspot *h = &cov.hotspots[i];
		double x, y;
		r->hotspots++;
		r->covered += (size_t)is_covered(h);
		tile_lonlat_to_merc(h->h->peak_lon, h->h->peak_lat, &x, &y);
		for (size_t m = 0; m < n_mahallas; m++) {
			const struct shapes_area *a = mahallas[m].area;
			if (a && shapes_rings_contain(&a->geom.band[SHAPES_BANDS - 1], x, y)) {
				mahallas[m].hotspots++;
				mahallas[m].covered += (size_t)is_covered(h);
				break;
			}
		}
	}
	coverage_free(&cov);
	hotspot_set_free(&set);
	return 0;
}

static void set_covered_share(struct compare_row *r)
{
	r->covered_share = r->hotspots ? (double)r->covered / (double)r->hotspots : NAN;
}

static int add_row(struct compare *c, size_t *cap, const char *code, const struct shapes_area *area)
{
	if (c->n == *cap) {
		size_t n = *cap ? 2 * *cap : 16;
		struct compare_row *rows = realloc(c->rows, n * sizeof *rows);
		if (!rows)
			return err_set(ERR_NOMEM, "compare: out of memory");
		c->rows = rows;
		*cap = n;
	}
	c->rows[c->n++] = (struct compare_row){.code = code, .area = area, .population = -1};
	return 0;
}

/* The rows of the districts the filter lets through, the total their sum
 * of hotspots. */
static int district_rows(struct work *w)
{
	const dataset *ds = w->ds;
	struct compare *c = w->c;
	size_t cap = 0, n_keys = dataset_district_count(ds);
	int *row_of = malloc((n_keys ? n_keys : 1) * sizeof *row_of);
	int rc = row_of ? 0 : err_set(ERR_NOMEM, "compare: out of memory");
	for (size_t d = 0; d < n_keys && rc == 0; d++) {
		row_of[d] = -1;
		if (!dataset_filter_has_district(&w->base, d))
			continue;
		const char *code = dataset_district(ds, d);
		if ((rc = add_row(c, &cap, code, find_area(w->sh, SHAPES_DISTRICTS, code))) < 0)
			break;
		row_of[d] = (int)c->n - 1;
		c->rows[c->n - 1].population = district_population(w->sh, code);
	}
	if (rc == 0)
		rc = tally_rows(ds, c, &w->base, 0, row_of, n_keys);
	for (size_t d = 0; d < n_keys && rc == 0; d++) {
		if (row_of[d] < 0)
			continue;
		struct compare_row *r = &c->rows[row_of[d]];
		struct dataset_filter f = w->base;
		dataset_filter_district(&f, d);
		if (c->has_hotspots)
			rc = district_hotspots(w, &f, r, NULL, 0);
		set_covered_share(r);
		c->total.hotspots += r->hotspots;
		c->total.covered += r->covered;
	}
	free(row_of);
	long population = 0;
	for (size_t i = 0; i < c->n && population >= 0; i++)
		population = c->rows[i].population < 0 ? -1 : population + c->rows[i].population;
	c->total.population = c->n ? population : -1;
	return rc;
}

/* The rows of the mahallas of the district, the total the district's. */
static int mahalla_rows(struct work *w)
{
	const dataset *ds = w->ds;
	const shapes *sh = w->sh;
	struct compare *c = w->c;
	const char *code = dataset_district(ds, (size_t)c->district);
	struct dataset_filter f = w->base;
	size_t cap = 0, n_keys = dataset_mahalla_count(ds);
	int *row_of = malloc((n_keys ? n_keys : 1) * sizeof *row_of);
	int rc = row_of ? 0 : err_set(ERR_NOMEM, "compare: out of memory");
	dataset_filter_district(&f, (size_t)c->district);
	for (size_t k = 0; k < n_keys && rc == 0; k++)
		row_of[k] = -1;
	for (size_t i = 0; sh && i < shapes_count(sh, SHAPES_MAHALLAS) && rc == 0; i++) {
		const struct shapes_area *a = shapes_area(sh, SHAPES_MAHALLAS, i);
		if (!a->district_code || strcmp(a->district_code, code) != 0)
			continue;
		if ((rc = add_row(c, &cap, a->code, a)) < 0)
			break;
		c->rows[c->n - 1].population = a->population;
		/* Shapes newer than the dataset may hold a mahalla it has not seen:
		 * a row of no offence. */
		int m = dataset_mahalla_index(ds, a->code);
		if (m >= 0 && (size_t)m < n_keys)
			row_of[m] = (int)c->n - 1;
	}
	if (rc == 0)
		rc = tally_rows(ds, c, &f, 1, row_of, n_keys);
	free(row_of);
	c->total.code = code;
	c->total.area = find_area(sh, SHAPES_DISTRICTS, code);
	c->total.population = district_population(sh, code);
	if (rc == 0 && c->has_hotspots)
		rc = district_hotspots(w, &f, &c->total, c->rows, c->n);
	for (size_t i = 0; i < c->n; i++)
		set_covered_share(&c->rows[i]);
	return rc;
}

int compare_compute(const dataset *ds, const shapes *sh, const struct compare_params *p,
                    struct compare *out)
{
	struct compare c = {.district = p->district,
	                    .n_categories = dataset_category_count(ds),
	                    .has_hotspots = sh && p->bandwidth > 0};
	struct work w = {.ds = ds, .sh = sh, .p = p, .base = p->filter, .c = &c};
	int rc;
	*out = (struct compare){0};
	if (p->to_day < p->from_day)
		return err_set_field(ERR_INVALID, "to", "to: the period ends before it starts");
	if (p->district >= (int)dataset_district_count(ds) ||
	    (p->district >= 0 && !dataset_filter_has_district(&p->filter, (size_t)p->district)))
		return err_set_field(ERR_INVALID, "district",
		                     "district: not a district of the territory compared");
	set_spans(&c, dataset_zone(ds), p->from_day, p->to_day);
	dataset_filter_any_time(&w.base);
	c.total.population = -1;
	if ((c.has_hotspots && (rc = coverage_index_new(sh, &w.idx)) < 0) ||
	    (rc = p->district >= 0 ? mahalla_rows(&w) : district_rows(&w)) < 0)
		goto out;
	set_covered_share(&c.total);
	set_changes(&c, &c.total);
	*out = c;
out:
	coverage_index_free(w.idx);
	if (rc < 0)
		compare_free(&c);
	return rc;
}

const char *compare_row_name(const struct compare_row *r, const char *lang)
{
	const struct shapes_area *a = r->area;
	if (!a)
		return r->code;
	const char *names[3] = {a->name_uz, a->name_ru, a->name_en};
	int first = lang && strcmp(lang, "ru") == 0 ? 1 : lang && strcmp(lang, "en") == 0 ? 2 : 0;
	for (int i = 0; i < 3; i++) {
		const char *n = names[(first + i) % 3];
		if (n && *n)
			return n;
	}
	return r->code;
}

/* The measures a table is sorted by, beside code, name and categories. */
enum measure {
	MEASURE_SPAN,                                  /* + enum compare_span */
	MEASURE_CHANGE = MEASURE_SPAN + COMPARE_SPANS, /* + enum compare_against */
	MEASURE_POPULATION = MEASURE_CHANGE + COMPARE_CHANGES,
	MEASURE_RATE,
	MEASURE_HOTSPOTS,
	MEASURE_COVERED,
	MEASURE_COVERED_SHARE,
	MEASURES,
	MEASURE_CODE = MEASURES,
	MEASURE_NAME,
	MEASURE_CATEGORY,
};

static const char *const measure_names[MEASURES] = {
    "offences",        "previous",         "last_year",     "ytd",        "ytd_last_year",
    "change_previous", "change_last_year", "change_ytd",    "population", "rate",
    "hotspots",        "covered",          "covered_share",
};

/* Measure m of r (a category index for MEASURE_CATEGORY); NAN unknown. */
static double measure_value(const struct compare *c, const struct compare_row *r, int m,
                            size_t category)
{
	if (m < MEASURE_CHANGE)
		return r->offences[m - MEASURE_SPAN];
	if (m < MEASURE_POPULATION)
		return r->change[m - MEASURE_CHANGE].percent;
	switch (m) {
	case MEASURE_POPULATION:
		return r->population >= 0 ? (double)r->population : NAN;
	case MEASURE_RATE:
		return r->rate;
	case MEASURE_HOTSPOTS:
		return c->has_hotspots ? (double)r->hotspots : NAN;
	case MEASURE_COVERED:
		return c->has_hotspots ? (double)r->covered : NAN;
	case MEASURE_COVERED_SHARE:
		return r->covered_share;
	default:
		return r->counts[category * COMPARE_SPANS + COMPARE_PERIOD];
	}
}

struct sort_item {
	struct compare_row row;
	double v;
	const char *text; /* code or name, or NULL for a number */
	int desc;
};

static int by_item(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;
	int order = 0;
	if (a->text) {
		order = strcmp(a->text, b->text);
	} else if (isnan(a->v) || isnan(b->v)) {
		/* Unknown values last, whichever the direction. */
		if (isnan(a->v) != isnan(b->v))
			return isnan(a->v) ? 1 : -1;
	} else {
		order = (a->v > b->v) - (a->v < b->v);
	}
	if (a->desc)
		order = -order;
	return order ? order : strcmp(a->row.code, b->row.code);
}

int compare_sort(struct compare *c, const dataset *ds, const char *measure, const char *lang)
{
	int desc = measure && *measure == '-';
	const char *name = measure && *measure ? measure + desc : "code";
	int m = strcmp(name, "code") == 0   ? MEASURE_CODE
	        : strcmp(name, "name") == 0 ? MEASURE_NAME
	                                    : -1;
	size_t category = 0;
	for (int i = 0; m < 0 && i < MEASURES; i++)
		if (strcmp(name, measure_names[i]) == 0)
			m = i;
	int k = m < 0 ? dataset_category_index(ds, name) : -1;
	if (k >= 0 && (size_t)k < c->n_categories) {
		m = MEASURE_CATEGORY;
		category = (size_t)k;
	}
	if (m < 0)
		return err_set_field(ERR_INVALID, "sort",
		                     "sort: '%s' is not code, name, offences, previous, last_year, "
		                     "ytd, ytd_last_year, change_previous, change_last_year, "
		                     "change_ytd, population, rate, hotspots, covered, "
		                     "covered_share or a category",
		                     name);
	struct sort_item *items = malloc((c->n ? c->n : 1) * sizeof *items);
	if (!items)
		return err_set(ERR_NOMEM, "compare: out of memory");
	for (size_t i = 0; i < c->n; i++) {
		const struct compare_row *r = &c->rows[i];
		items[i] = (struct sort_item){
		    .row = *r,
		    .v = m < MEASURES || m == MEASURE_CATEGORY ? measure_value(c, r, m, category)
		                                               : 0,
		    .text = m == MEASURE_CODE   ? r->code
		            : m == MEASURE_NAME ? compare_row_name(r, lang)
		                                : NULL,
		    .desc = desc};
	}
	qsort(items, c->n, sizeof *items, by_item);
	for (size_t i = 0; i < c->n; i++)
		c->rows[i] = items[i].row;
	free(items);
	return 0;
}

/* A count, a share or a percentage as JSON: null when unknown. */
static json_t *number_json(double v)
{
	return isnan(v) ? json_null() : hotspot_count_json(v);
}

static json_t *text_json(const char *text)
{
	return text ? json_string(text) : json_null();
}

/* The changes of one count: change_X, p_X, significant_X members of o. */
static void changes_json(json_t *o, const struct compare_change *ch)
{
	char key[40];
	for (int a = 0; a < COMPARE_CHANGES; a++) {
		snprintf(key, sizeof key, "change_%s", change_names[a]);
		json_object_set_new(o, key, number_json(ch[a].percent));
		snprintf(key, sizeof key, "p_%s", change_names[a]);
		json_object_set_new(o, key, json_real(ch[a].p));
		snprintf(key, sizeof key, "significant_%s", change_names[a]);
		json_object_set_new(o, key, json_boolean(ch[a].significant));
	}
}

static json_t *counts_json(const double *counts, const struct compare_change *ch)
{
	json_t *o = json_object();
	for (int s = 0; o && s < COMPARE_SPANS; s++)
		json_object_set_new(o, span_names[s], hotspot_count_json(counts[s]));
	if (o)
		changes_json(o, ch);
	return o;
}

static json_t *row_json(const struct compare *c, const struct compare_row *r, const dataset *ds)
{
	json_t *o = counts_json(r->offences, r->change), *cats = json_object();
	const struct shapes_area *a = r->area;
	if (!o || !cats) {
		json_decref(o);
		json_decref(cats);
		return NULL;
	}
	json_object_set_new(o, "code", text_json(r->code));
	json_object_set_new(o, "name_uz", text_json(a ? a->name_uz : NULL));
	json_object_set_new(o, "name_ru", text_json(a ? a->name_ru : NULL));
	json_object_set_new(o, "name_en", text_json(a ? a->name_en : NULL));
	for (int m = MEASURE_POPULATION; m < MEASURES; m++)
		json_object_set_new(o, measure_names[m], number_json(measure_value(c, r, m, 0)));
	for (size_t k = 0; k < c->n_categories; k++)
		json_object_set_new(
		    cats, dataset_category(ds, k),
		    counts_json(&r->counts[k * COMPARE_SPANS], &r->changes[k * COMPARE_CHANGES]));
	json_object_set_new(o, "categories", cats);
	return o;
}

int compare_json(const struct compare *c, const dataset *ds, json_t **out)
{
	json_t *o = json_object(), *spans = json_object(), *rows = json_array(),
	       *cats = json_array();
	char from[16], to[16];
	for (int s = 0; spans && s < COMPARE_SPANS; s++) {
		dosage_day_text(c->days[s][0], from, sizeof from);
		dosage_day_text(c->days[s][1], to, sizeof to);
		json_object_set_new(spans, s == COMPARE_PERIOD ? "period" : span_names[s],
		                    json_pack("{s:s, s:s, s:I}", "from", from, "to", to, "days",
		                              (json_int_t)span_days(c, (enum compare_span)s)));
	}
	for (size_t i = 0; rows && i < c->n; i++)
		json_array_append_new(rows, row_json(c, &c->rows[i], ds));
	for (size_t k = 0; cats && k < c->n_categories; k++)
		json_array_append_new(cats, json_string(dataset_category(ds, k)));
	if (!o || !spans || !rows || !cats) {
		json_decref(o);
		json_decref(spans);
		json_decref(rows);
		json_decref(cats);
		return err_set(ERR_NOMEM, "compare: out of memory for the JSON");
	}
	dosage_day_text(c->days[COMPARE_PERIOD][0], from, sizeof from);
	dosage_day_text(c->days[COMPARE_PERIOD][1], to, sizeof to);
	json_object_set_new(o, "from", json_string(from));
	json_object_set_new(o, "to", json_string(to));
	json_object_set_new(o, "spans", spans);
	json_object_set_new(o, "district",
	                    c->district >= 0
	                        ? json_string(dataset_district(ds, (size_t)c->district))
	                        : json_null());
	json_object_set_new(o, "level", json_string(c->district >= 0 ? "mahalla" : "district"));
	json_object_set_new(o, "alpha", json_real(COMPARE_ALPHA));
	json_object_set_new(o, "categories", cats);
	json_object_set_new(o, "total", row_json(c, &c->total, ds));
	json_object_set_new(o, "rows", rows);
	*out = o;
	return 0;
}

/* A number as a CSV field after a comma: empty when unknown. */
static void csv_number(FILE *f, double v)
{
	fputc(',', f);
	if (!isnan(v))
		fprintf(f, "%.10g", v);
}

static void csv_row(FILE *f, const struct compare *c, const struct compare_row *r, const char *code)
{
	const struct shapes_area *a = r->area;
	csv_field(f, code, ",");
	csv_field(f, a ? a->name_uz : NULL, ",");
	csv_field(f, a ? a->name_ru : NULL, ",");
	csv_field(f, a ? a->name_en : NULL, NULL);
	for (int s = 0; s < COMPARE_SPANS; s++)
		csv_number(f, r->offences[s]);
	for (int k = 0; k < COMPARE_CHANGES; k++) {
		csv_number(f, r->change[k].percent);
		csv_number(f, r->change[k].p);
		csv_number(f, r->change[k].significant);
	}
	for (int m = MEASURE_POPULATION; m < MEASURES; m++)
		csv_number(f, measure_value(c, r, m, 0));
	for (size_t k = 0; k < c->n_categories * COMPARE_SPANS; k++)
		csv_number(f, r->counts[k]);
	fputs("\r\n", f);
}

int compare_csv(const struct compare *c, const dataset *ds, FILE *f)
{
	fputs("code,name_uz,name_ru,name_en", f);
	for (int s = 0; s < COMPARE_SPANS; s++)
		fprintf(f, ",%s", span_names[s]);
	for (int a = 0; a < COMPARE_CHANGES; a++)
		fprintf(f, ",change_%s,p_%s,significant_%s", change_names[a], change_names[a],
		        change_names[a]);
	for (int m = MEASURE_POPULATION; m < MEASURES; m++)
		fprintf(f, ",%s", measure_names[m]);
	for (size_t k = 0; k < c->n_categories; k++)
		for (int s = 0; s < COMPARE_SPANS; s++) {
			/* A category's column is its code; its other spans' are suffixed. */
			char name[160];
			snprintf(name, sizeof name, "%s%s%s", dataset_category(ds, k), s ? "_" : "",
			         s ? span_names[s] : "");
			fputc(',', f);
			csv_field(f, name, NULL);
		}
	fputs("\r\n", f);
	for (size_t i = 0; i < c->n; i++)
		csv_row(f, c, &c->rows[i], c->rows[i].code);
	csv_row(f, c, &c->total, "total");
	return ferror(f) ? err_set(ERR_IO, "compare: cannot write the CSV") : 0;
}

/*
 * style: the style loader, its error locator, and colour ramps.
 *
 * A style is loaded once at start (or on reload) and read by every render
 * thread, so loading favours clear errors over speed and reading favours
 * speed: the painters get plain structs, and the heatmap's per-pixel colour
 * lookup is a binary search over at most 16 stops and one table load.
 *
 * Validation walks the jansson tree with a path stack (keys and indices).
 * jansson keeps no source positions, so when something is wrong the locator
 * below walks the raw text along that path - skipping strings with their
 * escapes and counting nesting - to the offending value (or key) and turns
 * its offset into a line and a column. Columns count characters (UTF-8 lead
 * bytes), 1-based, as jansson does for its own syntax errors.
 *
 * Everything a style owns (strings, layer structs) lives in a chain of
 * blocks freed together by style_free(); only the heatmap's and the change
 * layer's ramps are separate objects.
 */
#include "style.h"

#include "err.h"
#include "trends.h"

#include <assert.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_DEPTH    12 /* deepest path the schema has, with room */
#define CODE_MAX      64 /* bytes of a category or service code */
#define FAMILIES_MAX  8  /* font families of one font */
#define DAYS_PER_YEAR 365.25

/* ---- the style --------------------------------------------------------- */

struct block {
	struct block *next;
	alignas(max_align_t) unsigned char data[];
};

struct style {
	struct block *blocks;
	const char *name;
	int has_background;
	struct style_colour background;
	struct style_font *fonts;
	size_t n_fonts;
	struct style_category *categories;
	size_t n_categories;
	struct style_service *services;
	size_t n_services;
	struct style_area *districts, *mahallas;
	struct style_choropleth *choropleth;
	struct style_heatmap *heatmap;
	style_ramp *heatmap_ramp; /* owned; heatmap->ramp points to it */
	struct style_heatmap *change;
	style_ramp *change_ramp; /* owned; change->ramp points to it */
	struct style_offences *offences;
	struct style_zones *zones;
	struct style_tracks *tracks;
	struct style_hotspots *hotspots;
	struct style_trends *trends;
};

/* Zeroed memory that lives as long as the style; NULL on no memory. */
static void *pool_alloc(style *s, size_t size)
{
	struct block *b = calloc(1, sizeof *b + size);
	if (!b)
		return NULL;
	b->next = s->blocks;
	s->blocks = b;
	return b->data;
}

static char *pool_strdup(style *s, const char *str)
{
	size_t n = strlen(str) + 1;
	char *p = pool_alloc(s, n);
	if (p)
		memcpy(p, str, n);
	return p;
}

/* ---- colours ----------------------------------------------------------- */

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int style_colour_parse(const char *text, struct style_colour *out)
{
	double c[4] = {0, 0, 0, 1};
	size_t len = text ? strlen(text) : 0;
	if ((len != 7 && len != 9) || text[0] != '#')
		return ERR_INVALID;
	for (size_t i = 0; i < (len - 1) / 2; i++) {
		int hi = hex_digit(text[1 + 2 * i]), lo = hex_digit(text[2 + 2 * i]);
		if (hi < 0 || lo < 0)
			return ERR_INVALID;
		c[i] = (hi * 16 + lo) / 255.0;
	}
	*out = (struct style_colour){c[0], c[1], c[2], c[3]};
	return 0;
}

static uint32_t to_byte(double x)
{
	x = x * 255.0 + 0.5;
	if (!(x > 0))
		return 0;
	return x >= 255 ? 255 : (uint32_t)x;
}

uint32_t style_colour_pixel(const struct style_colour *c)
{
	double a = c->a < 0 ? 0 : c->a > 1 ? 1 : c->a;
	return to_byte(a) << 24 | to_byte(c->r * a) << 16 | to_byte(c->g * a) << 8 |
	       to_byte(c->b * a);
}

static void lerp_colour(const struct style_colour *p, const struct style_colour *q, double t,
                        struct style_colour *out)
{
	out->r = p->r + (q->r - p->r) * t;
	out->g = p->g + (q->g - p->g) * t;
	out->b = p->b + (q->b - p->b) * t;
	out->a = p->a + (q->a - p->a) * t;
}

/* ---- zoom functions ---------------------------------------------------- */

double style_zfunc_eval(const struct style_zfunc *f, double zoom)
{
	if (f->n == 0)
		return 0;
	if (!(zoom > f->zoom[0]))
		return f->value[0];
	for (size_t i = 1; i < f->n; i++) {
		if (zoom < f->zoom[i]) {
			double t = (zoom - f->zoom[i - 1]) / (f->zoom[i] - f->zoom[i - 1]);
			return f->value[i - 1] + (f->value[i] - f->value[i - 1]) * t;
		}
	}
	return f->value[f->n - 1];
}

int style_zoom_contains(const struct style_zoom *z, double zoom)
{
	return zoom >= z->min && zoom <= z->max;
}

double style_label_size(const struct style_label *label, double zoom)
{
	return style_zfunc_eval(&label->size, zoom);
}

/* ---- ramps ------------------------------------------------------------- */

#define LUT_SIZE 256

struct style_ramp {
	size_t n;
	enum style_interp interp;
	double value[STYLE_STOPS_MAX];
	double scale[STYLE_STOPS_MAX]; /* (LUT_SIZE - 1) / segment width */
	struct style_colour colour[STYLE_STOPS_MAX];
	uint32_t pixel[STYLE_STOPS_MAX];
	uint32_t lut[]; /* linear ramps: LUT_SIZE pixels per segment */
};

int style_ramp_new(const double *values, const struct style_colour *colours, size_t n,
                   enum style_interp interp, style_ramp **out)
{
	*out = NULL;
	if (n < 2 || n > STYLE_STOPS_MAX)
		return err_set(ERR_INVALID, "a ramp needs 2 to %d stops, not %zu", STYLE_STOPS_MAX,
		               n);
	if (interp != STYLE_INTERP_LINEAR && interp != STYLE_INTERP_STEP)
		return err_set(ERR_INVALID, "unknown ramp interpolation %d", (int)interp);
	for (size_t i = 0; i < n; i++) {
		const struct style_colour *c = &colours[i];
		if (!isfinite(values[i]) || (i > 0 && !(values[i] > values[i - 1])))
			return err_set(ERR_INVALID,
			               "ramp stop %zu: value %g is not finite and above "
			               "the previous one",
			               i, values[i]);
		if (!(c->r >= 0 && c->r <= 1 && c->g >= 0 && c->g <= 1 && c->b >= 0 && c->b <= 1 &&
		      c->a >= 0 && c->a <= 1))
			return err_set(ERR_INVALID, "ramp stop %zu: colour components must be 0..1",
			               i);
	}
	size_t lut = interp == STYLE_INTERP_LINEAR ? (n - 1) * LUT_SIZE : 0;
	style_ramp *r = calloc(1, sizeof *r + lut * sizeof r->lut[0]);
	if (!r)
		return err_set(ERR_NOMEM, "out of memory for a colour ramp");
	r->n = n;
	r->interp = interp;
	for (size_t i = 0; i < n; i++) {
		r->value[i] = values[i];
		r->colour[i] = colours[i];
		r->pixel[i] = style_colour_pixel(&colours[i]);
		if (i + 1 < n)
			r->scale[i] = (LUT_SIZE - 1) / (values[i + 1] - values[i]);
	}
	for (size_t i = 0; lut && i + 1 < n; i++) {
		for (size_t k = 0; k < LUT_SIZE; k++) {
			struct style_colour c;
			lerp_colour(&colours[i], &colours[i + 1], (double)k / (LUT_SIZE - 1), &c);
			r->lut[i * LUT_SIZE + k] = style_colour_pixel(&c);
		}
	}
	*out = r;
	return 0;
}

void style_ramp_free(style_ramp *r)
{
	free(r);
}

int style_ramp_scaled(const style_ramp *r, double factor, style_ramp **out)
{
	double values[STYLE_STOPS_MAX];
	*out = NULL;
	if (!isfinite(factor) || !(factor > 0))
		return err_set(ERR_INVALID, "ramp scale factor %g is not finite and > 0", factor);
	for (size_t i = 0; i < r->n; i++)
		values[i] = r->value[i] * factor;
	return style_ramp_new(values, r->colour, r->n, r->interp, out);
}

size_t style_ramp_size(const style_ramp *r)
{
	return r->n;
}

enum style_interp style_ramp_interp(const style_ramp *r)
{
	return r->interp;
}

void style_ramp_stop(const style_ramp *r, size_t i, double *value, struct style_colour *colour)
{
	assert(i < r->n);
	if (value)
		*value = r->value[i];
	if (colour)
		*colour = r->colour[i];
}

/* The last stop at or below value; value >= r->value[0]. */
static size_t ramp_segment(const style_ramp *r, double value)
{
	size_t lo = 0, hi = r->n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		if (r->value[mid] <= value)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void style_ramp_colour(const style_ramp *r, double value, struct style_colour *out)
{
	if (!(value >= r->value[0])) {
		*out = (struct style_colour){0, 0, 0, 0};
		return;
	}
	size_t i = ramp_segment(r, value);
	if (i == r->n - 1 || r->interp == STYLE_INTERP_STEP) {
		*out = r->colour[i];
		return;
	}
	double t = (value - r->value[i]) / (r->value[i + 1] - r->value[i]);
	lerp_colour(&r->colour[i], &r->colour[i + 1], t, out);
}

uint32_t style_ramp_pixel(const style_ramp *r, double value)
{
	if (!(value >= r->value[0]))
		return 0;
	size_t i = ramp_segment(r, value);
	if (i == r->n - 1 || r->interp == STYLE_INTERP_STEP)
		return r->pixel[i];
	size_t k = (size_t)((value - r->value[i]) * r->scale[i] + 0.5);
	return r->lut[i * LUT_SIZE + (k < LUT_SIZE ? k : LUT_SIZE - 1)];
}

int style_heatmap_ramp(const struct style_heatmap *h, double mean_density, double period_days,
                       style_ramp **out)
{
	*out = NULL;
	if (h->breaks == STYLE_BREAKS_AUTO) {
		if (!isfinite(mean_density) || !(mean_density > 0))
			return err_set(ERR_INVALID,
			               "heatmap: auto breaks need a mean density > 0, not %g",
			               mean_density);
		return style_ramp_scaled(h->ramp, mean_density, out);
	}
	if (!isfinite(period_days) || !(period_days > 0))
		return err_set(ERR_INVALID, "heatmap: fixed breaks need a period > 0 days, not %g",
		               period_days);
	return style_ramp_scaled(h->ramp, period_days / DAYS_PER_YEAR, out);
}

/* ---- names ------------------------------------------------------------- */

static const char *const field_names[] = {[STYLE_FIELD_NAME_UZ] = "name_uz",
                                          [STYLE_FIELD_NAME_RU] = "name_ru",
                                          [STYLE_FIELD_NAME_EN] = "name_en",
                                          [STYLE_FIELD_CODE] = "code",
                                          [STYLE_FIELD_NAME] = "name",
                                          [STYLE_FIELD_RANK] = "rank",
                                          NULL};

static const char *const kernel_names[] = {
    [KDE_QUARTIC] = "quartic",     [KDE_TRIANGULAR] = "triangular",     [KDE_UNIFORM] = "uniform",
    [KDE_TRIWEIGHT] = "triweight", [KDE_EPANECHNIKOV] = "epanechnikov", NULL};

static const char *const metric_names[] = {[STYLE_METRIC_COUNT] = "count",
                                           [STYLE_METRIC_RATE] = "rate",
                                           [STYLE_METRIC_CHANGE] = "change",
                                           NULL};

static const char *const classify_names[] = {[STYLE_CLASSIFY_QUANTILE] = "quantile",
                                             [STYLE_CLASSIFY_EQUAL] = "equal",
                                             [STYLE_CLASSIFY_JENKS] = "jenks",
                                             NULL};

static const char *const breaks_names[] = {
    [STYLE_BREAKS_FIXED] = "fixed", [STYLE_BREAKS_AUTO] = "auto", NULL};

static const char *const interp_names[] = {
    [STYLE_INTERP_LINEAR] = "linear", [STYLE_INTERP_STEP] = "step", NULL};

static const char *const overlap_names[] = {
    [STYLE_OVERLAP_HATCH] = "hatch", [STYLE_OVERLAP_OUTLINE] = "outline", NULL};

static const char *const weight_names[] = {"regular", "medium", "semibold", "bold", NULL};
static const int weight_values[] = {400, 500, 600, 700};

static const char *const font_style_names[] = {"normal", "italic", NULL};

/* ---- the locator ------------------------------------------------------- */

/* One step of a JSON path: an object key, or an array index when key is
 * NULL. */
struct step {
	const char *key;
	size_t index;
};

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* p at the opening quote; returns the byte after the closing one. */
static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/* p at a value; returns the byte after it. */
static const char *skip_value(const char *p)
{
	if (*p == '"')
		return skip_string(p);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (*p) {
			if (*p == '"') {
				p = skip_string(p);
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return p;
	}
	while (*p && !strchr(",]} \t\r\n", *p))
		p++;
	return p;
}

static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static long hex4(const char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(p[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* 1 when the JSON string at p (at its opening quote) decodes to key. */
static int string_equals(const char *p, const char *key)
{
	char buf[512];
	size_t n = 0;
	for (p++; *p && *p != '"'; p++) {
		if (n + 4 >= sizeof buf)
			return 0;
		if (*p != '\\') {
			buf[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'b':
			buf[n++] = '\b';
			break;
		case 'f':
			buf[n++] = '\f';
			break;
		case 'n':
			buf[n++] = '\n';
			break;
		case 'r':
			buf[n++] = '\r';
			break;
		case 't':
			buf[n++] = '\t';
			break;
		case 'u': {
			long cp = hex4(p + 1);
			if (cp < 0)
				return 0;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p[1] == '\\' && p[2] == 'u') {
				long lo = hex4(p + 3);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					p += 6;
				}
			}
			n += put_utf8(buf + n, (unsigned long)cp);
			break;
		}
		case '\0':
			return 0;
		default: /* " \ / */
			buf[n++] = *p;
		}
	}
	buf[n] = '\0';
	return strcmp(buf, key) == 0;
}

/* Where the value at path starts in text (or its key, with at_key, when the
 * last step is a key); NULL when the text does not have it. */
static const char *locate(const char *text, const struct step *path, int depth, int at_key)
{
	const char *p = skip_ws(text);
	for (int i = 0; i < depth; i++) {
		const char *found = NULL;
		if (path[i].key) {
			if (*p != '{')
				return NULL;
			p = skip_ws(p + 1);
			while (*p == '"') {
				const char *k = p;
				int match = string_equals(p, path[i].key);
				p = skip_ws(skip_string(p));
				if (*p != ':')
					return NULL;
				p = skip_ws(p + 1);
				if (match) {
					found = at_key && i == depth - 1 ? k : p;
					break;
				}
				p = skip_ws(skip_value(p));
				if (*p == ',')
					p = skip_ws(p + 1);
			}
		} else {
			if (*p != '[')
				return NULL;
			p = skip_ws(p + 1);
			for (size_t j = 0; j < path[i].index && *p && *p != ']'; j++) {
				p = skip_ws(skip_value(p));
				if (*p == ',')
					p = skip_ws(p + 1);
			}
			if (*p && *p != ']')
				found = p;
		}
		if (!found)
			return NULL;
		p = found;
	}
	return p;
}

/* 1-based line and column (in characters) of p in text. */
static void line_column(const char *text, const char *p, int *line, int *column)
{
	*line = 1;
	*column = 1;
	for (const char *q = text; q < p; q++) {
		if (*q == '\n') {
			++*line;
			*column = 1;
		} else if (((unsigned char)*q & 0xc0) != 0x80) {
			++*column;
		}
	}
}

/* ---- validation context ------------------------------------------------ */

struct ctx {
	const char *text; /* the raw JSON, for the locator */
	const char *name; /* the file, for messages */
	style *s;
	struct step path[PATH_DEPTH];
	int depth;
};

static void push_key(struct ctx *c, const char *key)
{
	assert(c->depth < PATH_DEPTH);
	c->path[c->depth++] = (struct step){key, 0};
}

static void push_index(struct ctx *c, size_t index)
{
	assert(c->depth < PATH_DEPTH);
	c->path[c->depth++] = (struct step){NULL, index};
}

static void pop(struct ctx *c)
{
	assert(c->depth > 0);
	c->depth--;
}

/* "layers.heatmap.ramp[2].colour" into buf. */
static void path_string(const struct ctx *c, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < c->depth && n < size; i++) {
		int w;
		if (c->path[i].key)
			w = snprintf(buf + n, size - n, "%s%s", i ? "." : "", c->path[i].key);
		else
			w = snprintf(buf + n, size - n, "[%zu]", c->path[i].index);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

/* Records "name:line:column: path: what" for the value at the current path
 * (its key, with at_key) and returns ERR_INVALID. */
__attribute__((format(printf, 3, 4))) static int fail(struct ctx *c, int at_key, const char *fmt,
                                                      ...)
{
	char what[512], where[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	path_string(c, where, sizeof where);
	const char *sep = where[0] ? ": " : "";
	const char *p = locate(c->text, c->path, c->depth, at_key);
	if (!p)
		return err_set(ERR_INVALID, "%s: %s%s%s", c->name, where, sep, what);
	int line, column;
	line_column(c->text, p, &line, &column);
	return err_set(ERR_INVALID, "%s:%d:%d: %s%s%s", c->name, line, column, where, sep, what);
}

static int nomem(struct ctx *c)
{
	return err_set(ERR_NOMEM, "%s: out of memory", c->name);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* names joined by ", " into buf. */
static const char *join(const char *const *names, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; names[i] && n < size; i++) {
		int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", names[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return buf;
}

/* Levenshtein distance, capped: strings longer than 31 bytes count as far. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[32];
	if (la > 31 || lb > 31)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Every key of obj must be one of allowed (NULL-terminated). */
static int check_keys(struct ctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		const char *best = NULL;
		size_t best_d = 3; /* suggest within 2 edits */
		size_t i;
		for (i = 0; allowed[i] && strcmp(allowed[i], key) != 0; i++) {
			size_t d = edit_distance(key, allowed[i]);
			if (d < best_d) {
				best_d = d;
				best = allowed[i];
			}
		}
		if (allowed[i])
			continue;
		push_key(c, key);
		if (best)
			return fail(c, 1, "unknown key, did you mean '%s'?", best);
		char list[400];
		return fail(c, 1, "unknown key; expected one of %s",
		            join(allowed, list, sizeof list));
	}
	return 0;
}

static int expect_object(struct ctx *c, json_t *v)
{
	if (!json_is_object(v))
		return fail(c, 0, "expected an object, got %s", type_name(v));
	return 0;
}

/* Pushes key and returns its value; NULL (nothing pushed) when absent. */
static json_t *enter(struct ctx *c, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (v)
		push_key(c, key);
	return v;
}

static int missing(struct ctx *c, const char *key)
{
	return fail(c, 0, "missing key '%s'", key);
}

/* ---- typed values ------------------------------------------------------ */

struct range {
	double lo, hi;
	int lo_open; /* lo itself is out of range */
	int whole;   /* integers only */
};

static const struct range R_ZOOM = {STYLE_ZOOM_MIN, STYLE_ZOOM_MAX, 0, 0};
static const struct range R_UNIT = {0, 1, 0, 0};
static const struct range R_PX = {0, 1000, 1, 0};
static const struct range R_BANDWIDTH = {0, 20000, 1, 0};
static const struct range R_BREAK = {0, INFINITY, 1, 0};
static const struct range R_CHANGE = {-INFINITY, INFINITY, 0, 0};
static const struct range R_WEIGHT = {0, 1000, 0, 0};
static const struct range R_CLASSES = {2, STYLE_CLASSES_MAX, 0, 1};

static int rd_number(struct ctx *c, json_t *v, const struct range *r, double *out)
{
	if (!json_is_number(v))
		return fail(c, 0, "expected a number, got %s", type_name(v));
	double x = json_number_value(v);
	if (r->whole && x != floor(x))
		return fail(c, 0, "%g is not a whole number", x);
	if (r->lo_open && !(x > r->lo)) {
		if (isinf(r->hi))
			return fail(c, 0, "%g must be greater than %g", x, r->lo);
		return fail(c, 0, "%g is out of range (greater than %g, at most %g)", x, r->lo,
		            r->hi);
	}
	if (!(x >= r->lo && x <= r->hi))
		return fail(c, 0, "%g is out of range (%g to %g)", x, r->lo, r->hi);
	*out = x;
	return 0;
}

static int get_number(struct ctx *c, json_t *obj, const char *key, int required,
                      const struct range *r, double *out)
{
	json_t *v = enter(c, obj, key);
	if (!v)
		return required ? missing(c, key) : 0;
	int rc = rd_number(c, v, r, out);
	pop(c);
	return rc;
}

static int rd_colour(struct ctx *c, json_t *v, struct style_colour *out)
{
	if (!json_is_string(v))
		return fail(c, 0, "expected a colour (#rrggbb or #rrggbbaa), got %s", type_name(v));
	if (style_colour_parse(json_string_value(v), out) < 0)
		return fail(c, 0, "'%.40s' is not a colour (#rrggbb or #rrggbbaa)",
		            json_string_value(v));
	return 0;
}

static int get_colour(struct ctx *c, json_t *obj, const char *key, int required,
                      struct style_colour *out)
{
	json_t *v = enter(c, obj, key);
	if (!v)
		return required ? missing(c, key) : 0;
	int rc = rd_colour(c, v, out);
	pop(c);
	return rc;
}

/* One of names (NULL-terminated) whose bit is set in mask; what names the
 * kind of thing in messages ("kernel"). */
static int rd_enum(struct ctx *c, json_t *v, const char *what, const char *const *names,
                   unsigned mask, int *out)
{
	const char *allowed[16];
	size_t n = 0;
	for (size_t i = 0; names[i]; i++)
		if (mask & 1u << i)
			allowed[n++] = names[i];
	allowed[n] = NULL;
	char list[300];
	if (!json_is_string(v))
		return fail(c, 0, "expected one of %s, got %s", join(allowed, list, sizeof list),
		            type_name(v));
	const char *text = json_string_value(v);
	for (size_t i = 0; names[i]; i++) {
		if ((mask & 1u << i) && strcmp(names[i], text) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	const char *article = strchr("aeiou", what[0]) ? "an" : "a";
	return fail(c, 0, "'%.40s' is not %s %s; expected one of %s", text, article, what,
	            join(allowed, list, sizeof list));
}

static int get_enum(struct ctx *c, json_t *obj, const char *key, const char *what,
                    const char *const *names, unsigned mask, int *out)
{
	json_t *v = enter(c, obj, key);
	if (!v)
		return 0;
	int rc = rd_enum(c, v, what, names, mask, out);
	pop(c);
	return rc;
}

static int get_string(struct ctx *c, json_t *obj, const char *key, const char **out)
{
	json_t *v = enter(c, obj, key);
	if (!v)
		return 0;
	if (!json_is_string(v))
		return fail(c, 0, "expected a string, got %s", type_name(v));
	*out = pool_strdup(c->s, json_string_value(v));
	pop(c);
	return *out ? 0 : nomem(c);
}

/* A number, or [[zoom, value], ...] with increasing zooms; values in r. */
static int rd_zfunc(struct ctx *c, json_t *v, const struct range *r, struct style_zfunc *out)
{
	memset(out, 0, sizeof *out);
	if (json_is_number(v)) {
		out->n = 1;
		return rd_number(c, v, r, &out->value[0]);
	}
	if (!json_is_array(v))
		return fail(c, 0, "expected a number or [[zoom, value], ...] stops, got %s",
		            type_name(v));
	size_t n = json_array_size(v);
	if (n < 1 || n > STYLE_STOPS_MAX)
		return fail(c, 0, "expected 1 to %d [zoom, value] stops, got %zu", STYLE_STOPS_MAX,
		            n);
	for (size_t i = 0; i < n; i++) {
		json_t *stop = json_array_get(v, i);
		push_index(c, i);
		if (!json_is_array(stop))
			return fail(c, 0, "expected a [zoom, value] pair, got %s", type_name(stop));
		if (json_array_size(stop) != 2)
			return fail(c, 0, "expected a [zoom, value] pair (2 numbers), got %zu",
			            json_array_size(stop));
		push_index(c, 0);
		int rc = rd_number(c, json_array_get(stop, 0), &R_ZOOM, &out->zoom[i]);
		if (rc < 0)
			return rc;
		if (i > 0 && !(out->zoom[i] > out->zoom[i - 1]))
			return fail(c, 0,
			            "zoom %g is not above the previous stop's %g (stops must "
			            "increase)",
			            out->zoom[i], out->zoom[i - 1]);
		pop(c);
		push_index(c, 1);
		rc = rd_number(c, json_array_get(stop, 1), r, &out->value[i]);
		if (rc < 0)
			return rc;
		pop(c);
		pop(c);
	}
	out->n = n;
	return 0;
}

static int get_zfunc(struct ctx *c, json_t *obj, const char *key, int required,
                     const struct range *r, struct style_zfunc *out)
{
	json_t *v = enter(c, obj, key);
	if (!v)
		return required ? missing(c, key) : 0;
	int rc = rd_zfunc(c, v, r, out);
	pop(c);
	return rc;
}

static int get_dash(struct ctx *c, json_t *obj, struct style_stroke *out)
{
	json_t *v = enter(c, obj, "dash");
	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail(c, 0, "expected an array of dash lengths in px, got %s", type_name(v));
	size_t n = json_array_size(v);
	if (n > STYLE_DASH_MAX)
		return fail(c, 0, "at most %d dash lengths, got %zu", STYLE_DASH_MAX, n);
	for (size_t i = 0; i < n; i++) {
		push_index(c, i);
		int rc = rd_number(c, json_array_get(v, i), &R_PX, &out->dash[i]);
		if (rc < 0)
			return rc;
		pop(c);
	}
	out->n_dash = n;
	pop(c);
	return 0;
}

/* minzoom and maxzoom of obj. */
static int get_zoom(struct ctx *c, json_t *obj, struct style_zoom *out)
{
	out->min = STYLE_ZOOM_MIN;
	out->max = STYLE_ZOOM_MAX;
	int rc = get_number(c, obj, "minzoom", 0, &R_ZOOM, &out->min);
	if (rc == 0)
		rc = get_number(c, obj, "maxzoom", 0, &R_ZOOM, &out->max);
	if (rc == 0 && out->max < out->min) {
		push_key(c, "maxzoom");
		return fail(c, 0, "maxzoom %g is below minzoom %g", out->max, out->min);
	}
	return rc;
}

/* ---- parts ------------------------------------------------------------- */

enum stroke_flags {
	STROKE_NO_COLOUR = 1, /* the colour comes from the data */
	STROKE_NO_DASH = 2,
};

static int rd_stroke(struct ctx *c, json_t *v, int flags, struct style_stroke *out)
{
	static const char *const all[] = {"colour", "width", "dash", NULL};
	static const char *const no_colour[] = {"width", "dash", NULL};
	static const char *const no_dash[] = {"colour", "width", NULL};
	const char *const *keys = flags & STROKE_NO_COLOUR ? no_colour
	                          : flags & STROKE_NO_DASH ? no_dash
	                                                   : all;
	memset(out, 0, sizeof *out);
	int rc = expect_object(c, v);
	if (rc == 0)
		rc = check_keys(c, v, keys);
	if (rc == 0 && !(flags & STROKE_NO_COLOUR))
		rc = get_colour(c, v, "colour", 1, &out->colour);
	if (rc == 0)
		rc = get_zfunc(c, v, "width", 1, &R_PX, &out->width);
	if (rc == 0 && !(flags & STROKE_NO_DASH))
		rc = get_dash(c, v, out);
	return rc;
}

/* An optional stroke member, allocated in the style; *out stays NULL when
 * absent. */
static int get_stroke_opt(struct ctx *c, json_t *obj, const char *key, int flags,
                          const struct style_stroke **out)
{
	json_t *v = enter(c, obj, key);
	if (!v)
		return 0;
	struct style_stroke *st = pool_alloc(c->s, sizeof *st);
	if (!st)
		return nomem(c);
	int rc = rd_stroke(c, v, flags, st);
	if (rc < 0)
		return rc;
	*out = st;
	pop(c);
	return 0;
}

static int rd_fill(struct ctx *c, json_t *v, const struct style_fill **out)
{
	static const char *const keys[] = {"colour", "opacity", NULL};
	struct style_fill *f = pool_alloc(c->s, sizeof *f);
	if (!f)
		return nomem(c);
	f->opacity = 1;
	int rc = expect_object(c, v);
	if (rc == 0)
		rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_colour(c, v, "colour", 1, &f->colour);
	if (rc == 0)
		rc = get_number(c, v, "opacity", 0, &R_UNIT, &f->opacity);
	if (rc == 0)
		*out = f;
	return rc;
}

static int rd_halo(struct ctx *c, json_t *v, const struct style_halo **out)
{
	static const char *const keys[] = {"colour", "width", NULL};
	struct style_halo *h = pool_alloc(c->s, sizeof *h);
	if (!h)
		return nomem(c);
	int rc = expect_object(c, v);
	if (rc == 0)
		rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_colour(c, v, "colour", 1, &h->colour);
	if (rc == 0)
		rc = get_zfunc(c, v, "width", 1, &R_PX, &h->width);
	if (rc == 0)
		*out = h;
	return rc;
}

const struct style_font *style_font(const style *s, const char *name)
{
	for (size_t i = 0; name && i < s->n_fonts; i++)
		if (strcmp(s->fonts[i].name, name) == 0)
			return &s->fonts[i];
	return NULL;
}

/* fields: bit mask of the enum style_field values the layer has. */
static int rd_label(struct ctx *c, json_t *v, unsigned fields, const struct style_label **out)
{
	static const char *const keys[] = {"field", "font",    "size",    "colour",
	                                   "halo",  "minzoom", "maxzoom", NULL};
	struct style_label *l = pool_alloc(c->s, sizeof *l);
	if (!l)
		return nomem(c);
	int field = 0;
	while (!(fields & 1u << field))
		field++; /* the first the layer has */
	int rc = expect_object(c, v);
	if (rc == 0)
		rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_enum(c, v, "field", "label field", field_names, fields, &field);
	l->field = (enum style_field)field;
	if (rc < 0)
		return rc;
	json_t *f = enter(c, v, "font");
	if (!f)
		return missing(c, "font");
	if (!json_is_string(f))
		return fail(c, 0, "expected the name of a font in fonts, got %s", type_name(f));
	l->font = style_font(c->s, json_string_value(f));
	if (!l->font)
		return fail(c, 0, "no font '%.40s' in fonts", json_string_value(f));
	pop(c);
	rc = get_zfunc(c, v, "size", 1, &R_PX, &l->size);
	if (rc == 0)
		rc = get_colour(c, v, "colour", 1, &l->colour);
	if (rc == 0 && (f = enter(c, v, "halo")) != NULL) {
		rc = rd_halo(c, f, &l->halo);
		if (rc == 0)
			pop(c);
	}
	if (rc == 0)
		rc = get_zoom(c, v, &l->zoom);
	if (rc == 0)
		*out = l;
	return rc;
}

static int get_label_opt(struct ctx *c, json_t *obj, unsigned fields,
                         const struct style_label **out)
{
	json_t *v = enter(c, obj, "label");
	if (!v)
		return 0;
	int rc = rd_label(c, v, fields, out);
	if (rc == 0)
		pop(c);
	return rc;
}

/* ---- layers ------------------------------------------------------------ */

#define AREA_FIELDS                                                                                \
	(1u << STYLE_FIELD_NAME_UZ | 1u << STYLE_FIELD_NAME_RU | 1u << STYLE_FIELD_NAME_EN |       \
	 1u << STYLE_FIELD_CODE)

static int rd_area(struct ctx *c, json_t *v, struct style_area **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "stroke", "fill", "label", NULL};
	struct style_area *a = pool_alloc(c->s, sizeof *a);
	if (!a)
		return nomem(c);
	int rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_zoom(c, v, &a->zoom);
	if (rc < 0)
		return rc;
	json_t *m = enter(c, v, "stroke");
	if (!m)
		return missing(c, "stroke");
	rc = rd_stroke(c, m, 0, &a->stroke);
	if (rc < 0)
		return rc;
	pop(c);
	if ((m = enter(c, v, "fill")) != NULL) {
		rc = rd_fill(c, m, &a->fill);
		if (rc < 0)
			return rc;
		pop(c);
	}
	rc = get_label_opt(c, v, AREA_FIELDS, &a->label);
	if (rc == 0)
		*out = a;
	return rc;
}

static int rd_choropleth(struct ctx *c, json_t *v, struct style_choropleth **out)
{
	static const char *const keys[] = {"minzoom",        "maxzoom", "metric",
	                                   "classification", "classes", "colours",
	                                   "opacity",        "outline", NULL};
	struct style_colour colours[STYLE_STOPS_MAX];
	struct style_choropleth *ch = pool_alloc(c->s, sizeof *ch);
	if (!ch)
		return nomem(c);
	int metric = STYLE_METRIC_COUNT, classify = STYLE_CLASSIFY_QUANTILE;
	ch->opacity = 1;
	int rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_zoom(c, v, &ch->zoom);
	if (rc == 0)
		rc = get_enum(c, v, "metric", "metric", metric_names, ~0u, &metric);
	if (rc == 0)
		rc = get_enum(c, v, "classification", "classification", classify_names, ~0u,
		              &classify);
	if (rc < 0)
		return rc;
	ch->metric = (enum style_metric)metric;
	ch->classify = (enum style_classify)classify;

	json_t *a = enter(c, v, "colours");
	if (!a)
		return missing(c, "colours");
	if (!json_is_array(a))
		return fail(c, 0, "expected an array of colours, got %s", type_name(a));
	size_t n = json_array_size(a);
	if (n < 2 || n > STYLE_STOPS_MAX)
		return fail(c, 0, "expected 2 to %d colours, got %zu", STYLE_STOPS_MAX, n);
	for (size_t i = 0; i < n; i++) {
		push_index(c, i);
		rc = rd_colour(c, json_array_get(a, i), &colours[i]);
		if (rc < 0)
			return rc;
		pop(c);
	}
	pop(c);

	double classes = (double)(n < STYLE_CLASSES_MAX ? n : STYLE_CLASSES_MAX);
	rc = get_number(c, v, "classes", 0, &R_CLASSES, &classes);
	if (rc == 0)
		rc = get_number(c, v, "opacity", 0, &R_UNIT, &ch->opacity);
	if (rc == 0)
		rc = get_stroke_opt(c, v, "outline", 0, &ch->outline);
	if (rc < 0)
		return rc;
	/* The colours sampled evenly to the number of classes. */
	ch->classes = (size_t)classes;
	for (size_t i = 0; i < ch->classes; i++) {
		double t = (double)i * (double)(n - 1) / (double)(ch->classes - 1);
		size_t j = (size_t)t;
		if (j >= n - 1)
			ch->colours[i] = colours[n - 1];
		else
			lerp_colour(&colours[j], &colours[j + 1], t - (double)j, &ch->colours[i]);
	}
	*out = ch;
	return 0;
}

/* The heatmap (change 0) or the change layer (change 1): the same entries
 * but breaks, which a change layer's are always (fixed, per km² per year,
 * decreases below 0 and increases above). The ramp goes to *ramp. */
static int rd_heatmap(struct ctx *c, json_t *v, int change, style_ramp **ramp,
                      struct style_heatmap **out)
{
	static const char *const keys[] = {"minzoom",   "maxzoom", "kernel",
	                                   "bandwidth", "opacity", "interpolation",
	                                   "breaks",    "ramp",    NULL};
	static const char *const change_keys[] = {"minzoom", "maxzoom",       "kernel", "bandwidth",
	                                          "opacity", "interpolation", "ramp",   NULL};
	static const char *const stop_keys[] = {"value", "colour", NULL};
	double values[STYLE_STOPS_MAX];
	struct style_colour colours[STYLE_STOPS_MAX];
	struct style_heatmap *h = pool_alloc(c->s, sizeof *h);
	if (!h)
		return nomem(c);
	int kernel = KDE_QUARTIC, interp = STYLE_INTERP_LINEAR, breaks = STYLE_BREAKS_FIXED;
	h->opacity = 1;
	int rc = check_keys(c, v, change ? change_keys : keys);
	if (rc == 0)
		rc = get_zoom(c, v, &h->zoom);
	if (rc == 0)
		rc = get_enum(c, v, "kernel", "kernel", kernel_names, ~0u, &kernel);
	if (rc == 0)
		rc = get_number(c, v, "bandwidth", 1, &R_BANDWIDTH, &h->bandwidth);
	if (rc == 0)
		rc = get_number(c, v, "opacity", 0, &R_UNIT, &h->opacity);
	if (rc == 0)
		rc = get_enum(c, v, "interpolation", "interpolation", interp_names, ~0u, &interp);
	if (rc == 0 && !change)
		rc = get_enum(c, v, "breaks", "kind of breaks", breaks_names, ~0u, &breaks);
	if (rc < 0)
		return rc;
	h->kernel = (enum kde_kernel)kernel;
	h->breaks = (enum style_breaks)breaks;

	json_t *a = enter(c, v, "ramp");
	if (!a)
		return missing(c, "ramp");
	if (!json_is_array(a))
		return fail(c, 0, "expected an array of {\"value\", \"colour\"} stops, got %s",
		            type_name(a));
	size_t n = json_array_size(a);
	if (n < 2 || n > STYLE_STOPS_MAX)
		return fail(c, 0, "a ramp needs 2 to %d stops, got %zu", STYLE_STOPS_MAX, n);
	for (size_t i = 0; i < n; i++) {
		json_t *stop = json_array_get(a, i);
		push_index(c, i);
		rc = expect_object(c, stop);
		if (rc == 0)
			rc = check_keys(c, stop, stop_keys);
		if (rc == 0)
			rc = get_number(c, stop, "value", 1, change ? &R_CHANGE : &R_BREAK,
			                &values[i]);
		if (rc < 0)
			return rc;
		if (i > 0 && !(values[i] > values[i - 1])) {
			push_key(c, "value");
			return fail(c, 0,
			            "%g is not above the previous stop's %g (ramp values must "
			            "increase)",
			            values[i], values[i - 1]);
		}
		rc = get_colour(c, stop, "colour", 1, &colours[i]);
		if (rc < 0)
			return rc;
		pop(c);
	}
	/* A diverging ramp: one side alone would hide decreases or increases. */
	if (change && !(values[0] < 0 && values[n - 1] > 0))
		return fail(c, 0,
		            "a change ramp needs a negative value (decreases) and a positive "
		            "one (increases), got %g to %g",
		            values[0], values[n - 1]);
	rc = style_ramp_new(values, colours, n, (enum style_interp)interp, ramp);
	if (rc < 0)
		return rc;
	pop(c);
	h->ramp = *ramp;
	*out = h;
	return 0;
}

static int rd_offences(struct ctx *c, json_t *v, struct style_offences **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "radius",
	                                   "opacity", "stroke",  NULL};
	struct style_offences *o = pool_alloc(c->s, sizeof *o);
	if (!o)
		return nomem(c);
	o->opacity = 1;
	int rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_zoom(c, v, &o->zoom);
	if (rc == 0)
		rc = get_zfunc(c, v, "radius", 1, &R_PX, &o->radius);
	if (rc == 0)
		rc = get_number(c, v, "opacity", 0, &R_UNIT, &o->opacity);
	if (rc == 0)
		rc = get_stroke_opt(c, v, "stroke", STROKE_NO_DASH, &o->stroke);
	if (rc == 0)
		*out = o;
	return rc;
}

static int rd_zones(struct ctx *c, json_t *v, struct style_zones **out)
{
	static const char *const keys[] = {
	    "minzoom", "maxzoom", "fill_opacity", "stroke", "overlap", "label", NULL};
	static const char *const overlap_keys[] = {"style", "spacing", "width", NULL};
	struct style_zones *z = pool_alloc(c->s, sizeof *z);
	if (!z)
		return nomem(c);
	int overlap = STYLE_OVERLAP_OUTLINE;
	z->overlap_spacing = (struct style_zfunc){.n = 1, .value = {6}};
	z->overlap_width = (struct style_zfunc){.n = 1, .value = {1}};
	int rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_zoom(c, v, &z->zoom);
	if (rc == 0)
		rc = get_number(c, v, "fill_opacity", 0, &R_UNIT, &z->fill_opacity);
	if (rc < 0)
		return rc;
	json_t *m = enter(c, v, "stroke");
	if (!m)
		return missing(c, "stroke");
	rc = rd_stroke(c, m, STROKE_NO_COLOUR, &z->stroke);
	if (rc < 0)
		return rc;
	pop(c);
	if ((m = enter(c, v, "overlap")) != NULL) {
		rc = expect_object(c, m);
		if (rc == 0)
			rc = check_keys(c, m, overlap_keys);
		if (rc == 0 && !json_object_get(m, "style"))
			rc = missing(c, "style");
		if (rc == 0)
			rc = get_enum(c, m, "style", "overlap style", overlap_names, ~0u, &overlap);
		if (rc == 0)
			rc = get_zfunc(c, m, "spacing", 0, &R_PX, &z->overlap_spacing);
		if (rc == 0)
			rc = get_zfunc(c, m, "width", 0, &R_PX, &z->overlap_width);
		if (rc < 0)
			return rc;
		pop(c);
	}
	z->overlap = (enum style_overlap)overlap;
	rc = get_label_opt(c, v, 1u << STYLE_FIELD_NAME, &z->label);
	if (rc == 0)
		*out = z;
	return rc;
}

static int rd_tracks(struct ctx *c, json_t *v, struct style_tracks **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "width",
	                                   "opacity", "casing",  NULL};
	struct style_tracks *t = pool_alloc(c->s, sizeof *t);
	if (!t)
		return nomem(c);
	t->opacity = 1;
	int rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_zoom(c, v, &t->zoom);
	if (rc == 0)
		rc = get_zfunc(c, v, "width", 1, &R_PX, &t->width);
	if (rc == 0)
		rc = get_number(c, v, "opacity", 0, &R_UNIT, &t->opacity);
	if (rc == 0)
		rc = get_stroke_opt(c, v, "casing", STROKE_NO_DASH, &t->casing);
	if (rc == 0)
		*out = t;
	return rc;
}

static const char *const hotspot_look_names[] = {[STYLE_HOTSPOT] = "hotspot",
                                                 [STYLE_HOTSPOT_GAP] = "gap",
                                                 [STYLE_HOTSPOT_JOINT] = "joint",
                                                 [STYLE_HOTSPOT_OVERLAP] = "overlap",
                                                 [STYLE_HOTSPOT_UNVISITED] = "unvisited",
                                                 [STYLE_HOTSPOT_SHORT] = "short",
                                                 [STYLE_HOTSPOT_MET] = "met",
                                                 [STYLE_HOTSPOT_COVERED] = "covered",
                                                 NULL};

const char *style_hotspot_look_name(enum style_hotspot_look look)
{
	return hotspot_look_names[look];
}

static int rd_hotspots(struct ctx *c, json_t *v, struct style_hotspots **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "fill_opacity", "stroke",
	                                   "colours", "hatch",   "label",        NULL};
	static const char *const hatch_keys[] = {"spacing", "width", NULL};
	struct style_hotspots *h = pool_alloc(c->s, sizeof *h);
	if (!h)
		return nomem(c);
	h->hatch_spacing = (struct style_zfunc){.n = 1, .value = {6}};
	h->hatch_width = (struct style_zfunc){.n = 1, .value = {1.5}};
	int rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_zoom(c, v, &h->zoom);
	if (rc == 0)
		rc = get_number(c, v, "fill_opacity", 0, &R_UNIT, &h->fill_opacity);
	if (rc < 0)
		return rc;
	json_t *m = enter(c, v, "stroke");
	if (!m)
		return missing(c, "stroke");
	if ((rc = rd_stroke(c, m, STROKE_NO_COLOUR, &h->stroke)) < 0)
		return rc;
	pop(c);
	/* Every look the map draws is required: a layer with one left out
	 * would draw some status invisibly. Covered hotspots are drawn in
	 * their services' colours; "covered" only names the status apart. */
	if (!(m = enter(c, v, "colours")))
		return missing(c, "colours");
	rc = expect_object(c, m);
	if (rc == 0)
		rc = check_keys(c, m, hotspot_look_names);
	h->colours[STYLE_HOTSPOT_COVERED] =
	    (struct style_colour){0x1a / 255.0, 0x96 / 255.0, 0x41 / 255.0, 1};
	for (int i = 0; rc == 0 && i < STYLE_HOTSPOT_LOOKS; i++)
		rc = get_colour(c, m, hotspot_look_names[i], i != STYLE_HOTSPOT_COVERED,
		                &h->colours[i]);
	if (rc < 0)
		return rc;
	pop(c);
	if ((m = enter(c, v, "hatch")) != NULL) {
		rc = expect_object(c, m);
		if (rc == 0)
			rc = check_keys(c, m, hatch_keys);
		if (rc == 0)
			rc = get_zfunc(c, m, "spacing", 0, &R_PX, &h->hatch_spacing);
		if (rc == 0)
			rc = get_zfunc(c, m, "width", 0, &R_PX, &h->hatch_width);
		if (rc < 0)
			return rc;
		pop(c);
	}
	rc = get_label_opt(c, v, 1u << STYLE_FIELD_RANK, &h->label);
	if (rc == 0)
		*out = h;
	return rc;
}

static_assert(STYLE_TREND_CATEGORIES == 2 * TRENDS_PATTERNS - 1, "a colour per trends category");

/* Every category is required, as the hotspots' looks are: one left out
 * would draw its cells invisibly. */
static int rd_trends(struct ctx *c, json_t *v, struct style_trends **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "opacity", "colours", NULL};
	const char *names[STYLE_TREND_CATEGORIES];
	int order[STYLE_TREND_CATEGORIES - 1], n = 0;
	struct style_trends *t = pool_alloc(c->s, sizeof *t);
	if (!t)
		return nomem(c);
	/* Hot then cold, each in the patterns' order, as messages list them. */
	for (int sign = 1; sign >= -1; sign -= 2)
		for (int k = 1; k < TRENDS_PATTERNS; k++) {
			order[n] = sign * k;
			names[n++] = trends_category_name(sign * k);
		}
	names[n] = NULL;
	t->opacity = 1;
	int rc = check_keys(c, v, keys);
	if (rc == 0)
		rc = get_zoom(c, v, &t->zoom);
	if (rc == 0)
		rc = get_number(c, v, "opacity", 0, &R_UNIT, &t->opacity);
	if (rc < 0)
		return rc;
	json_t *m = enter(c, v, "colours");
	if (!m)
		return missing(c, "colours");
	rc = expect_object(c, m);
	if (rc == 0)
		rc = check_keys(c, m, names);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = get_colour(c, m, names[i], 1, &t->colours[order[i] + TRENDS_PATTERNS - 1]);
	if (rc < 0)
		return rc;
	pop(c);
	*out = t;
	return 0;
}

static int rd_layers(struct ctx *c, json_t *v)
{
	static const char *const keys[] = {"districts", "mahallas", "choropleth", "heatmap",
	                                   "offences",  "zones",    "tracks",     "hotspots",
	                                   "change",    "trends",   NULL};
	style *s = c->s;
	int rc = expect_object(c, v);
	if (rc == 0)
		rc = check_keys(c, v, keys);
	for (size_t i = 0; rc == 0 && keys[i]; i++) {
		json_t *m = enter(c, v, keys[i]);
		if (!m)
			continue;
		rc = expect_object(c, m);
		if (rc < 0)
			break;
		switch (i) {
		case 0:
			rc = rd_area(c, m, &s->districts);
			break;
		case 1:
			rc = rd_area(c, m, &s->mahallas);
			break;
		case 2:
			rc = rd_choropleth(c, m, &s->choropleth);
			break;
		case 3:
			rc = rd_heatmap(c, m, 0, &s->heatmap_ramp, &s->heatmap);
			break;
		case 4:
			rc = rd_offences(c, m, &s->offences);
			break;
		case 5:
			rc = rd_zones(c, m, &s->zones);
			break;
		case 6:
			rc = rd_tracks(c, m, &s->tracks);
			break;
		case 7:
			rc = rd_hotspots(c, m, &s->hotspots);
			break;
		case 8:
			rc = rd_heatmap(c, m, 1, &s->change_ramp, &s->change);
			break;
		default:
			rc = rd_trends(c, m, &s->trends);
		}
		if (rc == 0)
			pop(c);
	}
	return rc;
}

/* ---- fonts, categories, services --------------------------------------- */

static int rd_fonts(struct ctx *c, json_t *v)
{
	static const char *const keys[] = {"families", "weight", "style", NULL};
	style *s = c->s;
	const char *name;
	json_t *f;
	int rc = expect_object(c, v);
	if (rc < 0)
		return rc;
	s->fonts = pool_alloc(s, (json_object_size(v) + 1) * sizeof *s->fonts);
	if (!s->fonts)
		return nomem(c);
	json_object_foreach(v, name, f)
	{
		struct style_font *font = &s->fonts[s->n_fonts];
		push_key(c, name);
		if (!name[0])
			return fail(c, 1, "a font needs a name");
		rc = expect_object(c, f);
		if (rc == 0)
			rc = check_keys(c, f, keys);
		if (rc < 0)
			return rc;
		json_t *a = enter(c, f, "families");
		if (!a)
			return missing(c, "families");
		size_t n = json_is_array(a) ? json_array_size(a) : 0;
		if (n < 1 || n > FAMILIES_MAX)
			return fail(c, 0, "expected an array of 1 to %d family names",
			            FAMILIES_MAX);
		const char **families = pool_alloc(s, (n + 1) * sizeof *families);
		size_t len = 0;
		if (!families)
			return nomem(c);
		for (size_t i = 0; i < n; i++) {
			json_t *fam = json_array_get(a, i);
			push_index(c, i);
			if (!json_is_string(fam))
				return fail(c, 0, "expected a font family name, got %s",
				            type_name(fam));
			const char *text = json_string_value(fam);
			if (!text[0] || strchr(text, ','))
				return fail(c, 0,
				            "'%.40s' is not a family name (empty or with a comma)",
				            text);
			if (!(families[i] = pool_strdup(s, text)))
				return nomem(c);
			len += strlen(text) + 1;
			pop(c);
		}
		pop(c);
		char *family = pool_alloc(s, len);
		if (!family)
			return nomem(c);
		for (size_t i = 0, at = 0; i < n; i++) {
			size_t w = strlen(families[i]);
			memcpy(family + at, families[i], w);
			at += w;
			family[at++] = i + 1 < n ? ',' : '\0';
		}
		int weight = 0, italic = 0;
		rc = get_enum(c, f, "weight", "font weight", weight_names, ~0u, &weight);
		if (rc == 0)
			rc = get_enum(c, f, "style", "font style", font_style_names, ~0u, &italic);
		if (rc < 0)
			return rc;
		if (!(font->name = pool_strdup(s, name)))
			return nomem(c);
		font->family = family;
		font->families = families;
		font->n_families = n;
		font->weight = weight_values[weight];
		font->italic = italic;
		s->n_fonts++;
		pop(c);
	}
	return 0;
}

/* Checks a code key (the path is at it) and copies it into the style. */
static int rd_code(struct ctx *c, const char *code, const char **out)
{
	size_t len = strlen(code);
	if (len < 1 || len > CODE_MAX)
		return fail(c, 1, "a code must be 1 to %d bytes", CODE_MAX);
	*out = pool_strdup(c->s, code);
	return *out ? 0 : nomem(c);
}

static int rd_categories(struct ctx *c, json_t *v)
{
	static const char *const keys[] = {"colour", "weight", NULL};
	style *s = c->s;
	const char *code;
	json_t *e;
	int rc = expect_object(c, v);
	if (rc < 0)
		return rc;
	s->categories = pool_alloc(s, (json_object_size(v) + 1) * sizeof *s->categories);
	if (!s->categories)
		return nomem(c);
	json_object_foreach(v, code, e)
	{
		struct style_category *cat = &s->categories[s->n_categories];
		push_key(c, code);
		cat->weight = 1;
		rc = rd_code(c, code, &cat->code);
		if (rc == 0)
			rc = expect_object(c, e);
		if (rc == 0)
			rc = check_keys(c, e, keys);
		if (rc == 0)
			rc = get_colour(c, e, "colour", 1, &cat->colour);
		if (rc == 0)
			rc = get_number(c, e, "weight", 0, &R_WEIGHT, &cat->weight);
		if (rc < 0)
			return rc;
		s->n_categories++;
		pop(c);
	}
	return 0;
}

static int rd_services(struct ctx *c, json_t *v)
{
	static const char *const keys[] = {"colour", NULL};
	style *s = c->s;
	const char *code;
	json_t *e;
	int rc = expect_object(c, v);
	if (rc < 0)
		return rc;
	s->services = pool_alloc(s, (json_object_size(v) + 1) * sizeof *s->services);
	if (!s->services)
		return nomem(c);
	json_object_foreach(v, code, e)
	{
		struct style_service *svc = &s->services[s->n_services];
		push_key(c, code);
		rc = rd_code(c, code, &svc->code);
		if (rc == 0)
			rc = expect_object(c, e);
		if (rc == 0)
			rc = check_keys(c, e, keys);
		if (rc == 0)
			rc = get_colour(c, e, "colour", 1, &svc->colour);
		if (rc < 0)
			return rc;
		s->n_services++;
		pop(c);
	}
	return 0;
}

/* ---- loading ----------------------------------------------------------- */

static int rd_style(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"version",    "name",   "description",
	                                   "background", "fonts",  "categories",
	                                   "services",   "layers", NULL};
	style *s = c->s;
	double version = 0;
	static const struct range any_version = {0, 1e9, 0, 1};
	json_t *v;
	int rc = expect_object(c, root);
	if (rc == 0)
		rc = check_keys(c, root, keys);
	if (rc == 0)
		rc = get_number(c, root, "version", 1, &any_version, &version);
	if (rc < 0)
		return rc;
	if (version != 1) {
		push_key(c, "version");
		return fail(c, 0, "version %g is not supported (this build reads version 1)",
		            version);
	}
	/* the description is for people reading the file: checked, not kept */
	const char *description = NULL;
	s->name = "";
	rc = get_string(c, root, "name", &s->name);
	if (rc == 0)
		rc = get_string(c, root, "description", &description);
	if (rc == 0 && json_object_get(root, "background")) {
		s->has_background = 1;
		rc = get_colour(c, root, "background", 1, &s->background);
	}
	const char *parts[] = {"fonts", "categories", "services", "layers"};
	int (*const readers[])(struct ctx *, json_t *) = {rd_fonts, rd_categories, rd_services,
	                                                  rd_layers};
	for (size_t i = 0; rc == 0 && i < 4; i++) {
		if (!(v = enter(c, root, parts[i])))
			continue;
		rc = readers[i](c, v);
		if (rc == 0)
			pop(c);
	}
	if (rc == 0 && !json_object_get(root, "layers"))
		rc = missing(c, "layers");
	return rc;
}

int style_parse(const char *text, const char *name, style **out)
{
	json_error_t jerr;
	json_t *root = NULL;
	struct ctx c = {.text = text, .name = name ? name : "style"};
	int rc = 0;
	*out = NULL;
	if (!(c.s = calloc(1, sizeof *c.s))) {
		rc = err_set(ERR_NOMEM, "%s: out of memory", c.name);
		goto out;
	}
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line > 0)
			rc = err_set(ERR_INVALID, "%s:%d:%d: %s", c.name, jerr.line, jerr.column,
			             jerr.text);
		else
			rc = err_set(ERR_INVALID, "%s: %s", c.name, jerr.text);
		goto out;
	}
	rc = rd_style(&c, root);
	if (rc < 0)
		goto out;
	*out = c.s;
	c.s = NULL;
out:
	json_decref(root);
	style_free(c.s);
	return rc;
}

int style_load(const char *path, style **out)
{
	char *text = NULL;
	size_t len = 0;
	int rc = 0;
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(ERR_IO, "%s: %s", path, strerror(errno));
	if (!(text = malloc(STYLE_FILE_MAX + 2))) {
		rc = err_set(ERR_NOMEM, "%s: out of memory", path);
		goto out;
	}
	len = fread(text, 1, STYLE_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = err_set(ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (len > STYLE_FILE_MAX) {
		rc = err_set(ERR_INVALID, "%s: larger than %d bytes", path, STYLE_FILE_MAX);
		goto out;
	}
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		rc = err_set(ERR_INVALID, "%s: contains a NUL byte", path);
		goto out;
	}
	rc = style_parse(text, path, out);
out:
	fclose(f);
	free(text);
	return rc;
}

void style_free(style *s)
{
	if (!s)
		return;
	style_ramp_free(s->heatmap_ramp);
	style_ramp_free(s->change_ramp);
	for (struct block *b = s->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s);
}

/* ---- getters ----------------------------------------------------------- */

const char *style_name(const style *s)
{
	return s->name;
}

int style_background(const style *s, struct style_colour *out)
{
	*out = s->has_background ? s->background : (struct style_colour){0, 0, 0, 0};
	return s->has_background;
}

const struct style_area *style_districts(const style *s)
{
	return s->districts;
}

const struct style_area *style_mahallas(const style *s)
{
	return s->mahallas;
}

const struct style_choropleth *style_choropleth(const style *s)
{
	return s->choropleth;
}

const struct style_heatmap *style_heatmap(const style *s)
{
	return s->heatmap;
}

const struct style_heatmap *style_change(const style *s)
{
	return s->change;
}

const struct style_offences *style_offences(const style *s)
{
	return s->offences;
}

const struct style_zones *style_zones(const style *s)
{
	return s->zones;
}

const struct style_hotspots *style_hotspots(const style *s)
{
	return s->hotspots;
}

const struct style_trends *style_trends(const style *s)
{
	return s->trends;
}

const struct style_tracks *style_tracks(const style *s)
{
	return s->tracks;
}

/* ColorBrewer Dark2: a qualitative palette for codes a style does not name. */
static const struct style_colour fallback_palette[] = {
    {0x1b / 255.0, 0x9e / 255.0, 0x77 / 255.0, 1}, {0xd9 / 255.0, 0x5f / 255.0, 0x02 / 255.0, 1},
    {0x75 / 255.0, 0x70 / 255.0, 0xb3 / 255.0, 1}, {0xe7 / 255.0, 0x29 / 255.0, 0x8a / 255.0, 1},
    {0x66 / 255.0, 0xa6 / 255.0, 0x1e / 255.0, 1}, {0xe6 / 255.0, 0xab / 255.0, 0x02 / 255.0, 1},
    {0xa6 / 255.0, 0x76 / 255.0, 0x1d / 255.0, 1}, {0x66 / 255.0, 0x66 / 255.0, 0x66 / 255.0, 1},
};

static void fallback_colour(const char *code, struct style_colour *out)
{
	if (!code || !code[0]) {
		*out = (struct style_colour){0.6, 0.6, 0.6, 1};
		return;
	}
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 16777619u;
	*out = fallback_palette[h % (sizeof fallback_palette / sizeof fallback_palette[0])];
}

static const struct style_category *find_category(const style *s, const char *code)
{
	for (size_t i = 0; code && i < s->n_categories; i++)
		if (strcmp(s->categories[i].code, code) == 0)
			return &s->categories[i];
	return NULL;
}

int style_category_colour(const style *s, const char *code, struct style_colour *out)
{
	const struct style_category *cat = find_category(s, code);
	if (cat) {
		*out = cat->colour;
		return 1;
	}
	fallback_colour(code, out);
	return 0;
}

double style_category_weight(const style *s, const char *code)
{
	const struct style_category *cat = find_category(s, code);
	return cat ? cat->weight : 1.0;
}

int style_service_colour(const style *s, const char *code, struct style_colour *out)
{
	for (size_t i = 0; code && i < s->n_services; i++) {
		if (strcmp(s->services[i].code, code) == 0) {
			*out = s->services[i].colour;
			return 1;
		}
	}
	fallback_colour(code, out);
	return 0;
}

size_t style_categories(const style *s, const struct style_category **out)
{
	*out = s->categories;
	return s->n_categories;
}

size_t style_services(const style *s, const struct style_service **out)
{
	*out = s->services;
	return s->n_services;
}

/*
 * stylejson: the reader behind the style loader. Validation walks the
 * jansson tree with a path stack (keys and indices) so that a message can
 * say where the bad value is; only on an error is the path turned into
 * text and a position (jsonloc), so a valid style costs no locating.
 */
#include "stylejson.h"

#include "err.h"

#include <assert.h>
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stylejson_block {
	struct stylejson_block *next;
	alignas(max_align_t) unsigned char data[];
};

void *stylejson_alloc(struct stylejson *c, size_t size)
{
	struct stylejson_block *b = calloc(1, sizeof *b + size);
	if (!b)
		return NULL;
	b->next = *c->pool;
	*c->pool = b;
	return b->data;
}

char *stylejson_strdup(struct stylejson *c, const char *str)
{
	size_t n = strlen(str) + 1;
	char *p = stylejson_alloc(c, n);
	if (p)
		memcpy(p, str, n);
	return p;
}

void stylejson_pool_free(struct stylejson_block *pool)
{
	for (struct stylejson_block *b = pool, *next; b; b = next) {
		next = b->next;
		free(b);
	}
}

void stylejson_push_key(struct stylejson *c, const char *key)
{
	assert(c->depth < STYLEJSON_DEPTH);
	c->path[c->depth++] = (struct jsonloc_step){key, 0};
}

void stylejson_push_index(struct stylejson *c, size_t index)
{
	assert(c->depth < STYLEJSON_DEPTH);
	c->path[c->depth++] = (struct jsonloc_step){NULL, index};
}

void stylejson_pop(struct stylejson *c)
{
	assert(c->depth > 0);
	c->depth--;
}

/* "layers.heatmap.ramp[2].colour" into buf. */
static void path_string(const struct stylejson *c, char *buf, size_t size)
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

int stylejson_fail(struct stylejson *c, int at_key, const char *fmt, ...)
{
	char what[512], where[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	path_string(c, where, sizeof where);
	const char *sep = where[0] ? ": " : "";
	const char *p = jsonloc_find(c->text, c->path, c->depth, at_key);
	if (!p)
		return err_set(ERR_INVALID, "%s: %s%s%s", c->name, where, sep, what);
	int line, column;
	jsonloc_line_column(c->text, p, &line, &column);
	return err_set(ERR_INVALID, "%s:%d:%d: %s%s%s", c->name, line, column, where, sep, what);
}

int stylejson_nomem(struct stylejson *c)
{
	return err_set(ERR_NOMEM, "%s: out of memory", c->name);
}

const char *stylejson_type_name(const json_t *v)
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
int stylejson_check_keys(struct stylejson *c, json_t *obj, const char *const *allowed)
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
		stylejson_push_key(c, key);
		if (best)
			return stylejson_fail(c, 1, "unknown key, did you mean '%s'?", best);
		char list[400];
		return stylejson_fail(c, 1, "unknown key; expected one of %s",
		                      join(allowed, list, sizeof list));
	}
	return 0;
}

int stylejson_object(struct stylejson *c, json_t *v)
{
	if (!json_is_object(v))
		return stylejson_fail(c, 0, "expected an object, got %s", stylejson_type_name(v));
	return 0;
}

/* Pushes key and returns its value; NULL (nothing pushed) when absent. */
json_t *stylejson_enter(struct stylejson *c, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (v)
		stylejson_push_key(c, key);
	return v;
}

int stylejson_missing(struct stylejson *c, const char *key)
{
	return stylejson_fail(c, 0, "missing key '%s'", key);
}

/* ---- typed values ------------------------------------------------------ */

/* A getter's member: 1 with key pushed and *v its value when obj has it; 0
 * when it does not and is optional; ERR_INVALID when it is required. */
static int member(struct stylejson *c, json_t *obj, const char *key, int required, json_t **v)
{
	*v = stylejson_enter(c, obj, key);
	if (*v)
		return 1;
	return required ? stylejson_missing(c, key) : 0;
}

/* rc of reading the member, which is popped when it was read. */
static int popped(struct stylejson *c, int rc)
{
	if (rc == 0)
		stylejson_pop(c);
	return rc;
}

const struct stylejson_range STYLEJSON_ZOOM = {STYLE_ZOOM_MIN, STYLE_ZOOM_MAX, 0, 0};
const struct stylejson_range STYLEJSON_UNIT = {0, 1, 0, 0};
const struct stylejson_range STYLEJSON_PX = {0, 1000, 1, 0};

static int number(struct stylejson *c, json_t *v, const struct stylejson_range *r, double *out)
{
	if (!json_is_number(v))
		return stylejson_fail(c, 0, "expected a number, got %s", stylejson_type_name(v));
	double x = json_number_value(v);
	if (r->whole && x != floor(x))
		return stylejson_fail(c, 0, "%g is not a whole number", x);
	if (r->lo_open && !(x > r->lo)) {
		if (isinf(r->hi))
			return stylejson_fail(c, 0, "%g must be greater than %g", x, r->lo);
		return stylejson_fail(c, 0, "%g is out of range (greater than %g, at most %g)", x,
		                      r->lo, r->hi);
	}
	if (!(x >= r->lo && x <= r->hi))
		return stylejson_fail(c, 0, "%g is out of range (%g to %g)", x, r->lo, r->hi);
	*out = x;
	return 0;
}

int stylejson_get_number(struct stylejson *c, json_t *obj, const char *key, int required,
                         const struct stylejson_range *r, double *out)
{
	json_t *v;
	int rc = member(c, obj, key, required, &v);
	return rc > 0 ? popped(c, number(c, v, r, out)) : rc;
}

int stylejson_colour(struct stylejson *c, json_t *v, struct style_colour *out)
{
	if (!json_is_string(v))
		return stylejson_fail(c, 0, "expected a colour (#rrggbb or #rrggbbaa), got %s",
		                      stylejson_type_name(v));
	if (style_colour_parse(json_string_value(v), out) < 0)
		return stylejson_fail(c, 0, "'%.40s' is not a colour (#rrggbb or #rrggbbaa)",
		                      json_string_value(v));
	return 0;
}

int stylejson_get_colour(struct stylejson *c, json_t *obj, const char *key, int required,
                         struct style_colour *out)
{
	json_t *v;
	int rc = member(c, obj, key, required, &v);
	return rc > 0 ? popped(c, stylejson_colour(c, v, out)) : rc;
}

/* One of names (NULL-terminated) whose bit is set in mask; what names the
 * kind of thing in messages ("kernel"). */
static int read_enum(struct stylejson *c, json_t *v, const char *what, const char *const *names,
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
		return stylejson_fail(c, 0, "expected one of %s, got %s",
		                      join(allowed, list, sizeof list), stylejson_type_name(v));
	const char *text = json_string_value(v);
	for (size_t i = 0; names[i]; i++) {
		if ((mask & 1u << i) && strcmp(names[i], text) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	const char *article = strchr("aeiou", what[0]) ? "an" : "a";
	return stylejson_fail(c, 0, "'%.40s' is not %s %s; expected one of %s", text, article, what,
	                      join(allowed, list, sizeof list));
}

int stylejson_get_enum(struct stylejson *c, json_t *obj, const char *key, const char *what,
                       const char *const *names, unsigned mask, int *out)
{
	json_t *v;
	int rc = member(c, obj, key, 0, &v);
	return rc > 0 ? popped(c, read_enum(c, v, what, names, mask, out)) : rc;
}

int stylejson_get_string(struct stylejson *c, json_t *obj, const char *key, const char **out)
{
	json_t *v = stylejson_enter(c, obj, key);
	if (!v)
		return 0;
	if (!json_is_string(v))
		return stylejson_fail(c, 0, "expected a string, got %s", stylejson_type_name(v));
	*out = stylejson_strdup(c, json_string_value(v));
	stylejson_pop(c);
	return *out ? 0 : stylejson_nomem(c);
}

/* A number, or [[zoom, value], ...] with increasing zooms; values in r. */
static int read_zfunc(struct stylejson *c, json_t *v, const struct stylejson_range *r,
                      struct style_zfunc *out)
{
	memset(out, 0, sizeof *out);
	if (json_is_number(v)) {
		out->n = 1;
		return number(c, v, r, &out->value[0]);
	}
	if (!json_is_array(v))
		return stylejson_fail(c, 0,
		                      "expected a number or [[zoom, value], ...] stops, got %s",
		                      stylejson_type_name(v));
	size_t n = json_array_size(v);
	if (n < 1 || n > STYLE_STOPS_MAX)
		return stylejson_fail(c, 0, "expected 1 to %d [zoom, value] stops, got %zu",
		                      STYLE_STOPS_MAX, n);
	for (size_t i = 0; i < n; i++) {
		json_t *stop = json_array_get(v, i);
		stylejson_push_index(c, i);
		if (!json_is_array(stop))
			return stylejson_fail(c, 0, "expected a [zoom, value] pair, got %s",
			                      stylejson_type_name(stop));
		if (json_array_size(stop) != 2)
			return stylejson_fail(c, 0,
			                      "expected a [zoom, value] pair (2 numbers), got %zu",
			                      json_array_size(stop));
		stylejson_push_index(c, 0);
		int rc = number(c, json_array_get(stop, 0), &STYLEJSON_ZOOM, &out->zoom[i]);
		if (rc < 0)
			return rc;
		if (i > 0 && !(out->zoom[i] > out->zoom[i - 1]))
			return stylejson_fail(
			    c, 0,
			    "zoom %g is not above the previous stop's %g (stops must "
			    "increase)",
			    out->zoom[i], out->zoom[i - 1]);
		stylejson_pop(c);
		stylejson_push_index(c, 1);
		rc = number(c, json_array_get(stop, 1), r, &out->value[i]);
		if (rc < 0)
			return rc;
		stylejson_pop(c);
		stylejson_pop(c);
	}
	out->n = n;
	return 0;
}

int stylejson_get_zfunc(struct stylejson *c, json_t *obj, const char *key, int required,
                        const struct stylejson_range *r, struct style_zfunc *out)
{
	json_t *v;
	int rc = member(c, obj, key, required, &v);
	return rc > 0 ? popped(c, read_zfunc(c, v, r, out)) : rc;
}

int stylejson_get_dash(struct stylejson *c, json_t *obj, struct style_stroke *out)
{
	json_t *v = stylejson_enter(c, obj, "dash");
	if (!v)
		return 0;
	if (!json_is_array(v))
		return stylejson_fail(c, 0, "expected an array of dash lengths in px, got %s",
		                      stylejson_type_name(v));
	size_t n = json_array_size(v);
	if (n > STYLE_DASH_MAX)
		return stylejson_fail(c, 0, "at most %d dash lengths, got %zu", STYLE_DASH_MAX, n);
	for (size_t i = 0; i < n; i++) {
		stylejson_push_index(c, i);
		int rc = number(c, json_array_get(v, i), &STYLEJSON_PX, &out->dash[i]);
		if (rc < 0)
			return rc;
		stylejson_pop(c);
	}
	out->n_dash = n;
	stylejson_pop(c);
	return 0;
}

/* minzoom and maxzoom of obj. */
int stylejson_get_zoom(struct stylejson *c, json_t *obj, struct style_zoom *out)
{
	out->min = STYLE_ZOOM_MIN;
	out->max = STYLE_ZOOM_MAX;
	int rc = stylejson_get_number(c, obj, "minzoom", 0, &STYLEJSON_ZOOM, &out->min);
	if (rc == 0)
		rc = stylejson_get_number(c, obj, "maxzoom", 0, &STYLEJSON_ZOOM, &out->max);
	if (rc == 0 && out->max < out->min) {
		stylejson_push_key(c, "maxzoom");
		return stylejson_fail(c, 0, "maxzoom %g is below minzoom %g", out->max, out->min);
	}
	return rc;
}

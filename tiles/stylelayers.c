/*
 * stylelayers: each reader checks an object's keys before its values, so a
 * misspelt key is reported as such rather than as a missing one, and sets
 * the defaults of optional members before reading them (the getters leave
 * absent members alone). The schema is docs/styles.md.
 */
#include "stylelayers.h"

#include "trends.h"

#include <assert.h>
#include <math.h>
#include <string.h>

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

static const struct stylejson_range R_BANDWIDTH = {0, 20000, 1, 0};
static const struct stylejson_range R_BREAK = {0, INFINITY, 1, 0};
static const struct stylejson_range R_CHANGE = {-INFINITY, INFINITY, 0, 0};
static const struct stylejson_range R_CLASSES = {2, STYLE_CLASSES_MAX, 0, 1};

enum stroke_flags {
	STROKE_NO_COLOUR = 1, /* the colour comes from the data */
	STROKE_NO_DASH = 2,
};

static int rd_stroke(struct stylejson *c, json_t *v, int flags, struct style_stroke *out)
{
	static const char *const all[] = {"colour", "width", "dash", NULL};
	static const char *const no_colour[] = {"width", "dash", NULL};
	static const char *const no_dash[] = {"colour", "width", NULL};
	const char *const *keys = flags & STROKE_NO_COLOUR ? no_colour
	                          : flags & STROKE_NO_DASH ? no_dash
	                                                   : all;
	memset(out, 0, sizeof *out);
	int rc = stylejson_object(c, v);
	if (rc == 0)
		rc = stylejson_check_keys(c, v, keys);
	if (rc == 0 && !(flags & STROKE_NO_COLOUR))
		rc = stylejson_get_colour(c, v, "colour", 1, &out->colour);
	if (rc == 0)
		rc = stylejson_get_zfunc(c, v, "width", 1, &STYLEJSON_PX, &out->width);
	if (rc == 0 && !(flags & STROKE_NO_DASH))
		rc = stylejson_get_dash(c, v, out);
	return rc;
}

/* An optional stroke member, allocated in the style; *out stays NULL when
 * absent. */
static int get_stroke_opt(struct stylejson *c, json_t *obj, const char *key, int flags,
                          const struct style_stroke **out)
{
	json_t *v = stylejson_enter(c, obj, key);
	if (!v)
		return 0;
	struct style_stroke *st = stylejson_alloc(c, sizeof *st);
	if (!st)
		return stylejson_nomem(c);
	int rc = rd_stroke(c, v, flags, st);
	if (rc < 0)
		return rc;
	*out = st;
	stylejson_pop(c);
	return 0;
}

static int rd_fill(struct stylejson *c, json_t *v, const struct style_fill **out)
{
	static const char *const keys[] = {"colour", "opacity", NULL};
	struct style_fill *f = stylejson_alloc(c, sizeof *f);
	if (!f)
		return stylejson_nomem(c);
	f->opacity = 1;
	int rc = stylejson_object(c, v);
	if (rc == 0)
		rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_colour(c, v, "colour", 1, &f->colour);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "opacity", 0, &STYLEJSON_UNIT, &f->opacity);
	if (rc == 0)
		*out = f;
	return rc;
}

static int rd_halo(struct stylejson *c, json_t *v, const struct style_halo **out)
{
	static const char *const keys[] = {"colour", "width", NULL};
	struct style_halo *h = stylejson_alloc(c, sizeof *h);
	if (!h)
		return stylejson_nomem(c);
	int rc = stylejson_object(c, v);
	if (rc == 0)
		rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_colour(c, v, "colour", 1, &h->colour);
	if (rc == 0)
		rc = stylejson_get_zfunc(c, v, "width", 1, &STYLEJSON_PX, &h->width);
	if (rc == 0)
		*out = h;
	return rc;
}

/* fields: bit mask of the enum style_field values the layer has. */
/* fonts: the style being loaded, whose fonts a label names. */
static int rd_label(struct stylejson *c, const style *fonts, json_t *v, unsigned fields,
                    const struct style_label **out)
{
	static const char *const keys[] = {"field", "font",    "size",    "colour",
	                                   "halo",  "minzoom", "maxzoom", NULL};
	struct style_label *l = stylejson_alloc(c, sizeof *l);
	if (!l)
		return stylejson_nomem(c);
	int field = 0;
	while (!(fields & 1u << field))
		field++; /* the first the layer has */
	int rc = stylejson_object(c, v);
	if (rc == 0)
		rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_enum(c, v, "field", "label field", field_names, fields, &field);
	l->field = (enum style_field)field;
	if (rc < 0)
		return rc;
	json_t *f = stylejson_enter(c, v, "font");
	if (!f)
		return stylejson_missing(c, "font");
	if (!json_is_string(f))
		return stylejson_fail(c, 0, "expected the name of a font in fonts, got %s",
		                      stylejson_type_name(f));
	l->font = style_font(fonts, json_string_value(f));
	if (!l->font)
		return stylejson_fail(c, 0, "no font '%.40s' in fonts", json_string_value(f));
	stylejson_pop(c);
	rc = stylejson_get_zfunc(c, v, "size", 1, &STYLEJSON_PX, &l->size);
	if (rc == 0)
		rc = stylejson_get_colour(c, v, "colour", 1, &l->colour);
	if (rc == 0 && (f = stylejson_enter(c, v, "halo")) != NULL) {
		rc = rd_halo(c, f, &l->halo);
		if (rc == 0)
			stylejson_pop(c);
	}
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &l->zoom);
	if (rc == 0)
		*out = l;
	return rc;
}

static int get_label_opt(struct stylejson *c, const style *fonts, json_t *obj, unsigned fields,
                         const struct style_label **out)
{
	json_t *v = stylejson_enter(c, obj, "label");
	if (!v)
		return 0;
	int rc = rd_label(c, fonts, v, fields, out);
	if (rc == 0)
		stylejson_pop(c);
	return rc;
}

/* ---- layers ------------------------------------------------------------ */

#define AREA_FIELDS                                                                                \
	(1u << STYLE_FIELD_NAME_UZ | 1u << STYLE_FIELD_NAME_RU | 1u << STYLE_FIELD_NAME_EN |       \
	 1u << STYLE_FIELD_CODE)

static int rd_area(struct stylejson *c, const style *fonts, json_t *v, struct style_area **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "stroke", "fill", "label", NULL};
	struct style_area *a = stylejson_alloc(c, sizeof *a);
	if (!a)
		return stylejson_nomem(c);
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &a->zoom);
	if (rc < 0)
		return rc;
	json_t *m = stylejson_enter(c, v, "stroke");
	if (!m)
		return stylejson_missing(c, "stroke");
	rc = rd_stroke(c, m, 0, &a->stroke);
	if (rc < 0)
		return rc;
	stylejson_pop(c);
	if ((m = stylejson_enter(c, v, "fill")) != NULL) {
		rc = rd_fill(c, m, &a->fill);
		if (rc < 0)
			return rc;
		stylejson_pop(c);
	}
	rc = get_label_opt(c, fonts, v, AREA_FIELDS, &a->label);
	if (rc == 0)
		*out = a;
	return rc;
}

static int rd_choropleth(struct stylejson *c, json_t *v, struct style_choropleth **out)
{
	static const char *const keys[] = {"minzoom",        "maxzoom", "metric",
	                                   "classification", "classes", "colours",
	                                   "opacity",        "outline", NULL};
	struct style_colour colours[STYLE_STOPS_MAX];
	struct style_choropleth *ch = stylejson_alloc(c, sizeof *ch);
	if (!ch)
		return stylejson_nomem(c);
	int metric = STYLE_METRIC_COUNT, classify = STYLE_CLASSIFY_QUANTILE;
	ch->opacity = 1;
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &ch->zoom);
	if (rc == 0)
		rc = stylejson_get_enum(c, v, "metric", "metric", metric_names, ~0u, &metric);
	if (rc == 0)
		rc = stylejson_get_enum(c, v, "classification", "classification", classify_names,
		                        ~0u, &classify);
	if (rc < 0)
		return rc;
	ch->metric = (enum style_metric)metric;
	ch->classify = (enum style_classify)classify;

	json_t *a = stylejson_enter(c, v, "colours");
	if (!a)
		return stylejson_missing(c, "colours");
	if (!json_is_array(a))
		return stylejson_fail(c, 0, "expected an array of colours, got %s",
		                      stylejson_type_name(a));
	size_t n = json_array_size(a);
	if (n < 2 || n > STYLE_STOPS_MAX)
		return stylejson_fail(c, 0, "expected 2 to %d colours, got %zu", STYLE_STOPS_MAX,
		                      n);
	for (size_t i = 0; i < n; i++) {
		stylejson_push_index(c, i);
		rc = stylejson_colour(c, json_array_get(a, i), &colours[i]);
		if (rc < 0)
			return rc;
		stylejson_pop(c);
	}
	stylejson_pop(c);

	double classes = (double)(n < STYLE_CLASSES_MAX ? n : STYLE_CLASSES_MAX);
	rc = stylejson_get_number(c, v, "classes", 0, &R_CLASSES, &classes);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "opacity", 0, &STYLEJSON_UNIT, &ch->opacity);
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
			style_colour_lerp(&colours[j], &colours[j + 1], t - (double)j,
			                  &ch->colours[i]);
	}
	*out = ch;
	return 0;
}

/* The heatmap (change 0) or the change layer (change 1): the same entries
 * but breaks, which a change layer's are always (fixed, per km² per year,
 * decreases below 0 and increases above). The ramp goes to *ramp. */
static int rd_heatmap(struct stylejson *c, json_t *v, int change, style_ramp **ramp,
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
	struct style_heatmap *h = stylejson_alloc(c, sizeof *h);
	if (!h)
		return stylejson_nomem(c);
	int kernel = KDE_QUARTIC, interp = STYLE_INTERP_LINEAR, breaks = STYLE_BREAKS_FIXED;
	h->opacity = 1;
	int rc = stylejson_check_keys(c, v, change ? change_keys : keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &h->zoom);
	if (rc == 0)
		rc = stylejson_get_enum(c, v, "kernel", "kernel", kernel_names, ~0u, &kernel);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "bandwidth", 1, &R_BANDWIDTH, &h->bandwidth);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "opacity", 0, &STYLEJSON_UNIT, &h->opacity);
	if (rc == 0)
		rc = stylejson_get_enum(c, v, "interpolation", "interpolation", interp_names, ~0u,
		                        &interp);
	if (rc == 0 && !change)
		rc = stylejson_get_enum(c, v, "breaks", "kind of breaks", breaks_names, ~0u,
		                        &breaks);
	if (rc < 0)
		return rc;
	h->kernel = (enum kde_kernel)kernel;
	h->breaks = (enum style_breaks)breaks;

	json_t *a = stylejson_enter(c, v, "ramp");
	if (!a)
		return stylejson_missing(c, "ramp");
	if (!json_is_array(a))
		return stylejson_fail(c, 0,
		                      "expected an array of {\"value\", \"colour\"} stops, got %s",
		                      stylejson_type_name(a));
	size_t n = json_array_size(a);
	if (n < 2 || n > STYLE_STOPS_MAX)
		return stylejson_fail(c, 0, "a ramp needs 2 to %d stops, got %zu", STYLE_STOPS_MAX,
		                      n);
	for (size_t i = 0; i < n; i++) {
		json_t *stop = json_array_get(a, i);
		stylejson_push_index(c, i);
		rc = stylejson_object(c, stop);
		if (rc == 0)
			rc = stylejson_check_keys(c, stop, stop_keys);
		if (rc == 0)
			rc = stylejson_get_number(c, stop, "value", 1,
			                          change ? &R_CHANGE : &R_BREAK, &values[i]);
		if (rc < 0)
			return rc;
		if (i > 0 && !(values[i] > values[i - 1])) {
			stylejson_push_key(c, "value");
			return stylejson_fail(
			    c, 0,
			    "%g is not above the previous stop's %g (ramp values must "
			    "increase)",
			    values[i], values[i - 1]);
		}
		rc = stylejson_get_colour(c, stop, "colour", 1, &colours[i]);
		if (rc < 0)
			return rc;
		stylejson_pop(c);
	}
	/* A diverging ramp: one side alone would hide decreases or increases. */
	if (change && !(values[0] < 0 && values[n - 1] > 0))
		return stylejson_fail(
		    c, 0,
		    "a change ramp needs a negative value (decreases) and a positive "
		    "one (increases), got %g to %g",
		    values[0], values[n - 1]);
	rc = style_ramp_new(values, colours, n, (enum style_interp)interp, ramp);
	if (rc < 0)
		return rc;
	stylejson_pop(c);
	h->ramp = *ramp;
	*out = h;
	return 0;
}

static int rd_offences(struct stylejson *c, json_t *v, struct style_offences **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "radius",
	                                   "opacity", "stroke",  NULL};
	struct style_offences *o = stylejson_alloc(c, sizeof *o);
	if (!o)
		return stylejson_nomem(c);
	o->opacity = 1;
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &o->zoom);
	if (rc == 0)
		rc = stylejson_get_zfunc(c, v, "radius", 1, &STYLEJSON_PX, &o->radius);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "opacity", 0, &STYLEJSON_UNIT, &o->opacity);
	if (rc == 0)
		rc = get_stroke_opt(c, v, "stroke", STROKE_NO_DASH, &o->stroke);
	if (rc == 0)
		*out = o;
	return rc;
}

static int rd_zones(struct stylejson *c, const style *fonts, json_t *v, struct style_zones **out)
{
	static const char *const keys[] = {
	    "minzoom", "maxzoom", "fill_opacity", "stroke", "overlap", "label", NULL};
	static const char *const overlap_keys[] = {"style", "spacing", "width", NULL};
	struct style_zones *z = stylejson_alloc(c, sizeof *z);
	if (!z)
		return stylejson_nomem(c);
	int overlap = STYLE_OVERLAP_OUTLINE;
	z->overlap_spacing = (struct style_zfunc){.n = 1, .value = {6}};
	z->overlap_width = (struct style_zfunc){.n = 1, .value = {1}};
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &z->zoom);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "fill_opacity", 0, &STYLEJSON_UNIT,
		                          &z->fill_opacity);
	if (rc < 0)
		return rc;
	json_t *m = stylejson_enter(c, v, "stroke");
	if (!m)
		return stylejson_missing(c, "stroke");
	rc = rd_stroke(c, m, STROKE_NO_COLOUR, &z->stroke);
	if (rc < 0)
		return rc;
	stylejson_pop(c);
	if ((m = stylejson_enter(c, v, "overlap")) != NULL) {
		rc = stylejson_object(c, m);
		if (rc == 0)
			rc = stylejson_check_keys(c, m, overlap_keys);
		if (rc == 0 && !json_object_get(m, "style"))
			rc = stylejson_missing(c, "style");
		if (rc == 0)
			rc = stylejson_get_enum(c, m, "style", "overlap style", overlap_names, ~0u,
			                        &overlap);
		if (rc == 0)
			rc = stylejson_get_zfunc(c, m, "spacing", 0, &STYLEJSON_PX,
			                         &z->overlap_spacing);
		if (rc == 0)
			rc =
			    stylejson_get_zfunc(c, m, "width", 0, &STYLEJSON_PX, &z->overlap_width);
		if (rc < 0)
			return rc;
		stylejson_pop(c);
	}
	z->overlap = (enum style_overlap)overlap;
	rc = get_label_opt(c, fonts, v, 1u << STYLE_FIELD_NAME, &z->label);
	if (rc == 0)
		*out = z;
	return rc;
}

static int rd_tracks(struct stylejson *c, json_t *v, struct style_tracks **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "width",
	                                   "opacity", "casing",  NULL};
	struct style_tracks *t = stylejson_alloc(c, sizeof *t);
	if (!t)
		return stylejson_nomem(c);
	t->opacity = 1;
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &t->zoom);
	if (rc == 0)
		rc = stylejson_get_zfunc(c, v, "width", 1, &STYLEJSON_PX, &t->width);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "opacity", 0, &STYLEJSON_UNIT, &t->opacity);
	if (rc == 0)
		rc = get_stroke_opt(c, v, "casing", STROKE_NO_DASH, &t->casing);
	if (rc == 0)
		*out = t;
	return rc;
}

static int rd_hotspots(struct stylejson *c, const style *fonts, json_t *v,
                       struct style_hotspots **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "fill_opacity", "stroke",
	                                   "colours", "hatch",   "label",        NULL};
	static const char *const hatch_keys[] = {"spacing", "width", NULL};
	const char *looks[STYLE_HOTSPOT_LOOKS + 1] = {NULL};
	struct style_hotspots *h = stylejson_alloc(c, sizeof *h);
	if (!h)
		return stylejson_nomem(c);
	h->hatch_spacing = (struct style_zfunc){.n = 1, .value = {6}};
	h->hatch_width = (struct style_zfunc){.n = 1, .value = {1.5}};
	for (int i = 0; i < STYLE_HOTSPOT_LOOKS; i++)
		looks[i] = style_hotspot_look_name((enum style_hotspot_look)i);
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &h->zoom);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "fill_opacity", 0, &STYLEJSON_UNIT,
		                          &h->fill_opacity);
	if (rc < 0)
		return rc;
	json_t *m = stylejson_enter(c, v, "stroke");
	if (!m)
		return stylejson_missing(c, "stroke");
	if ((rc = rd_stroke(c, m, STROKE_NO_COLOUR, &h->stroke)) < 0)
		return rc;
	stylejson_pop(c);
	/* Every look the map draws is required: a layer with one left out
	 * would draw some status invisibly. Covered hotspots are drawn in
	 * their services' colours; "covered" only names the status apart. */
	if (!(m = stylejson_enter(c, v, "colours")))
		return stylejson_missing(c, "colours");
	rc = stylejson_object(c, m);
	if (rc == 0)
		rc = stylejson_check_keys(c, m, looks);
	h->colours[STYLE_HOTSPOT_COVERED] =
	    (struct style_colour){0x1a / 255.0, 0x96 / 255.0, 0x41 / 255.0, 1};
	for (int i = 0; rc == 0 && i < STYLE_HOTSPOT_LOOKS; i++)
		rc = stylejson_get_colour(c, m, looks[i], i != STYLE_HOTSPOT_COVERED,
		                          &h->colours[i]);
	if (rc < 0)
		return rc;
	stylejson_pop(c);
	if ((m = stylejson_enter(c, v, "hatch")) != NULL) {
		rc = stylejson_object(c, m);
		if (rc == 0)
			rc = stylejson_check_keys(c, m, hatch_keys);
		if (rc == 0)
			rc = stylejson_get_zfunc(c, m, "spacing", 0, &STYLEJSON_PX,
			                         &h->hatch_spacing);
		if (rc == 0)
			rc = stylejson_get_zfunc(c, m, "width", 0, &STYLEJSON_PX, &h->hatch_width);
		if (rc < 0)
			return rc;
		stylejson_pop(c);
	}
	rc = get_label_opt(c, fonts, v, 1u << STYLE_FIELD_RANK, &h->label);
	if (rc == 0)
		*out = h;
	return rc;
}

static_assert(STYLE_TREND_CATEGORIES == 2 * TRENDS_PATTERNS - 1, "a colour per trends category");

/* Every category is required, as the hotspots' looks are: one left out
 * would draw its cells invisibly. */
static int rd_trends(struct stylejson *c, json_t *v, struct style_trends **out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "opacity", "colours", NULL};
	const char *names[STYLE_TREND_CATEGORIES];
	int order[STYLE_TREND_CATEGORIES - 1], n = 0;
	struct style_trends *t = stylejson_alloc(c, sizeof *t);
	if (!t)
		return stylejson_nomem(c);
	/* Hot then cold, each in the patterns' order, as messages list them. */
	for (int sign = 1; sign >= -1; sign -= 2)
		for (int k = 1; k < TRENDS_PATTERNS; k++) {
			order[n] = sign * k;
			names[n++] = trends_category_name(sign * k);
		}
	names[n] = NULL;
	t->opacity = 1;
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &t->zoom);
	if (rc == 0)
		rc = stylejson_get_number(c, v, "opacity", 0, &STYLEJSON_UNIT, &t->opacity);
	if (rc < 0)
		return rc;
	json_t *m = stylejson_enter(c, v, "colours");
	if (!m)
		return stylejson_missing(c, "colours");
	rc = stylejson_object(c, m);
	if (rc == 0)
		rc = stylejson_check_keys(c, m, names);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = stylejson_get_colour(c, m, names[i], 1,
		                          &t->colours[order[i] + TRENDS_PATTERNS - 1]);
	if (rc < 0)
		return rc;
	stylejson_pop(c);
	*out = t;
	return 0;
}

/* An optional colour member, allocated in the style; *out stays NULL when
 * absent. */
static int get_colour_opt(struct stylejson *c, json_t *obj, const char *key,
                          const struct style_colour **out)
{
	if (!json_object_get(obj, key))
		return 0;
	struct style_colour *col = stylejson_alloc(c, sizeof *col);
	if (!col)
		return stylejson_nomem(c);
	*out = col;
	return stylejson_get_colour(c, obj, key, 1, col);
}

/* An optional member object read by rd into *out (NULL when absent). */
static int get_member_opt(struct stylejson *c, json_t *obj, const char *key,
                          int (*rd)(struct stylejson *c, json_t *v, void *out), void *out)
{
	json_t *v = stylejson_enter(c, obj, key);
	if (!v)
		return 0;
	int rc = stylejson_object(c, v);
	if (rc == 0)
		rc = rd(c, v, out);
	if (rc == 0)
		stylejson_pop(c);
	return rc;
}

static int rd_street(struct stylejson *c, json_t *v, void *out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "colour", "width",
	                                   "dash",    "casing",  NULL};
	struct style_street_look *s = stylejson_alloc(c, sizeof *s);
	if (!s)
		return stylejson_nomem(c);
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &s->zoom);
	if (rc == 0)
		rc = stylejson_get_colour(c, v, "colour", 1, &s->line.colour);
	if (rc == 0)
		rc = stylejson_get_zfunc(c, v, "width", 1, &STYLEJSON_PX, &s->line.width);
	if (rc == 0)
		rc = stylejson_get_dash(c, v, &s->line);
	if (rc == 0)
		rc = get_stroke_opt(c, v, "casing", STROKE_NO_DASH, &s->casing);
	if (rc == 0)
		*(const struct style_street_look **)out = s;
	return rc;
}

static int rd_streets(struct stylejson *c, json_t *v, void *out)
{
	static const char *const keys[] = {"major", "medium", "minor", "path", NULL};
	const struct style_street_look **streets = out;
	int rc = stylejson_check_keys(c, v, keys);
	for (int i = 0; rc == 0 && i < STYLE_STREETS; i++)
		rc = get_member_opt(c, v, keys[i], rd_street, &streets[i]);
	return rc;
}

static int rd_buildings(struct stylejson *c, json_t *v, void *out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "fill", "outline", NULL};
	struct style_basemap *b = out;
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &b->building_zoom);
	if (rc == 0)
		rc = get_colour_opt(c, v, "fill", &b->building_fill);
	if (rc == 0)
		rc = get_colour_opt(c, v, "outline", &b->building_outline);
	return rc;
}

static int rd_places(struct stylejson *c, json_t *v, void *out)
{
	static const char *const keys[] = {"minzoom", "maxzoom", "colour", "radius", NULL};
	struct style_basemap *b = out;
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &b->place_zoom);
	if (rc == 0)
		rc = get_colour_opt(c, v, "colour", &b->place);
	if (rc == 0)
		rc = stylejson_get_zfunc(c, v, "radius", 1, &STYLEJSON_PX, &b->place_radius);
	return rc;
}

static int rd_base(struct stylejson *c, const style *fonts, json_t *v, struct style_basemap **out)
{
	static const char *const keys[] = {
	    "minzoom",  "maxzoom",   "land",    "landuse", "park",  "water", "waterways",
	    "railways", "buildings", "streets", "places",  "label", NULL};
	struct style_basemap *b = stylejson_alloc(c, sizeof *b);
	if (!b)
		return stylejson_nomem(c);
	/* Absent parts draw nothing; their zooms must not hide what is there. */
	b->building_zoom = b->place_zoom = (struct style_zoom){0, 30};
	const char *areas[] = {"land", "landuse", "park", "water"};
	const struct style_colour **colours[] = {&b->land, &b->landuse, &b->park, &b->water};
	int rc = stylejson_check_keys(c, v, keys);
	if (rc == 0)
		rc = stylejson_get_zoom(c, v, &b->zoom);
	for (int i = 0; rc == 0 && i < 4; i++)
		rc = get_colour_opt(c, v, areas[i], colours[i]);
	if (rc == 0)
		rc = get_stroke_opt(c, v, "waterways", STROKE_NO_DASH, &b->waterways);
	if (rc == 0)
		rc = get_stroke_opt(c, v, "railways", 0, &b->railways);
	if (rc == 0)
		rc = get_member_opt(c, v, "buildings", rd_buildings, b);
	if (rc == 0)
		rc = get_member_opt(c, v, "streets", rd_streets, (void *)b->streets);
	if (rc == 0)
		rc = get_member_opt(c, v, "places", rd_places, b);
	if (rc == 0)
		rc = get_label_opt(c, fonts, v, 1u << STYLE_FIELD_NAME, &b->label);
	if (rc == 0)
		*out = b;
	return rc;
}

int stylelayers_read(struct stylejson *c, json_t *v, const style *fonts, struct stylelayers *out)
{
	static const char *const keys[] = {"districts", "mahallas", "choropleth", "heatmap",
	                                   "offences",  "zones",    "tracks",     "hotspots",
	                                   "change",    "trends",   "base",       NULL};
	int rc = stylejson_object(c, v);
	if (rc == 0)
		rc = stylejson_check_keys(c, v, keys);
	for (size_t i = 0; rc == 0 && keys[i]; i++) {
		json_t *m = stylejson_enter(c, v, keys[i]);
		if (!m)
			continue;
		rc = stylejson_object(c, m);
		if (rc < 0)
			break;
		switch (i) {
		case 0:
			rc = rd_area(c, fonts, m, &out->districts);
			break;
		case 1:
			rc = rd_area(c, fonts, m, &out->mahallas);
			break;
		case 2:
			rc = rd_choropleth(c, m, &out->choropleth);
			break;
		case 3:
			rc = rd_heatmap(c, m, 0, &out->heatmap_ramp, &out->heatmap);
			break;
		case 4:
			rc = rd_offences(c, m, &out->offences);
			break;
		case 5:
			rc = rd_zones(c, fonts, m, &out->zones);
			break;
		case 6:
			rc = rd_tracks(c, m, &out->tracks);
			break;
		case 7:
			rc = rd_hotspots(c, fonts, m, &out->hotspots);
			break;
		case 8:
			rc = rd_heatmap(c, m, 1, &out->change_ramp, &out->change);
			break;
		case 9:
			rc = rd_trends(c, m, &out->trends);
			break;
		default:
			rc = rd_base(c, fonts, m, &out->base);
		}
		if (rc == 0)
			stylejson_pop(c);
	}
	return rc;
}

void stylelayers_free(struct stylelayers *l)
{
	style_ramp_free(l->heatmap_ramp);
	style_ramp_free(l->change_ramp);
}

/* style: the default style, heatmap ramps, zoom functions, fonts, fallback
 * colours, and errors reported with the file, line and column of the offending value. */
#include "testutil.h"

#include "err.h"
#include "style.h"
#include "stylecolour.h"

#include <jansson.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const all_categories[] = {"theft",        "burglary", "robbery", "fraud",
                                             "hooliganism",  "assault",  "drugs",   "vehicle_theft",
                                             "road_traffic", "domestic"};
static const char *const all_services[] = {"prevention", "ppx",   "ypx",       "jqb",
                                           "migration",  "youth", "psychology"};

/* styles/default.json of the source tree into buf; skips without CTest. */
static const char *default_path(char *buf, size_t n)
{
	const char *src = getenv("POSBON_SOURCE_DIR");
	if (!src)
		skip();
	snprintf(buf, n, "%s/styles/default.json", src);
	return buf;
}

static style *load_default(void)
{
	char path[1024];
	style *s = NULL;
	int rc = style_load(default_path(path, sizeof path), &s);
	if (rc < 0)
		fail_msg("%s", err_msg());
	assert_non_null(s);
	return s;
}

static void assert_hex(const struct style_colour *c, const char *hex)
{
	struct style_colour want;
	assert_int_equal(style_colour_parse(hex, &want), 0);
	testutil_assert_colour(c, want.r, want.g, want.b, want.a);
}

/* ---- the default style ------------------------------------------------- */

static void test_default_has_every_layer(void **state)
{
	(void)state;
	style *s = load_default();
	struct style_colour bg;
	assert_string_equal(style_name(s), "default");
	assert_int_equal(style_background(s, &bg), 0); /* overlays any basemap */
	testutil_assert_colour(&bg, 0, 0, 0, 0);
	assert_non_null(style_districts(s));
	assert_non_null(style_mahallas(s));
	assert_non_null(style_choropleth(s));
	assert_non_null(style_heatmap(s));
	assert_non_null(style_change(s));
	assert_non_null(style_offences(s));
	assert_non_null(style_zones(s));
	assert_non_null(style_tracks(s));
	assert_non_null(style_trends(s));
	assert_non_null(style_districts(s)->label);
	assert_non_null(style_mahallas(s)->label);
	assert_non_null(style_zones(s)->label);
	struct style_colour c;
	for (size_t i = 0; i < sizeof all_categories / sizeof *all_categories; i++)
		assert_int_equal(style_category_colour(s, all_categories[i], &c), 1);
	for (size_t i = 0; i < sizeof all_services / sizeof *all_services; i++)
		assert_int_equal(style_service_colour(s, all_services[i], &c), 1);
	style_free(s);
}

/* Every category and service of the file, read with jansson, comes back
 * through the getters. */
static void test_default_codes_match_file(void **state)
{
	(void)state;
	char path[1024];
	json_error_t jerr;
	json_t *root = json_load_file(default_path(path, sizeof path), 0, &jerr);
	assert_non_null(root);
	style *s = load_default();
	const char *code;
	json_t *v;
	struct style_colour c;
	const struct style_category *cats;
	const struct style_service *svcs;
	json_t *cobj = json_object_get(root, "categories");
	assert_int_equal(style_categories(s, &cats), json_object_size(cobj));
	json_object_foreach(cobj, code, v)
	{
		assert_int_equal(style_category_colour(s, code, &c), 1);
		assert_hex(&c, json_string_value(json_object_get(v, "colour")));
		assert_float_equal(style_category_weight(s, code),
		                   json_number_value(json_object_get(v, "weight")), 1e-12);
	}
	json_t *sobj = json_object_get(root, "services");
	assert_int_equal(style_services(s, &svcs), json_object_size(sobj));
	json_object_foreach(sobj, code, v)
	{
		assert_int_equal(style_service_colour(s, code, &c), 1);
		assert_hex(&c, json_string_value(json_object_get(v, "colour")));
	}
	/* File order is kept for legends. */
	assert_string_equal(cats[0].code, "theft");
	assert_string_equal(svcs[0].code, "prevention");
	json_decref(root);
	style_free(s);
}

static void test_default_values(void **state)
{
	(void)state;
	style *s = load_default();

	const struct style_area *m = style_mahallas(s);
	assert_float_equal(m->zoom.min, 11, 0);
	assert_float_equal(m->zoom.max, 22, 0);
	assert_hex(&m->stroke.colour, "#9e9e9e");
	assert_float_equal(style_zfunc_eval(&m->stroke.width, 11), 0.5, 1e-12);
	assert_int_equal(m->stroke.n_dash, 0);
	assert_null(m->fill);
	assert_int_equal(m->label->field, STYLE_FIELD_NAME_UZ);
	assert_string_equal(m->label->font->name, "regular");
	assert_string_equal(m->label->font->family, "Noto Sans,DejaVu Sans");
	assert_int_equal(m->label->font->n_families, 2);
	assert_string_equal(m->label->font->families[1], "DejaVu Sans");
	assert_int_equal(m->label->font->weight, 400);
	assert_hex(&m->label->colour, "#4a4a4a");
	assert_non_null(m->label->halo);
	assert_hex(&m->label->halo->colour, "#ffffffcc");
	assert_float_equal(style_zfunc_eval(&m->label->halo->width, 15), 1.5, 1e-12);
	assert_float_equal(m->label->zoom.min, 13, 0);

	const struct style_area *d = style_districts(s);
	assert_string_equal(d->label->font->name, "bold");
	assert_int_equal(d->label->font->weight, 700);
	assert_float_equal(d->label->zoom.max, 13, 0);
	assert_hex(&d->stroke.colour, "#5c5c5c");

	const struct style_heatmap *h = style_heatmap(s);
	assert_int_equal(h->kernel, KDE_QUARTIC);
	assert_string_equal(kde_kernel_name(h->kernel), "quartic");
	assert_float_equal(h->bandwidth, 300, 0);
	assert_float_equal(h->opacity, 0.8, 1e-12);
	assert_int_equal(h->breaks, STYLE_BREAKS_FIXED);
	assert_int_equal(style_ramp_interp(h->ramp), STYLE_INTERP_LINEAR);
	assert_int_equal(style_ramp_size(h->ramp), 8);
	double v;
	struct style_colour c;
	style_ramp_stop(h->ramp, 0, &v, &c);
	assert_float_equal(v, 800, 0);
	assert_hex(&c, "#ffffb299");
	style_ramp_stop(h->ramp, 7, &v, &c);
	assert_float_equal(v, 30000, 0);
	assert_hex(&c, "#4d004b");
	/* Transparent below the lowest break: the mean density stays clear. */
	style_ramp_colour(h->ramp, 400, &c);
	testutil_assert_colour(&c, 0, 0, 0, 0);

	const struct style_choropleth *ch = style_choropleth(s);
	assert_int_equal(ch->metric, STYLE_METRIC_RATE);
	assert_int_equal(ch->classify, STYLE_CLASSIFY_QUANTILE);
	assert_int_equal(ch->classes, 5);
	assert_hex(&ch->colours[0], "#ffffb2");
	assert_hex(&ch->colours[4], "#bd0026");
	assert_non_null(ch->outline);

	const struct style_offences *o = style_offences(s);
	assert_float_equal(o->zoom.min, 14, 0);
	assert_float_equal(style_zfunc_eval(&o->radius, 16), 3.75, 1e-12);
	assert_non_null(o->stroke);

	const struct style_zones *z = style_zones(s);
	assert_float_equal(z->fill_opacity, 0.12, 1e-12);
	assert_int_equal(z->overlap, STYLE_OVERLAP_HATCH);
	assert_float_equal(style_zfunc_eval(&z->overlap_spacing, 12), 6, 0);
	assert_int_equal(z->label->field, STYLE_FIELD_NAME);

	const struct style_tracks *t = style_tracks(s);
	assert_float_equal(t->opacity, 0.85, 1e-12);
	assert_non_null(t->casing);
	style_free(s);
}

/* Checks in the calling process that each installed family of font has the
 * letters; returns 0 when all installed ones do, 1 (with a message) when one
 * lacks a letter, 77 when none is installed. */
static int probe_font_coverage(const struct style_font *f)
{
	static const gunichar letters[] = {'o',    'g',    0x02bb, 0x2018, 0x0416, 0x0451,
	                                   0x040e, 0x045e, 0x049a, 0x0493, 0x04b3};
	PangoFontMap *map = pango_cairo_font_map_new();
	PangoContext *ctx = pango_font_map_create_context(map);
	int installed = 0, bad = 0;
	for (size_t i = 0; i < f->n_families; i++) {
		PangoFontDescription *want = pango_font_description_new();
		pango_font_description_set_family(want, f->families[i]);
		pango_font_description_set_absolute_size(want, 12 * PANGO_SCALE);
		PangoFont *font = pango_font_map_load_font(map, ctx, want);
		PangoFontDescription *got = font ? pango_font_describe(font) : NULL;
		/* fontconfig substitutes another family when one is missing. */
		if (got && strcmp(pango_font_description_get_family(got), f->families[i]) == 0) {
			installed++;
			for (size_t k = 0; k < sizeof letters / sizeof *letters; k++) {
				if (!pango_font_has_char(font, letters[k])) {
					fprintf(stderr, "%s lacks U+%04X\n", f->families[i],
					        (unsigned)letters[k]);
					bad = 1;
				}
			}
		}
		pango_font_description_free(got);
		if (font)
			g_object_unref(font);
		pango_font_description_free(want);
	}
	g_object_unref(ctx);
	g_object_unref(map);
	return bad ? 1 : installed ? 0 : 77;
}

/* The default fonts that are installed have the letters of Uzbek Latin
 * (oʻ gʻ with U+02BB, or U+2018 as often typed), Uzbek Cyrillic and
 * Russian. The probe runs in a child that leaves with _exit(), so that
 * fontconfig's process-lifetime caches are not taken for leaks of ours.
 * Skips when none of the families is installed. */
static void test_default_fonts_cover_uzbek_and_cyrillic(void **state)
{
	(void)state;
	style *s = load_default();
	const struct style_font *f = style_font(s, "regular");
	assert_non_null(f);
	assert_true(f->n_families >= 1);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(probe_font_coverage(f));
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	style_free(s);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- heatmap ramps and zoom functions ---------------------------------- */

static void test_heatmap_ramp_units(void **state)
{
	(void)state;
	style *s = load_default();
	const struct style_heatmap *h = style_heatmap(s);
	style_ramp *r = NULL;
	double v;
	/* Fixed breaks are per year: a 30-day window scales them by 30/365.25. */
	assert_int_equal(style_heatmap_ramp(h, 0, 30, &r), 0);
	style_ramp_stop(r, 0, &v, NULL);
	assert_float_equal(v, 800 * 30 / 365.25, 1e-9);
	style_ramp_free(r);
	assert_int_equal(style_heatmap_ramp(h, 0, 0, &r), ERR_INVALID);
	assert_null(r);
	style_free(s);

	/* Auto breaks are multiples of the mean density of the dataset. */
	const char *text = "{\"version\": 1, \"layers\": {\"heatmap\": {\"bandwidth\": 250,"
	                   " \"breaks\": \"auto\", \"kernel\": \"epanechnikov\", \"ramp\": ["
	                   "{\"value\": 2, \"colour\": \"#ffffb2\"},"
	                   "{\"value\": 10, \"colour\": \"#bd0026\"}]}}}";
	assert_int_equal(style_parse(text, "auto.json", &s), 0);
	h = style_heatmap(s);
	assert_int_equal(h->breaks, STYLE_BREAKS_AUTO);
	assert_int_equal(h->kernel, KDE_EPANECHNIKOV);
	assert_float_equal(h->opacity, 1, 0);
	assert_int_equal(style_heatmap_ramp(h, 400, 0, &r), 0);
	style_ramp_stop(r, 1, &v, NULL);
	assert_float_equal(v, 4000, 1e-9);
	style_ramp_free(r);
	assert_int_equal(style_heatmap_ramp(h, 0, 365, &r), ERR_INVALID);
	assert_null(style_districts(s)); /* layers the style omits are not drawn */
	style_free(s);
}

static void test_label_size_interpolation(void **state)
{
	(void)state;
	style *s = load_default();
	const struct style_label *l = style_mahallas(s)->label; /* [[13, 10], [17, 13]] */
	assert_float_equal(style_label_size(l, 5), 10, 1e-12);
	assert_float_equal(style_label_size(l, 13), 10, 1e-12);
	assert_float_equal(style_label_size(l, 15), 11.5, 1e-12);
	assert_float_equal(style_label_size(l, 16.5), 12.625, 1e-12);
	assert_float_equal(style_label_size(l, 17), 13, 1e-12);
	assert_float_equal(style_label_size(l, 22), 13, 1e-12);
	style_free(s);

	const struct style_zfunc three = {3, {10, 12, 16}, {1, 3, 4}};
	assert_float_equal(style_zfunc_eval(&three, 11), 2, 1e-12);
	assert_float_equal(style_zfunc_eval(&three, 12), 3, 1e-12);
	assert_float_equal(style_zfunc_eval(&three, 14), 3.5, 1e-12);
	const struct style_zfunc one = {1, {0}, {2.5}};
	assert_float_equal(style_zfunc_eval(&one, 18), 2.5, 0);
	const struct style_zoom z = {11, 16};
	assert_true(style_zoom_contains(&z, 11));
	assert_true(style_zoom_contains(&z, 16));
	assert_false(style_zoom_contains(&z, 16.01));
	assert_false(style_zoom_contains(&z, NAN));
}

static void test_fallback_colours(void **state)
{
	(void)state;
	style *s = load_default();
	struct style_colour a, b, grey;
	assert_int_equal(style_category_colour(s, "arson", &a), 0);
	assert_int_equal(style_category_colour(s, "arson", &b), 0);
	testutil_assert_colour(&a, b.r, b.g, b.b, 1); /* stable */
	assert_int_equal(style_service_colour(s, "arson", &b), 0);
	testutil_assert_colour(&a, b.r, b.g, b.b, 1); /* one palette for every code */
	assert_int_equal(style_category_colour(s, NULL, &grey), 0);
	assert_int_equal(style_category_colour(s, "", &b), 0);
	testutil_assert_colour(&grey, b.r, b.g, b.b, 1);
	assert_float_equal(style_category_weight(s, "arson"), 1, 0);
	assert_float_equal(style_category_weight(s, NULL), 1, 0);
	assert_float_equal(style_category_weight(s, "robbery"), 2, 0);
	/* The fallback is stylecolour's, for categories and services alike. */
	style_colour_fallback("arson", &b);
	testutil_assert_colour(&a, b.r, b.g, b.b, b.a);
	style_free(s);
}

/* ---- errors ------------------------------------------------------------ */

struct fixture {
	char *dir;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* Writes text to DIR/x.json, loads it, and checks that it fails with
 * ERR_INVALID and the message "DIR/x.json:" + want. */
static void expect_error(struct fixture *f, const char *text, const char *want)
{
	char path[700], full[1600];
	style *s = (style *)1;
	testutil_path(path, sizeof path, f->dir, "x.json");
	testutil_write(path, text);
	assert_int_equal(style_load(path, &s), ERR_INVALID);
	assert_null(s);
	snprintf(full, sizeof full, "%s:%s", path, want);
	if (strcmp(err_msg(), full) != 0)
		fail_msg("got      '%s'\nexpected '%s'", err_msg(), full);
}

/* A small valid style to break in each test, one thing per line. */
#define HEAD                                                                                       \
	"{\n"                                                                                      \
	"  \"version\": 1,\n"                                                                      \
	"  \"fonts\": {\"regular\": {\"families\": [\"Noto Sans\"]}},\n"

static void test_valid_small_style(void **state)
{
	struct fixture *f = *state;
	char path[700];
	style *s = NULL;
	testutil_path(path, sizeof path, f->dir, "ok.json");
	testutil_write(path, HEAD "  \"layers\": {}\n}\n");
	assert_int_equal(style_load(path, &s), 0);
	assert_null(style_heatmap(s));
	assert_string_equal(style_name(s), "");
	style_free(s);
}

static void test_syntax_error(void **state)
{
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"heatmap\": {\"bandwidth\": 300,, }\n"
	                  "  }\n"
	                  "}\n",
	             "5:34: string or '}' expected near ','");
	expect_error(*state, HEAD "  \"version\": 1\n}\n",
	             "4:11: duplicate object key near '\"version\"'");
	expect_error(*state, "", "1:0: '[' or '{' expected near end of file");
}

static void test_wrong_type(void **state)
{
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"heatmap\": {\n"
	                  "      \"bandwidth\": \"300\"\n"
	                  "    }\n"
	                  "  }\n"
	                  "}\n",
	             "6:20: layers.heatmap.bandwidth: expected a number, got a string");
	expect_error(*state, "[1, 2]", "1:1: expected an object, got an array");
	expect_error(*state, HEAD "  \"layers\": []\n}\n",
	             "4:13: layers: expected an object, got an array");
}

/* The hotspots layer: every look's colour but covered's is required and
 * checked where it stands; the label shows the rank only. */
static void test_hotspots_layer(void **state)
{
#define HOTSPOTS(colours, label)                                                                   \
	HEAD "  \"layers\": {\n"                                                                   \
	     "    \"hotspots\": {\n"                                                               \
	     "      \"stroke\": {\"width\": 2},\n"                                                 \
	     "      \"colours\": {" colours "}" label "\n"                                         \
	     "    }\n"                                                                             \
	     "  }\n"                                                                               \
	     "}\n"
#define LOOKS                                                                                      \
	"\"hotspot\": \"#d7301f\", \"gap\": \"#e31a1c\", \"joint\": \"#2b8cbe\", "                 \
	"\"overlap\": \"#7b3294\", \"unvisited\": \"#d7191c\", \"short\": \"#f39c12\", "
	expect_error(*state, HOTSPOTS(LOOKS "\"met\": \"green\"", ""),
	             "7:152: layers.hotspots.colours.met: 'green' is not a colour (#rrggbb or "
	             "#rrggbbaa)");
	expect_error(*state, HOTSPOTS(LOOKS "\"mett\": \"#1a9641\"", ""),
	             "7:145: layers.hotspots.colours.mett: unknown key, did you mean 'met'?");
	expect_error(
	    *state,
	    HOTSPOTS(LOOKS "\"met\": \"#1a9641\"",
	             ", \"label\": {\"field\": \"name\", \"font\": \"regular\", "
	             "\"size\": 12, \"colour\": \"#000000\"}"),
	    "7:183: layers.hotspots.label.field: 'name' is not a label field; expected one of "
	    "rank");
	/* "covered" is optional: green unless the style gives it */
	const char *texts[2] = {
	    HOTSPOTS(LOOKS "\"met\": \"#1a9641\"", ""),
	    HOTSPOTS(LOOKS "\"met\": \"#1a9641\", \"covered\": \"#112233\"", "")};
	const char *want[2] = {"#1a9641", "#112233"};
	for (int i = 0; i < 2; i++) {
		struct fixture *f = *state;
		char path[700];
		style *st = NULL;
		testutil_path(path, sizeof path, f->dir, "covered.json");
		testutil_write(path, texts[i]);
		assert_int_equal(style_load(path, &st), 0);
		assert_hex(&style_hotspots(st)->colours[STYLE_HOTSPOT_COVERED], want[i]);
		style_free(st);
	}
#undef LOOKS
#undef HOTSPOTS
}

static void test_bad_colour(void **state)
{
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"heatmap\": {\n"
	                  "      \"bandwidth\": 300,\n"
	                  "      \"ramp\": [\n"
	                  "        {\"value\": 1, \"colour\": \"#ffffb2\"},\n"
	                  "        {\"value\": 2, \"colour\": \"#fd8d3c\"},\n"
	                  "        {\"value\": 3,   \"colour\": \"#ff00zz\"}\n"
	                  "      ]\n"
	                  "    }\n"
	                  "  }\n"
	                  "}\n",
	             "10:34: layers.heatmap.ramp[2].colour: '#ff00zz' is not a colour "
	             "(#rrggbb or #rrggbbaa)");
	/* Columns count characters: the Uzbek letters before it are one each,
	 * and escaped quotes and brackets inside strings are skipped. */
	expect_error(*state,
	             HEAD "  \"name\": \"Oʻgʻ \\\"{[\", \"background\": \"#fff\",\n"
	                  "  \"layers\": {}\n"
	                  "}\n",
	             "4:38: background: '#fff' is not a colour (#rrggbb or #rrggbbaa)");
	/* Keys written with escapes are found by their decoded text. */
	expect_error(*state,
	             HEAD "  \"categories\": {\n"
	                  "    \"theft\": {\"colour\": \"#4e79a7\"},\n"
	                  "    \"th\\u0065ft2\": {\"colour\": 12}\n"
	                  "  },\n"
	                  "  \"layers\": {}\n"
	                  "}\n",
	             "6:31: categories.theft2.colour: expected a colour (#rrggbb or #rrggbbaa), "
	             "got a number");
}

static void test_unknown_key(void **state)
{
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"heatmap\": {\"bandwith\": 300}\n"
	                  "  }\n"
	                  "}\n",
	             "5:17: layers.heatmap.bandwith: unknown key, did you mean 'bandwidth'?");
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"tracks\": {\"width\": 2, \"colour\": \"#000000\"}\n"
	                  "  }\n"
	                  "}\n",
	             "5:28: layers.tracks.colour: unknown key; expected one of minzoom, maxzoom, "
	             "width, opacity, casing");
	expect_error(*state,
	             HEAD "  \"background\": \"#ffffff\", \"layers\": {},\n"
	                  "  \"categories\": {\"theft\": {\"color\": \"#4e79a7\"}}\n"
	                  "}\n",
	             "5:28: categories.theft.color: unknown key, did you mean 'colour'?");
	expect_error(
	    *state,
	    HEAD "  \"layers\": {\"mahallas\": {\"stroke\": {\"colour\": \"#9e9e9e\",\n"
	         "    \"width\": [[12, 1], [14]]}}}\n"
	         "}\n",
	    "5:24: layers.mahallas.stroke.width[1]: expected a [zoom, value] pair (2 numbers), "
	    "got 1");
	expect_error(*state, HEAD "  \"layers\": {\"roads\": {}}\n}\n",
	             "4:14: layers.roads: unknown key; expected one of districts, mahallas, "
	             "choropleth, heatmap, offences, zones, tracks, hotspots, change, trends, base");
}

static void test_unknown_kernel(void **state)
{
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"heatmap\": {\n"
	                  "      \"kernel\": \"gaussian\",\n"
	                  "      \"bandwidth\": 300\n"
	                  "    }\n"
	                  "  }\n"
	                  "}\n",
	             "6:17: layers.heatmap.kernel: 'gaussian' is not a kernel; expected one of "
	             "quartic, triangular, uniform, triweight, epanechnikov");
}

static void test_ramp_not_increasing(void **state)
{
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"heatmap\": {\n"
	                  "      \"bandwidth\": 300,\n"
	                  "      \"ramp\": [\n"
	                  "        {\"value\": 800, \"colour\": \"#ffffb2\"},\n"
	                  "        {\"value\": 500, \"colour\": \"#fd8d3c\"}\n"
	                  "      ]\n"
	                  "    }\n"
	                  "  }\n"
	                  "}\n",
	             "9:19: layers.heatmap.ramp[1].value: 500 is not above the previous stop's "
	             "800 (ramp values must increase)");
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"heatmap\": {\"bandwidth\": 300,\n"
	                  "      \"ramp\": [{\"value\": 800, \"colour\": \"#ffffb2\"}]}\n"
	                  "  }\n"
	                  "}\n",
	             "6:15: layers.heatmap.ramp: a ramp needs 2 to 16 stops, got 1");
}

/* The change layer: a diverging ramp (negative and positive values) in
 * fixed units, no kind of breaks; scaled to a period as the heatmap's. */
static void test_change_layer(void **state)
{
#define CHANGE(extra, lo, hi)                                                                      \
	HEAD "  \"layers\": {\n"                                                                   \
	     "    \"change\": {\"bandwidth\": 300," extra "\n"                                     \
	     "      \"ramp\": [\n"                                                                 \
	     "        {\"value\": " lo ", \"colour\": \"#2166ac\"},\n"                             \
	     "        {\"value\": " hi ", \"colour\": \"#b2182b\"}\n"                              \
	     "      ]\n"                                                                           \
	     "    }\n"                                                                             \
	     "  }\n"                                                                               \
	     "}\n"
	expect_error(*state, CHANGE("", "100", "800"),
	             "6:15: layers.change.ramp: a change ramp needs a negative value (decreases) "
	             "and a positive one (increases), got 100 to 800");
	expect_error(*state, CHANGE("", "-800", "-100"),
	             "6:15: layers.change.ramp: a change ramp needs a negative value (decreases) "
	             "and a positive one (increases), got -800 to -100");
	expect_error(*state, CHANGE("", "800", "-800"),
	             "8:19: layers.change.ramp[1].value: -800 is not above the previous stop's "
	             "800 (ramp values must increase)");
	expect_error(*state, CHANGE(" \"breaks\": \"auto\",", "-800", "800"),
	             "5:34: layers.change.breaks: unknown key; expected one of minzoom, maxzoom, "
	             "kernel, bandwidth, opacity, interpolation, ramp");

	style *s;
	assert_int_equal(style_parse(CHANGE("", "-730.5", "730.5"), NULL, &s), 0);
	const struct style_heatmap *c = style_change(s);
	assert_non_null(c);
	assert_null(style_heatmap(s));
	style_ramp *r;
	double v;
	assert_int_equal(style_heatmap_ramp(c, 0, 14, &r), 0); /* 730.5 a year: 28 in 14 days */
	style_ramp_stop(r, 0, &v, NULL);
	assert_float_equal(v, -28, 1e-12);
	style_ramp_stop(r, 1, &v, NULL);
	assert_float_equal(v, 28, 1e-12);
	style_ramp_free(r);
	style_free(s);
#undef CHANGE
}

/* The trends layer: a colour for every category but no pattern, checked
 * where it stands; no pattern stays transparent. */
static void test_trends_layer(void **state)
{
#define TRENDS(colours)                                                                            \
	HEAD "  \"layers\": {\n"                                                                   \
	     "    \"trends\": {\"opacity\": 0.5,\n"                                                \
	     "      \"colours\": {" colours "}\n"                                                  \
	     "    }\n"                                                                             \
	     "  }\n"                                                                               \
	     "}\n"
#define HOT                                                                                        \
	"\"new hot spot\": \"#fcbba1\", \"consecutive hot spot\": \"#fc9272\", "                   \
	"\"intensifying hot spot\": \"#d62f27\", \"persistent hot spot\": \"#ed7551\", "           \
	"\"diminishing hot spot\": \"#fab984\", \"sporadic hot spot\": \"#fdd49e\", "              \
	"\"oscillating hot spot\": \"#99000d\", \"historical hot spot\": \"#c9a397\", "
#define COLD                                                                                       \
	"\"new cold spot\": \"#c6dbef\", \"consecutive cold spot\": \"#9ecae1\", "                 \
	"\"intensifying cold spot\": \"#4575b5\", \"persistent cold spot\": \"#849eba\", "         \
	"\"diminishing cold spot\": \"#c0ccbe\", \"sporadic cold spot\": \"#deebf7\", "            \
	"\"oscillating cold spot\": \"#08306b\", "
	expect_error(*state, TRENDS(HOT COLD "\"historical cold spot\": \"grey\""),
	             "6:552: layers.trends.colours.historical cold spot: 'grey' is not a colour "
	             "(#rrggbb or #rrggbbaa)");
	expect_error(*state, TRENDS(HOT "\"new cold spot\": \"#c6dbef\""),
	             "6:18: layers.trends.colours: missing key 'consecutive cold spot'");
	expect_error(*state, TRENDS(HOT COLD "\"historic cold spot\": \"#a3adbd\""),
	             "6:528: layers.trends.colours.historic cold spot: unknown key, did you mean "
	             "'historical cold spot'?");
	expect_error(
	    *state,
	    TRENDS(HOT COLD "\"historical cold spot\": \"#a3adbd\", "
	                    "\"no pattern\": \"#ffffff\""),
	    "6:563: layers.trends.colours.no pattern: unknown key; expected one of new hot "
	    "spot, consecutive hot spot, intensifying hot spot, persistent hot spot, "
	    "diminishing hot spot, sporadic hot spot, oscillating hot spot, historical hot "
	    "spot, new cold spot, consecutive cold spot, intensifying cold spot, persistent "
	    "cold spot, diminishing cold spot, sporadic cold spot, oscillating cold spot, "
	    "historical cold spot");

	style *s;
	assert_int_equal(
	    style_parse(TRENDS(HOT COLD "\"historical cold spot\": \"#a3adbd\""), NULL, &s), 0);
	const struct style_trends *t = style_trends(s);
	assert_non_null(t);
	assert_float_equal(t->opacity, 0.5, 0);
	assert_hex(&t->colours[8 + 3], "#d62f27");          /* intensifying hot */
	assert_hex(&t->colours[8 - 8], "#a3adbd");          /* historical cold */
	testutil_assert_colour(&t->colours[8], 0, 0, 0, 0); /* no pattern */
	style_free(s);
#undef COLD
#undef HOT
#undef TRENDS
}

static void test_zoom_out_of_range(void **state)
{
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"mahallas\": {\n"
	                  "      \"minzoom\": 23,\n"
	                  "      \"stroke\": {\"colour\": \"#9e9e9e\", \"width\": 1}\n"
	                  "    }\n"
	                  "  }\n"
	                  "}\n",
	             "6:18: layers.mahallas.minzoom: 23 is out of range (0 to 22)");
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"mahallas\": {\n"
	                  "      \"stroke\": {\"colour\": \"#9e9e9e\", \"width\": 1},\n"
	                  "      \"label\": {\"font\": \"regular\", \"colour\": \"#000000\",\n"
	                  "                \"size\": [[12, 10], [25, 14]]}\n"
	                  "    }\n"
	                  "  }\n"
	                  "}\n",
	             "8:37: layers.mahallas.label.size[1][0]: 25 is out of range (0 to 22)");
	expect_error(*state,
	             HEAD "  \"layers\": {\n"
	                  "    \"tracks\": {\"width\": 2, \"minzoom\": 14, \"maxzoom\": 12}\n"
	                  "  }\n"
	                  "}\n",
	             "5:54: layers.tracks.maxzoom: maxzoom 12 is below minzoom 14");
}

static void test_other_errors(void **state)
{
	/* A missing key points at the object that lacks it. */
	expect_error(*state,
	             HEAD "  \"layers\": {\n    \"heatmap\": {\"bandwidth\": 300}\n  }\n}\n",
	             "5:16: layers.heatmap: missing key 'ramp'");
	expect_error(*state,
	             HEAD "  \"layers\": {\n    \"zones\": {\"stroke\": {\"width\": -1}}\n  }\n}\n",
	             "5:35: layers.zones.stroke.width: -1 is out of range (greater than 0, at "
	             "most 1000)");
	expect_error(
	    *state,
	    HEAD "  \"layers\": {\n"
	         "    \"zones\": {\"stroke\": {\"width\": 1},\n"
	         "      \"label\": {\"font\": \"bold\", \"size\": 10, \"colour\": \"#000000\"}}\n"
	         "  }\n"
	         "}\n",
	    "6:25: layers.zones.label.font: no font 'bold' in fonts");
	expect_error(
	    *state,
	    HEAD "  \"layers\": {\n"
	         "    \"zones\": {\"stroke\": {\"width\": 1},\n"
	         "      \"label\": {\"field\": \"name_uz\", \"font\": \"regular\", \"size\": 10,"
	         " \"colour\": \"#000000\"}}\n"
	         "  }\n"
	         "}\n",
	    "6:26: layers.zones.label.field: 'name_uz' is not a label field; expected "
	    "one of name");
	expect_error(*state, "{\"version\": 2, \"layers\": {}}",
	             "1:13: version: version 2 is not supported (this build reads version 1)");
	expect_error(*state, "{\"version\": 1}", "1:1: missing key 'layers'");
	expect_error(
	    *state,
	    HEAD "  \"layers\": {\n"
	         "    \"choropleth\": {\"colours\": [\"#ffffb2\", \"#bd0026\"], \"classes\": 2.5}\n"
	         "  }\n"
	         "}\n",
	    "5:66: layers.choropleth.classes: 2.5 is not a whole number");
}

static void test_load_io_errors(void **state)
{
	struct fixture *f = *state;
	char path[700];
	style *s = NULL;
	testutil_path(path, sizeof path, f->dir, "absent.json");
	assert_int_equal(style_load(path, &s), ERR_IO);
	assert_null(s);
	assert_non_null(strstr(err_msg(), "absent.json"));
	testutil_path(path, sizeof path, f->dir, "nul.json");
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite("{\"version\": 1,\0 \"layers\": {}}", 1, 30, fp), 30);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(style_load(path, &s), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "NUL"));
}

/* Choropleth colours are sampled evenly to the number of classes. */
static void test_choropleth_resampling(void **state)
{
	(void)state;
	style *s = NULL;
	const char *text = "{\"version\": 1, \"layers\": {\"choropleth\": {\"classes\": 3,"
	                   " \"colours\": [\"#000000\", \"#ffffff\"]}}}";
	assert_int_equal(style_parse(text, NULL, &s), 0);
	const struct style_choropleth *ch = style_choropleth(s);
	assert_int_equal(ch->classes, 3);
	assert_int_equal(ch->metric, STYLE_METRIC_COUNT);
	testutil_assert_colour(&ch->colours[0], 0, 0, 0, 1);
	testutil_assert_colour(&ch->colours[1], 0.5, 0.5, 0.5, 1);
	testutil_assert_colour(&ch->colours[2], 1, 1, 1, 1);
	assert_null(ch->outline);
	style_free(s);
	/* Messages without a file use the name given, or "style". */
	assert_int_equal(style_parse("{\"version\": 1, \"layers\": 3}", NULL, &s), ERR_INVALID);
	assert_string_equal(err_msg(), "style:1:26: layers: expected an object, got a number");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_has_every_layer),
	    cmocka_unit_test(test_default_codes_match_file),
	    cmocka_unit_test(test_default_values),
	    cmocka_unit_test(test_default_fonts_cover_uzbek_and_cyrillic),
	    cmocka_unit_test(test_heatmap_ramp_units),
	    cmocka_unit_test(test_label_size_interpolation),
	    cmocka_unit_test(test_fallback_colours),
	    cmocka_unit_test(test_choropleth_resampling),
	    cmocka_unit_test_setup_teardown(test_valid_small_style, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_type, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hotspots_layer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_colour, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_kernel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ramp_not_increasing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_change_layer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_trends_layer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zoom_out_of_range, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_other_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_io_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "testutil.h"

#include "err.h"
#include "sample.h"
#include "stylecolour.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *testutil_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/posbon-test-XXXXXX", base && *base ? base : "/tmp");
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	return strdup(dir);
}

void testutil_rmtree(char *dir)
{
	if (!dir)
		return;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(dir);
}

const char *testutil_path(char *buf, size_t n, const char *dir, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
	return buf;
}

const char *testutil_shared_data(void)
{
	static char path[1024];
	struct stat sb;
	const char *src = getenv("POSBON_SOURCE_DIR");
	if (!src)
		return NULL;
	snprintf(path, sizeof path, "%s/../shared/data", src);
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return NULL;
	return path;
}

void testutil_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

const char *testutil_put_file(char *buf, size_t n, const char *dir, const char *name,
                              const char *text)
{
	testutil_path(buf, n, dir, name);
	testutil_write(buf, text);
	return buf;
}

const struct import_reason *testutil_reason(const struct import_report *rep, const char *needle)
{
	for (size_t i = 0; i < rep->n_reasons; i++)
		if (strstr(rep->reasons[i].text, needle))
			return &rep->reasons[i];
	return NULL;
}

struct png_reader {
	const unsigned char *data;
	size_t len, pos;
};

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int length)
{
	struct png_reader *r = closure;
	if (r->pos + length > r->len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->data + r->pos, length);
	r->pos += length;
	return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *testutil_png_decode(const unsigned char *png, size_t len)
{
	assert_true(len > 8 && memcmp(png, "\x89PNG", 4) == 0);
	struct png_reader rd = {png, len, 0};
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png, &rd);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	return s;
}

cairo_surface_t *testutil_render_decoded(renderer *r, const struct render_request *q)
{
	unsigned char *png;
	size_t len;
	assert_int_equal(render_png(r, q, &png, &len), 0);
	cairo_surface_t *s = testutil_png_decode(png, len);
	free(png);
	return s;
}

uint32_t testutil_pixel(cairo_surface_t *img, int x, int y)
{
	assert_true(x >= 0 && x < cairo_image_surface_get_width(img) && y >= 0 &&
	            y < cairo_image_surface_get_height(img));
	cairo_surface_flush(img);
	const unsigned char *d = cairo_image_surface_get_data(img);
	return *(const uint32_t *)(d + (size_t)y * cairo_image_surface_get_stride(img) + 4 * x);
}

int testutil_pixels_close(uint32_t a, uint32_t b, int tol)
{
	for (int sh = 0; sh < 32; sh += 8)
		if (abs((int)(a >> sh & 255) - (int)(b >> sh & 255)) > tol)
			return 0;
	return 1;
}

int testutil_seam(renderer *r, const struct render_request *q, int z, long x, long y)
{
	struct render_request west = *q, east = *q, wide;
	cairo_surface_t *ia, *ib, *iw;
	assert_int_equal(view_for_tile(z, x, y, 256, &west.view), 0);
	assert_int_equal(view_for_tile(z, x + 1, y, 256, &east.view), 0);
	wide = west;
	wide.view.width = 512;
	assert_int_equal(render_image(r, &west, &ia), 0);
	assert_int_equal(render_image(r, &east, &ib), 0);
	assert_int_equal(render_image(r, &wide, &iw), 0);
	int differ = 0, painted = 0;
	for (int j = 0; j < 256; j++) {
		differ += testutil_pixel(ia, 255, j) != testutil_pixel(iw, 255, j);
		differ += testutil_pixel(ib, 0, j) != testutil_pixel(iw, 256, j);
		painted += testutil_pixel(iw, 255, j) != 0;
	}
	assert_int_equal(differ, 0);
	cairo_surface_destroy(ia);
	cairo_surface_destroy(ib);
	cairo_surface_destroy(iw);
	return painted;
}

int testutil_pixel_is(uint32_t p, const struct style_colour *c, int tol)
{
	return testutil_pixels_close(p, style_colour_pixel(c), tol);
}

void testutil_assert_colour(const struct style_colour *c, double r, double g, double b, double a)
{
	assert_float_equal(c->r, r, 1e-9);
	assert_float_equal(c->g, g, 1e-9);
	assert_float_equal(c->b, b, 1e-9);
	assert_float_equal(c->a, a, 1e-9);
}

int testutil_db_open(void **state)
{
	struct testutil_db *f = calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	testutil_path(f->path, sizeof f->path, f->dir, "t.sqlite");
	if (store_open(f->path, STORE_CREATE, &f->st) < 0) {
		fprintf(stderr, "%s\n", err_msg());
		return -1;
	}
	*state = f;
	return 0;
}

int testutil_db_close(void **state)
{
	struct testutil_db *f = *state;
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

int testutil_sample_store(const char *dir, long offences, int mahallas, store **out)
{
	char path[700];
	struct sample_options o;
	struct sample_report rep;
	int rc;
	sample_defaults(&o);
	o.offences = offences;
	o.mahallas = mahallas;
	testutil_path(path, sizeof path, dir, "sample.sqlite");
	if ((rc = sample_end_day("2026-06-30", &o.end_day)) < 0 ||
	    (rc = store_open(path, STORE_CREATE, out)) < 0)
		return rc;
	o.now = o.end_day; /* the period is over, whatever the clock says */
	return sample_generate(*out, &o, &rep);
}

int testutil_rendered_open(void **state, long offences, int mahallas)
{
	struct testutil_rendered *f = calloc(1, sizeof *f);
	const char *src = getenv("POSBON_SOURCE_DIR");
	char style[1024];
	*state = NULL;
	if (!f || !src) {
		fprintf(stderr, "setup: %s\n",
		        f ? "POSBON_SOURCE_DIR is not set" : "out of memory");
		free(f);
		return -1;
	}
	snprintf(style, sizeof style, "%s/styles/default.json", src);
	f->dir = testutil_tmpdir();
	*state = f;
	if (testutil_sample_store(f->dir, offences, mahallas, &f->st) < 0 ||
	    renderer_open(f->st, style, NULL, &f->r) < 0) {
		fprintf(stderr, "setup: %s\n", err_msg());
		testutil_rendered_close(state);
		*state = NULL;
		return -1;
	}
	return 0;
}

int testutil_rendered_close(void **state)
{
	struct testutil_rendered *f = *state;
	if (!f)
		return 0;
	renderer_free(f->r);
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

size_t testutil_line_wkb(unsigned char *buf, double x0, double y0, double x1, double y1)
{
	uint32_t type = isnan(x1) ? 1 : 2, n = 2;
	double xy[4] = {x0, y0, x1, y1};
	buf[0] = 1;
	memcpy(buf + 1, &type, 4);
	if (type == 1) {
		memcpy(buf + 5, xy, 16);
		return 21;
	}
	memcpy(buf + 5, &n, 4);
	memcpy(buf + 9, xy, 32);
	return 41;
}

size_t testutil_square_wkb(unsigned char *buf, double x0, double y0, double x1, double y1)
{
	const double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
	const uint32_t type = 3, rings = 1, n = 5;
	buf[0] = 1; /* little-endian, as every machine this runs on */
	memcpy(buf + 1, &type, 4);
	memcpy(buf + 5, &rings, 4);
	memcpy(buf + 9, &n, 4);
	memcpy(buf + 13, xy, sizeof xy);
	return 13 + sizeof xy;
}

void testutil_l_district(store *st)
{
	unsigned char wkb[128];
	struct store_put_info info;
	struct store_area d = {.code = "D1", .population = -1, .households = -1, .wkb = wkb};
	d.wkb_len = testutil_square_wkb(wkb, 69.20, 41.30, 69.224, 41.336);
	assert_int_equal(store_put_district(st, &d, &info), 0);
	d.code = "D2";
	d.wkb_len = testutil_square_wkb(wkb, 69.224, 41.30, 69.248, 41.318);
	assert_int_equal(store_put_district(st, &d, &info), 0);
	assert_int_equal(store_ensure_category(st, "theft", "Theft"), 0);
	assert_int_equal(store_ensure_category(st, "fraud", "Fraud"), 0);
}

void testutil_put_offence(store *st, const char *id, double lon, double lat, int64_t from,
                          int64_t to, const char *category)
{
	struct store_put_info info;
	struct store_offence o = {.external_id = id,
	                          .occurred_from = from,
	                          .occurred_to = to,
	                          .precision = from == to ? PREC_MINUTE : PREC_SPAN,
	                          .reported_at = STORE_NO_TIME,
	                          .category = category,
	                          .has_point = 1,
	                          .lon = lon,
	                          .lat = lat};
	assert_int_equal(store_put_offence(st, &o, &info), 0);
}

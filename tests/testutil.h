/*
 * testutil: helpers shared by the cmocka tests: temporary folders (tests
 * write nowhere else) and the location of ../shared/data.
 */
#ifndef POSBON_TESTUTIL_H
#define POSBON_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "import.h"
#include "render.h"
#include "store.h"
#include "style.h"

#include <cairo.h>
#include <stdint.h>

/* A new temporary folder, removed with everything in it by testutil_rmtree().
 * Returns a malloc'd path. */
char *testutil_tmpdir(void);

/* Removes a folder made by testutil_tmpdir() and frees the path; accepts NULL. */
void testutil_rmtree(char *dir);

/* path joined under dir into buf. */
const char *testutil_path(char *buf, size_t n, const char *dir, const char *name);

/* The real datasets folder (../shared/data beside the source tree), or NULL
 * when it is absent; tests that need it skip. */
const char *testutil_shared_data(void);

/* Writes text to a file; fails the test on error. */
void testutil_write(const char *path, const char *text);

/* Writes text to name in dir (testutil_write()); returns the path, in buf. */
const char *testutil_put_file(char *buf, size_t n, const char *dir, const char *name,
                              const char *text);

/* The group of an import report whose reason contains needle, or NULL. */
const struct import_reason *testutil_reason(const struct import_report *rep, const char *needle);

/* A fresh database in a temporary folder, for cmocka setup/teardown:
 * *state becomes a struct testutil_db. */
struct testutil_db {
	char *dir;
	char path[600];
	store *st;
};

int testutil_db_open(void **state);
int testutil_db_close(void **state);

/* A sample district (seed 1, a year ending 2026-06-30) of offences and
 * mahallas in dir/sample.sqlite: *out is the open store. 0, or the error of
 * the failing step (err_msg() says which), for cmocka setups. */
int testutil_sample_store(const char *dir, long offences, int mahallas, store **out);

/* testutil_sample_store() with a renderer of the default style of
 * $POSBON_SOURCE_DIR, for cmocka group setup/teardown: *state becomes a
 * struct testutil_rendered (NULL when the setup fails, err_msg() printed). */
struct testutil_rendered {
	char *dir;
	store *st;
	renderer *r;
};

int testutil_rendered_open(void **state, long offences, int mahallas);
int testutil_rendered_close(void **state);

/* Little-endian WKB of the lon/lat box x0..x1 by y0..y1 as a Polygon into
 * buf (at least 93 bytes); returns its length. */
size_t testutil_square_wkb(unsigned char *buf, double x0, double y0, double x1, double y1);

/* Little-endian WKB of the LineString (x0, y0)-(x1, y1), or of the Point
 * (x0, y0) when x1 is NAN, into buf (at least 41 bytes); returns its length. */
size_t testutil_line_wkb(unsigned char *buf, double x0, double y0, double x1, double y1);

/* The L-shaped district of the Gi* and trends tests near Tashkent: D1
 * (69.200..69.224 by 41.300..41.336) and D2 (69.224..69.248 by
 * 41.300..41.318), about 4 x 4 km with the north-east quarter missing, and
 * the categories theft and fraud; fails the test on error. */
void testutil_l_district(store *st);

/* Stores a located offence of category (a code that exists) that occurred
 * from..to (UTC seconds; equal for an exact minute); fails the test on
 * error. */
void testutil_put_offence(store *st, const char *id, double lon, double lat, int64_t from,
                          int64_t to, const char *category);

/* PNG bytes decoded by Cairo's own reader (an image surface; destroy it);
 * fails the test on bytes that are not a PNG. */
cairo_surface_t *testutil_png_decode(const unsigned char *png, size_t len);

/* Renders q to PNG bytes and decodes them again: the real path. */
cairo_surface_t *testutil_render_decoded(renderer *r, const struct render_request *q);

/* The premultiplied ARGB32 pixel (x, y) of an image surface (flushed first);
 * fails the test outside the image. */
uint32_t testutil_pixel(cairo_surface_t *img, int x, int y);

/* Whether two premultiplied ARGB32 pixels differ by at most tol in every
 * channel. */
int testutil_pixels_close(uint32_t a, uint32_t b, int tol);

/* Renders q at tile z/x/y, at its east neighbour and as one 512 px wide
 * picture of both (q's own view unused): fails the test unless both tiles'
 * pixels along their shared edge equal the wide picture's. Returns how many
 * of the wide picture's pixels on the western tile's edge are painted. */
int testutil_seam(renderer *r, const struct render_request *q, int z, long x, long y);

/* Whether pixel p is colour c (straight alpha) within tol per channel. */
int testutil_pixel_is(uint32_t p, const struct style_colour *c, int tol);

/* Fails the test unless c is (r, g, b, a) within 1e-9 per component. */
void testutil_assert_colour(const struct style_colour *c, double r, double g, double b, double a);

#endif

#include "wkb.h"

#include "err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Collections deeper than this are refused rather than followed: WKB from
 * outside must not exhaust the stack. */
#define MAX_DEPTH 16

struct walk {
	const unsigned char *b;
	size_t len, at;
	wkb_run_fn fn;
	void *ctx;
	double *xy;
	size_t cap;
};

static int bad(const struct walk *w, const char *what)
{
	return err_set_field(ERR_GEOMETRY, "geometry", "WKB: %s at byte %zu", what, w->at);
}

static int u32(struct walk *w, int swap, uint32_t *out)
{
	if (w->len - w->at < 4)
		return bad(w, "cut short");
	uint32_t v;
	memcpy(&v, w->b + w->at, 4);
	w->at += 4;
	*out = swap ? __builtin_bswap32(v) : v;
	return 0;
}

/* n points of dims ordinates each into w->xy (x and y kept). */
static int points(struct walk *w, int swap, uint32_t n, int dims)
{
	size_t bytes = (size_t)dims * 8;
	if (n > (w->len - w->at) / bytes)
		return bad(w, "more points than bytes");
	if (n > w->cap) {
		size_t cap = n < 64 ? 64 : n;
		double *xy = realloc(w->xy, cap * 2 * sizeof *xy);
		if (!xy)
			return err_set(ERR_NOMEM, "WKB: out of memory");
		w->xy = xy;
		w->cap = cap;
	}
	for (uint32_t i = 0; i < n; i++, w->at += bytes)
		for (int k = 0; k < 2; k++) {
			uint64_t v;
			memcpy(&v, w->b + w->at + 8 * (size_t)k, 8);
			if (swap)
				v = __builtin_bswap64(v);
			memcpy(&w->xy[2 * i + (uint32_t)k], &v, 8);
		}
	return 0;
}

static int geometry(struct walk *w, int depth)
{
	uint32_t type, n;
	int rc;
	if (depth > MAX_DEPTH)
		return bad(w, "collections nested too deep");
	if (w->at >= w->len)
		return bad(w, "cut short");
	unsigned char order = w->b[w->at++];
	if (order > 1)
		return bad(w, "byte order neither 0 nor 1");
	int swap = order != (*(const unsigned char *)&(uint16_t){1});
	if ((rc = u32(w, swap, &type)) < 0)
		return rc;
	int dims = 2;
	/* EWKB: Z, M and SRID flags in the high bits. */
	dims += !!(type & 0x80000000u) + !!(type & 0x40000000u);
	if (type & 0x20000000u) {
		uint32_t srid;
		if ((rc = u32(w, swap, &srid)) < 0)
			return rc;
	}
	type &= 0x0fffffffu;
	/* ISO: 1000 Z, 2000 M, 3000 ZM. */
	dims += type / 1000 == 3 ? 2 : type / 1000 >= 1 ? 1 : 0;
	type %= 1000;
	switch (type) {
	case 1:
		if ((rc = points(w, swap, 1, dims)) < 0)
			return rc;
		return w->fn(w->ctx, WKB_POINT, w->xy, 1);
	case 2:
		if ((rc = u32(w, swap, &n)) < 0 || (rc = points(w, swap, n, dims)) < 0)
			return rc;
		return w->fn(w->ctx, WKB_LINE, w->xy, n);
	case 3: {
		uint32_t rings;
		if ((rc = u32(w, swap, &rings)) < 0)
			return rc;
		for (uint32_t r = 0; r < rings; r++) {
			if ((rc = u32(w, swap, &n)) < 0 || (rc = points(w, swap, n, dims)) < 0)
				return rc;
			if ((rc = w->fn(w->ctx, r ? WKB_HOLE : WKB_SHELL, w->xy, n)) != 0)
				return rc;
		}
		return 0;
	}
	case 4:
	case 5:
	case 6:
	case 7:
		if ((rc = u32(w, swap, &n)) < 0)
			return rc;
		/* Each member takes at least its 5-byte header. */
		if (n > (w->len - w->at) / 5)
			return bad(w, "more members than bytes");
		for (uint32_t i = 0; i < n; i++)
			if ((rc = geometry(w, depth + 1)) != 0)
				return rc;
		return 0;
	}
	w->at -= 4;
	return bad(w, "not a point, line, polygon or collection");
}

int wkb_walk(const unsigned char *wkb, size_t len, wkb_run_fn fn, void *ctx)
{
	struct walk w = {.b = wkb, .len = wkb ? len : 0, .fn = fn, .ctx = ctx};
	int rc = geometry(&w, 0);
	free(w.xy);
	return rc;
}

/*
 * styleramp: a ramp is one allocation, the stops in fixed arrays and, for a
 * linear ramp, the lookup table after them.
 */
#include "styleramp.h"

#include "err.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

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
			style_colour_lerp(&colours[i], &colours[i + 1], (double)k / (LUT_SIZE - 1),
			                  &c);
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
	style_colour_lerp(&r->colour[i], &r->colour[i + 1], t, out);
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

/*
 * styleramp: colour ramps - stops of (value, colour) that colour a figure,
 * with a per-pixel lookup fast enough for the heatmap.
 *
 * A ramp has 2..STYLE_STOPS_MAX stops with strictly increasing values.
 * Below the first value (and for NaN) the colour is transparent. At and
 * above a stop's value:
 *  - STYLE_INTERP_LINEAR: colours are interpolated component-wise (r, g, b,
 *    a, straight alpha) between that stop and the next; the last stop's
 *    colour holds above the last value;
 *  - STYLE_INTERP_STEP: the stop's colour holds until the next value.
 * A ramp also keeps a table of 256 premultiplied pixels per segment, so
 * style_ramp_pixel() costs a binary search over the stops and one load.
 *
 * Ownership: a ramp from style_ramp_new() or style_ramp_scaled() belongs to
 * the caller; free it with style_ramp_free(). A style's own ramps (struct
 * style_heatmap's) belong to the style.
 *
 * Threading: a ramp is immutable once made; any number of threads may read
 * it at once.
 */
#ifndef POSBON_STYLERAMP_H
#define POSBON_STYLERAMP_H

#include "stylecolour.h"

#include <stddef.h>
#include <stdint.h>

#define STYLE_STOPS_MAX 16 /* stops of a ramp, and of a zoom function (style.h) */

typedef struct style_ramp style_ramp;

enum style_interp {
	STYLE_INTERP_LINEAR,
	STYLE_INTERP_STEP,
};

/* Returns a new ramp from n values and colours in *out; free with
 * style_ramp_free(). ERR_INVALID for n outside 2..STYLE_STOPS_MAX, values
 * that are not finite or not strictly increasing, or components outside
 * 0..1; ERR_NOMEM. The choropleth painter builds its step ramp with this
 * from the class breaks it computes and style_choropleth's colours. */
int style_ramp_new(const double *values, const struct style_colour *colours, size_t n,
                   enum style_interp interp, style_ramp **out);

/* Frees a ramp made by style_ramp_new(), style_ramp_scaled() or
 * style_heatmap_ramp(); accepts NULL. Never call it on a style's own ramp. */
void style_ramp_free(style_ramp *r);

/* A new ramp like r with every value multiplied by factor (finite, > 0);
 * free with style_ramp_free(). ERR_INVALID, ERR_NOMEM. */
int style_ramp_scaled(const style_ramp *r, double factor, style_ramp **out);

size_t style_ramp_size(const style_ramp *r);
enum style_interp style_ramp_interp(const style_ramp *r);

/* Stop i (< style_ramp_size()) for legends; either out pointer may be NULL. */
void style_ramp_stop(const style_ramp *r, size_t i, double *value, struct style_colour *colour);

/* The exact colour at value (transparent black below the first stop). */
void style_ramp_colour(const style_ramp *r, double value, struct style_colour *out);

/* The colour at value as a premultiplied ARGB32 pixel (0 below the first
 * stop), from the lookup table: exact at the stops, within 1/255 of
 * style_ramp_colour() between them. Meant for the heatmap's per-pixel loop. */
uint32_t style_ramp_pixel(const style_ramp *r, double value);

#endif

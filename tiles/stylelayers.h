/*
 * stylelayers: the "layers" object of a style file, read into the typed
 * layer structs of style.h, with the strokes, fills and labels they share.
 *
 * Part of the style loader (style.c): it reads with a stylejson reader
 * positioned at "layers", after the fonts, which labels name.
 *
 * Ownership: the layer structs live in the reader's pool; the heatmap's and
 * the change layer's ramps are separate objects that struct stylelayers
 * owns until stylelayers_free().
 *
 * Threading: as stylejson; once read, as a loaded style.
 */
#ifndef POSBON_STYLELAYERS_H
#define POSBON_STYLELAYERS_H

#include "style.h"
#include "stylejson.h"

/* Each layer, or NULL when the file does not have it. */
struct stylelayers {
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
	struct style_basemap *base;
};

/* Reads the layers object v into *out (zeroed by the caller); labels look
 * their fonts up in fonts, the style being loaded. 0, or ERR_INVALID with
 * the message set and the reader's path at the problem; ERR_NOMEM. On
 * failure *out may hold ramps: free it with stylelayers_free() all the
 * same. */
int stylelayers_read(struct stylejson *c, json_t *v, const style *fonts, struct stylelayers *out);

/* Frees the ramps; the rest goes with the pool. */
void stylelayers_free(struct stylelayers *l);

#endif

/*
 * labels: text labels of one picture, placed without collisions and drawn
 * with Pango.
 *
 * Painters add labels (text, style, an anchor and the radius of a circle
 * around it inside the labelled shape); labels_draw() then ranks them,
 * places each at the first free candidate position (the anchor, then a line
 * up or down and a little sideways, staying inside the circle) and draws
 * them with their halo. A label whose text is wider than LABELS_FIT times
 * the circle's diameter is not drawn rather than spilling over neighbours.
 *
 * Tiles are seamless: positions are computed in world pixels (frame units
 * divided by the resolution, the same in every tile of a zoom), and the
 * decision for a label depends only on the label and its neighbours, never
 * on the tile. A label is refused when one of its candidate boxes would
 * overlap any candidate box of a label ranked before it, placed or not; so
 * no two placed labels overlap, and no chain of decisions reaches further
 * than one neighbour. A painter adds every label anchored within
 * labels_frame_box() (the picture plus 3 x LABELS_REACH px), which holds
 * every neighbour of every label that can touch the picture; labels
 * crossing the picture's edge are drawn partially, and the neighbouring tile
 * draws the rest at the same place. Candidates reaching further than
 * LABELS_REACH px from their anchor are not used.
 *
 * A print (LABELS_INSIDE) is one picture, whose decisions need agree with
 * no neighbour's: a label there is refused only when each of its
 * positions meets a label placed before it or a reserved box (a hotspot's
 * marker, the scale bar), and it has more of them (its centre anywhere on
 * two rings inside the circle, eight ways); it also refuses positions not
 * inside the picture by LABELS_MARGIN px. There a label that asks for it
 * (callout) and is too wide for its shape, or finds no room inside, stands
 * beside the shape, joined to its anchor by a leader line: a small patrol
 * zone on a district's page is still named.
 *
 * Text is laid out by Pango with the style's font families, weight and
 * slant at an absolute pixel size, unhinted, so that a label measures the
 * same on every tile and at every scale.
 *
 * Threading: a labels object belongs to one thread; it uses that thread's
 * default PangoCairo font map.
 */
#ifndef POSBON_LABELS_H
#define POSBON_LABELS_H

#include "style.h"
#include "view.h"

#include <cairo.h>
#include <stddef.h>

typedef struct labels labels;

#define LABELS_REACH  160.0 /* style px: the farthest a label's box reaches from its anchor */
#define LABELS_MARGIN 2.0   /* style px kept free around each label and inside a print */
#define LABELS_FIT    1.6   /* widest text, in diameters of the shape's inscribed circle */

enum labels_edges {
	LABELS_SEAMLESS, /* tiles: labels may cross the edge; neighbours draw the rest */
	LABELS_INSIDE,   /* a single picture (print): labels lie inside it */
};

/* Which layer's labels win: a lower rank is placed first. */
enum labels_rank {
	LABELS_RANK_HOTSPOT, /* a hotspot's number: the planner's first concern */
	LABELS_RANK_DISTRICT,
	LABELS_RANK_ZONE,
	LABELS_RANK_MAHALLA,
	LABELS_RANK_STREET, /* the ground's names yield to every thematic label */
	LABELS_RANK_PLACE,
};

struct labels_item {
	const char *text;                /* UTF-8; copied */
	const struct style_label *style; /* borrowed until labels_free() */
	double x, y;                     /* anchor, frame units */
	double r;                        /* circle around the anchor inside the shape, frame
	                                    units; 0: no fit test, the anchor only */
	enum labels_rank rank;
	/* A label along a line (a street's name): centred on the anchor,
	 * turned by angle (radians, clockwise on the picture, within +-pi/2
	 * so that it reads left to right), drawn only when it fits length
	 * (frame units) and only there. 0: an ordinary label. */
	double length, angle;
	double size; /* times the style's size (the wall screen's larger names); 0: 1 */
	double zoom; /* the zoom its style is read at (the ground's on paper); 0: the view's */
	int callout; /* on a print, may stand outside the circle with a leader line */
};

/* A label that labels_draw() placed: its box in device pixels of the view,
 * halo included. */
struct labels_placed {
	const char *text;
	double x0, y0, x1, y1;
	double ax, ay; /* its anchor, device pixels */
};

/* Returns a new, empty set of labels for a picture of view v (copied) in
 * *out; free with labels_free(). ERR_NOMEM. */
int labels_new(const struct view *v, enum labels_edges edges, labels **out);

/* Frees the labels; accepts NULL. */
void labels_free(labels *lb);

/* The frame box (minx, miny, maxx, maxy) whose shapes' labels a painter adds:
 * the picture padded by 3 x LABELS_REACH px. */
void labels_frame_box(const labels *lb, double box[4]);

/* For a picture whose labels lie inside it (LABELS_INSIDE): 1, and in box
 * the frame box they must lie in (the picture less the margin). 0 for
 * seamless tiles, where a label's place must not depend on the picture. */
int labels_inside(const labels *lb, double box[4]);

/* Keeps labels out of the box (x0, y0, x1, y1) in device pixels of the
 * view: what the page draws over the map there (a scale bar). ERR_NOMEM. */
int labels_reserve(labels *lb, double x0, double y0, double x1, double y1);

/* Adds a label. Nothing is added when the text is NULL or empty or the
 * style's own zoom range excludes the view's zoom (the caller checks its
 * layer's). ERR_INVALID for text that is not UTF-8, ERR_NOMEM. */
int labels_add(labels *lb, const struct labels_item *it);

/* Places the labels added since the last call, ranked by rank, then larger
 * circle first, then text and anchor, avoiding the labels of earlier calls,
 * and draws those that touch the picture into cr (user space = the view's
 * device pixels). ERR_NOMEM. */
int labels_draw(labels *lb, cairo_t *cr);

/* The labels placed so far, in placement order (also those outside the
 * picture); points *out at a borrowed array valid until the next call. */
size_t labels_placed(const labels *lb, const struct labels_placed **out);

/* The number of characters of text that the first installed family of font
 * has no glyph for (Pango's font fallback off), in *count. ERR_INVALID for
 * text that is not UTF-8. */
int labels_unknown_glyphs(const struct style_font *font, const char *text, int *count);

#endif

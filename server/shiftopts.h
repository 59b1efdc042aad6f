/*
 * shiftopts: the command-line options that choose a shift's hotspots
 * (shift, weekdays, period, categories, services, share, cell, bandwidth,
 * style, time zone), shared by the commands built on them (hotspots,
 * coverage), so that they read them alike.
 *
 * Ownership: the struct's strings point into argv; shiftopts_find() opens
 * the store and the renderer for the caller, who closes them.
 */
#ifndef POSBON_SHIFTOPTS_H
#define POSBON_SHIFTOPTS_H

#include "hotspot.h"
#include "opts.h"
#include "params.h"
#include "render.h"
#include "store.h"

struct shiftopts {
	const char *hours, *days, *style_path, *tz;
	struct dataset_filter_text ft;
	double share, cell, bandwidth;
};

/* The defaults: the default style (datapath), the default share and cell. */
void shiftopts_defaults(struct shiftopts *o);

/* The rows of an option table (struct opt) for o's fields. */
#define SHIFTOPTS_TABLE(o)                                                                           \
	{"shift",                                                                                    \
	 OPT_STRING,                                                                                 \
	 &(o)->hours,                                                                                \
	 "H-H",                                                                                      \
	 "shift hours, e.g. 18:00-02:00 or 18-02 (default: the whole day)",                          \
	 0,                                                                                          \
	 0,                                                                                          \
	 0},                                                                                         \
	    {"weekdays",                                                                             \
	     OPT_STRING,                                                                             \
	     &(o)->days,                                                                             \
	     "DAYS",                                                                                 \
	     "days the shift starts on, e.g. fri or fri-sun (default: every day)",                   \
	     0,                                                                                      \
	     0,                                                                                      \
	     0},                                                                                     \
	    {"from",                                                                                 \
	     OPT_STRING,                                                                             \
	     &(o)->ft.from,                                                                          \
	     "DATE",                                                                                 \
	     "first day or time (local; default: 8 weeks before --to)",                              \
	     0,                                                                                      \
	     0,                                                                                      \
	     0},                                                                                     \
	    {"to",                                                                                   \
	     OPT_STRING,                                                                             \
	     &(o)->ft.to,                                                                            \
	     "DATE",                                                                                 \
	     "last day or time (local; default: the latest offence)",                                \
	     0,                                                                                      \
	     0,                                                                                      \
	     0},                                                                                     \
	    {"categories", OPT_STRING, &(o)->ft.categories, "CODES", "offence categories", 0, 0, 0}, \
	    {"services", OPT_STRING, &(o)->ft.services, "CODES", "registering services", 0, 0, 0},   \
	    {"district",                                                                             \
	     OPT_STRING,                                                                             \
	     &(o)->ft.district,                                                                      \
	     "CODES",                                                                                \
	     "only these districts' offences (the whole store)",                                     \
	     0,                                                                                      \
	     0,                                                                                      \
	     0},                                                                                     \
	    {"region", OPT_STRING, &(o)->ft.region, "CODES", "only these regions' districts", 0,     \
	     0,        0},                                                                           \
	    OPT_PARAM(param_hotspot_share, &(o)->share),                                             \
	    OPT_PARAM(param_hotspot_cell, &(o)->cell),                                               \
	    OPT_PARAM_HELP(param_bandwidth, &(o)->bandwidth,                                         \
	                   "density bandwidth (the style's heatmap)"),                               \
	    {"style", OPT_STRING, &(o)->style_path, "FILE", "style for the kernel and bandwidth", 0, \
	     0,       0},                                                                            \
	{                                                                                            \
		"tz", OPT_STRING, &(o)->tz, "ZONE",                                                  \
		    "time zone of local times (the districts' stored one, else Asia/Tashkent)", 0,   \
		    0, 0                                                                             \
	}

/* Opens the store at db (read-only) and a renderer of it (*st and *r, the
 * caller's to close, even on failure) and finds the hotspots o chooses
 * into *set (free with hotspot_set_free()). ERR_INVALID naming the field. */
int shiftopts_find(const struct shiftopts *o, const char *db, store **st, renderer **r,
                   struct hotspot_set *set);

#endif

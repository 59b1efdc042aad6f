#include "shiftopts.h"

#include "err.h"

void shiftopts_defaults(struct shiftopts *o)
{
	*o = (struct shiftopts){.share = param_hotspot_share.def, .cell = param_hotspot_cell.def};
}

int shiftopts_find(const struct shiftopts *o, const char *db, store **st, renderer **r,
                   struct hotspot_set *set)
{
	struct shift sh;
	int rc;
	*st = NULL;
	*r = NULL;
	if ((rc = shift_parse(o->hours, o->days, &sh)) < 0 ||
	    (rc = store_open(db, STORE_READONLY, st)) < 0 ||
	    (rc = renderer_open(*st, o->style_path, o->tz, r)) < 0)
		return rc;
	const dataset *ds = renderer_dataset(*r);
	struct hotspot_params p = {
	    .shift = o->hours || o->days ? &sh : NULL, .share = o->share, .cell = o->cell};
	renderer_kernel(*r, &p.kernel, &p.bandwidth);
	if (o->bandwidth)
		p.bandwidth = o->bandwidth;
	if ((rc = dataset_filter_parse(ds, &o->ft, &p.filter)) < 0)
		return rc;
	hotspot_default_period(ds, &p.filter);
	struct held_shapes *held;
	rc = hotspot_find(ds, renderer_shapes_acquire(*r, &held), &p, set);
	renderer_shapes_release(*r, held);
	return rc;
}

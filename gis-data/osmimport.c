#include "osmimport.h"

#include "err.h"
#include "osmtags.h"
#include "refimport.h"

#include <bzlib.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct osm {
	store *st;
	const struct import_options *o;
	struct import_report *rep;
	osmtags *tags;
	char tmp[4096]; /* the decompressed copy of a .bz2, removed at the end */
	unsigned char *wkb;
	size_t wkb_cap;
};

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && strcmp(s + n - m, end) == 0;
}

/* Decompresses the .osm.bz2 at path into a new temporary .osm file. */
static int bunzip(struct osm *x, const char *path)
{
	const char *dir = getenv("TMPDIR");
	/* The OSM driver knows the file by its first bytes, not its name. */
	snprintf(x->tmp, sizeof x->tmp, "%s/posbon-osm-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(x->tmp), bzerr = BZ_OK, rc = 0;
	if (fd < 0) {
		x->tmp[0] = '\0';
		return err_set(ERR_IO, "%s: cannot make a temporary file to decompress into", path);
	}
	FILE *in = fopen(path, "rb"), *out = fdopen(fd, "wb");
	BZFILE *bz = in ? BZ2_bzReadOpen(&bzerr, in, 0, 0, NULL, 0) : NULL;
	if (!out)
		close(fd);
	if (!in || !out || !bz) {
		rc = err_set(ERR_IO, "%s: cannot read", path);
		goto out;
	}
	char buf[65536];
	long long done = 0;
	/* A file may hold several bzip2 streams one after the other (pbzip2). */
	for (;;) {
		int n = BZ2_bzRead(&bzerr, bz, buf, sizeof buf);
		if ((bzerr == BZ_OK || bzerr == BZ_STREAM_END) && n > 0 &&
		    fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
			rc = err_set(ERR_IO, "%s: cannot write the decompressed copy %s", path,
			             x->tmp);
			goto out;
		}
		done += n > 0 ? n : 0;
		if (bzerr == BZ_OK)
			continue;
		if (bzerr != BZ_STREAM_END) {
			rc = err_set(ERR_INVALID,
			             "%s: not bzip2, or damaged after %lld decompressed bytes",
			             path, done);
			goto out;
		}
		void *unused;
		int n_unused;
		char rest[BZ_MAX_UNUSED];
		BZ2_bzReadGetUnused(&bzerr, bz, &unused, &n_unused);
		memcpy(rest, unused, (size_t)n_unused);
		BZ2_bzReadClose(&bzerr, bz);
		bz = NULL;
		int c = n_unused ? 0 : fgetc(in);
		if (c == EOF)
			break;
		if (!n_unused)
			rest[n_unused++] = (char)c;
		if (!(bz = BZ2_bzReadOpen(&bzerr, in, 0, 0, rest, n_unused))) {
			rc = err_set(ERR_INVALID, "%s: a damaged bzip2 stream after %lld bytes",
			             path, done);
			goto out;
		}
	}
out:
	if (bz)
		BZ2_bzReadClose(&bzerr, bz);
	if (in)
		fclose(in);
	if (out && fclose(out) != 0 && rc == 0)
		rc = err_set(ERR_IO, "%s: cannot write the decompressed copy %s", path, x->tmp);
	return rc;
}

/* The feature's tags into x->tags: its fields, then other_tags. */
static int read_tags(struct osm *x, OGRFeatureH f)
{
	OGRFeatureDefnH d = OGR_F_GetDefnRef(f);
	const char *other = NULL;
	osmtags_clear(x->tags);
	for (int i = 0; i < OGR_FD_GetFieldCount(d); i++) {
		const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
		if (!OGR_F_IsFieldSetAndNotNull(f, i) || strncmp(name, "osm_", 4) == 0 ||
		    strcmp(name, "z_order") == 0 || strcmp(name, "all_tags") == 0)
			continue;
		if (strcmp(name, "other_tags") == 0) {
			other = OGR_F_GetFieldAsString(f, i);
			continue;
		}
		int rc = osmtags_add(x->tags, name, OGR_F_GetFieldAsString(f, i));
		if (rc < 0)
			return rc;
	}
	return other ? osmtags_parse_hstore(x->tags, other) : 0;
}

/* "osm:" and the OSM type and id of the feature of layer shape. */
static int feature_id(OGRFeatureH f, enum osmtags_shape shape, char *buf, size_t n)
{
	int way = OGR_F_GetFieldIndex(f, "osm_way_id"), id = OGR_F_GetFieldIndex(f, "osm_id");
	if (way >= 0 && OGR_F_IsFieldSetAndNotNull(f, way))
		snprintf(buf, n, "osm:w%s", OGR_F_GetFieldAsString(f, way));
	else if (id >= 0 && OGR_F_IsFieldSetAndNotNull(f, id))
		snprintf(buf, n, "osm:%c%s",
		         shape == OSMTAGS_POINT  ? 'n'
		         : shape == OSMTAGS_LINE ? 'w'
		                                 : 'r',
		         OGR_F_GetFieldAsString(f, id));
	else
		return -1;
	return 0;
}

static int note(struct osm *x, const char *reason, const char *example)
{
	x->rep->skipped++;
	return import_report_note(x->rep, x->rep->read, reason, example, 1);
}

static int take(struct osm *x, OGRFeatureH f, enum osmtags_shape shape)
{
	struct import_report *rep = x->rep;
	OGRGeometryH g = OGR_F_GetGeometryRef(f);
	char id[64], *json = NULL;
	int rc;
	if (!g || OGR_G_IsEmpty(g))
		return note(x, "no geometry: members cut off by the extract", NULL);
	if (refimport_beyond(rep, g))
		return 0;
	if ((rc = read_tags(x, f)) < 0) {
		if (rc == ERR_NOMEM)
			return rc;
		return note(x, "unreadable other_tags", err_msg());
	}
	struct osmtags_class c;
	osmtags_classify(x->tags, shape, &c);
	if (!c.kind) {
		rep->unused++;
		return 0;
	}
	if (feature_id(f, shape, id, sizeof id) < 0)
		return note(x, "no OSM id", NULL);
	size_t len = (size_t)OGR_G_WkbSize(g);
	if (len > x->wkb_cap) {
		unsigned char *w = realloc(x->wkb, len);
		if (!w)
			return err_set(ERR_NOMEM, "osm import: out of memory");
		x->wkb = w;
		x->wkb_cap = len;
	}
	if (OGR_G_ExportToIsoWkb(g, wkbNDR, x->wkb) != OGRERR_NONE)
		return note(x, "geometry not writable as WKB", id);
	if (!(json = osmtags_json(x->tags)))
		return err_set(ERR_NOMEM, "osm import: out of memory");
	struct store_ref_feature r = {
	    .external_id = id,
	    .source = "osm",
	    .kind = c.kind,
	    .cls = c.cls,
	    .poi = c.poi,
	    .name = c.name,
	    .name_uz = c.name_uz,
	    .name_uz_cyrl = c.name_uz_cyrl,
	    .name_ru = c.name_ru,
	    .name_en = c.name_en,
	    .street = c.street,
	    .housenumber = c.housenumber,
	    .tags = json,
	    .wkb = x->wkb,
	    .wkb_len = len,
	};
	struct store_put_info info;
	rc = store_put_ref_feature(x->st, &r, &info);
	free(json);
	if (rc == ERR_GEOMETRY)
		return note(x, "geometry SpatiaLite cannot read", err_msg());
	if (rc < 0)
		return rc;
	rep->inserted += info.change == STORE_INSERTED;
	rep->updated += info.change == STORE_UPDATED;
	rep->unchanged += info.change == STORE_UNCHANGED;
	rep->by_kind[osmtags_kind_index(c.kind)]++;
	rep->pois += c.poi != NULL;
	return 0;
}

static int shape_of(OGRLayerH layer, enum osmtags_shape *shape)
{
	const char *name = OGR_L_GetName(layer);
	if (strcmp(name, "points") == 0)
		*shape = OSMTAGS_POINT;
	else if (strcmp(name, "lines") == 0)
		*shape = OSMTAGS_LINE;
	else if (strcmp(name, "multipolygons") == 0)
		*shape = OSMTAGS_AREA;
	else
		return -1; /* route relations and the rest draw nothing of their own */
	return 0;
}

static int read_all(struct osm *x, GDALDatasetH ds)
{
	const struct import_options *o = x->o;
	OGRLayerH layer;
	OGRFeatureH f;
	int rc = 0;
	while (rc == 0 && (f = GDALDatasetGetNextFeature(ds, &layer, NULL, NULL, NULL))) {
		enum osmtags_shape shape;
		if (shape_of(layer, &shape) == 0) {
			x->rep->read++;
			rc = take(x, f, shape);
			if (rc < 0)
				rc = err_set(rc, "%s: feature %ld: %s", o->path, x->rep->read,
				             err_msg());
			if (o->progress && x->rep->read % 2000 == 0)
				o->progress(o->progress_ctx, x->rep->read, -1);
		}
		OGR_F_Destroy(f);
	}
	if (rc == 0 && CPLGetLastErrorType() >= CE_Failure)
		rc = err_set(ERR_IO, "%s: reading stopped after feature %ld: %s", o->path,
		             x->rep->read, CPLGetLastErrorMsg());
	if (rc == 0 && o->progress)
		o->progress(o->progress_ctx, x->rep->read, x->rep->read);
	return rc;
}

int osmimport_run(store *st, const struct import_options *o, struct import_report *rep)
{
	struct osm x = {.st = st, .o = o, .rep = rep};
	GDALDatasetH ds = NULL;
	char gz[4200];
	const char *path = o->path;
	int rc, in_txn = 0;

	memset(rep, 0, sizeof *rep);
	rep->row_word = "feature";
	CPLPushErrorHandler(CPLQuietErrorHandler);
	CPLErrorReset();
	/* Layers are read as the driver interleaves them: one pass over the file. */
	CPLSetThreadLocalConfigOption("OGR_INTERLEAVED_READING", "YES");
	if (!(rep->layer_name = strdup("points, lines, multipolygons")) ||
	    !(rep->crs = strdup("EPSG:4326")) || !(rep->mapping = strdup(""))) {
		rc = err_set(ERR_NOMEM, "osm import: out of memory");
		goto out;
	}
	if ((rc = osmtags_new(&x.tags)) < 0)
		goto out;
	if (ends_with(path, ".bz2")) {
		if ((rc = bunzip(&x, path)) < 0)
			goto out;
		path = x.tmp;
	} else if (ends_with(path, ".gz")) {
		snprintf(gz, sizeof gz, "/vsigzip/%s", path);
		path = gz;
	}
	GDALAllRegister();
	const char *const drivers[] = {"OSM", NULL};
	if (!(ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL))) {
		rc = err_set(ERR_IO,
		             "%s: cannot read as OpenStreetMap (.osm, .osm.pbf, .osm.bz2): %s",
		             o->path, CPLGetLastErrorMsg());
		goto out;
	}
	if ((rc = refimport_box(st, o, rep)) < 0)
		goto out;
	if ((rc = store_begin(st)) < 0)
		goto out;
	in_txn = 1;
	rc = read_all(&x, ds);
out:
	if (in_txn) {
		const char *base = strrchr(o->path, '/');
		rc = import_end(st, rc, o, o->source ? o->source : base ? base + 1 : o->path, rep);
	}
	if (ds)
		GDALClose(ds);
	if (x.tmp[0])
		unlink(x.tmp);
	CPLSetThreadLocalConfigOption("OGR_INTERLEAVED_READING", NULL);
	CPLPopErrorHandler();
	osmtags_free(x.tags);
	free(x.wkb);
	return rc;
}

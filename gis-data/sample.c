/*
 * sample: the sample-district generator, and the city generator.
 *
 * One pass in a fixed order (codes, districts, then each district's
 * mahallas, main roads and places, offences, each district's patrol zones,
 * the patrol tracks, then each district's ground with draws of its own,
 * sampleground.h): the order is part of the determinism, since every draw
 * comes from the one PRNG (samplerng.h). One district draws exactly what the
 * generator drew before it made cities, so its data is the same; a city
 * (samplecity.h) draws its layout where the one district draws its ellipse,
 * and a district for each offence. Geometry is built in a local metric
 * frame, metres east and north of the centre (equirectangular), with GEOS,
 * and converted to longitude/latitude only when written.
 *
 * The offences dominate the cost. They are drawn into memory first (32
 * bytes each), then sorted by time and written, so that external ids grow
 * with time as a registry's do and the store's time index is appended to.
 * Drawing one takes a few random numbers and at most a few prepared
 * point-in-polygon tests (under a second per million); nearly all the rest
 * is the store's upsert: placing it in its mahalla and district (locator.h)
 * and writing the row. Then comes the ground (houses are most of it).
 */
#include "sample.h"

#include "civil.h"
#include "err.h"
#include "samplecity.h"
#include "sampleground.h"
#include "samplenames.h"
#include "samplerng.h"
#include "sampletrack.h"

#include <ctype.h>
#include <geos_c.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PI            3.14159265358979323846
#define DAY           CIVIL_SECONDS_PER_DAY
#define UTC_OFFSET    (5 * 3600) /* Asia/Tashkent, no DST */
#define CENTRE_LON    69.25
#define CENTRE_LAT    41.30
#define EARTH_RADIUS  6371008.8
#define DISTRICT_CODE "TSH-SAMPLE"
#define MAHALLA_ROW   1200.0 /* metres: mahalla codes run in rows, north-west first */
#define TRACK_DAYS    7
#define PARCEL        30.0 /* metres: the grain of the address points offences are geocoded to */
/* KiB of pages the store keeps while the sample is written: with SQLite's 2
 * MB the offences' indexes spilled and read pages again and again, and 10
 * million of them spent a third of their time copying pages in the kernel. */
#define PAGE_CACHE 262144

/* Shares of the offences. */
#define SHARE_NO_POINT      0.01  /* address only, with a mahalla code */
#define SHARE_REPEAT        0.12  /* near-repeats of an earlier offence */
#define SHARE_FAR           0.003 /* geocoding errors 20-300 km away */
#define SHARE_PLACE         0.72  /* of the fresh draws: around places */
#define SHARE_ROAD          0.08  /* of the fresh draws: on main roads; the rest at home */
#define SHARE_BURGLARY_SPAN 0.5   /* burglaries found later, known only as a span */

/* ---- calendar ------------------------------------------------------------ */

/* Local (Tashkent) day number of a UTC instant. */
static int64_t local_day(int64_t utc)
{
	int64_t t = utc + UTC_OFFSET;
	return (t >= 0 ? t : t - (DAY - 1)) / DAY;
}

/* 0 = Monday ... 6 = Sunday; 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
	return (int)(((day + 3) % 7 + 7) % 7);
}

int sample_end_day(const char *date, int64_t *end_day)
{
	int64_t day;
	if (!date) {
		day = local_day((int64_t)time(NULL));
	} else {
		int y, m, d;
		for (int i = 0; i < 10; i++)
			if (i == 4 || i == 7 ? date[i] != '-' : !isdigit((unsigned char)date[i]))
				return err_set(ERR_INVALID, "'%s' is not a date YYYY-MM-DD", date);
		if (date[10] || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
			return err_set(ERR_INVALID, "'%s' is not a date YYYY-MM-DD", date);
		if (y < 1971 || m < 1 || m > 12 || d < 1 || d > civil_days_in_month(y, m))
			return err_set(ERR_INVALID, "'%s' is not a calendar date after 1970", date);
		day = civil_days_from_date(y, m, d);
	}
	*end_day = (day + 1) * DAY - UTC_OFFSET;
	return 0;
}

void sample_defaults(struct sample_options *o)
{
	o->seed = 1;
	o->offences = 20000;
	o->districts = 1;
	o->mahallas = 40;
	o->ground = SAMPLE_GROUND_FULL;
	o->days = 365;
	o->now = (int64_t)time(NULL);
	sample_end_day(NULL, &o->end_day);
}

int sample_ground_parse(const char *text, enum sample_ground *ground)
{
	static const char *const names[] = {[SAMPLE_GROUND_FULL] = "full",
	                                    [SAMPLE_GROUND_STREETS] = "streets",
	                                    [SAMPLE_GROUND_NONE] = "none"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(text, names[i]) == 0) {
			*ground = (enum sample_ground)i;
			return 0;
		}
	return err_set(ERR_INVALID, "'%s' is not full, streets or none", text);
}

/* ---- what the district is made of -------------------------------------- */

enum cat {
	C_THEFT,
	C_BURGLARY,
	C_ROBBERY,
	C_FRAUD,
	C_HOOLIGANISM,
	C_ASSAULT,
	C_DRUGS,
	C_VEHICLE_THEFT,
	C_ROAD_TRAFFIC,
	C_DOMESTIC,
	N_CAT
};

/* Hour-of-day profiles, local time. */
enum profile {
	P_KIND = -1, /* the place kind's profile */
	P_MARKET,
	P_COMMUTE,
	P_EVENING,
	P_NIGHT,
	P_SCHOOL,
	P_DAYTIME,
	P_TRAFFIC,
	N_PROFILE
};

static const unsigned hour_profiles[N_PROFILE][24] = {
    /* 0h .. 23h */
    [P_MARKET] = {0, 0, 0, 0, 0, 1, 3, 6, 10, 14, 16, 16, 15, 15, 14, 13, 11, 8, 5, 2, 1, 0, 0, 0},
    [P_COMMUTE] = {1, 0, 0, 0, 1, 3, 8, 14, 12, 6, 5, 5, 6, 6, 6, 7, 10, 14, 12, 8, 5, 3, 2, 1},
    [P_EVENING] = {3, 2, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 9, 11, 12, 12, 10, 7, 5},
    [P_NIGHT] = {14, 11, 8, 5, 2, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 5, 8, 12, 15, 16, 16},
    [P_SCHOOL] = {0, 0, 0, 0, 0, 0, 1, 6, 10, 9, 8, 9, 12, 12, 10, 8, 5, 3, 2, 1, 0, 0, 0, 0},
    [P_DAYTIME] = {2, 2, 1, 1, 1, 1, 2, 4, 8, 10, 11, 11, 10, 10, 10, 9, 8, 6, 4, 3, 2, 2, 2, 2},
    [P_TRAFFIC] = {2, 1, 1, 1, 1, 2, 5, 11, 12, 8, 6, 6, 7, 7, 7, 8, 10, 12, 11, 8, 5, 4, 3, 2},
};

/* Monday .. Sunday: more on Friday and Saturday. */
static const double weekday_weight[7] = {1.0, 0.95, 0.95, 1.0, 1.25, 1.35, 1.1};

/* clang-format off */
static const struct category {
	struct store_code code;
	enum profile profile;           /* hours, or P_KIND for those of the place */
	const char *service, *service2; /* registering services */
	double share2;                  /* share registered by service2 */
	const char *article;            /* Criminal Code of Uzbekistan */
	int severity;                   /* 1 (minor) .. 4 (especially grave) */
} categories[N_CAT] = {
    [C_THEFT] = {{"theft", "Oʻgʻrilik", "Кража", "Theft", "#e6a23c", 1.0},
        P_KIND, "prevention", "jqb", 0.4, "169", 2},
    [C_BURGLARY] = {{"burglary", "Uyga kirib oʻgʻrilik", "Квартирная кража", "Burglary",
        "#b5651d", 1.5}, P_DAYTIME, "jqb", "prevention", 0.3, "169", 3},
    [C_ROBBERY] = {{"robbery", "Talonchilik", "Грабёж", "Robbery", "#d62728", 2.0},
        P_KIND, "jqb", "ppx", 0.3, "166", 3},
    [C_FRAUD] = {{"fraud", "Firibgarlik", "Мошенничество", "Fraud", "#9467bd", 1.0},
        P_KIND, "jqb", "prevention", 0.35, "168", 2},
    [C_HOOLIGANISM] = {{"hooliganism", "Bezorilik", "Хулиганство", "Hooliganism", "#ff7f0e",
        1.0}, P_KIND, "ppx", "prevention", 0.4, "277", 2},
    [C_ASSAULT] = {{"assault", "Tan jarohati yetkazish", "Причинение телесных повреждений",
        "Assault", "#8c1c13", 2.0}, P_KIND, "ppx", "jqb", 0.4, "105", 3},
    [C_DRUGS] = {{"drugs", "Giyohvandlik vositalari bilan bogʻliq jinoyat",
        "Незаконный оборот наркотиков", "Drug offences", "#2ca02c", 1.5},
        P_KIND, "jqb", "ppx", 0.3, "276", 3},
    [C_VEHICLE_THEFT] = {{"vehicle_theft", "Transport vositasini olib qochish",
        "Угон транспортного средства", "Vehicle theft", "#1f77b4", 1.5},
        P_NIGHT, "jqb", "ypx", 0.25, "267", 3},
    [C_ROAD_TRAFFIC] = {{"road_traffic", "Yoʻl harakati xavfsizligi qoidalarini buzish",
        "Нарушение правил дорожного движения", "Road traffic offence", "#7f7f7f", 1.0},
        P_TRAFFIC, "ypx", NULL, 0, "266", 2},
    [C_DOMESTIC] = {{"domestic", "Oilaviy zoʻravonlik", "Бытовое насилие", "Domestic violence",
        "#e377c2", 1.5}, P_EVENING, "prevention", "ppx", 0.2, "126-1", 2},
};
/* clang-format on */

static const struct store_code services[] = {
    {"prevention", "Profilaktika inspektorlari", "Инспекторы профилактики", "Prevention inspectors",
     "#2a9d8f", 0},
    {"ppx", "Patrul-post xizmati", "Патрульно-постовая служба", "Patrol-post service", "#264653",
     0},
    {"ypx", "Yoʻl patrul xizmati", "Дорожно-патрульная служба", "Road patrol service", "#e9c46a",
     0},
    {"jqb", "Jinoyat qidiruv boʻlinmasi", "Уголовный розыск", "Criminal investigation", "#e76f51",
     0},
    {"migration", "Migratsiya xizmati", "Миграционная служба", "Migration service", "#8d99ae", 0},
    {"youth", "Yoshlar bilan ishlash boʻlinmasi", "Отдел по работе с молодёжью",
     "Juvenile and youth unit", "#6a4c93", 0},
    {"psychology", "Psixologik xizmat", "Психологическая служба", "Psychological service",
     "#90be6d", 0},
};

#define N_SERVICES (sizeof services / sizeof services[0])

/* Where offences happen. The kinds with places come first, markets first
 * (night venues are placed near them). */
enum kind { K_MARKET, K_STOP, K_NIGHT, K_SCHOOL, K_PARK, K_HOME, K_ROAD, N_KIND };

enum site {
	SITE_NONE,        /* no places: drawn per mahalla or along roads */
	SITE_ROAD,        /* beside a main road */
	SITE_NEAR_MARKET, /* within a few hundred metres of a market */
	SITE_ANYWHERE,    /* anywhere in the district */
};

/* clang-format off */
static const struct kind_def {
	int places;
	enum site site;
	double spacing; /* metres between places of the kind */
	double sigma;   /* metres, Gaussian spread of offences around a place */
	double weight;  /* a place's share of the offences drawn around places */
	enum profile profile;
	unsigned mix[N_CAT]; /* categories */
} kinds[N_KIND] = {
    [K_MARKET] = {3, SITE_ROAD, 1500, 200, 8, P_MARKET, {[C_THEFT] = 50, [C_FRAUD] = 30,
        [C_ROBBERY] = 8, [C_HOOLIGANISM] = 7, [C_VEHICLE_THEFT] = 5}},
    [K_STOP] = {12, SITE_ROAD, 500, 45, 1.5, P_COMMUTE, {[C_THEFT] = 50, [C_ROBBERY] = 25,
        [C_HOOLIGANISM] = 15, [C_FRAUD] = 10}},
    [K_NIGHT] = {8, SITE_NEAR_MARKET, 150, 80, 2.5, P_NIGHT, {[C_HOOLIGANISM] = 35,
        [C_ASSAULT] = 30, [C_DRUGS] = 20, [C_ROBBERY] = 10, [C_VEHICLE_THEFT] = 5}},
    [K_SCHOOL] = {4, SITE_ANYWHERE, 800, 100, 1, P_SCHOOL, {[C_THEFT] = 35,
        [C_HOOLIGANISM] = 30, [C_ASSAULT] = 15, [C_DRUGS] = 10, [C_FRAUD] = 10}},
    [K_PARK] = {3, SITE_ANYWHERE, 800, 140, 1.5, P_EVENING, {[C_HOOLIGANISM] = 30,
        [C_DRUGS] = 25, [C_ROBBERY] = 20, [C_ASSAULT] = 15, [C_THEFT] = 10}},
    [K_HOME] = {0, SITE_NONE, 0, 0, 0, P_EVENING, {[C_BURGLARY] = 30, [C_DOMESTIC] = 30,
        [C_THEFT] = 15, [C_VEHICLE_THEFT] = 10, [C_FRAUD] = 10, [C_HOOLIGANISM] = 5}},
    [K_ROAD] = {0, SITE_NONE, 0, 0, 0, P_TRAFFIC, {[C_ROAD_TRAFFIC] = 90,
        [C_VEHICLE_THEFT] = 10}},
};
/* clang-format on */

static const char *const statuses[] = {"registered", "investigating", "solved", "closed"};

/* Status weights by age: under 3 days, under 30 days, older. */
static const unsigned status_by_age[3][4] = {{70, 30, 0, 0}, {10, 60, 20, 10}, {0, 20, 50, 30}};

#define WEEK    CIVIL_ALL_WEEKDAYS
#define MON_FRI 0x1fu
#define MON_SAT 0x3fu
#define TUE_SAT 0x1eu
#define FRI_SUN 0x70u

/* Patrol zones: count zones around the first places of a kind (or along
 * main roads), each with its shifts; the unit is filled in per zone. */
/* clang-format off */
static const struct zone_plan {
	enum kind kind;
	int count;
	const char *name;
	struct store_assignment shifts[2];
	size_t n_shifts;
} zone_plans[] = {
    {K_MARKET, 3, "Bozor", {{"ppx", NULL, {8 * 60, 20 * 60, WEEK}},
                            {"jqb", NULL, {10 * 60, 18 * 60, TUE_SAT}}}, 2},
    /* A joint patrol across midnight. */
    {K_NIGHT, 4, "Tungi maskanlar", {{"ppx", NULL, {18 * 60, 2 * 60, FRI_SUN}},
                                     {"youth", NULL, {18 * 60, 2 * 60, FRI_SUN}}}, 2},
    {K_ROAD, 3, "Magistral", {{"ypx", NULL, {7 * 60, 10 * 60, MON_FRI}},
                              {"ypx", NULL, {17 * 60, 20 * 60, MON_FRI}}}, 2},
    {K_STOP, 2, "Bekat", {{"ppx", NULL, {6 * 60, 14 * 60, WEEK}}}, 1},
    {K_SCHOOL, 2, "Maktab", {{"youth", NULL, {7 * 60 + 30, 14 * 60, MON_SAT}},
                             {"prevention", NULL, {14 * 60, 18 * 60, MON_FRI}}}, 2},
    {K_PARK, 1, "Bogʻ", {{"prevention", NULL, {16 * 60, 22 * 60, WEEK}}}, 1},
    /* Planned on its own over the first market: an overlap with the market's
     * patrol-post and criminal-investigation units that nobody agreed. */
    {K_MARKET, 1, "Migratsiya reydi", {{"migration", NULL, {9 * 60, 17 * 60, MON_FRI}}}, 1},
};
/* clang-format on */

#define N_ZONE_PLANS (sizeof zone_plans / sizeof zone_plans[0])

/* ---- geometry ------------------------------------------------------------ */

struct pt {
	double x, y; /* metres east and north of the centre */
};

static void to_lonlat(struct pt p, double *lon, double *lat)
{
	*lat = CENTRE_LAT + p.y / EARTH_RADIUS * 180 / PI;
	*lon = CENTRE_LON + p.x / (EARTH_RADIUS * cos(CENTRE_LAT * PI / 180)) * 180 / PI;
}

/* Where the geocoder puts a record that happened at p: the address point of
 * p's parcel, as police records name an address rather than a spot. The
 * parcels are a PARCEL grid; each address point sits somewhere inside its
 * parcel (a fixed hash of the parcel, not the PRNG, so that the draws stay
 * the same). Records at one address share their coordinates exactly, as real
 * ones do (docs/heatmap.md). */
static struct pt geocode(struct pt p)
{
	double i = floor(p.x / PARCEL), j = floor(p.y / PARCEL);
	uint64_t h = (uint64_t)(int64_t)i * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(int64_t)j;
	uint64_t r = samplerng_splitmix64(&h);
	double u = (double)(r >> 40) / (double)(1 << 24), v = (double)(r & 0xFFFFFF) / (1 << 24);
	return (struct pt){(i + 0.2 + 0.6 * u) * PARCEL, (j + 0.2 + 0.6 * v) * PARCEL};
}

static int lonlat_xy(double *x, double *y, void *userdata)
{
	(void)userdata;
	to_lonlat((struct pt){*x, *y}, x, y);
	return 1;
}

/* A metric polygon prepared for point tests. */
struct area {
	GEOSGeometry *geom;
	const GEOSPreparedGeometry *prep;
	double minx, miny, maxx, maxy;
	struct pt inner; /* a point inside */
};

struct mahalla {
	struct area area;
	char code[32];
	const char *name;
	long population;
	int district; /* in gen.districts */
};

struct place {
	enum kind kind;
	double sigma;
};

#define N_ROADS    3
#define ROAD_VERTS 8

struct road {
	struct pt v[ROAD_VERTS];
	double at[ROAD_VERTS]; /* metres along the road */
};

struct zone {
	struct area area;
	const struct zone_plan *plan;
	struct store_assignment shifts[2];
	char id[32], name[64], units[2][48];
};

/* A district and what is drawn in it: its slices of the generator's
 * arrays of mahallas and places. */
struct district {
	struct area area;
	char code[16], name_uz[96], name_ru[160], name_en[96];
	struct mahalla *mahallas;
	double *mahalla_pick; /* running sums of their population */
	int n_mahallas;
	struct road roads[N_ROADS];
	struct pt *place_at;
	struct place *places;
	double *place_pick; /* running sums of place weights */
};

/* A drawn offence before it is written. */
enum where { AT_NONE, AT_POINT, AT_FAR };

_Static_assert(SHRT_MAX / SAMPLE_MAX_MAHALLAS >= SAMPLE_MAX_DISTRICTS, "struct rec's mahalla");

struct rec {
	struct pt at;
	int64_t t;           /* UTC seconds */
	uint32_t seq;        /* order of drawing, breaks ties of t */
	short mahalla;       /* address-only records: the mahalla in gen.mahallas, else -1 */
	unsigned char cat;   /* enum cat */
	unsigned char where; /* enum where: no point, a point, a geocoding error */
};

struct gen {
	const struct sample_options *o;
	store *st;
	struct sample_report *rep;
	struct samplerng rng;
	GEOSContextHandle_t ctx;
	GEOSWKBWriter *writer;
	char geos_msg[256];
	int64_t start; /* UTC seconds of 00:00 local of the first day */
	int64_t end;   /* nothing lies at or after it: see period_end() */
	struct district *districts;
	int n_districts;
	double *district_pick; /* a city's: running sums of the districts' weights */
	/* Of every district, one after the other (struct district's slices). */
	struct mahalla *mahallas;
	double *mahalla_pick;
	struct pt *place_at;
	struct place *places;
	double *place_pick;
	int n_places, first_place[N_KIND]; /* a district's */
	double *day_pick;                  /* running sums of day weights */
	struct zone *zones;
	int n_zones;
	struct store_fix *fixes;
};

static void geos_message(const char *message, void *userdata)
{
	struct gen *g = userdata;
	snprintf(g->geos_msg, sizeof g->geos_msg, "%s", message);
}

static int geos_error(struct gen *g, const char *what)
{
	return err_set(ERR_GEOMETRY, "sample: %s: %s", what,
	               g->geos_msg[0] ? g->geos_msg : "GEOS failed");
}

/* Takes ownership of geom (also on failure: area_free() releases it). */
static int area_init(struct gen *g, struct area *a, GEOSGeometry *geom, struct pt inner)
{
	a->geom = geom;
	a->inner = inner;
	if (!geom || !(a->prep = GEOSPrepare_r(g->ctx, geom)) ||
	    !GEOSGeom_getXMin_r(g->ctx, geom, &a->minx) ||
	    !GEOSGeom_getYMin_r(g->ctx, geom, &a->miny) ||
	    !GEOSGeom_getXMax_r(g->ctx, geom, &a->maxx) ||
	    !GEOSGeom_getYMax_r(g->ctx, geom, &a->maxy))
		return geos_error(g, "building a polygon");
	return 0;
}

static void area_free(struct gen *g, struct area *a)
{
	if (a->prep)
		GEOSPreparedGeom_destroy_r(g->ctx, a->prep);
	if (a->geom)
		GEOSGeom_destroy_r(g->ctx, a->geom);
}

static int area_contains(struct gen *g, const struct area *a, struct pt p)
{
	if (p.x < a->minx || p.x > a->maxx || p.y < a->miny || p.y > a->maxy)
		return 0;
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g->ctx, p.x, p.y);
	if (!pt)
		return 0;
	int in = GEOSPreparedContains_r(g->ctx, a->prep, pt) == 1;
	GEOSGeom_destroy_r(g->ctx, pt);
	return in;
}

/* A uniform point inside a (rejection sampling; its inner point if that
 * keeps failing, as it can only for slivers). */
static struct pt area_random_point(struct gen *g, const struct area *a)
{
	for (int tries = 0; tries < 1000; tries++) {
		struct pt p;
		p.x = samplerng_range(&g->rng, a->minx, a->maxx);
		p.y = samplerng_range(&g->rng, a->miny, a->maxy);
		if (area_contains(g, a, p))
			return p;
	}
	return a->inner;
}

/* p moved by a normal offset of sigma metres on each axis. */
static struct pt jitter(struct gen *g, struct pt p, double sigma)
{
	p.x += sigma * samplerng_gauss(&g->rng);
	p.y += sigma * samplerng_gauss(&g->rng);
	return p;
}

/* Whether p is at least d metres from each of pts[0..n). */
static int spaced(const struct pt *pts, int n, struct pt p, double d)
{
	for (int i = 0; i < n; i++)
		if (hypot(pts[i].x - p.x, pts[i].y - p.y) < d)
			return 0;
	return 1;
}

/* The polygon of the closed ring of n points xy (x, y pairs); NULL when
 * GEOS fails. */
static GEOSGeometry *polygon(struct gen *g, const double *xy, size_t n)
{
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(g->ctx, xy, (unsigned)n, 0, 0);
	GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(g->ctx, seq) : NULL;
	return ring ? GEOSGeom_createPolygon_r(g->ctx, ring, NULL, 0) : NULL;
}

/* The line of n points xy (x, y pairs); NULL when GEOS fails. */
static GEOSGeometry *linestring(struct gen *g, const double *xy, size_t n)
{
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(g->ctx, xy, (unsigned)n, 0, 0);
	return seq ? GEOSGeom_createLineString_r(g->ctx, seq) : NULL;
}

/* A star-shaped, hence simple, polygon of n vertices (at most 64): an ellipse
 * with semi-axes a and b around c, turned at random, its radius bent by a few
 * harmonics and noise of relative size rough. */
static GEOSGeometry *noisy_ellipse(struct gen *g, struct pt c, double a, double b, int n,
                                   double rough)
{
	double xy[2 * 65];
	double turn = samplerng_range(&g->rng, 0, 2 * PI), phase[3];
	for (int k = 0; k < 3; k++)
		phase[k] = samplerng_range(&g->rng, 0, 2 * PI);
	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++) {
		double t = 2 * PI * i / n;
		double f =
		    1 + rough * (0.5 * sin(2 * t + phase[0]) + 0.3 * sin(3 * t + phase[1]) +
		                 0.2 * sin(5 * t + phase[2]) + 0.25 * samplerng_gauss(&g->rng));
		double ex = a * cos(t) * fmax(f, 0.5), ey = b * sin(t) * fmax(f, 0.5);
		xy[2 * i] = c.x + ex * cos(turn) - ey * sin(turn);
		xy[2 * i + 1] = c.y + ex * sin(turn) + ey * cos(turn);
	}
	xy[2 * n] = xy[0];
	xy[2 * n + 1] = xy[1];
	return polygon(g, xy, (size_t)n + 1);
}

/* WKB in EPSG:4326 of a metric geometry into *wkb; free with GEOSFree_r. */
static int geom_wkb(struct gen *g, const GEOSGeometry *metric, unsigned char **wkb, size_t *len)
{
	GEOSGeometry *ll = GEOSGeom_transformXY_r(g->ctx, metric, lonlat_xy, NULL);
	if (!ll)
		return geos_error(g, "converting to longitude/latitude");
	*wkb = GEOSWKBWriter_write_r(g->ctx, g->writer, ll, len);
	GEOSGeom_destroy_r(g->ctx, ll);
	return *wkb ? 0 : geos_error(g, "writing WKB");
}

typedef int (*put_area_fn)(store *, const struct store_area *, struct store_put_info *);

static int put_area(struct gen *g, put_area_fn put, struct store_area *a, const GEOSGeometry *geom)
{
	unsigned char *wkb;
	size_t len;
	struct store_put_info info;
	int rc = geom_wkb(g, geom, &wkb, &len);
	if (rc < 0)
		return rc;
	a->wkb = wkb;
	a->wkb_len = len;
	rc = put(g->st, a, &info);
	GEOSFree_r(g->ctx, wkb);
	return rc;
}

/* ---- the steps ----------------------------------------------------------- */

static int put_codes(struct gen *g)
{
	int rc = 0;
	for (int i = 0; i < N_CAT && rc == 0; i++)
		rc = store_put_category(g->st, &categories[i].code);
	for (size_t i = 0; i < N_SERVICES && rc == 0; i++)
		rc = store_put_service(g->st, &services[i]);
	g->rep->categories = N_CAT;
	g->rep->services = (long)N_SERVICES;
	return rc;
}

/* A district of the city into d: its code, names and outline. */
static int city_district(struct gen *g, const struct samplecity_district *c, struct district *d)
{
	char cyrillic[96];
	snprintf(d->code, sizeof d->code, "%s", c->code);
	snprintf(d->name_uz, sizeof d->name_uz, "%s tumani", c->name);
	samplenames_cyrillic(c->name, cyrillic, sizeof cyrillic);
	snprintf(d->name_ru, sizeof d->name_ru, "Район %s", cyrillic);
	snprintf(d->name_en, sizeof d->name_en, "%s district", c->name);
	int rc = area_init(g, &d->area, polygon(g, c->ring, c->n_ring), (struct pt){c->cx, c->cy});
	if (rc == 0 && GEOSisValid_r(g->ctx, d->area.geom) != 1)
		rc = err_set(ERR_GEOMETRY, "sample: district %s is not a valid polygon", d->code);
	return rc;
}

/* The one sample district, a noisy ellipse around the centre, or a city of
 * districts (samplecity.h). */
static int make_districts(struct gen *g)
{
	struct samplecity_district *city = NULL;
	int rc = 0;
	if (g->n_districts == 1) {
		struct district *d = &g->districts[0];
		struct pt centre = {0, 0};
		snprintf(d->code, sizeof d->code, "%s", DISTRICT_CODE);
		snprintf(d->name_uz, sizeof d->name_uz, "Namuna tumani");
		snprintf(d->name_ru, sizeof d->name_ru, "Образцовый район");
		snprintf(d->name_en, sizeof d->name_en, "Sample district");
		rc = area_init(g, &d->area, noisy_ellipse(g, centre, 4000, 3000, 60, 0.12), centre);
	} else {
		rc = samplecity_layout(&g->rng, g->n_districts, &city);
		for (int i = 0; i < g->n_districts && rc == 0; i++)
			rc = city_district(g, &city[i], &g->districts[i]);
	}
	for (int i = 0; i < g->n_districts && rc == 0; i++) {
		struct district *d = &g->districts[i];
		struct store_area a = {.code = d->code,
		                       .name_uz = d->name_uz,
		                       .name_ru = d->name_ru,
		                       .name_en = d->name_en,
		                       .population = -1,
		                       .households = -1,
		                       .tz = "Asia/Tashkent"}; /* the times are drawn in it */
		rc = put_area(g, store_put_district, &a, d->area.geom);
	}
	if (rc == 0)
		g->rep->districts = g->n_districts;
	samplecity_free(city, g->n_districts);
	return rc;
}

/* Seeds sort in rows of MAHALLA_ROW metres from north to south, then from
 * west to east, so that codes read like a map. */
static int north_west_first(const void *a, const void *b)
{
	const struct pt *p = a, *q = b;
	double rp = floor(-p->y / MAHALLA_ROW), rq = floor(-q->y / MAHALLA_ROW);
	if (rp != rq)
		return rp < rq ? -1 : 1;
	return (p->x > q->x) - (p->x < q->x);
}

/* Mahalla seeds: random points inside the district, kept apart so that
 * cells are of comparable size (the distance shrinks when they do not fit). */
static int make_seeds(struct gen *g, const struct district *dist, struct pt *seeds, int n)
{
	double area;
	if (!GEOSArea_r(g->ctx, dist->area.geom, &area))
		return geos_error(g, "district area");
	double d = 0.8 * sqrt(area / n);
	for (int placed = 0, tries = 0; placed < n;) {
		struct pt p = area_random_point(g, &dist->area);
		if (spaced(seeds, placed, p, d)) {
			seeds[placed++] = p;
			tries = 0;
		} else if (++tries == 500) {
			d *= 0.9;
			tries = 0;
		}
	}
	qsort(seeds, (size_t)n, sizeof *seeds, north_west_first);
	return 0;
}

/* Clips the Voronoi cells of the seeds to the district: cell i of the
 * diagram is matched to the seed it contains, since GEOS does not keep the
 * order of the sites. */
static int make_cells(struct gen *g, struct district *d, const struct pt *seeds, int n)
{
	GEOSGeometry **pts = calloc((size_t)n, sizeof *pts);
	GEOSGeometry *sites = NULL, *env = NULL, *cells = NULL;
	int rc = 0;
	if (!pts)
		return err_set(ERR_NOMEM, "sample: out of memory");
	for (int i = 0; i < n; i++)
		if (!(pts[i] = GEOSGeom_createPointFromXY_r(g->ctx, seeds[i].x, seeds[i].y))) {
			rc = geos_error(g, "mahalla seeds");
			goto out;
		}
	sites = GEOSGeom_createCollection_r(g->ctx, GEOS_MULTIPOINT, pts, (unsigned)n);
	if (!sites) {
		rc = geos_error(g, "mahalla seeds");
		goto out;
	}
	memset(pts, 0, (size_t)n * sizeof *pts); /* owned by sites now */
	env = GEOSEnvelope_r(g->ctx, d->area.geom);
	cells = env ? GEOSVoronoiDiagram_r(g->ctx, sites, env, 0, 0) : NULL;
	if (!cells || GEOSGetNumGeometries_r(g->ctx, cells) != n) {
		rc = geos_error(g, "Voronoi diagram of the mahalla seeds");
		goto out;
	}
	for (int c = 0; c < n && rc == 0; c++) {
		const GEOSGeometry *cell = GEOSGetGeometryN_r(g->ctx, cells, c);
		int i = 0;
		while (i < n &&
		       GEOSContains_r(g->ctx, cell, GEOSGetGeometryN_r(g->ctx, sites, i)) != 1)
			i++;
		if (i == n || d->mahallas[i].area.geom) {
			rc = err_set(ERR_GEOMETRY,
			             "sample: Voronoi cell %d holds no seed of its own", c);
			break;
		}
		GEOSGeometry *clip = GEOSIntersection_r(g->ctx, cell, d->area.geom);
		int type = clip ? GEOSGeomTypeId_r(g->ctx, clip) : -1;
		rc = area_init(g, &d->mahallas[i].area, clip, seeds[i]);
		if (rc == 0 && type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
			rc = err_set(ERR_GEOMETRY, "sample: mahalla %d is not a polygon", i + 1);
	}
out:
	for (int i = 0; i < n; i++)
		if (pts[i])
			GEOSGeom_destroy_r(g->ctx, pts[i]);
	free(pts);
	if (sites)
		GEOSGeom_destroy_r(g->ctx, sites);
	if (env)
		GEOSGeom_destroy_r(g->ctx, env);
	if (cells)
		GEOSGeom_destroy_r(g->ctx, cells);
	return rc;
}

/* District k's mahallas: M01... alone, D03-M01... in a city. */
static int make_mahallas(struct gen *g, int k)
{
	struct district *d = &g->districts[k];
	int n = d->n_mahallas, rc;
	long order[SAMPLENAMES_PLACES];
	struct pt *seeds = calloc((size_t)n, sizeof *seeds);
	if (!seeds)
		return err_set(ERR_NOMEM, "sample: out of memory");
	if ((rc = make_seeds(g, d, seeds, n)) < 0 || (rc = make_cells(g, d, seeds, n)) < 0)
		goto out;
	samplerng_shuffle(&g->rng, order, SAMPLENAMES_PLACES);
	for (int i = 0; i < n && rc == 0; i++) {
		struct mahalla *m = &d->mahallas[i];
		char cyrillic[96], inspector[64];
		samplenames_person(&g->rng, inspector, sizeof inspector);
		if (g->n_districts == 1)
			snprintf(m->code, sizeof m->code, "M%02d", i + 1);
		else
			snprintf(m->code, sizeof m->code, "%s-M%02d", d->code, i + 1);
		m->name = samplenames_places[order[i]];
		m->district = k;
		m->population = 2000 + 10 * samplerng_below(&g->rng, 1001);
		d->mahalla_pick[i] = (double)m->population;
		samplenames_cyrillic(m->name, cyrillic, sizeof cyrillic);
		struct store_area a = {.code = m->code,
		                       .name_uz = m->name,
		                       .name_ru = cyrillic,
		                       .name_en = m->name,
		                       .district_code = d->code,
		                       .population = m->population,
		                       .households = lround((double)m->population /
		                                            samplerng_range(&g->rng, 4.2, 4.8)),
		                       .inspector = inspector};
		rc = put_area(g, store_put_mahalla, &a, m->area.geom);
	}
	samplerng_cumulate(d->mahalla_pick, (size_t)n);
	g->rep->mahallas += n;
out:
	free(seeds);
	return rc;
}

/* Measures the road: at[] from its vertices. */
static void road_measure(struct road *r)
{
	r->at[0] = 0;
	for (int i = 1; i < ROAD_VERTS; i++)
		r->at[i] =
		    r->at[i - 1] + hypot(r->v[i].x - r->v[i - 1].x, r->v[i].y - r->v[i - 1].y);
}

/* In a city a district's road ends at its edge, not in its neighbours: the
 * longest run of it inside the district, taken again at ROAD_VERTS points
 * evenly along it. A road that misses the district stays as it is. */
static int clip_road(struct gen *g, const struct district *d, struct road *r)
{
	double xy[2 * ROAD_VERTS], best = 0;
	const GEOSGeometry *longest = NULL;
	for (int i = 0; i < ROAD_VERTS; i++) {
		xy[2 * i] = r->v[i].x;
		xy[2 * i + 1] = r->v[i].y;
	}
	GEOSGeometry *line = linestring(g, xy, ROAD_VERTS);
	GEOSGeometry *in = line ? GEOSIntersection_r(g->ctx, line, d->area.geom) : NULL;
	int rc = in ? 0 : geos_error(g, "a main road in its district");
	for (int i = 0; in && i < GEOSGetNumGeometries_r(g->ctx, in); i++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(g->ctx, in, i);
		double len;
		if (GEOSGeomTypeId_r(g->ctx, part) == GEOS_LINESTRING &&
		    GEOSGeomGetLength_r(g->ctx, part, &len) && len > best) {
			best = len;
			longest = part;
		}
	}
	for (int i = 0; longest && i < ROAD_VERTS && rc == 0; i++) {
		GEOSGeometry *p = GEOSInterpolate_r(g->ctx, longest, best * i / (ROAD_VERTS - 1));
		if (!p || !GEOSGeomGetX_r(g->ctx, p, &r->v[i].x) ||
		    !GEOSGeomGetY_r(g->ctx, p, &r->v[i].y))
			rc = geos_error(g, "a main road in its district");
		if (p)
			GEOSGeom_destroy_r(g->ctx, p);
	}
	road_measure(r);
	if (in)
		GEOSGeom_destroy_r(g->ctx, in);
	if (line)
		GEOSGeom_destroy_r(g->ctx, line);
	return rc;
}

/* Main roads: gently bent lines through the middle, longer than the
 * district (ending at its edge in a city). */
static int make_roads(struct gen *g, struct district *d)
{
	int rc = 0;
	for (int k = 0; k < N_ROADS && rc == 0; k++) {
		struct road *r = &d->roads[k];
		double dir = PI * k / N_ROADS + samplerng_range(&g->rng, -0.25, 0.25);
		struct pt through = jitter(g, d->area.inner, 500);
		for (int i = 0; i < ROAD_VERTS; i++) {
			double s = -7000 + 14000.0 * i / (ROAD_VERTS - 1);
			double side = 150 * samplerng_gauss(&g->rng);
			r->v[i] = (struct pt){through.x + s * cos(dir) - side * sin(dir),
			                      through.y + s * sin(dir) + side * cos(dir)};
		}
		road_measure(r);
		if (g->n_districts > 1)
			rc = clip_road(g, d, r);
	}
	return rc;
}

static struct pt road_point(const struct road *r, double s)
{
	int i = 1;
	while (i < ROAD_VERTS - 1 && r->at[i] < s)
		i++;
	double f = (s - r->at[i - 1]) / (r->at[i] - r->at[i - 1]);
	return (struct pt){r->v[i - 1].x + f * (r->v[i].x - r->v[i - 1].x),
	                   r->v[i - 1].y + f * (r->v[i].y - r->v[i - 1].y)};
}

/* A point of a main road inside the district; *road and *s say where. */
static struct pt road_point_inside(struct gen *g, const struct district *d, int *road, double *s)
{
	struct pt p;
	int tries = 0;
	do {
		*road = (int)samplerng_below(&g->rng, N_ROADS);
		*s = samplerng_range(&g->rng, 0, d->roads[*road].at[ROAD_VERTS - 1]);
		p = road_point(&d->roads[*road], *s);
	} while (!area_contains(g, &d->area, p) && ++tries < 1000);
	return p;
}

static struct pt site_point(struct gen *g, const struct district *d, enum site site)
{
	int road;
	double s;
	if (site == SITE_ROAD)
		return jitter(g, road_point_inside(g, d, &road, &s), 25);
	if (site == SITE_NEAR_MARKET) {
		for (int tries = 0; tries < 100; tries++) {
			long m = g->first_place[K_MARKET] +
			         samplerng_below(&g->rng, kinds[K_MARKET].places);
			struct pt p = jitter(g, d->place_at[m], 350);
			if (area_contains(g, &d->area, p))
				return p;
		}
	}
	return area_random_point(g, &d->area);
}

/* The district's places, g->n_places of them in the same order of kinds in
 * every district (g->first_place). */
static void make_places(struct gen *g, struct district *d)
{
	int n = 0;
	for (int k = 0; k < N_KIND; k++) {
		g->first_place[k] = n;
		for (int j = 0; j < kinds[k].places; j++, n++) {
			struct pt p;
			int tries = 0;
			do
				p = site_point(g, d, kinds[k].site);
			while (!spaced(d->place_at + g->first_place[k], j, p, kinds[k].spacing) &&
			       ++tries < 200);
			d->place_at[n] = p;
			d->places[n].kind = (enum kind)k;
			d->places[n].sigma = kinds[k].sigma * samplerng_range(&g->rng, 0.85, 1.2);
			d->place_pick[n] = kinds[k].weight * samplerng_range(&g->rng, 0.5, 1.5);
		}
	}
	samplerng_cumulate(d->place_pick, (size_t)n);
}

/* Day weights: the weekday and a mild seasonal wave peaking in July. */
static void make_days(struct gen *g)
{
	int64_t first = local_day(g->start);
	for (int d = 0; d < g->o->days; d++) {
		double doy = fmod((double)(first + d), 365.2425);
		g->day_pick[d] = weekday_weight[weekday(first + d)] *
		                 (1 + 0.15 * cos(2 * PI * (doy - 196) / 365.2425));
	}
	samplerng_cumulate(g->day_pick, (size_t)g->o->days);
}

/* A time in the period: a day by weight, an hour from the profile, a minute.
 * A time not yet come on the last day is drawn again: the day's past hours
 * keep their share and nothing lies in the future (check_options() leaves
 * at least a day before the end, so the loop ends). */
static int64_t draw_time(struct gen *g, enum profile profile)
{
	int64_t t;
	do {
		size_t day = samplerng_pick_cumulated(&g->rng, g->day_pick, (size_t)g->o->days);
		size_t hour = samplerng_pick(&g->rng, hour_profiles[profile], 24);
		t = g->start + (int64_t)day * DAY + (int64_t)hour * 3600 +
		    samplerng_below(&g->rng, 60) * 60;
	} while (t >= g->end);
	return t;
}

/* A new offence around a place, on a road or at home; address-only records
 * are always at home, in a mahalla drawn by population. */
static void draw_fresh(struct gen *g, const struct district *d, struct rec *r, int address_only)
{
	double u = address_only ? 1 : samplerng_uniform(&g->rng);
	enum kind kind = K_HOME;
	if (u < SHARE_PLACE) {
		size_t p = samplerng_pick_cumulated(&g->rng, d->place_pick, (size_t)g->n_places);
		kind = d->places[p].kind;
		r->at = jitter(g, d->place_at[p], d->places[p].sigma);
	} else if (u < SHARE_PLACE + SHARE_ROAD) {
		int road;
		double s;
		kind = K_ROAD;
		r->at = jitter(g, road_point_inside(g, d, &road, &s), 10);
	} else {
		size_t m =
		    samplerng_pick_cumulated(&g->rng, d->mahalla_pick, (size_t)d->n_mahallas);
		r->at = area_random_point(g, &d->mahallas[m].area);
		if (address_only)
			r->mahalla = (short)(d->mahallas + m - g->mahallas);
	}
	r->cat = (unsigned char)samplerng_pick(&g->rng, kinds[kind].mix, N_CAT);
	enum profile profile = categories[r->cat].profile;
	r->t = draw_time(g, profile == P_KIND ? kinds[kind].profile : profile);
}

/* A near-repeat: one of the n offences drawn before again, up to 200 m away
 * and 1-14 days later; 0 when that one has no usable point or the repeat
 * would fall after the period. */
static int draw_repeat(struct gen *g, const struct rec *before, long n, struct rec *r)
{
	if (n == 0)
		return 0;
	const struct rec *e = &before[samplerng_below(&g->rng, n)];
	int64_t later = 60 * (int64_t)samplerng_range(&g->rng, 1 * CIVIL_MINUTES_PER_DAY,
	                                              14 * CIVIL_MINUTES_PER_DAY);
	double d = 200 * sqrt(samplerng_uniform(&g->rng)),
	       dir = samplerng_range(&g->rng, 0, 2 * PI);
	if (e->where != AT_POINT || e->t + later >= g->end)
		return 0;
	r->at = e->at;
	r->cat = e->cat;
	r->t = e->t + later;
	r->at.x += d * cos(dir);
	r->at.y += d * sin(dir);
	return 1;
}

/* The sample's address grid, as the ground numbers its houses: the
 * district's box, the parcels and the names (sampleground_address()). */
static struct sampleground_in address_grid(const struct district *d)
{
	return (struct sampleground_in){
	    .box = {d->area.minx, d->area.miny, d->area.maxx, d->area.maxy},
	    .parcel = PARCEL,
	    .names = samplenames_places,
	    .n_names = SAMPLENAMES_PLACES};
}

/* Draws offence i into all[i]; all[0..i) are drawn. In a city a new one
 * happens in a district drawn by its weight. */
static void draw_offence(struct gen *g, struct rec *all, long i)
{
	struct rec *r = &all[i];
	const struct district *d = g->districts;
	if (g->n_districts > 1)
		d += samplerng_pick_cumulated(&g->rng, g->district_pick, (size_t)g->n_districts);
	double u = samplerng_uniform(&g->rng);
	r->seq = (uint32_t)i;
	r->where = AT_POINT;
	r->mahalla = -1;
	if (u < SHARE_NO_POINT) {
		draw_fresh(g, d, r, 1);
		r->where = AT_NONE;
		return;
	}
	if (u < SHARE_NO_POINT + SHARE_REPEAT && draw_repeat(g, all, i, r))
		return;
	draw_fresh(g, d, r, 0);
	if (samplerng_chance(&g->rng, SHARE_FAR)) {
		/* A geocoding error: the same record, far away. */
		double d = samplerng_range(&g->rng, 20e3, 300e3),
		       dir = samplerng_range(&g->rng, 0, 2 * PI);
		r->at.x += d * cos(dir);
		r->at.y += d * sin(dir);
		r->where = AT_FAR;
	}
}

static int by_time(const void *a, const void *b)
{
	const struct rec *p = a, *q = b;
	if (p->t != q->t)
		return p->t < q->t ? -1 : 1;
	return (p->seq > q->seq) - (p->seq < q->seq);
}

static int put_offence(struct gen *g, const struct rec *r, long i)
{
	const struct category *c = &categories[r->cat];
	struct store_put_info info;
	char id[24], address[160];
	struct store_offence o = {.external_id = id,
	                          .occurred_from = r->t,
	                          .occurred_to = r->t,
	                          .precision = PREC_MINUTE,
	                          .category = c->code.code,
	                          .article = c->article,
	                          .severity = c->severity,
	                          .has_point = r->where != AT_NONE};
	snprintf(id, sizeof id, "S-%06ld", i + 1);
	if (r->cat == C_BURGLARY && samplerng_chance(&g->rng, SHARE_BURGLARY_SPAN)) {
		int64_t to = r->t + 60 * (int64_t)samplerng_range(&g->rng, 60, 480);
		o.precision = PREC_SPAN;
		o.occurred_to = to < g->end ? to : g->end - 60;
	}
	o.reported_at = o.occurred_to + 60 * (5 + (int64_t)samplerng_exponential(&g->rng, 45));
	if (o.reported_at > g->end)
		o.reported_at = g->end;
	o.service = c->service2 && samplerng_chance(&g->rng, c->share2) ? c->service2 : c->service;
	int64_t age = g->end - r->t;
	int age_class = age < 3 * DAY ? 0 : age < 30 * DAY ? 1 : 2;
	o.status = statuses[samplerng_pick(&g->rng, status_by_age[age_class], 4)];
	if (o.has_point) {
		to_lonlat(geocode(r->at), &o.lon, &o.lat);
	} else {
		/* The address of the parcel where it happened, whose house (when
		 * the ground built one there) the import finds. */
		const struct mahalla *m = &g->mahallas[r->mahalla];
		struct sampleground_in grid = address_grid(&g->districts[m->district]);
		char street[128];
		long number;
		sampleground_address(&grid, r->at.x, r->at.y, street, sizeof street, &number);
		/* The two draws of the random address this used to be: every later
		 * offence, zone and track of a seed stays as it was. */
		(void)samplerng_below(&g->rng, SAMPLENAMES_PLACES);
		(void)samplerng_below(&g->rng, 120);
		snprintf(address, sizeof address, "%s MFY, %s, %ld-uy", m->name, street, number);
		o.mahalla_code = m->code;
		o.address = address;
	}
	return store_put_offence(g->st, &o, &info);
}

/* Offences are drawn first and written in time order (see the top). */
static int make_offences(struct gen *g)
{
	long n = g->o->offences;
	int rc = 0;
	struct rec *all = malloc(((size_t)n + 1) * sizeof *all);
	if (!all)
		return err_set(ERR_NOMEM, "sample: out of memory for %ld offences", n);
	for (long i = 0; i < n; i++)
		draw_offence(g, all, i);
	qsort(all, (size_t)n, sizeof *all, by_time);
	for (long i = 0; i < n && rc == 0; i++)
		rc = put_offence(g, &all[i], i);
	free(all);
	if (rc == 0)
		g->rep->offences = n;
	return rc;
}

/* A corridor of about 1.2 km along a main road inside the district. */
static GEOSGeometry *road_corridor(struct gen *g, const struct district *d, struct pt *centre)
{
	int road;
	double s, xy[2 * 13];
	*centre = road_point_inside(g, d, &road, &s);
	const struct road *r = &d->roads[road];
	for (int i = 0; i < 13; i++) {
		double at = fmin(fmax(s + 100.0 * (i - 6), 0), r->at[ROAD_VERTS - 1]);
		struct pt p = road_point(r, at);
		xy[2 * i] = p.x;
		xy[2 * i + 1] = p.y;
	}
	GEOSGeometry *line = linestring(g, xy, 13);
	GEOSGeometry *poly = line ? GEOSBuffer_r(g->ctx, line, 60, 4) : NULL;
	if (line)
		GEOSGeom_destroy_r(g->ctx, line);
	return poly;
}

static int put_zone(struct gen *g, struct zone *z, const char *valid_from)
{
	unsigned char *wkb;
	size_t len;
	struct store_put_info info;
	int rc = geom_wkb(g, z->area.geom, &wkb, &len);
	if (rc < 0)
		return rc;
	struct store_zone sz = {.external_id = z->id,
	                        .name = z->name,
	                        .valid_from = valid_from,
	                        .author = "sample",
	                        .wkb = wkb,
	                        .wkb_len = len,
	                        .assignments = z->shifts,
	                        .n_assignments = z->plan->n_shifts};
	rc = store_put_zone(g->st, &sz, "sample", &info);
	GEOSFree_r(g->ctx, wkb);
	return rc;
}

/* The zones of a district, numbered from 1 in each; in a city their ids,
 * names and units begin with the district's code ("D03-Z-01", "D03-PPX-04"). */
static int make_zones(struct gen *g, const struct district *d)
{
	char valid_from[16], prefix[20] = "";
	int64_t y;
	int month, day, rc = 0, first = g->n_zones;
	civil_date_from_days(local_day(g->start), &y, &month, &day);
	snprintf(valid_from, sizeof valid_from, "%04d-%02d-%02d", (int)y, month, day);
	if (g->n_districts > 1)
		snprintf(prefix, sizeof prefix, "%s-", d->code);
	for (size_t p = 0; p < N_ZONE_PLANS && rc == 0; p++) {
		const struct zone_plan *plan = &zone_plans[p];
		for (int j = 0; j < plan->count && rc == 0; j++) {
			struct zone *z = &g->zones[g->n_zones++];
			int number = g->n_zones - first;
			struct pt c;
			GEOSGeometry *geom;
			if (plan->kind == K_ROAD) {
				geom = road_corridor(g, d, &c);
			} else {
				double a = samplerng_range(&g->rng, 250, 400);
				c = d->place_at[g->first_place[plan->kind] + j];
				geom = noisy_ellipse(g, c, a, a * samplerng_range(&g->rng, 0.6, 1),
				                     16, 0.15);
			}
			if ((rc = area_init(g, &z->area, geom, c)) < 0)
				break;
			z->plan = plan;
			snprintf(z->id, sizeof z->id, "%sZ-%02d", prefix, number);
			snprintf(z->name, sizeof z->name, "%s%s-%d", prefix, plan->name, j + 1);
			/* Units are named by service and zone: "PPX-04". */
			for (size_t k = 0; k < plan->n_shifts; k++) {
				char *unit = z->units[k];
				snprintf(unit, sizeof z->units[k], "%s%s-%02d", prefix,
				         plan->shifts[k].service, number);
				for (char *ch = unit + strlen(prefix); *ch && *ch != '-'; ch++)
					*ch = (char)toupper((unsigned char)*ch);
				z->shifts[k] = plan->shifts[k];
				z->shifts[k].unit = unit;
			}
			rc = put_zone(g, z, valid_from);
		}
	}
	g->rep->zones = g->n_zones;
	return rc;
}

/* An area of the generator, for the callbacks of the ground and the tracks. */
struct area_ctx {
	struct gen *g;
	const struct area *area;
};

static int area_ctx_inside(void *ctx, double x, double y)
{
	const struct area_ctx *c = ctx;
	return area_contains(c->g, c->area, (struct pt){x, y});
}

static void area_ctx_random_point(void *ctx, double *x, double *y)
{
	const struct area_ctx *c = ctx;
	struct pt p = area_random_point(c->g, c->area);
	*x = p.x;
	*y = p.y;
}

static void xy_lonlat(double x, double y, double *lon, double *lat)
{
	to_lonlat((struct pt){x, y}, lon, lat);
}

/* One track per zone shift over the last TRACK_DAYS days of the period;
 * shifts that would end after the period are left out. */
static int make_tracks(struct gen *g)
{
	char id[24];
	for (int zi = 0; zi < g->n_zones; zi++) {
		const struct zone *z = &g->zones[zi];
		struct area_ctx ctx = {g, &z->area};
		const struct sampletrack_zone walk = {z->area.inner.x, z->area.inner.y,
		                                      area_ctx_random_point, xy_lonlat, &ctx};
		for (size_t k = 0; k < z->plan->n_shifts; k++) {
			const struct store_assignment *a = &z->shifts[k];
			for (int d = g->o->days - TRACK_DAYS; d < g->o->days; d++) {
				int64_t midnight = g->start + (int64_t)d * DAY;
				int64_t from = midnight + 60 * a->shift.start;
				int64_t to = midnight + 60 * a->shift.end;
				if (to <= from)
					to += DAY;
				if (!(a->shift.weekdays & (1u << weekday(local_day(midnight)))) ||
				    to > g->end)
					continue;
				size_t n = sampletrack_walk(&g->rng, &walk, a->service, from, to,
				                            g->fixes);
				struct store_put_info info;
				snprintf(id, sizeof id, "T-%04ld", g->rep->tracks + 1);
				struct store_track t = {.external_id = id,
				                        .unit = a->unit,
				                        .service = a->service,
				                        .fixes = g->fixes,
				                        .n_fixes = n};
				int rc = store_put_track(g->st, &t, &info);
				if (rc < 0)
					return rc;
				g->rep->tracks++;
				g->rep->fixes += (long)n;
			}
		}
	}
	return 0;
}

static int zone_count(void)
{
	int n = 0;
	for (size_t p = 0; p < N_ZONE_PLANS; p++)
		n += zone_plans[p].count;
	return n;
}

/* The end of the generated period: the end of its last day, or the present
 * minute when that day has not ended yet. */
static int64_t period_end(const struct sample_options *o)
{
	int64_t now = o->now - o->now % 60;
	return now < o->end_day ? now : o->end_day;
}

static int check_options(const struct sample_options *o)
{
	if (o->districts < 1 || o->districts > SAMPLE_MAX_DISTRICTS)
		return err_set_field(ERR_INVALID, "sample",
		                     "sample: %d districts is outside 1 to %d", o->districts,
		                     SAMPLE_MAX_DISTRICTS);
	if (o->offences < 0 || o->offences > SAMPLE_MAX_OFFENCES)
		return err_set_field(ERR_INVALID, "sample",
		                     "sample: %ld offences is outside 0 to %ld", o->offences,
		                     SAMPLE_MAX_OFFENCES);
	if (o->mahallas < SAMPLE_MIN_MAHALLAS || o->mahallas > SAMPLE_MAX_MAHALLAS)
		return err_set_field(ERR_INVALID, "sample",
		                     "sample: %d mahallas is outside %d to %d", o->mahallas,
		                     SAMPLE_MIN_MAHALLAS, SAMPLE_MAX_MAHALLAS);
	if (o->days < SAMPLE_MIN_DAYS || o->days > SAMPLE_MAX_DAYS)
		return err_set_field(ERR_INVALID, "sample", "sample: %d days is outside %d to %d",
		                     o->days, SAMPLE_MIN_DAYS, SAMPLE_MAX_DAYS);
	if ((o->end_day + UTC_OFFSET) % DAY != 0 || o->end_day - (int64_t)o->days * DAY < 0)
		return err_set_field(
		    ERR_INVALID, "sample",
		    "sample: end %lld is not 00:00 Tashkent time of a day after 1970",
		    (long long)o->end_day);
	if (period_end(o) - (o->end_day - (int64_t)o->days * DAY) < DAY)
		return err_set_field(
		    ERR_INVALID, "sample",
		    "sample: a period of %d days ending %lld has less than a day before "
		    "the present (%lld): nothing may lie in the future",
		    o->days, (long long)o->end_day, (long long)o->now);
	return 0;
}

static void gen_free(struct gen *g)
{
	if (g->mahallas)
		for (int i = 0; i < g->n_districts * g->o->mahallas; i++)
			area_free(g, &g->mahallas[i].area);
	if (g->zones)
		for (int i = 0; i < g->n_zones; i++)
			area_free(g, &g->zones[i].area);
	if (g->districts)
		for (int i = 0; i < g->n_districts; i++)
			area_free(g, &g->districts[i].area);
	free(g->districts);
	free(g->district_pick);
	free(g->mahallas);
	free(g->mahalla_pick);
	free(g->place_at);
	free(g->places);
	free(g->place_pick);
	free(g->day_pick);
	free(g->zones);
	free(g->fixes);
	if (g->writer)
		GEOSWKBWriter_destroy_r(g->ctx, g->writer);
	GEOS_finish_r(g->ctx);
}

/* District k's streets, houses and places (sampleground.h), last: its
 * draws are its own, seeded from the seed and k (the seed alone for the
 * first). */
static int make_ground(struct gen *g, int k)
{
	static const enum sampleground_kind as[N_KIND] = {[K_MARKET] = SAMPLEGROUND_MARKET,
	                                                  [K_STOP] = SAMPLEGROUND_STOP,
	                                                  [K_NIGHT] = SAMPLEGROUND_TEAHOUSE,
	                                                  [K_SCHOOL] = SAMPLEGROUND_SCHOOL,
	                                                  [K_PARK] = SAMPLEGROUND_PARK};
	const struct district *d = &g->districts[k];
	struct area_ctx ctx = {g, &d->area};
	double roads[N_ROADS * ROAD_VERTS * 2];
	char prefix[20] = "";
	long written = 0;
	struct sampleground_place *pl = calloc((size_t)g->n_places + 1, sizeof *pl);
	if (!pl)
		return err_set(ERR_NOMEM, "sample: out of memory");
	for (int r = 0; r < N_ROADS; r++)
		for (int i = 0; i < ROAD_VERTS; i++) {
			roads[2 * (r * ROAD_VERTS + i)] = d->roads[r].v[i].x;
			roads[2 * (r * ROAD_VERTS + i) + 1] = d->roads[r].v[i].y;
		}
	for (int i = 0; i < g->n_places; i++)
		pl[i] = (struct sampleground_place){d->place_at[i].x, d->place_at[i].y,
		                                    as[d->places[i].kind]};
	if (g->n_districts > 1)
		snprintf(prefix, sizeof prefix, "%s-", d->code);
	struct sampleground_in in = address_grid(d);
	in.seed = g->o->seed ^ (uint64_t)k * 0x9e3779b97f4a7c15ULL;
	in.houses = g->o->ground == SAMPLE_GROUND_FULL;
	in.prefix = prefix;
	in.inside = area_ctx_inside;
	in.to_lonlat = xy_lonlat;
	in.ctx = &ctx;
	in.cyrillic = samplenames_cyrillic;
	in.roads = roads;
	in.n_roads = N_ROADS;
	in.road_points = ROAD_VERTS;
	in.places = pl;
	in.n_places = (size_t)g->n_places;
	int rc = sampleground_write(g->st, &in, &written);
	g->rep->ground += written;
	free(pl);
	return rc;
}

/* A city's districts draw offences by their population and a rate of
 * their own, so that their figures differ as real districts' do. */
static void make_district_weights(struct gen *g)
{
	for (int k = 0; k < g->n_districts; k++) {
		const struct district *d = &g->districts[k];
		double rate = exp(0.5 * samplerng_gauss(&g->rng));
		g->district_pick[k] = d->mahalla_pick[d->n_mahallas - 1] * rate;
	}
	samplerng_cumulate(g->district_pick, (size_t)g->n_districts);
}

/* Each district's mahallas, main roads and places, in turn. */
static int make_district_contents(struct gen *g)
{
	int rc = 0;
	for (int k = 0; k < g->n_districts && rc == 0; k++) {
		struct district *d = &g->districts[k];
		if ((rc = make_mahallas(g, k)) == 0 && (rc = make_roads(g, d)) == 0)
			make_places(g, d);
	}
	if (rc == 0 && g->n_districts > 1)
		make_district_weights(g);
	return rc;
}

/* The zones of every district, then the tracks of every zone, then the
 * ground of every district. */
static int make_patrols_and_ground(struct gen *g)
{
	int rc = 0;
	for (int k = 0; k < g->n_districts && rc == 0; k++)
		rc = make_zones(g, &g->districts[k]);
	if (rc == 0)
		rc = make_tracks(g);
	for (int k = 0; k < g->n_districts && rc == 0 && g->o->ground != SAMPLE_GROUND_NONE; k++)
		rc = make_ground(g, k);
	return rc;
}

/* The generator's arrays: every district's slices of them. */
static int gen_alloc(struct gen *g)
{
	const struct sample_options *o = g->o;
	size_t nd = (size_t)o->districts, nm = nd * (size_t)o->mahallas;
	for (int k = 0; k < N_KIND; k++)
		g->n_places += kinds[k].places;
	size_t np = nd * (size_t)g->n_places;
	g->n_districts = o->districts;
	g->districts = calloc(nd, sizeof *g->districts);
	g->district_pick = calloc(nd, sizeof *g->district_pick);
	g->mahallas = calloc(nm, sizeof *g->mahallas);
	g->mahalla_pick = calloc(nm, sizeof *g->mahalla_pick);
	g->place_at = calloc(np, sizeof *g->place_at);
	g->places = calloc(np, sizeof *g->places);
	g->place_pick = calloc(np, sizeof *g->place_pick);
	g->day_pick = calloc((size_t)o->days, sizeof *g->day_pick);
	g->zones = calloc(nd * (size_t)zone_count(), sizeof *g->zones);
	g->fixes = calloc(SAMPLETRACK_MAX_FIXES, sizeof *g->fixes);
	if (!g->districts || !g->district_pick || !g->mahallas || !g->mahalla_pick ||
	    !g->place_at || !g->places || !g->place_pick || !g->day_pick || !g->zones || !g->fixes)
		return err_set(ERR_NOMEM, "sample: out of memory");
	for (int k = 0; k < g->n_districts; k++) {
		struct district *d = &g->districts[k];
		size_t m = (size_t)k * (size_t)o->mahallas, p = (size_t)k * (size_t)g->n_places;
		d->mahallas = g->mahallas + m;
		d->mahalla_pick = g->mahalla_pick + m;
		d->n_mahallas = o->mahallas;
		d->place_at = g->place_at + p;
		d->places = g->places + p;
		d->place_pick = g->place_pick + p;
	}
	return 0;
}

int sample_generate(store *st, const struct sample_options *o, struct sample_report *rep)
{
	struct gen g = {.o = o, .st = st, .rep = rep};
	long cache = 0;
	int rc;

	memset(rep, 0, sizeof *rep);
	if ((rc = check_options(o)) < 0)
		return rc;
	g.ctx = GEOS_init_r();
	if (!g.ctx)
		return err_set(ERR_NOMEM, "sample: out of memory");
	GEOSContext_setErrorMessageHandler_r(g.ctx, geos_message, &g);
	g.writer = GEOSWKBWriter_create_r(g.ctx);
	if (!g.writer) {
		rc = err_set(ERR_NOMEM, "sample: out of memory");
		goto out;
	}
	if ((rc = gen_alloc(&g)) < 0)
		goto out;
	samplerng_seed(&g.rng, o->seed);
	g.start = o->end_day - (int64_t)o->days * DAY;
	g.end = period_end(o);

	if ((rc = store_page_cache(st, PAGE_CACHE, &cache)) < 0 || (rc = store_begin(st)) < 0)
		goto out;
	if ((rc = put_codes(&g)) == 0 && (rc = make_districts(&g)) == 0 &&
	    (rc = make_district_contents(&g)) == 0) {
		make_days(&g);
		if ((rc = store_bulk_begin(st)) == 0 && (rc = make_offences(&g)) == 0 &&
		    (rc = store_bulk_end(st)) == 0 && (rc = make_patrols_and_ground(&g)) == 0)
			rc = store_commit(st);
	}
	if (rc < 0)
		store_rollback(st);
out:
	if (cache > 0) {
		int back = store_page_cache(st, cache, NULL);
		if (rc == 0)
			rc = back;
	}
	gen_free(&g);
	return rc;
}

/*
 * print: page layout, the map at a true scale, legend and tables.
 *
 * Units: the page is laid out in PDF points (1/72 inch), top-left origin;
 * the map is drawn by the tile painters in style pixels of 1/96 inch (a
 * one-pixel line of the style prints 0.26 mm wide, a 12-px label at 9 pt),
 * through a view in the UTM frame whose resolution is the scale's. Sizes of
 * texts and gaps are given for A4 and grow with the paper (A3 by sqrt 2).
 */
#include "print.h"

#include "areas.h"
#include "btpage.h"
#include "choropleth.h"
#include "coverage.h"
#include "err.h"
#include "gistar.h"
#include "gistarlayer.h"
#include "heatmap.h"
#include "hotspot.h"
#include "labels.h"
#include "membuf.h"
#include "pngenc.h"
#include "points.h"
#include "shapes.h"
#include "storeprint.h"
#include "tilemath.h"
#include "timeparse.h"
#include "tracks.h"
#include "trends.h"
#include "typeset.h"
#include "utm.h"
#include "zones.h"

#include <cairo-pdf.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PT_PER_INCH     72.0
#define METRES_PER_IN   0.0254
#define STYLE_PX_PER_PT (96.0 / 72.0)
#define PERIOD_DAYS     90
#define MAX_HOTSPOTS    20
#define MAX_RASTER      ((size_t)24 * 1000 * 1000) /* cells of the heatmap raster */
#define PI              3.14159265358979323846

/* ---- texts -------------------------------------------------------------- */

enum msg {
	M_DISTRICT,
	M_MAHALLA,
	M_PERIOD,
	M_PRINTED,
	M_SCALE,
	M_INSPECTOR,
	M_LEGEND,
	M_DENSITY,
	M_ZONES,
	M_JOINT,
	M_MAHALLA_LINE,
	M_DISTRICT_LINE,
	M_HOTSPOT,
	M_BY_CATEGORY,
	M_CATEGORY,
	M_THIS,
	M_PREVIOUS,
	M_CHANGE,
	M_TOTAL,
	M_OTHER,
	M_HOTSPOTS,
	M_PLACE,
	M_OFFENCES,
	M_PEAK,
	M_WITHIN,
	M_OVERVIEW,
	M_PAGE,
	M_NO_OFFENCES,
	M_NO_HOTSPOTS,
	M_TRACKS,
	M_GISTAR,
	M_GISTAR_HOT,
	M_GISTAR_COLD,
	M_TRENDS,
	M_TREND_HOT,
	M_TREND_COLD,
	M_SHIFT_HOTSPOT,
	M_DOSAGE,
	M_UNVISITED,
	M_SHORT,
	M_MET,
	M_DOTS,
	M_NO_CATEGORY,
	M_KM,
	M_M,
	M_COUNT_METRIC,
	M_RATE_METRIC,
	M_CHANGE_METRIC,
	M_MORE,
	M_COVERAGE,
	M_ROSTER,
	M_SHIFT,
	M_ANALYSIS,
	M_DATE,
	M_GAP,
	M_COVERED,
	M_JOINT_PATROL,
	M_OVERLAP,
	M_STATUS,
	M_SERVICES,
	M_UNIT,
	M_SERVICE,
	M_ZONE,
	M_SHARE_OFFENCES,
	M_SHARE_HOTSPOTS,
	M_AREA,
	M_BY_UNIT,
	M_RESPONSIBILITY,
	M_NOBODY,
	M_HOURS,
	M_HOTSPOT_LIST,
	M_TARGET,
	M_VISITS,
	M_SHIFT_HOTSPOTS,
	M_ANY_DATE,
	M_METHODS,
	M_CHANGE_DENSITY,
	M_HEATMAP,
	M_CHANGE_MAP,
	M_CHOROPLETH,
	M_COUNT
};

/* Uzbek in the Latin script with the modifier letter turned comma (oʻ gʻ). */
static const char *const texts[M_COUNT][3] = {
    [M_DISTRICT] = {"Tuman", "Район", "District"},
    [M_MAHALLA] = {"Mahalla", "Махалля", "Mahalla"},
    [M_PERIOD] = {"Davr", "Период", "Period"},
    [M_PRINTED] = {"Chop etilgan", "Напечатано", "Printed"},
    [M_SCALE] = {"Masshtab", "Масштаб", "Scale"},
    [M_INSPECTOR] = {"Profilaktika inspektori", "Инспектор профилактики", "Prevention inspector"},
    [M_LEGEND] = {"Shartli belgilar", "Условные обозначения", "Legend"},
    [M_DENSITY] = {"Huquqbuzarliklar zichligi, davr uchun 1 km² ga",
                   "Плотность правонарушений на 1 км² за период",
                   "Offence density per km² over the period"},
    [M_ZONES] = {"Patrul hududlari", "Зоны патрулирования", "Patrol zones"},
    [M_JOINT] = {"Qoʻshma patrul yoki kesishma", "Совместный патруль или наложение",
                 "Joint patrol or overlap"},
    [M_MAHALLA_LINE] = {"Mahalla chegarasi", "Граница махалли", "Mahalla boundary"},
    [M_DISTRICT_LINE] = {"Tuman chegarasi", "Граница района", "District boundary"},
    [M_HOTSPOT] = {"Eng zich joy (jadvalda)", "Очаг (см. таблицу)", "Hotspot (see table)"},
    [M_BY_CATEGORY] = {"Huquqbuzarliklar turlari boʻyicha", "Правонарушения по видам",
                       "Offences by category"},
    [M_CATEGORY] = {"Turi", "Вид", "Category"},
    [M_THIS] = {"Davrda", "За период", "Period"},
    [M_PREVIOUS] = {"Oldingi", "Предыдущий", "Previous"},
    [M_CHANGE] = {"Oʻzgarish", "Изменение", "Change"},
    [M_TOTAL] = {"Jami", "Всего", "Total"},
    [M_OTHER] = {"Boshqa turlar (%zu)", "Прочие виды (%zu)", "Other categories (%zu)"},
    [M_HOTSPOTS] = {"Eng zich joylar", "Очаги наибольшей плотности", "Top hotspots"},
    [M_PLACE] = {"Mahalla, koʻcha", "Махалля, улица", "Mahalla, street"},
    [M_OFFENCES] = {"Huq.", "Прав.", "Offences"},
    [M_PEAK] = {"1 km² ga", "На 1 км²", "Per km²"},
    [M_WITHIN] = {"Huquqbuzarliklar: choʻqqidan %.0f m radiusda",
                  "Правонарушения: в радиусе %.0f м от пика",
                  "Offences: within %.0f m of the peak"},
    [M_OVERVIEW] = {"Umumiy xarita", "Обзорная карта", "Overview map"},
    [M_PAGE] = {"Sahifa %d / %d", "Стр. %d из %d", "Page %d of %d"},
    [M_NO_OFFENCES] = {"Davrda huquqbuzarliklar yoʻq", "Правонарушений за период нет",
                       "No offences in the period"},
    [M_NO_HOTSPOTS] = {"Zich joylar yoʻq", "Очагов нет", "No hotspots"},
    [M_TRACKS] = {"Patrul yoʻllari", "Маршруты патрулей", "Patrol tracks"},
    [M_GISTAR] = {"Gi*: qaynoq va sovuq nuqtalar", "Gi*: горячие и холодные точки",
                  "Gi* hot and cold spots"},
    /* a format: the confidence in percent */
    [M_GISTAR_HOT] = {"Qaynoq nuqta, ishonchlilik %d%%", "Горячая точка, достоверность %d%%",
                      "Hot spot, %d%% confidence"},
    [M_GISTAR_COLD] = {"Sovuq nuqta, ishonchlilik %d%%", "Холодная точка, достоверность %d%%",
                       "Cold spot, %d%% confidence"},
    [M_TRENDS] = {"Paydo boʻlayotgan qaynoq va sovuq nuqtalar",
                  "Возникающие горячие и холодные точки", "Emerging hot and cold spots"},
    /* formats: the pattern (trend_patterns) */
    [M_TREND_HOT] = {"%s qaynoq nuqta", "%s горячая точка", "%s hot spot"},
    [M_TREND_COLD] = {"%s sovuq nuqta", "%s холодная точка", "%s cold spot"},
    [M_SHIFT_HOTSPOT] = {"Smena oʻchogʻi", "Очаг смены", "Hotspot of the shift"},
    [M_DOSAGE] = {"Patrul dozasi (GPS izlari boʻyicha)", "Дозировка патрулирования (по GPS-трекам)",
                  "Patrol dosage (from GPS tracks)"},
    [M_UNVISITED] = {"Borilmagan", "Не посещён", "Unvisited"},
    [M_SHORT] = {"Yetarli emas", "Недостаточно", "Short of the target"},
    [M_MET] = {"Bajarilgan", "Выполнено", "Target met"},
    [M_DOTS] = {"Huquqbuzarliklar", "Правонарушения", "Offences"},
    [M_NO_CATEGORY] = {"Turi koʻrsatilmagan", "Вид не указан", "No category"},
    [M_KM] = {"km", "км", "km"},
    [M_M] = {"m", "м", "m"},
    [M_COUNT_METRIC] = {"Huquqbuzarliklar soni", "Число правонарушений", "Offences"},
    [M_RATE_METRIC] = {"1000 aholiga", "На 1000 жителей", "Per 1,000 residents"},
    [M_CHANGE_METRIC] = {"Oʻzgarish, %", "Изменение, %", "Change, %"},
    [M_MORE] = {"yana %zu ta", "ещё %zu", "%zu more"},
    [M_COVERAGE] = {"Oʻchoqlarning qamrovi", "Охват очагов", "Coverage of hotspots"},
    [M_ROSTER] = {"Patrul navbatchiligi roʻyxati", "Расстановка нарядов", "Patrol roster"},
    [M_SHIFT] = {"Smena", "Смена", "Shift"},
    [M_ANALYSIS] = {"Tahlil davri", "Период анализа", "Analysis period"},
    [M_DATE] = {"Reja sanasi", "Дата плана", "Plan date"},
    [M_GAP] = {"Qamrovsiz", "Не охвачен", "Gap"},
    [M_COVERED] = {"Qamrab olingan", "Охвачен", "Covered"},
    [M_JOINT_PATROL] = {"Qoʻshma patrul", "Совместный патруль", "Joint patrol"},
    [M_OVERLAP] = {"Kelishilmagan kesishma", "Несогласованное наложение", "Overlap"},
    [M_STATUS] = {"Holat", "Статус", "Status"},
    [M_SERVICES] = {"Xizmatlar", "Службы", "Services"},
    [M_UNIT] = {"Boʻlinma", "Наряд", "Unit"},
    [M_SERVICE] = {"Xizmat", "Служба", "Service"},
    [M_ZONE] = {"Hudud", "Зона", "Zone"},
    [M_SHARE_OFFENCES] = {"Huq., %", "Прав., %", "Offences, %"},
    [M_SHARE_HOTSPOTS] = {"Oʻchoqda, %", "В очагах, %", "In hotspots, %"},
    [M_AREA] = {"km²", "км²", "km²"},
    [M_BY_UNIT] = {"Boʻlinmalar boʻyicha", "По нарядам", "By unit"},
    [M_RESPONSIBILITY] = {"Mahallalar boʻyicha masʼuliyat", "Ответственность по махаллям",
                          "Responsibility by mahalla"},
    [M_NOBODY] = {"hech kim", "никто", "nobody"},
    [M_HOURS] = {"Vaqt", "Время", "Hours"},
    [M_HOTSPOT_LIST] = {"Oʻchoqlar", "Очаги", "Hotspots"},
    [M_TARGET] = {"Maqsad, daq.", "Цель, мин", "Target, min"},
    [M_VISITS] = {"Har bir oʻchoqqa smenada %d marta %.0f daqiqadan",
                  "В каждый очаг %d раз за смену по %.0f мин",
                  "Each hotspot: %d visits of %.0f min a shift"},
    [M_SHIFT_HOTSPOTS] = {"Smena oʻchoqlari", "Очаги смены", "Hotspots of the shift"},
    [M_ANY_DATE] = {"har qanday", "любая", "any"},
    [M_METHODS] = {"Oʻchoqlarni tanlash usullari", "Методы выбора очагов", "Hotspot methods"},
    [M_CHANGE_DENSITY] = {"Zichlik oʻzgarishi, davr uchun 1 km² ga, oldingi davrga nisbatan",
                          "Изменение плотности на 1 км² за период к предыдущему периоду",
                          "Change in density per km² over the period, against the previous "
                          "period"},
    [M_HEATMAP] = {"Issiqlik xaritasi", "Тепловая карта", "Heatmap"},
    [M_CHANGE_MAP] = {"Zichlik oʻzgarishi", "Изменение плотности", "Density change"},
    [M_CHOROPLETH] = {"Mahallalar boʻyicha huquqbuzarliklar", "Правонарушения по махаллям",
                      "Offences by mahalla"},
};

static const char *const day_names[3][7] = {
    {"Du", "Se", "Ch", "Pa", "Ju", "Sh", "Ya"},
    {"Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"},
    {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
};

static const char *const lang_codes[3] = {"uz", "ru", "en"};

static int parse_choice(const char *field, const char *text, const char *const *names, int n,
                        int *out)
{
	for (int i = 0; text && i < n; i++)
		if (strcasecmp(text, names[i]) == 0) {
			*out = i;
			return 0;
		}
	char list[64] = "";
	for (int i = 0; i < n; i++) {
		strncat(list, names[i], sizeof list - strlen(list) - 1);
		if (i + 1 < n)
			strncat(list, ", ", sizeof list - strlen(list) - 1);
	}
	return err_set(ERR_INVALID, "%s: '%s' is not one of %s", field, text ? text : "", list);
}

int print_paper_parse(const char *text, enum print_paper *out)
{
	static const char *const names[] = {"A4", "A3"};
	int i = 0, rc = parse_choice("paper", text, names, 2, &i);
	if (rc == 0)
		*out = (enum print_paper)i;
	return rc;
}

int print_lang_parse(const char *text, enum print_lang *out)
{
	int i = 0, rc = parse_choice("lang", text, lang_codes, 3, &i);
	if (rc == 0)
		*out = (enum print_lang)i;
	return rc;
}

int print_format_parse(const char *text, enum print_format *out)
{
	static const char *const names[] = {"pdf", "png", "csv"};
	int i = 0, rc = parse_choice("format", text, names, 3, &i);
	if (rc == 0)
		*out = (enum print_format)i;
	return rc;
}

/* ---- the job ------------------------------------------------------------ */

struct peak {
	double x, y;    /* UTM */
	double density; /* per km2 over the period */
	double offences;
	char place[160];
};

struct job {
	renderer *r;
	store *st;
	const struct print_request *q;
	const dataset *ds;
	const style *sty;
	utm *u;
	shapes *sh;
	struct dataset_filter filter, previous;
	int64_t from, to;
	struct storeprint_names categories, services;
	double *weights;         /* heatmap weight per dataset category */
	style_ramp *ramp;        /* the heatmap's */
	style_ramp *change_ramp; /* the change layer's, when it is drawn */
	const struct style_heatmap *hm, *change;
	int metric; /* the choropleth's, as render_request's */
	double bandwidth;
	double dpi;
	unsigned layers;
	int n_hotspots;
	double pw, ph; /* page size, pt */
	int page_no, pages;
	struct typeset ts; /* the page being drawn */
	/* Coverage and roster: the shift's hotspots and their coverage, found
	 * on the renderer's shapes (held until the job closes). */
	int has_set, has_cov;
	struct held_shapes *held;
	const shapes *merc; /* the renderer's shapes, once acquired (held) */
	/* The gistar layer: Gi* of the job's filter on the district, its grid's
	 * UTM zone opened; has_gi is 0 when there was nothing to test. */
	int has_gi;
	struct gistar_result gi;
	utm *gi_u;
	/* The trends layer alike: the emerging hot and cold spots of the
	 * filter's weeks. */
	int has_tr;
	struct trends_result tr;
	utm *tr_u;
	struct hotspot_set set;
	struct coverage cov;
	struct shift shift;
};

/* One page: which area, where the map goes, at what scale. */
struct page {
	enum shapes_kind kind;
	const struct shapes_area *area;
	double fx, fy, fw, fh; /* map frame on the page, pt */
	double scale;          /* denominator */
	double k;              /* UTM metres per ground metre at the centre */
	double convergence;    /* radians from grid north to true north */
	struct view view;      /* style px of the frame */
	struct peak hot[MAX_HOTSPOTS];
	size_t n_hot;
	double *density; /* raster of the frame at job->dpi, or NULL */
	double *change;  /* the change layer's, the same cells, or NULL */
	int rw, rh;
	double cell; /* frame metres per raster cell */
	struct dataset_points pts;
};

/* The trends patterns (trends.h, TRENDS_NEW ..) as the words before "hot
 * spot" and "cold spot", as the viewer names them. */
static const char *const trend_patterns[TRENDS_PATTERNS][3] = {
    [TRENDS_NEW] = {"Yangi", "Новая", "New"},
    [TRENDS_CONSECUTIVE] = {"Ketma-ket", "Последовательная", "Consecutive"},
    [TRENDS_INTENSIFYING] = {"Kuchayayotgan", "Усиливающаяся", "Intensifying"},
    [TRENDS_PERSISTENT] = {"Doimiy", "Устойчивая", "Persistent"},
    [TRENDS_DIMINISHING] = {"Susayayotgan", "Ослабевающая", "Diminishing"},
    [TRENDS_SPORADIC] = {"Vaqti-vaqti bilan", "Спорадическая", "Sporadic"},
    [TRENDS_OSCILLATING] = {"Tebranuvchi", "Колеблющаяся", "Oscillating"},
    [TRENDS_HISTORICAL] = {"Tarixiy", "Историческая", "Historical"},
};

static const char *T(const struct job *j, enum msg m)
{
	return texts[m][j->q->lang];
}

static const char *area_name(const struct job *j, const struct shapes_area *a)
{
	const char *by_lang[3] = {a->name_uz, a->name_ru, a->name_en};
	const char *name = by_lang[j->q->lang];
	for (int i = 0; (!name || !*name) && i < 3; i++)
		name = by_lang[i];
	return name && *name ? name : a->code;
}

/* ---- text --------------------------------------------------------------- */

static void format_date(const struct job *j, int64_t utc, char *out, size_t n)
{
	int64_t local = utc + tz_offset_at(dataset_zone(j->ds), utc);
	time_t t = (time_t)local;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

/* ---- the period --------------------------------------------------------- */

static int64_t local_midnight(const tz *z, int64_t utc, int days_later)
{
	int64_t local = utc + tz_offset_at(z, utc);
	int64_t day = (local >= 0 ? local : local - 86399) / 86400;
	return tz_local_to_utc(z, (day + days_later) * 86400);
}

/* The page's period: the filter's, completed to PERIOD_DAYS whole local
 * days where it is open, and the previous period of equal length. */
static void set_period(struct job *j)
{
	const tz *z = dataset_zone(j->ds);
	int64_t first, last;
	dataset_time_range(j->ds, &first, &last);
	j->filter = j->q->filter;
	int64_t from = j->filter.from, to = j->filter.to;
	if (to == STORE_NO_TIME) {
		int64_t end = from != STORE_NO_TIME   ? from + (int64_t)PERIOD_DAYS * 86400
		              : last != STORE_NO_TIME ? last
		                                      : j->q->printed_at;
		to = local_midnight(z, end, from != STORE_NO_TIME ? 0 : 1) - 1;
	}
	if (from == STORE_NO_TIME)
		from = local_midnight(z, to, 1 - PERIOD_DAYS);
	if (from > to)
		from = to;
	j->from = j->filter.from = from;
	j->to = j->filter.to = to;
	j->previous = j->filter;
	j->previous.to = from - 1;
	j->previous.from = from - (to - from + 1);
}

/* ---- geometry ----------------------------------------------------------- */

static const struct shapes_rings *full_rings(const struct shapes_geom *g)
{
	return &g->band[SHAPES_BANDS - 1];
}

/* The mahalla holding (x, y), else the one whose label anchor is nearest. */
static const struct shapes_area *mahalla_at(const shapes *sh, double x, double y)
{
	const struct shapes_area *best = NULL;
	double best_d = INFINITY;
	for (size_t i = 0; i < shapes_count(sh, SHAPES_MAHALLAS); i++) {
		const struct shapes_area *a = shapes_area(sh, SHAPES_MAHALLAS, i);
		const double *b = a->geom.bbox;
		if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] &&
		    shapes_rings_contain(full_rings(&a->geom), x, y))
			return a;
		double d = hypot(a->anchor.x - x, a->anchor.y - y);
		if (d < best_d) {
			best_d = d;
			best = a;
		}
	}
	return best;
}

/* The round scale (1, 1.5, 2, 2.5, 3, 4, 5, 7.5 x 10^n) at which a box of w x h metres
 * fits into fw x fh points. */
static double fit_scale(double w, double h, double fw, double fh)
{
	static const double steps[] = {1, 1.5, 2, 2.5, 3, 4, 5, 7.5};
	double need =
	    fmax(w / (fw / PT_PER_INCH * METRES_PER_IN), h / (fh / PT_PER_INCH * METRES_PER_IN));
	for (double p = 100; p <= PRINT_MAX_SCALE; p *= 10)
		for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
			if (steps[i] * p >= need && steps[i] * p >= PRINT_MIN_SCALE)
				return steps[i] * p;
	return PRINT_MAX_SCALE;
}

/* The view of the frame: centred on the area at the page's scale, in style
 * px of 1/96 inch. */
static int frame_view(struct job *j, struct page *p)
{
	const double *b = p->area->geom.bbox;
	double cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2, lon = cx, lat = cy;
	int rc = utm_inverse(j->u, &lon, &lat, 1);
	if (rc < 0)
		return rc;
	p->k = utm_point_scale(j->u, lon, lat);
	/* Grid north to true north: the direction of a step north in the frame. */
	double nx = lon, ny = fmin(lat + 0.01, 89.9);
	if ((rc = utm_forward(j->u, &nx, &ny, 1)) < 0)
		return rc;
	p->convergence = atan2(nx - cx, ny - cy);
	double margin = 0.04; /* of the frame on each side */
	if (j->q->scale > 0)
		p->scale = j->q->scale;
	else
		p->scale = fit_scale((b[2] - b[0]) / p->k, (b[3] - b[1]) / p->k,
		                     p->fw * (1 - 2 * margin), p->fh * (1 - 2 * margin));
	double ground_per_px = p->scale * METRES_PER_IN / 96.0;
	struct view *v = &p->view;
	v->width = (int)ceil(p->fw * STYLE_PX_PER_PT);
	v->height = (int)ceil(p->fh * STYLE_PX_PER_PT);
	v->res = ground_per_px * p->k;
	v->x0 = cx - v->width * v->res / 2;
	v->y0 = cy + v->height * v->res / 2;
	v->scale = 1;
	v->ground = 1 / p->k;
	v->mercator = 0;
	/* The Web Mercator zoom whose pixels are this big on the ground here,
	 * so that the style's zoom ranges and sizes read as on screen. */
	v->zoom =
	    log2(2 * PI * TILE_EARTH_RADIUS * cos(lat * PI / 180) / TILE_SIZE / ground_per_px);
	return 0;
}

/* ---- the map ------------------------------------------------------------ */

/* The frame's raster at the job's dpi: its size and cell into p. */
static int frame_raster(struct job *j, struct page *p)
{
	double per_px = j->dpi / 96.0;
	p->rw = (int)ceil(p->view.width * per_px);
	p->rh = (int)ceil(p->view.height * per_px);
	if ((size_t)p->rw * p->rh > MAX_RASTER)
		return err_set(ERR_INVALID,
		               "dpi: %g dpi makes a heatmap of %d x %d pixels on this page "
		               "(limit %zu); ask for fewer dpi",
		               j->dpi, p->rw, p->rh, MAX_RASTER);
	p->cell = p->view.res / per_px;
	return 0;
}

/* The kernel density of the offences passing f at the cells of the frame's
 * raster (frame_raster()) into out, with the points gathered in pts. */
static int frame_kde(struct job *j, struct page *p, enum kde_kernel kernel, double bandwidth,
                     const struct dataset_filter *f, struct dataset_points *pts, double *out)
{
	double *scale = malloc((size_t)p->rh * sizeof *scale);
	if (!scale)
		return err_set(ERR_NOMEM, "print: out of memory for a %d x %d heatmap", p->rw,
		               p->rh);
	for (int i = 0; i < p->rh; i++)
		scale[i] = 1 / p->k;
	struct kde_params kp = {.kernel = kernel, .bandwidth = bandwidth, .max_cells = MAX_RASTER};
	struct kde_grid g = {.x0 = p->view.x0,
	                     .y0 = p->view.y0,
	                     .cell = p->cell,
	                     .width = p->rw,
	                     .height = p->rh,
	                     .row_scale = scale};
	double reach[4];
	int rc;
	if ((rc = kde_grid_reach(&kp, &g, reach)) == 0 &&
	    (rc = dataset_gather_utm(j->ds, j->u, reach, f, j->weights, pts)) == 0)
		rc = kde_grid_eval(&kp, &g, pts->pts, pts->w, pts->n, out);
	free(scale);
	return rc;
}

/* The density of the frame at the job's dpi into p->density (and the
 * gathered points in p->pts, for counting near hotspots). */
static int frame_density(struct job *j, struct page *p)
{
	int rc = frame_raster(j, p);
	if (rc < 0)
		return rc;
	if (!(p->density = malloc((size_t)p->rw * p->rh * sizeof *p->density)))
		return err_set(ERR_NOMEM, "print: out of memory for a %d x %d heatmap", p->rw,
		               p->rh);
	return frame_kde(j, p, j->hm ? j->hm->kernel : KDE_QUARTIC, j->bandwidth, &j->filter,
	                 &p->pts, p->density);
}

/* The change layer's raster into p->change: the density of the job's
 * period minus that of the previous one of equal length, with the change
 * style's kernel and bandwidth (the request's, if given), as the tiles. */
static int frame_change(struct job *j, struct page *p)
{
	struct dataset_points pts = {0};
	double *before = NULL;
	double bandwidth = j->q->bandwidth > 0 ? j->q->bandwidth : j->change->bandwidth, lowest;
	int rc = p->density ? 0 : frame_raster(j, p);
	if (rc < 0)
		return rc;
	size_t n = (size_t)p->rw * p->rh;
	if (!(p->change = malloc(n * sizeof *p->change)) ||
	    !(before = malloc(n * sizeof *before))) {
		rc = err_set(ERR_NOMEM, "print: out of memory for a %d x %d change", p->rw, p->rh);
		goto out;
	}
	if ((rc = frame_kde(j, p, j->change->kernel, bandwidth, &j->filter, &pts, p->change)) < 0 ||
	    (rc = frame_kde(j, p, j->change->kernel, bandwidth, &j->previous, &pts, before)) < 0)
		goto out;
	/* Falls beyond the diverging ramp's lowest stop take its colour, as on
	 * the tiles (changemap_paint()): a ramp has nothing below for them. */
	style_ramp_stop(j->change_ramp, 0, &lowest, NULL);
	for (size_t i = 0; i < n; i++)
		p->change[i] = fmax(p->change[i] - before[i], lowest);
out:
	free(before);
	dataset_points_free(&pts);
	return rc;
}

/* A raster of the frame coloured through ramp over the map at opacity. */
static int paint_raster(struct job *j, struct page *p, cairo_t *cr, const double *values,
                        const style_ramp *ramp, double opacity)
{
	cairo_surface_t *img;
	int rc = heatmap_image(values, p->rw, p->rh, ramp, &img);
	if (rc < 0)
		return rc;
	cairo_save(cr);
	cairo_scale(cr, 96.0 / j->dpi, 96.0 / j->dpi);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint_with_alpha(cr, opacity);
	cairo_restore(cr);
	cairo_surface_destroy(img);
	return 0;
}

struct candidate {
	int i, j;
	double v;
};

static int by_density(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	return (x->v < y->v) - (x->v > y->v);
}

/* The streets named in addresses and how often: the part of "Mahalla MFY,
 * Street, 10-uy" that is neither the mahalla nor a house number. */
enum { MAX_STREETS = 64 };
struct street_tally {
	char streets[MAX_STREETS][96];
	int counts[MAX_STREETS], n;
};

static int tally_street(void *ctx, const char *address)
{
	struct street_tally *t = ctx;
	for (const char *part = address; part && *part;) {
		size_t len = strcspn(part, ",");
		const char *next = part[len] ? part + len + 1 : part + len;
		while (len && (*part == ' '))
			part++, len--;
		while (len && part[len - 1] == ' ')
			len--;
		int digits = 0;
		for (size_t i = 0; i < len; i++)
			digits += part[i] >= '0' && part[i] <= '9';
		int mahalla = len >= 4 && strncmp(part + len - 4, " MFY", 4) == 0;
		if (len && !digits && !mahalla && len < sizeof t->streets[0]) {
			int k = 0;
			while (k < t->n && (strlen(t->streets[k]) != len ||
			                    strncmp(t->streets[k], part, len) != 0))
				k++;
			if (k == t->n && t->n < MAX_STREETS) {
				memcpy(t->streets[k], part, len);
				t->streets[k][len] = 0;
				t->counts[k] = 0;
				t->n++;
			}
			if (k < t->n)
				t->counts[k]++;
			break;
		}
		part = next;
	}
	return 0;
}

/* The most frequent street named in the addresses of offences within r
 * metres of lon/lat. */
static int street_near(store *st, double lon, double lat, double r, char *out, size_t n)
{
	struct street_tally t;
	double dlat = r / 111320.0, dlon = r / (111320.0 * fmax(cos(lat * PI / 180), 0.01));
	double box[4] = {lon - dlon, lat - dlat, lon + dlon, lat + dlat};
	t.n = 0;
	*out = 0;
	int rc = storeprint_addresses(st, box, 2000, tally_street, &t);
	if (rc < 0)
		return rc;
	int best = -1;
	for (int k = 0; k < t.n; k++)
		if (best < 0 || t.counts[k] > t.counts[best])
			best = k;
	if (best >= 0)
		snprintf(out, n, "%s", t.streets[best]);
	return 0;
}

/* The highest peaks of the density inside the page's area, at least one
 * bandwidth apart and above the ramp's first break. */
static int find_hotspots(struct job *j, struct page *p)
{
	int rc = 0;
	size_t cap = 1024, n = 0;
	struct candidate *c = malloc(cap * sizeof *c);
	cairo_surface_t *mask = cairo_image_surface_create(CAIRO_FORMAT_A8, p->rw, p->rh);
	if (!c || cairo_surface_status(mask) != CAIRO_STATUS_SUCCESS) {
		rc = err_set(ERR_NOMEM, "print: out of memory for hotspots");
		goto out;
	}
	/* The area rasterised onto the density's cells. */
	cairo_t *m = cairo_create(mask);
	struct view rv = p->view;
	rv.res = p->cell;
	rv.width = p->rw;
	rv.height = p->rh;
	cairo_set_fill_rule(m, CAIRO_FILL_RULE_EVEN_ODD);
	shapes_path(j->sh, m, &rv, &p->area->geom, NULL);
	cairo_fill(m);
	cairo_destroy(m);
	cairo_surface_flush(mask);
	const unsigned char *mk = cairo_image_surface_get_data(mask);
	int stride = cairo_image_surface_get_stride(mask);
	double floor_value = 0;
	style_ramp_stop(j->ramp, 0, &floor_value, NULL);
	const double *d = p->density;
	for (int y = 1; y + 1 < p->rh; y++)
		for (int x = 1; x + 1 < p->rw; x++) {
			double v = d[(size_t)y * p->rw + x];
			if (v < floor_value || v <= 0 || mk[(size_t)y * stride + x] < 128)
				continue;
			int peak = 1;
			for (int dy = -1; dy <= 1 && peak; dy++)
				for (int dx = -1; dx <= 1; dx++)
					if (d[(size_t)(y + dy) * p->rw + x + dx] > v)
						peak = 0;
			if (!peak)
				continue;
			if (n == cap) {
				struct candidate *g = realloc(c, 2 * cap * sizeof *c);
				if (!g) {
					rc =
					    err_set(ERR_NOMEM, "print: out of memory for hotspots");
					goto out;
				}
				c = g;
				cap *= 2;
			}
			c[n++] = (struct candidate){x, y, v};
		}
	qsort(c, n, sizeof *c, by_density);
	double apart = j->bandwidth * p->k / p->cell; /* cells */
	int want = j->n_hotspots;
	for (size_t i = 0; i < n && (int)p->n_hot < want; i++) {
		int near = 0;
		for (size_t h = 0; h < p->n_hot && !near; h++) {
			double hx = (p->hot[h].x - p->view.x0) / p->cell - 0.5;
			double hy = (p->view.y0 - p->hot[h].y) / p->cell - 0.5;
			near = hypot(hx - c[i].i, hy - c[i].j) < apart;
		}
		if (near)
			continue;
		struct peak *h = &p->hot[p->n_hot++];
		h->x = p->view.x0 + (c[i].i + 0.5) * p->cell;
		h->y = p->view.y0 - (c[i].j + 0.5) * p->cell;
		h->density = c[i].v;
		double r = j->bandwidth * p->k;
		h->offences = 0;
		for (size_t k = 0; k < p->pts.n; k++)
			if (hypot(p->pts.pts[k].x - h->x, p->pts.pts[k].y - h->y) <= r)
				h->offences += 1;
		const struct shapes_area *ma = mahalla_at(j->sh, h->x, h->y);
		double lon = h->x, lat = h->y;
		char street[96] = "";
		if ((rc = utm_inverse(j->u, &lon, &lat, 1)) < 0 ||
		    (rc = street_near(j->st, lon, lat, j->bandwidth, street, sizeof street)) < 0)
			goto out;
		const char *mname = ma ? area_name(j, ma) : "";
		snprintf(h->place, sizeof h->place, "%s%s%s", mname, *mname && *street ? ", " : "",
		         street);
	}
out:
	free(c);
	cairo_surface_destroy(mask);
	return rc;
}

/* Coverage pages draw the shift's hotspots by status and list the statuses
 * in the legend (see "coverage and roster" below). */
static int paint_coverage(struct job *j, const struct view *v, cairo_t *cr);
static void coverage_legend(struct job *j, struct typeset_column *c);

/* A copy of an area style whose label shows the page's language. */
struct area_style {
	struct style_area area;
	struct style_label label;
};

static const struct style_area *in_language(const struct job *j, const struct style_area *st,
                                            struct area_style *out)
{
	static const enum style_field fields[3] = {STYLE_FIELD_NAME_UZ, STYLE_FIELD_NAME_RU,
	                                           STYLE_FIELD_NAME_EN};
	if (!st)
		return NULL;
	out->area = *st;
	if (st->label && st->label->field != STYLE_FIELD_CODE) {
		out->label = *st->label;
		out->label.field = fields[j->q->lang];
		out->area.label = &out->label;
	}
	return &out->area;
}

static void hotspot_marker(cairo_t *cr, double x, double y, double r)
{
	cairo_new_path(cr);
	cairo_arc(cr, x, y, r, 0, 2 * PI);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
	cairo_set_line_width(cr, r * 0.18);
	cairo_stroke(cr);
}

/* Everything inside the map frame, in style px (user space = p->view). */
static int paint_map(struct job *j, struct page *p, cairo_t *cr)
{
	const struct view *v = &p->view;
	struct area_style mahallas, districts;
	labels *lb = NULL;
	int rc = labels_new(v, LABELS_INSIDE, &lb);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	if (rc == 0 && (j->layers & RENDER_CHOROPLETH) && style_choropleth(j->sty)) {
		struct choropleth_classes c;
		rc =
		    choropleth_classify(j->ds, j->sh, style_choropleth(j->sty), -1, &j->filter, &c);
		if (rc == 0)
			rc = choropleth_paint(cr, v, j->sh, style_choropleth(j->sty), &c);
		choropleth_classes_free(&c);
	}
	if (rc == 0 && j->has_gi)
		rc = gistarlayer_fill_classes(cr, v, j->u, j->gi_u, &j->gi, j->gi.bin, -3, 3,
		                              gistarlayer_colours, GISTARLAYER_ALPHA);
	const struct style_trends *tr = style_trends(j->sty);
	if (rc == 0 && j->has_tr)
		rc = gistarlayer_fill_classes(cr, v, j->u, j->tr_u, &j->tr.grid, j->tr.category,
		                              1 - TRENDS_PATTERNS, TRENDS_PATTERNS - 1, tr->colours,
		                              tr->opacity);
	if (rc == 0 && p->change)
		rc = paint_raster(j, p, cr, p->change, j->change_ramp, j->change->opacity);
	if (rc == 0 && (j->layers & RENDER_HEATMAP) && p->density)
		rc = paint_raster(j, p, cr, p->density, j->ramp, j->hm->opacity);
	if (rc == 0 && (j->layers & RENDER_ZONES)) {
		/* A coverage page shows the zones of its shift (on its first day). */
		struct shapes_shift on;
		int day = 0;
		while (day < 6 && !(j->shift.weekdays >> day & 1))
			day++;
		int shifted =
		    j->has_cov && shapes_shift_weekly(day, j->shift.start, j->shift.end, &on) == 0;
		rc = zones_paint(cr, v, j->sh, j->sty, shifted ? &on : NULL, lb);
	}
	if (rc == 0 && j->has_cov)
		rc = paint_coverage(j, v, cr);
	if (rc == 0 && (j->layers & RENDER_TRACKS))
		rc = tracks_paint(cr, v, j->sh, j->sty, j->from, j->to);
	if (rc == 0 && (j->layers & RENDER_MAHALLAS))
		rc = areas_paint(cr, v, j->sh, SHAPES_MAHALLAS,
		                 in_language(j, style_mahallas(j->sty), &mahallas), lb);
	if (rc == 0 && (j->layers & RENDER_DISTRICTS))
		rc = areas_paint(cr, v, j->sh, SHAPES_DISTRICTS,
		                 in_language(j, style_districts(j->sty), &districts), lb);
	if (rc == 0 && (j->layers & RENDER_OFFENCES))
		rc = points_paint(cr, v, j->ds, &j->filter, j->sty, j->u);
	if (rc == 0) {
		/* Neighbours lighter: a veil over everything outside the area. */
		cairo_save(cr);
		cairo_new_path(cr);
		cairo_rectangle(cr, 0, 0, v->width, v->height);
		shapes_path(j->sh, cr, v, &p->area->geom, NULL);
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		cairo_set_source_rgba(cr, 1, 1, 1, 0.55);
		cairo_fill(cr);
		cairo_new_path(cr);
		shapes_path(j->sh, cr, v, &p->area->geom, NULL);
		cairo_set_source_rgba(cr, 0.10, 0.12, 0.16, 0.9);
		cairo_set_line_width(cr, 2.4);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_stroke(cr);
		cairo_restore(cr);
		rc = labels_draw(lb, cr);
	}
	/* Hotspot numbers on top of everything. */
	for (size_t i = 0; rc == 0 && i < p->n_hot; i++) {
		double px, py, r = 7.5 * j->ts.unit;
		char num[24];
		view_to_px(v, p->hot[i].x, p->hot[i].y, &px, &py);
		hotspot_marker(cr, px, py, r);
		snprintf(num, sizeof num, "%zu", i + 1);
		/* Text sizes are in pt: this user space is style px. */
		cairo_save(cr);
		cairo_scale(cr, 1 / STYLE_PX_PER_PT, 1 / STYLE_PX_PER_PT);
		double lh = typeset_line_height(&j->ts, &typeset_bold);
		typeset_text(&j->ts, &typeset_bold, num, px * STYLE_PX_PER_PT,
		             py * STYLE_PX_PER_PT - lh / 2, 0, 0, TYPESET_CENTRE);
		cairo_restore(cr);
	}
	labels_free(lb);
	if (rc == 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		rc = err_set(ERR_NOMEM, "print: %s", cairo_status_to_string(cairo_status(cr)));
	return rc;
}

/* ---- around the map ----------------------------------------------------- */

/* The scale bar at the frame's bottom left: a round length of about a
 * quarter of the frame, in four alternating parts, labelled at its ends and
 * middle. Its printed length is exactly length / scale. */
static void scale_bar(struct job *j, const struct page *p)
{
	static const double steps[] = {1, 2, 5};
	cairo_t *cr = j->ts.cr;
	double pt_per_m = PT_PER_INCH / METRES_PER_IN / p->scale; /* printed pt per ground m */
	double want = p->fw * 0.25 / pt_per_m, len = 1;
	for (double e = 1; e <= 1e7; e *= 10)
		for (size_t i = 0; i < 3; i++)
			if (steps[i] * e <= want)
				len = steps[i] * e;
	double bar = len * pt_per_m, u = j->ts.unit;
	int km = len >= 1000;
	double lh = typeset_line_height(&j->ts, &typeset_body);
	char ratio[64], num[32];
	typeset_count(p->scale, num, sizeof num);
	snprintf(ratio, sizeof ratio, "%s 1:%s", T(j, M_SCALE), num);
	double x = p->fx + 8 * u, h = 4 * u;
	double box_h = h + 2 * lh + 14 * u, box_w = bar + 40 * u;
	double y = p->fy + p->fh - box_h - 6 * u;
	cairo_save(cr);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_rectangle(cr, x - 5 * u, y, box_w, box_h);
	cairo_fill(cr);
	typeset_text(&j->ts, &typeset_bold, ratio, x, y + 3 * u, 0, 0, TYPESET_LEFT);
	double by = y + 5 * u + lh;
	for (int i = 0; i < 4; i++) {
		cairo_rectangle(cr, x + bar * i / 4, by, bar / 4, h);
		if (i % 2 == 0)
			cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
		else
			cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_fill(cr);
	}
	cairo_rectangle(cr, x, by, bar, h);
	cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
	cairo_set_line_width(cr, 0.5 * u);
	cairo_stroke(cr);
	const double at[3] = {0, 0.5, 1};
	for (int i = 0; i < 3; i++) {
		double value = len * at[i] / (km ? 1000 : 1);
		snprintf(num, sizeof num, "%g", value);
		typeset_text(&j->ts, &typeset_body, num, x + bar * at[i], by + h + 1.5 * u, 0, 0,
		             TYPESET_CENTRE);
	}
	/* The unit after the last number, apart from it so that the numbers
	 * alone are centred on their ticks. */
	double half = typeset_width(&j->ts, &typeset_body, num) / 2;
	typeset_text(&j->ts, &typeset_body, T(j, km ? M_KM : M_M), x + bar + half + 2.5 * u,
	             by + h + 1.5 * u, 0, 0, TYPESET_LEFT);
	cairo_restore(cr);
}

/* A north arrow at the frame's top right, turned to true north. */
static void north_arrow(struct job *j, const struct page *p)
{
	cairo_t *cr = j->ts.cr;
	double u = j->ts.unit, s = 11 * u;
	double cx = p->fx + p->fw - 16 * u, cy = p->fy + 22 * u;
	cairo_save(cr);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_arc(cr, cx, cy, s * 1.35, 0, 2 * PI);
	cairo_fill(cr);
	cairo_translate(cr, cx, cy);
	/* Page y grows down; true north is convergence from grid north. */
	cairo_rotate(cr, -p->convergence);
	cairo_move_to(cr, 0, -s);
	cairo_line_to(cr, s * 0.45, s * 0.75);
	cairo_line_to(cr, 0, s * 0.4);
	cairo_close_path(cr);
	cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
	cairo_fill(cr);
	cairo_move_to(cr, 0, -s);
	cairo_line_to(cr, -s * 0.45, s * 0.75);
	cairo_line_to(cr, 0, s * 0.4);
	cairo_close_path(cr);
	cairo_set_line_width(cr, 0.6 * u);
	cairo_stroke(cr);
	cairo_restore(cr);
	double lh = typeset_line_height(&j->ts, &typeset_bold);
	typeset_text(&j->ts, &typeset_bold, j->q->lang == PRINT_RU ? "С" : "N", cx,
	             cy - s * 1.35 - lh - 1 * u, 0, 0, TYPESET_CENTRE);
}

/* A legend row: a swatch drawn by the caller at (x, y, w, h), then text. */
static int legend_row(struct job *j, struct typeset_column *c, const char *text, double *sx,
                      double *sy, double *sw, double *sh)
{
	double rh = typeset_row_height(&j->ts), u = j->ts.unit;
	if (c->y + rh > c->bottom)
		return 0;
	*sx = c->x;
	*sy = c->y + 1.2 * u;
	*sw = 16 * u;
	*sh = rh - 2.4 * u;
	typeset_text(&j->ts, &typeset_body, text, c->x + 21 * u, c->y + 1.1 * u, c->w - 21 * u, 1,
	             TYPESET_LEFT);
	c->y += rh;
	return 1;
}

static void set_colour(cairo_t *cr, const struct style_colour *c, double alpha)
{
	cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a * alpha);
}

/* A legend row's swatch at (x, y, w, h): filled in c at alpha fill, and
 * outlined in c when outlined (as hotspots are drawn). */
static void swatch(struct job *j, double x, double y, double w, double h,
                   const struct style_colour *c, double fill, int outlined)
{
	cairo_rectangle(j->ts.cr, x, y, w, h);
	set_colour(j->ts.cr, c, fill);
	if (!outlined) {
		cairo_fill(j->ts.cr);
		return;
	}
	cairo_fill_preserve(j->ts.cr);
	set_colour(j->ts.cr, c, 1);
	cairo_set_line_width(j->ts.cr, 1 * j->ts.unit);
	cairo_stroke(j->ts.cr);
}

/* A density ramp (the heatmap's or the change's) as a bar under its title,
 * its breaks below in density units, at the layer's opacity. */
static void legend_ramp(struct job *j, struct typeset_column *c, const style_ramp *ramp,
                        const char *title, double opacity)
{
	cairo_t *cr = j->ts.cr;
	double u = j->ts.unit, lh = typeset_line_height(&j->ts, &typeset_small), h = 7 * u;
	size_t n = style_ramp_size(ramp);
	if (n < 2 || c->y + h + lh + 4 * u > c->bottom)
		return;
	c->y +=
	    typeset_text(&j->ts, &typeset_body, title, c->x, c->y, c->w, 2, TYPESET_LEFT) + 1.5 * u;
	/* Inset so that the end labels, centred on the bar's ends, stay inside. */
	double inset = 7 * u, w = c->w - 2 * inset;
	c->x += inset;
	/* Stops evenly spaced, the colours between them as the ramp blends. */
	for (size_t i = 0; i + 1 < n; i++) {
		double v0, v1;
		style_ramp_stop(ramp, i, &v0, NULL);
		style_ramp_stop(ramp, i + 1, &v1, NULL);
		int parts = style_ramp_interp(ramp) == STYLE_INTERP_LINEAR ? 12 : 1;
		for (int k = 0; k < parts; k++) {
			struct style_colour col;
			style_ramp_colour(ramp, v0 + (v1 - v0) * k / parts, &col);
			double x0 = c->x + w * (i + (double)k / parts) / (n - 1);
			cairo_rectangle(cr, x0, c->y, w / (n - 1) / parts + 0.3, h);
			set_colour(cr, &col, opacity);
			cairo_fill(cr);
		}
	}
	cairo_rectangle(cr, c->x, c->y, w, h);
	cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
	cairo_set_line_width(cr, 0.3 * u);
	cairo_stroke(cr);
	double spacing = w / (n - 1), last_right = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		double v;
		char num[32];
		style_ramp_stop(ramp, i, &v, NULL);
		typeset_value(v, num, sizeof num);
		double x = c->x + spacing * i,
		       half = typeset_width(&j->ts, &typeset_small, num) / 2;
		if (x - half < last_right + 2 * u)
			continue; /* too many breaks for the bar: every other one */
		typeset_text(&j->ts, &typeset_small, num, x, c->y + h + 1 * u, 0, 0,
		             TYPESET_CENTRE);
		last_right = x + half;
	}
	c->x -= inset;
	c->y += h + lh + 5 * u;
}

/* The services of the zones that meet the frame, in first-seen order. */
static size_t frame_services(const struct job *j, const struct page *p, const char **out,
                             size_t max, int *joint)
{
	double box[4];
	struct shapes_list found = {0};
	size_t n = 0;
	*joint = 0;
	view_frame_box(&p->view, 0, box);
	if (shapes_find(j->sh, SHAPES_ZONES, box, &found) < 0)
		return 0;
	for (size_t i = 0; i < found.n; i++) {
		const char *svc[16];
		size_t k = shapes_zone_services(shapes_zone(j->sh, found.idx[i]), NULL, svc, 16);
		for (size_t s = 0; s < k && s < 16; s++) {
			size_t have = 0;
			while (have < n && strcmp(out[have], svc[s]) != 0)
				have++;
			if (have == n && n < max)
				out[n++] = svc[s];
		}
	}
	*joint = shapes_find(j->sh, SHAPES_OVERLAPS, box, &found) == 0 && found.n > 0;
	shapes_list_free(&found);
	return n;
}

struct category_tally {
	double *counts;
	utm *u;
	const double *box; /* the frame, UTM */
};

static int tally_in_frame(void *ctx, const struct dataset_offence *o)
{
	struct category_tally *t = ctx;
	double x, y;
	tile_merc_to_lonlat(o->x, o->y, &x, &y);
	if (o->category != DATASET_NONE && utm_forward(t->u, &x, &y, 1) == 0 && x >= t->box[0] &&
	    x <= t->box[2] && y >= t->box[1] && y <= t->box[3])
		t->counts[o->category]++;
	return 0;
}

static int by_value(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	return (x->v < y->v) - (x->v > y->v);
}

/* The categories of the offences on the map, commonest first, into out (at
 * most max); returns how many. */
static size_t frame_categories(const struct job *j, const struct page *p, const char **out,
                               size_t max)
{
	size_t n = dataset_category_count(j->ds), k = 0;
	double box[4], merc[4];
	struct category_tally t = {calloc(n ? n : 1, sizeof *t.counts), j->u, box};
	struct candidate *order = calloc(n ? n : 1, sizeof *order);
	view_frame_box(&p->view, 0, box);
	if (t.counts && order && utm_box_merc(j->u, box, merc) == 0 &&
	    dataset_each(j->ds, merc, &j->filter, tally_in_frame, &t) == 0) {
		for (size_t i = 0; i < n; i++)
			order[i] = (struct candidate){(int)i, 0, t.counts[i]};
		qsort(order, n, sizeof *order, by_value);
		for (; k < n && k < max && order[k].v > 0; k++)
			out[k] = dataset_category(j->ds, (size_t)order[k].i);
	}
	free(t.counts);
	free(order);
	return k;
}

/* The choropleth's classes: a swatch and the range of each. */
static void legend_choropleth(struct job *j, struct typeset_column *c)
{
	static const enum msg titles[3] = {M_COUNT_METRIC, M_RATE_METRIC, M_CHANGE_METRIC};
	struct choropleth_classes cl;
	double x, y, w, h;
	if (renderer_choropleth(j->r, &j->filter, j->metric, &cl) < 0)
		return;
	if (cl.n_classes > 0 && c->y + typeset_row_height(&j->ts) <= c->bottom)
		c->y += typeset_text(&j->ts, &typeset_body, T(j, titles[cl.metric]), c->x, c->y,
		                     c->w, 1, TYPESET_LEFT) +
		        1 * j->ts.unit;
	double from = cl.min;
	for (size_t i = 0; i < cl.n_classes; i++) {
		char a[32], b[64], label[100];
		double scale = cl.metric == STYLE_METRIC_CHANGE ? 100 : 1;
		typeset_value(from * scale, a, sizeof a);
		typeset_value(cl.breaks[i] * scale, b, sizeof b);
		snprintf(label, sizeof label, "%s – %s", a, b);
		if (!legend_row(j, c, label, &x, &y, &w, &h))
			break;
		swatch(j, x, y, w, h, &cl.colours[i], 1, 0);
		from = cl.breaks[i];
	}
	choropleth_classes_free(&cl);
}

/* What a legend lists besides the style's swatches: the numbered hotspot
 * marker, the zones' services and whether any overlap, the offences'
 * categories (codes, in the order listed) and the zoom the boundaries'
 * widths are read at. A page lists what its frame shows. */
struct legend_items {
	int hotspot;
	const char *const *services;
	size_t n_services;
	int joint;
	const char *const *categories;
	size_t n_categories;
	double zoom;
};

/* The Gi* bins, hot 99% to cold 99%, as the gistar layer fills them. */
static void legend_gistar(struct job *j, struct typeset_column *c)
{
	static const int confidence[3] = {90, 95, 99};
	double x, y, w, h;
	for (int bin = 3; bin >= -3; bin--) {
		if (!bin)
			continue;
		char text[160];
		snprintf(text, sizeof text, T(j, bin > 0 ? M_GISTAR_HOT : M_GISTAR_COLD),
		         confidence[abs(bin) - 1]);
		if (!legend_row(j, c, text, &x, &y, &w, &h))
			return;
		swatch(j, x, y, w, h, &gistarlayer_colours[bin + 3], GISTARLAYER_ALPHA, 0);
	}
}

/* The trends categories in the style's colours, hot then cold, strongest
 * pattern first: those on the map when the job has the analysis (a page),
 * every one otherwise (a legend picture). */
static void legend_trends(struct job *j, struct typeset_column *c)
{
	const struct style_trends *s = style_trends(j->sty);
	double x, y, w, h;
	for (int hot = 1; hot >= 0; hot--)
		for (int k = TRENDS_NEW; k < TRENDS_PATTERNS; k++) {
			int category = hot ? k : -k;
			const struct style_colour *col =
			    &s->colours[category + TRENDS_PATTERNS - 1];
			if (col->a <= 0 ||
			    (j->has_tr && !j->tr.categories[category + TRENDS_PATTERNS - 1]))
				continue;
			char text[160];
			snprintf(text, sizeof text, T(j, hot ? M_TREND_HOT : M_TREND_COLD),
			         trend_patterns[k][j->q->lang]);
			if (!legend_row(j, c, text, &x, &y, &w, &h))
				return;
			swatch(j, x, y, w, h, col, s->opacity, 0);
		}
}

/* The planner's layers: each look of a shift's hotspots in the style's
 * colour, filled and outlined as the tiles draw them. */
static void legend_planner(struct job *j, struct typeset_column *c, unsigned layers)
{
	static const struct {
		unsigned layer;
		enum style_hotspot_look look;
		enum msg text;
	} rows[] = {
	    {RENDER_HOTSPOTS, STYLE_HOTSPOT, M_SHIFT_HOTSPOT},
	    {RENDER_COVERAGE, STYLE_HOTSPOT_GAP, M_GAP},
	    {RENDER_COVERAGE, STYLE_HOTSPOT_COVERED, M_COVERED},
	    {RENDER_COVERAGE, STYLE_HOTSPOT_JOINT, M_JOINT_PATROL},
	    {RENDER_COVERAGE, STYLE_HOTSPOT_OVERLAP, M_OVERLAP},
	    {RENDER_DOSAGE, STYLE_HOTSPOT_UNVISITED, M_UNVISITED},
	    {RENDER_DOSAGE, STYLE_HOTSPOT_SHORT, M_SHORT},
	    {RENDER_DOSAGE, STYLE_HOTSPOT_MET, M_MET},
	};
	const struct style_hotspots *hs = style_hotspots(j->sty);
	double x, y, w, h;
	for (size_t i = 0; hs && i < sizeof rows / sizeof rows[0]; i++) {
		if (!(layers & rows[i].layer))
			continue;
		if (!legend_row(j, c, T(j, rows[i].text), &x, &y, &w, &h))
			return;
		swatch(j, x, y, w, h, &hs->colours[rows[i].look], hs->fill_opacity, 1);
	}
}

/* The legend blocks of layers, one under another, in the column. */
static void legend_blocks(struct job *j, struct typeset_column *c, unsigned layers,
                          const struct legend_items *it)
{
	cairo_t *cr = j->ts.cr;
	double x, y, w, h, u = j->ts.unit;
	if ((layers & RENDER_HEATMAP) && j->hm && j->ramp)
		legend_ramp(j, c, j->ramp, T(j, M_DENSITY), j->hm->opacity);
	if ((layers & RENDER_CHANGE) && j->change && j->change_ramp)
		legend_ramp(j, c, j->change_ramp, T(j, M_CHANGE_DENSITY), j->change->opacity);
	if (layers & RENDER_GISTAR)
		legend_gistar(j, c);
	if ((layers & RENDER_TRENDS) && style_trends(j->sty))
		legend_trends(j, c);
	if (layers & RENDER_PLANNING)
		legend_planner(j, c, layers);
	if (it->hotspot && legend_row(j, c, T(j, M_HOTSPOT), &x, &y, &w, &h)) {
		hotspot_marker(cr, x + w / 2, y + h / 2, h / 2);
		typeset_text(&j->ts, &typeset_small, "1", x + w / 2,
		             y + h / 2 - typeset_line_height(&j->ts, &typeset_small) / 2, 0, 0,
		             TYPESET_CENTRE);
	}
	const struct style_zones *zs = style_zones(j->sty);
	if ((layers & RENDER_ZONES) && zs) {
		for (size_t i = 0; i < it->n_services; i++) {
			struct style_colour col;
			style_service_colour(j->sty, it->services[i], &col);
			if (!legend_row(j, c, storeprint_name(&j->services, it->services[i]), &x,
			                &y, &w, &h))
				break;
			cairo_rectangle(cr, x, y, w, h);
			set_colour(cr, &col, zs->fill_opacity);
			cairo_fill_preserve(cr);
			set_colour(cr, &col, 1);
			cairo_set_line_width(cr, 0.9 * u);
			cairo_stroke(cr);
		}
		if (it->joint && legend_row(j, c, T(j, M_JOINT), &x, &y, &w, &h)) {
			cairo_save(cr);
			cairo_rectangle(cr, x, y, w, h);
			cairo_clip(cr);
			cairo_set_line_width(cr, 1.4 * u);
			for (int k = -4; k < 8; k++) {
				cairo_move_to(cr, x + k * 3 * u, y + h);
				cairo_line_to(cr, x + k * 3 * u + h, y);
				cairo_set_source_rgb(cr, k % 2 ? 0.35 : 0.75, 0.36,
				                     k % 2 ? 0.55 : 0.3);
				cairo_stroke(cr);
			}
			cairo_restore(cr);
		}
	}
	if ((layers & RENDER_TRACKS) && style_tracks(j->sty) &&
	    legend_row(j, c, T(j, M_TRACKS), &x, &y, &w, &h)) {
		cairo_move_to(cr, x, y + h / 2);
		cairo_curve_to(cr, x + w / 3, y, x + 2 * w / 3, y + h, x + w, y + h / 2);
		cairo_set_source_rgb(cr, 0.15, 0.27, 0.33);
		cairo_set_line_width(cr, 1.2 * u);
		cairo_stroke(cr);
	}
	if ((layers & RENDER_CHOROPLETH) && style_choropleth(j->sty))
		legend_choropleth(j, c);
	for (size_t i = 0; (layers & RENDER_OFFENCES) && i < it->n_categories; i++) {
		struct style_colour col;
		style_category_colour(j->sty, it->categories[i], &col);
		if (!legend_row(j, c, storeprint_name(&j->categories, it->categories[i]), &x, &y,
		                &w, &h))
			break;
		cairo_new_path(cr);
		cairo_arc(cr, x + w / 2, y + h / 2, h / 3, 0, 2 * PI);
		set_colour(cr, &col, 1);
		cairo_fill(cr);
	}
	const struct style_area *areas[2] = {style_mahallas(j->sty), style_districts(j->sty)};
	const unsigned bits[2] = {RENDER_MAHALLAS, RENDER_DISTRICTS};
	const enum msg names[2] = {M_MAHALLA_LINE, M_DISTRICT_LINE};
	for (int i = 0; i < 2; i++) {
		if (!(layers & bits[i]) || !areas[i] ||
		    !legend_row(j, c, T(j, names[i]), &x, &y, &w, &h))
			continue;
		const struct style_stroke *s = &areas[i]->stroke;
		cairo_move_to(cr, x, y + h / 2);
		cairo_line_to(cr, x + w, y + h / 2);
		set_colour(cr, &s->colour, 1);
		cairo_set_line_width(cr, style_zfunc_eval(&s->width, it->zoom) / STYLE_PX_PER_PT);
		double dash[STYLE_DASH_MAX];
		for (size_t k = 0; k < s->n_dash; k++)
			dash[k] = s->dash[k] / STYLE_PX_PER_PT;
		cairo_set_dash(cr, dash, (int)s->n_dash, 0);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
}

static void legend(struct job *j, const struct page *p, struct typeset_column *c)
{
	const char *svc[32], **cats = NULL;
	struct legend_items it = {.hotspot = p->n_hot > 0, .services = svc, .zoom = p->view.zoom};
	typeset_heading(&j->ts, c, T(j, M_LEGEND));
	if (j->has_cov)
		coverage_legend(j, c);
	if (j->layers & RENDER_ZONES)
		it.n_services = frame_services(j, p, svc, 32, &it.joint);
	size_t n = dataset_category_count(j->ds);
	if ((j->layers & RENDER_OFFENCES) && style_offences(j->sty) &&
	    (cats = malloc((n ? n : 1) * sizeof *cats)))
		it.n_categories = frame_categories(j, p, cats, n);
	it.categories = cats;
	/* the analyses' blocks only with their cells on the map (an empty
	 * analysis, or a page that draws none) */
	unsigned drawn = j->layers;
	if (!j->has_gi)
		drawn &= ~(unsigned)RENDER_GISTAR;
	if (!j->has_tr)
		drawn &= ~(unsigned)RENDER_TRENDS;
	legend_blocks(j, c, drawn, &it);
	free(cats);
	c->y += 4 * j->ts.unit;
}

struct category_row {
	size_t index;
	double now, before;
};

static int by_count(const void *a, const void *b)
{
	const struct category_row *x = a, *y = b;
	if (x->now != y->now)
		return (x->now < y->now) - (x->now > y->now);
	return (x->before < y->before) - (x->before > y->before);
}

static void format_change(double now, double before, char *out, size_t n)
{
	if (before > 0)
		snprintf(out, n, "%+.0f%%", 100 * (now - before) / before);
	else if (now > 0)
		snprintf(out, n, "+%.0f", now);
	else
		snprintf(out, n, "0");
}

/* Offences by category in the period against the previous one. */
static int figures(struct job *j, const struct page *p, struct typeset_column *c)
{
	size_t n = dataset_category_count(j->ds);
	int mahalla = p->kind == SHAPES_MAHALLAS ? dataset_mahalla_index(j->ds, p->area->code) : -1;
	double *now = calloc(n + 1, sizeof *now), *before = calloc(n + 1, sizeof *before);
	struct category_row *rows = calloc(n + 1, sizeof *rows);
	if (!now || !before || !rows) {
		free(now);
		free(before);
		free(rows);
		return err_set(ERR_NOMEM, "print: out of memory");
	}
	double total = 0, total_before = 0;
	if (p->kind != SHAPES_MAHALLAS || mahalla >= 0) {
		total = dataset_tally(j->ds, &j->filter, mahalla, now, NULL);
		total_before = dataset_tally(j->ds, &j->previous, mahalla, before, NULL);
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (now[i] > 0 || before[i] > 0)
			rows[k++] = (struct category_row){i, now[i], before[i]};
	/* Offences without a category are the rest of the totals. */
	double sum_now = 0, sum_before = 0;
	for (size_t i = 0; i < k; i++) {
		sum_now += rows[i].now;
		sum_before += rows[i].before;
	}
	if (total - sum_now > 0.5 || total_before - sum_before > 0.5)
		rows[k++] = (struct category_row){n, total - sum_now, total_before - sum_before};
	qsort(rows, k, sizeof *rows, by_count);

	double u = j->ts.unit;
	typeset_heading(&j->ts, c, T(j, M_BY_CATEGORY));
	struct typeset_table t = {
	    4, {0}, {0}, {TYPESET_LEFT, TYPESET_RIGHT, TYPESET_RIGHT, TYPESET_RIGHT}};
	double num_w = 36 * u;
	t.w[0] = c->w - 3 * num_w;
	for (int i = 1; i < 4; i++) {
		t.x[i] = t.w[0] + (i - 1) * num_w;
		t.w[i] = num_w;
	}
	const char *head[4] = {T(j, M_CATEGORY), T(j, M_THIS), T(j, M_PREVIOUS), T(j, M_CHANGE)};
	typeset_row(&j->ts, c, &t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	double rh = typeset_row_height(&j->ts);
	/* Rows that fit, keeping one for the total; the rest are summed. */
	size_t fit = (size_t)fmax(0, floor((c->bottom - c->y) / rh) - 1);
	size_t shown = k <= fit ? k : (fit > 0 ? fit - 1 : 0);
	char a[32], b[32], d[32], other[96];
	if (k == 0 && fit > 0) {
		const char *cells[4] = {T(j, M_NO_OFFENCES), "", "", ""};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	for (size_t i = 0; i < shown; i++) {
		const char *name =
		    rows[i].index < n
		        ? storeprint_name(&j->categories, dataset_category(j->ds, rows[i].index))
		        : T(j, M_NO_CATEGORY);
		typeset_count(rows[i].now, a, sizeof a);
		typeset_count(rows[i].before, b, sizeof b);
		format_change(rows[i].now, rows[i].before, d, sizeof d);
		const char *cells[4] = {name, a, b, d};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	if (shown < k && fit > 0) {
		double on = 0, ob = 0;
		for (size_t i = shown; i < k; i++) {
			on += rows[i].now;
			ob += rows[i].before;
		}
		snprintf(other, sizeof other, T(j, M_OTHER), k - shown);
		typeset_count(on, a, sizeof a);
		typeset_count(ob, b, sizeof b);
		format_change(on, ob, d, sizeof d);
		const char *cells[4] = {other, a, b, d};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	if (c->y + rh <= c->bottom + 0.01) {
		typeset_rule(&j->ts, c);
		typeset_count(total, a, sizeof a);
		typeset_count(total_before, b, sizeof b);
		format_change(total, total_before, d, sizeof d);
		const char *cells[4] = {T(j, M_TOTAL), a, b, d};
		typeset_row(&j->ts, c, &t, cells, &typeset_bold);
	}
	c->y += 6 * u;
	free(now);
	free(before);
	free(rows);
	return 0;
}

static void hotspot_table(struct job *j, const struct page *p, struct typeset_column *c)
{
	double u = j->ts.unit;
	char within[128];
	typeset_heading(&j->ts, c, T(j, M_HOTSPOTS));
	if (p->n_hot == 0) {
		typeset_text(&j->ts, &typeset_body, T(j, M_NO_HOTSPOTS), c->x, c->y, c->w, 1,
		             TYPESET_LEFT);
		c->y += typeset_row_height(&j->ts);
		return;
	}
	struct typeset_table t = {
	    4, {0}, {0}, {TYPESET_RIGHT, TYPESET_LEFT, TYPESET_RIGHT, TYPESET_RIGHT}};
	double num_w = 36 * u;
	t.w[0] = 10 * u;
	t.x[1] = 14 * u;
	t.w[1] = c->w - t.x[1] - 2 * num_w;
	t.x[2] = c->w - 2 * num_w;
	t.w[2] = num_w;
	t.x[3] = c->w - num_w;
	t.w[3] = num_w;
	const char *head[4] = {"№", T(j, M_PLACE), T(j, M_OFFENCES), T(j, M_PEAK)};
	typeset_row(&j->ts, c, &t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	double rh = typeset_row_height(&j->ts), small = typeset_line_height(&j->ts, &typeset_small);
	for (size_t i = 0; i < p->n_hot; i++) {
		if (c->y + rh + small > c->bottom) {
			snprintf(within, sizeof within, T(j, M_MORE), p->n_hot - i);
			const char *cells[4] = {"", within, "", ""};
			typeset_row(&j->ts, c, &t, cells, &typeset_body);
			break;
		}
		char num[24], count[32], peak[32];
		snprintf(num, sizeof num, "%zu", i + 1);
		typeset_count(p->hot[i].offences, count, sizeof count);
		typeset_value(p->hot[i].density, peak, sizeof peak);
		const char *cells[4] = {num, p->hot[i].place, count, peak};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	snprintf(within, sizeof within, T(j, M_WITHIN), j->bandwidth);
	c->y += typeset_text(&j->ts, &typeset_small, within, c->x, c->y + 1 * u, c->w, 2,
	                     TYPESET_LEFT) +
	        2 * u;
}

static void footer(struct job *j, double x, double y, double w)
{
	char left[160], right[64];
	snprintf(left, sizeof left, "posbon · %s (UTM %d%s)", utm_crs(j->u), utm_epsg(j->u) % 100,
	         utm_epsg(j->u) / 100 == 326 ? "N" : "S");
	snprintf(right, sizeof right, T(j, M_PAGE), j->page_no, j->pages);
	typeset_text(&j->ts, &typeset_small, left, x, y, w / 2, 1, TYPESET_LEFT);
	typeset_text(&j->ts, &typeset_small, right, x + w, y, w / 2, 1, TYPESET_RIGHT);
}

/* ---- coverage and roster ------------------------------------------------ */

/* The colour of a coverage status: the style's hotspots colours, which the
 * tiles and the viewer's panel use too; these only for a style without a
 * hotspots layer. */
static const struct style_colour *status_colour(const struct job *j, int status)
{
	static const enum style_hotspot_look looks[4] = {
	    [COVERAGE_GAP] = STYLE_HOTSPOT_GAP,
	    [COVERAGE_COVERED] = STYLE_HOTSPOT_COVERED,
	    [COVERAGE_JOINT] = STYLE_HOTSPOT_JOINT,
	    [COVERAGE_OVERLAP] = STYLE_HOTSPOT_OVERLAP,
	};
	/* styles/default.json's */
	static const struct style_colour unstyled[4] = {
	    [COVERAGE_GAP] = {0xe3 / 255.0, 0x1a / 255.0, 0x1c / 255.0, 1},
	    [COVERAGE_COVERED] = {0x1a / 255.0, 0x96 / 255.0, 0x41 / 255.0, 1},
	    [COVERAGE_JOINT] = {0x2b / 255.0, 0x8c / 255.0, 0xbe / 255.0, 1},
	    [COVERAGE_OVERLAP] = {0x7b / 255.0, 0x32 / 255.0, 0x94 / 255.0, 1},
	};
	const struct style_hotspots *hs = style_hotspots(j->sty);
	return hs ? &hs->colours[looks[status]] : &unstyled[status];
}
static const enum msg status_names[4] = {
    [COVERAGE_GAP] = M_GAP,
    [COVERAGE_COVERED] = M_COVERED,
    [COVERAGE_JOINT] = M_JOINT_PATROL,
    [COVERAGE_OVERLAP] = M_OVERLAP,
};

/* Appends to out (n bytes, holding len) what fmt makes, cut at the end. */
static size_t append(char *out, size_t n, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static size_t append(char *out, size_t n, size_t len, const char *fmt, ...)
{
	if (len >= n)
		return len;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
	return k < 0 ? len : len + (size_t)k >= n ? n - 1 : len + (size_t)k;
}

/* The days of a weekday mask as runs in the page's language ("Pt–Ya"). */
static size_t days_text(const struct job *j, unsigned days, char *out, size_t n)
{
	const char *const *names = day_names[j->q->lang];
	size_t len = 0;
	*out = 0;
	for (int d = 0; d < 7; d++) {
		if (!(days >> d & 1) || (d > 0 && (days >> (d - 1) & 1)))
			continue;
		int e = d;
		while (e + 1 < 7 && (days >> (e + 1) & 1))
			e++;
		len = append(out, n, len, "%s%s", len ? ", " : "", names[d]);
		if (e > d)
			len = append(out, n, len, "%s%s", e > d + 1 ? "–" : ", ", names[e]);
	}
	return len;
}

/* "Ju–Ya 18:00–02:00": days, then the hours. */
static void shift_text(const struct job *j, unsigned days, int start, int end, char *out, size_t n)
{
	size_t len = days_text(j, days, out, n);
	append(out, n, len, "%s%02d:%02d–%02d:%02d", len ? " " : "", start / 60, start % 60,
	       end / 60, end % 60);
}

static int shift_minutes(int start, int end)
{
	return end > start ? end - start : end + 1440 - start;
}

/* The rings of a lon/lat hotspot polygon as a path in v's pixels. */
static int hotspot_path(struct job *j, cairo_t *cr, const struct view *v,
                        const struct hotspot_polygon *poly)
{
	for (size_t r = 0; r < poly->n_rings; r++) {
		uint32_t a = poly->ring_start[r], b = poly->ring_start[r + 1];
		size_t n = b - a;
		double *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
		int rc = x && y ? 0 : err_set(ERR_NOMEM, "print: out of memory");
		for (size_t i = 0; rc == 0 && i < n; i++) {
			x[i] = poly->xy[2 * (a + i)];
			y[i] = poly->xy[2 * (a + i) + 1];
		}
		if (rc == 0 && (rc = utm_forward(j->u, x, y, n)) == 0) {
			for (size_t i = 0; i < n; i++) {
				double px, py;
				view_to_px(v, x[i], y[i], &px, &py);
				if (i == 0)
					cairo_move_to(cr, px, py);
				else
					cairo_line_to(cr, px, py);
			}
			cairo_close_path(cr);
		}
		free(x);
		free(y);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The shift's hotspots filled by coverage status, under the labels. */
static int paint_coverage(struct job *j, const struct view *v, cairo_t *cr)
{
	int rc = 0;
	cairo_save(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (size_t i = 0; rc == 0 && i < j->cov.n_hotspots; i++) {
		const struct coverage_hotspot *h = &j->cov.hotspots[i];
		const struct style_colour *c = status_colour(j, h->status);
		cairo_new_path(cr);
		if ((rc = hotspot_path(j, cr, v, &h->h->poly)) < 0)
			break;
		set_colour(cr, c, h->status == COVERAGE_GAP ? 0.55 : 0.35);
		cairo_fill_preserve(cr);
		set_colour(cr, c, 1);
		cairo_set_line_width(cr, 2);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
	return rc;
}

/* The page positions of the coverage's hotspots (their peaks). */
static int coverage_marks(struct job *j, struct page *p)
{
	for (size_t i = 0; i < j->cov.n_hotspots && p->n_hot < MAX_HOTSPOTS; i++) {
		const struct hotspot *h = j->cov.hotspots[i].h;
		double x = h->peak_lon, y = h->peak_lat;
		int rc = utm_forward(j->u, &x, &y, 1);
		if (rc < 0)
			return rc;
		p->hot[p->n_hot++] = (struct peak){.x = x, .y = y, .offences = (double)h->offences};
	}
	return 0;
}

/* The services of a hotspot's covering assignments, by name. */
static void covering_services(const struct job *j, const struct coverage_hotspot *h, char *out,
                              size_t n)
{
	size_t len = 0;
	*out = 0;
	for (size_t k = 0; k < h->n_covered_by; k++) {
		const char *svc = j->cov.assignments[h->covered_by[k]].a->service;
		int seen = 0;
		for (size_t m = 0; m < k && !seen; m++)
			seen = strcmp(j->cov.assignments[h->covered_by[m]].a->service, svc) == 0;
		if (!seen)
			len = append(out, n, len, "%s%s", len ? ", " : "",
			             storeprint_name(&j->services, svc));
	}
	if (!len)
		append(out, n, 0, "%s", T(j, M_NOBODY));
}

static void coverage_legend(struct job *j, struct typeset_column *c)
{
	double x, y, w, h;
	for (int st = 0; st < 4; st++) {
		char label[96];
		snprintf(label, sizeof label, "%s (%zu)", T(j, status_names[st]),
		         j->cov.counts[st]);
		if (!legend_row(j, c, label, &x, &y, &w, &h))
			return;
		swatch(j, x, y, w, h, status_colour(j, st), st == COVERAGE_GAP ? 0.55 : 0.35, 1);
	}
}

/* Rows that fit in c with one kept for "N more" when they do not all. */
static size_t rows_shown(const struct job *j, const struct typeset_column *c, size_t rows)
{
	size_t fit = typeset_rows_left(&j->ts, c);
	return rows <= fit ? rows : fit > 0 ? fit - 1 : 0;
}

static void more_row(struct job *j, struct typeset_column *c, size_t more)
{
	char text[64];
	if (!more || typeset_rows_left(&j->ts, c) == 0)
		return;
	snprintf(text, sizeof text, T(j, M_MORE), more);
	typeset_text(&j->ts, &typeset_small, text, c->x, c->y + 1.1 * j->ts.unit, c->w, 1,
	             TYPESET_LEFT);
	c->y += typeset_row_height(&j->ts);
}

static void coverage_hotspot_table(struct job *j, struct typeset_column *c)
{
	double u = j->ts.unit;
	typeset_heading(&j->ts, c, T(j, M_SHIFT_HOTSPOTS));
	struct typeset_table t = {4,
	                          {0, 16 * u, 16 * u + c->w * 0.30, c->w - 26 * u},
	                          {12 * u, c->w * 0.30, c->w * 0.70 - 42 * u, 26 * u},
	                          {TYPESET_RIGHT, TYPESET_LEFT, TYPESET_LEFT, TYPESET_RIGHT}};
	const char *head[4] = {"№", T(j, M_STATUS), T(j, M_SERVICES), T(j, M_OFFENCES)};
	typeset_row(&j->ts, c, &t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	size_t shown = rows_shown(j, c, j->cov.n_hotspots);
	for (size_t i = 0; i < shown; i++) {
		const struct coverage_hotspot *h = &j->cov.hotspots[i];
		char num[24], services[256], count[32];
		snprintf(num, sizeof num, "%d", h->h->rank);
		covering_services(j, h, services, sizeof services);
		typeset_count((double)h->h->offences, count, sizeof count);
		const char *cells[4] = {num, T(j, status_names[h->status]), services, count};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	more_row(j, c, j->cov.n_hotspots - shown);
	c->y += 5 * u;
}

static void coverage_unit_table(struct job *j, struct typeset_column *c)
{
	double u = j->ts.unit, num = 27 * u;
	typeset_heading(&j->ts, c, T(j, M_BY_UNIT));
	double name = (c->w - 4 * num) / 2;
	struct typeset_table t = {
	    6,
	    {0, name, 2 * name, 2 * name + num, 2 * name + 2 * num, 2 * name + 3 * num},
	    {name, name, num, num, num, num},
	    {TYPESET_LEFT, TYPESET_LEFT, TYPESET_RIGHT, TYPESET_RIGHT, TYPESET_RIGHT,
	     TYPESET_RIGHT}};
	const char *head[6] = {T(j, M_UNIT),           T(j, M_SERVICE), T(j, M_SHARE_OFFENCES),
	                       T(j, M_SHARE_HOTSPOTS), T(j, M_AREA),    "PAI"};
	typeset_row(&j->ts, c, &t, head, &typeset_column);
	typeset_rule(&j->ts, c);
	size_t shown = rows_shown(j, c, j->cov.n_units);
	for (size_t i = 0; i < shown; i++) {
		const struct coverage_group *g = &j->cov.units[i];
		char a[32], b[32], area[32], pai[32];
		snprintf(a, sizeof a, "%.1f", 100 * g->offence_share);
		snprintf(b, sizeof b, "%.1f", 100 * g->hotspot_offence_share);
		typeset_value(g->zone_area_m2 / 1e6, area, sizeof area);
		if (isnan(g->pai))
			snprintf(pai, sizeof pai, "–");
		else
			snprintf(pai, sizeof pai, "%.1f", g->pai);
		const char *cells[6] = {g->unit ? g->unit : "–",
		                        storeprint_name(&j->services, g->service),
		                        a,
		                        b,
		                        area,
		                        pai};
		typeset_row(&j->ts, c, &t, cells, &typeset_body);
	}
	more_row(j, c, j->cov.n_units - shown);
}

/* One row of a table page: the cells of row i. */
typedef void (*table_cells_fn)(struct job *j, size_t i, char cells[][320]);

/* A document part of full-width table pages: the heading and header row on
 * every page, rows flowing from page to page. */
struct table_part {
	const char *title;
	const struct shapes_area *area; /* named under the title */
	const struct typeset_table *t;
	const char *const *head;
	size_t rows;
	table_cells_fn cells;
	const char *note; /* under the last row, or NULL */
};

static double table_page_top(struct job *j)
{
	double m = 10 / 25.4 * PT_PER_INCH * j->ts.unit;
	return m + typeset_line_height(&j->ts, &typeset_title) +
	       2 * typeset_line_height(&j->ts, &typeset_sub) + 10 * j->ts.unit;
}

static double table_page_bottom(struct job *j)
{
	double m = 10 / 25.4 * PT_PER_INCH * j->ts.unit;
	return j->ph - m - typeset_line_height(&j->ts, &typeset_small) - 4 * j->ts.unit;
}

/* Rows of a table page: what is left under the heading and header row. */
static size_t table_page_rows(struct job *j)
{
	double m = 10 / 25.4 * PT_PER_INCH * j->ts.unit;
	struct typeset_column c = {m, table_page_top(j), j->pw - 2 * m, table_page_bottom(j)};
	c.y += typeset_line_height(&j->ts, &typeset_head) + 3 * j->ts.unit +
	       typeset_row_height(&j->ts) + 2 * typeset_line_height(&j->ts, &typeset_small);
	size_t n = typeset_rows_left(&j->ts, &c);
	return n ? n : 1;
}

static int table_part_pages(struct job *j, size_t rows)
{
	size_t per = table_page_rows(j);
	return rows > per ? (int)((rows + per - 1) / per) : 1;
}

/* The title and subtitle lines of a table page or a coverage page. */
static double plan_header(struct job *j, const char *title, const char *area, double x, double y,
                          double w)
{
	char line[256], shift[96], from[16], to[16], printed[16];
	format_date(j, j->from, from, sizeof from);
	format_date(j, j->to, to, sizeof to);
	format_date(j, j->q->printed_at, printed, sizeof printed);
	shift_text(j, j->shift.weekdays, j->shift.start, j->shift.end, shift, sizeof shift);
	double h = typeset_text(&j->ts, &typeset_title, title, x, y, w * 0.6, 1, TYPESET_LEFT);
	snprintf(line, sizeof line, "%s · %s: %s · %s: %s", area, T(j, M_SHIFT), shift,
	         T(j, M_DATE), j->q->date ? j->q->date : T(j, M_ANY_DATE));
	h += typeset_text(&j->ts, &typeset_sub, line, x, y + h, w * 0.6, 1, TYPESET_LEFT);
	snprintf(line, sizeof line, "%s: %s – %s", T(j, M_ANALYSIS), from, to);
	double r = typeset_text(&j->ts, &typeset_sub, line, x + w, y + 2 * j->ts.unit, w * 0.38, 1,
	                        TYPESET_RIGHT);
	snprintf(line, sizeof line, "%s: %s", T(j, M_PRINTED), printed);
	r += typeset_text(&j->ts, &typeset_sub, line, x + w, y + 2 * j->ts.unit + r, w * 0.38, 1,
	                  TYPESET_RIGHT);
	return fmax(h, r);
}

static int draw_table_part(struct job *j, const struct table_part *tp)
{
	double m = 10 / 25.4 * PT_PER_INCH * j->ts.unit, w = j->pw - 2 * m;
	size_t per = table_page_rows(j), row = 0;
	char(*cells)[320] = calloc(TYPESET_MAX_CELLS, sizeof *cells);
	const char *ptrs[TYPESET_MAX_CELLS];
	if (!cells)
		return err_set(ERR_NOMEM, "print: out of memory");
	do {
		cairo_set_source_rgb(j->ts.cr, 1, 1, 1);
		cairo_paint(j->ts.cr);
		plan_header(j, tp->title, area_name(j, tp->area), m, m, w);
		footer(j, m, j->ph - m - typeset_line_height(&j->ts, &typeset_small), w);
		struct typeset_column c = {m, table_page_top(j), w, table_page_bottom(j)};
		typeset_heading(&j->ts, &c, tp->title);
		typeset_row(&j->ts, &c, tp->t, tp->head, &typeset_column);
		typeset_rule(&j->ts, &c);
		for (size_t k = 0; k < per && row < tp->rows; k++, row++) {
			for (int i = 0; i < TYPESET_MAX_CELLS; i++) {
				cells[i][0] = 0;
				ptrs[i] = cells[i];
			}
			tp->cells(j, row, cells);
			typeset_row(&j->ts, &c, tp->t, ptrs, &typeset_body);
		}
		if (row == tp->rows && tp->note)
			typeset_text(&j->ts, &typeset_small, tp->note, c.x, c.y + 2 * j->ts.unit,
			             c.w, 2, TYPESET_LEFT);
		cairo_show_page(j->ts.cr);
		j->page_no++;
	} while (row < tp->rows);
	free(cells);
	return cairo_status(j->ts.cr) == CAIRO_STATUS_SUCCESS
	           ? 0
	           : err_set(ERR_NOMEM, "print: %s",
	                     cairo_status_to_string(cairo_status(j->ts.cr)));
}

static void responsibility_cells(struct job *j, size_t i, char cells[][320])
{
	const struct coverage_mahalla *mh = &j->cov.mahallas[i];
	size_t len = 0;
	snprintf(cells[0], 320, "%s", area_name(j, mh->area));
	for (size_t k = 0; k < mh->n; k++) {
		const struct coverage_assignment *a = &j->cov.assignments[mh->assignments[k]];
		len = append(cells[1], 320, len, "%s%s (%s, %s)", len ? "; " : "",
		             a->a->unit ? a->a->unit : "–",
		             storeprint_name(&j->services, a->a->service),
		             a->z->name ? a->z->name : a->z->external_id);
	}
	if (!len)
		snprintf(cells[1], 320, "%s", T(j, M_NOBODY));
}

/* Visits a hotspot is to get in a shift of these minutes: one every
 * q->every minutes, whichever unit's hours the shift spans. */
static int visits_per_shift(const struct job *j, int minutes)
{
	double every = j->q->every > 0 ? j->q->every : 120;
	return (int)fmax(1, ceil(minutes / every));
}

static double visit_minutes(const struct job *j)
{
	return j->q->visit > 0 ? j->q->visit : 15;
}

/* The ranks of the hotspots assignment k covers into out; returns how many. */
static size_t roster_hotspots(const struct job *j, size_t k, char *out, size_t n)
{
	size_t count = 0, len = 0;
	*out = 0;
	for (size_t i = 0; i < j->cov.n_hotspots; i++) {
		const struct coverage_hotspot *h = &j->cov.hotspots[i];
		for (size_t m = 0; m < h->n_covered_by; m++)
			if (h->covered_by[m] == k) {
				len = append(out, n, len, "%s%d", len ? ", " : "", h->h->rank);
				count++;
				break;
			}
	}
	return count;
}

static void roster_cells(struct job *j, size_t i, char cells[][320])
{
	const struct coverage_assignment *a = &j->cov.assignments[i];
	int minutes = shift_minutes(j->shift.start, j->shift.end);
	snprintf(cells[0], 320, "%s", a->a->unit ? a->a->unit : "–");
	snprintf(cells[1], 320, "%s", storeprint_name(&j->services, a->a->service));
	snprintf(cells[2], 320, "%s", a->z->name ? a->z->name : a->z->external_id);
	shift_text(j, a->a->weekdays, a->a->shift_start, a->a->shift_end, cells[3], 320);
	size_t n = roster_hotspots(j, i, cells[4], 320);
	if (!n)
		snprintf(cells[4], 320, "–");
	typeset_count(n * visits_per_shift(j, minutes) * visit_minutes(j), cells[5], 320);
}

static int draw_roster(struct job *j, const struct shapes_area *area)
{
	double m = 10 / 25.4 * PT_PER_INCH * j->ts.unit, w = j->pw - 2 * m;
	double col[6] = {0.14, 0.20, 0.18, 0.20, 0.18, 0.10};
	struct typeset_table t = {
	    6,
	    {0},
	    {0},
	    {TYPESET_LEFT, TYPESET_LEFT, TYPESET_LEFT, TYPESET_LEFT, TYPESET_LEFT, TYPESET_RIGHT}};
	for (int i = 0; i < 6; i++) {
		t.x[i] = i ? t.x[i - 1] + t.w[i - 1] : 0;
		t.w[i] = col[i] * w;
	}
	const char *head[6] = {T(j, M_UNIT),  T(j, M_SERVICE),      T(j, M_ZONE),
	                       T(j, M_HOURS), T(j, M_HOTSPOT_LIST), T(j, M_TARGET)};
	char note[160];
	int minutes = shift_minutes(j->shift.start, j->shift.end);
	snprintf(note, sizeof note, T(j, M_VISITS), visits_per_shift(j, minutes), visit_minutes(j));
	struct table_part tp = {T(j, M_ROSTER),       area,         &t,  head,
	                        j->cov.n_assignments, roster_cells, note};
	return draw_table_part(j, &tp);
}

/* A CSV field, quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *text, int last)
{
	if (strpbrk(text, ",\"\n\r")) {
		fputc('"', f);
		for (const char *c = text; *c; c++) {
			if (*c == '"')
				fputc('"', f);
			fputc(*c, f);
		}
		fputc('"', f);
	} else {
		fputs(text, f);
	}
	fputc(last ? '\n' : ',', f);
}

/* The roster as CSV: one row per unit on duty in the shift (an assignment
 * of a zone in play), with the codes rather than the names. */
static int roster_csv(struct job *j, unsigned char **out, size_t *len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	if (!f)
		return err_set(ERR_NOMEM, "print: out of memory for the CSV");
	fputs("unit,service,zone,zone_name,weekdays,start,end,hotspots,visits_per_hotspot,"
	      "visit_minutes,target_minutes\n",
	      f);
	for (size_t i = 0; i < j->cov.n_assignments; i++) {
		const struct coverage_assignment *a = &j->cov.assignments[i];
		struct shift s = {a->a->shift_start, a->a->shift_end, a->a->weekdays};
		char days[64], hot[320], num[64];
		int visits = visits_per_shift(j, shift_minutes(j->shift.start, j->shift.end));
		size_t n = roster_hotspots(j, i, hot, sizeof hot);
		static const char *const codes[7] = {"mon", "tue", "wed", "thu",
		                                     "fri", "sat", "sun"};
		size_t dl = 0;
		days[0] = 0;
		for (int d = 0; d < 7; d++)
			if (s.weekdays >> d & 1)
				dl = append(days, sizeof days, dl, "%s%s", dl ? "," : "", codes[d]);
		csv_field(f, a->a->unit ? a->a->unit : "", 0);
		csv_field(f, a->a->service, 0);
		csv_field(f, a->z->external_id, 0);
		csv_field(f, a->z->name ? a->z->name : "", 0);
		csv_field(f, days, 0);
		snprintf(num, sizeof num, "%02d:%02d", s.start / 60, s.start % 60);
		csv_field(f, num, 0);
		snprintf(num, sizeof num, "%02d:%02d", s.end / 60, s.end % 60);
		csv_field(f, num, 0);
		csv_field(f, hot, 0);
		fprintf(f, "%d,%g,%g\n", visits, visit_minutes(j), n * visits * visit_minutes(j));
	}
	if (fclose(f) != 0) {
		free(text);
		return err_set(ERR_NOMEM, "print: out of memory for the CSV");
	}
	*out = (unsigned char *)text;
	*len = size;
	return 0;
}

/* The renderer's shapes, in Web Mercator, as the analyses take them: held
 * from the first call until the job closes. */
static const shapes *merc_shapes(struct job *j)
{
	if (!j->merc)
		j->merc = renderer_shapes_acquire(j->r, &j->held);
	return j->merc;
}

/* The end of a layer's analysis that returned rc with its grid in UTM zone
 * epsg: *has set and the zone opened as *u; nothing to test (ERR_INVALID:
 * no offence, too few weeks) leaves the layer empty, as on the map. */
static int analysed(int rc, int epsg, int *has, utm **u)
{
	if (rc == ERR_INVALID)
		return 0;
	if (rc < 0)
		return rc;
	*has = 1;
	return utm_open(epsg, u);
}

/* The gistar and trends layers' analyses of the job's filter, as the tile
 * layers draw them: Gi* with its defaults (cell, band, the district's
 * cells); the trends of the weeks of the period (its filter's from). */
static int job_analyses(struct job *j)
{
	int rc = 0;
	if (j->layers & RENDER_GISTAR) {
		struct gistar_params p = {.filter = j->filter};
		rc = gistar_run(j->ds, merc_shapes(j), &p, &j->gi);
		rc = analysed(rc, j->gi.epsg, &j->has_gi, &j->gi_u);
	}
	if (rc == 0 && (j->layers & RENDER_TRENDS) && style_trends(j->sty)) {
		struct trends_params p = {.filter = j->filter};
		rc = trends_run(j->ds, merc_shapes(j), &p, &j->tr);
		rc = analysed(rc, j->tr.grid.epsg, &j->has_tr, &j->tr_u);
	}
	return rc;
}

/* Hotspots and coverage of the request's shift, on the renderer's shapes. */
static int open_coverage(struct job *j)
{
	const struct print_request *q = j->q;
	const struct style_heatmap *hm = j->hm;
	j->shift = q->shift ? *q->shift : (struct shift){0, 1440, 0x7F};
	struct hotspot_params hp = {.filter = q->filter,
	                            .shift = &j->shift,
	                            .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                            .bandwidth = j->bandwidth};
	hotspot_default_period(j->ds, &hp.filter);
	const shapes *sh = merc_shapes(j);
	struct coverage_params cp = {.date = q->date};
	int rc = hotspot_find(j->ds, sh, &hp, &j->set);
	if (rc < 0)
		return rc;
	j->has_set = 1;
	if ((rc = coverage_compute(j->ds, sh, &j->set, &cp, &j->cov)) < 0)
		return rc;
	j->has_cov = 1;
	j->from = j->filter.from = hp.filter.from;
	j->to = j->filter.to = hp.filter.to;
	return 0;
}

/* ---- a page ------------------------------------------------------------- */

static double header(struct job *j, const struct page *p, double x, double y, double w)
{
	double u = j->ts.unit;
	char line[512], from[16], to[16], printed[16];
	format_date(j, j->from, from, sizeof from);
	format_date(j, j->to, to, sizeof to);
	format_date(j, j->q->printed_at, printed, sizeof printed);
	double right_w = w * 0.38;
	double h = typeset_text(&j->ts, &typeset_title, area_name(j, p->area), x, y,
	                        w - right_w - 6 * u, 2, TYPESET_LEFT);
	const struct shapes_area *district = NULL;
	if (p->kind == SHAPES_MAHALLAS && p->area->district_code)
		for (size_t i = 0; i < shapes_count(j->sh, SHAPES_DISTRICTS); i++)
			if (strcmp(shapes_area(j->sh, SHAPES_DISTRICTS, i)->code,
			           p->area->district_code) == 0)
				district = shapes_area(j->sh, SHAPES_DISTRICTS, i);
	if (p->kind == SHAPES_MAHALLAS)
		snprintf(line, sizeof line, "%s%s%s", T(j, M_MAHALLA), district ? " · " : "",
		         district ? area_name(j, district) : "");
	else
		snprintf(line, sizeof line, "%s%s%s", T(j, M_DISTRICT), j->pages > 1 ? " · " : "",
		         j->pages > 1 ? T(j, M_OVERVIEW) : "");
	h += 1 * u + typeset_text(&j->ts, &typeset_sub, line, x, y + h + 1 * u, w - right_w - 6 * u,
	                          1, TYPESET_LEFT);
	if (p->kind == SHAPES_MAHALLAS && p->area->inspector && *p->area->inspector) {
		snprintf(line, sizeof line, "%s: %s", T(j, M_INSPECTOR), p->area->inspector);
		h += typeset_text(&j->ts, &typeset_sub, line, x, y + h, w - right_w - 6 * u, 1,
		                  TYPESET_LEFT);
	}
	snprintf(line, sizeof line, "%s: %s – %s", T(j, M_PERIOD), from, to);
	double rh =
	    typeset_text(&j->ts, &typeset_sub, line, x + w, y + 2 * u, right_w, 1, TYPESET_RIGHT);
	snprintf(line, sizeof line, "%s: %s", T(j, M_PRINTED), printed);
	rh += typeset_text(&j->ts, &typeset_sub, line, x + w, y + 2 * u + rh, right_w, 1,
	                   TYPESET_RIGHT);
	return fmax(h, rh + 2 * u);
}

static void free_page(struct page *p)
{
	free(p->density);
	free(p->change);
	dataset_points_free(&p->pts);
}

static int draw_page(struct job *j, enum shapes_kind kind, const struct shapes_area *area,
                     double *first_scale)
{
	cairo_t *cr = j->ts.cr;
	struct page p = {.kind = kind, .area = area};
	double u = j->ts.unit, m = 10 / 25.4 * PT_PER_INCH * u, w = j->pw - 2 * m;
	int rc;
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	double top = m +
	             (j->has_cov ? plan_header(j, T(j, M_COVERAGE), area_name(j, area), m, m, w)
	                         : header(j, &p, m, m, w)) +
	             6 * u;
	double foot = typeset_line_height(&j->ts, &typeset_small);
	footer(j, m, j->ph - m - foot, w);
	double bottom = j->ph - m - foot - 4 * u;
	struct typeset_column cols[3];
	int n_cols;
	if (j->q->landscape) {
		double panel = w * 0.30;
		p.fx = m;
		p.fy = top;
		p.fw = w - panel - 8 * u;
		p.fh = bottom - top;
		cols[0] = (struct typeset_column){m + w - panel, top, panel, bottom};
		n_cols = 1;
	} else {
		double panel = (bottom - top) * 0.30;
		p.fx = m;
		p.fy = top;
		p.fw = w;
		p.fh = bottom - top - panel - 8 * u;
		double cy = p.fy + p.fh + 8 * u, gap = 8 * u, cw = (w - 2 * gap) / 3;
		for (int i = 0; i < 3; i++)
			cols[i] = (struct typeset_column){m + i * (cw + gap), cy, cw, bottom};
		n_cols = 3;
	}
	if ((rc = frame_view(j, &p)) < 0)
		goto out;
	if (first_scale && *first_scale == 0)
		*first_scale = p.scale;
	int want_density = !j->has_cov && ((j->layers & RENDER_HEATMAP) || j->n_hotspots > 0);
	if (j->hm && j->ramp && want_density && (rc = frame_density(j, &p)) < 0)
		goto out;
	if (p.density && j->n_hotspots > 0 && (rc = find_hotspots(j, &p)) < 0)
		goto out;
	if (j->change_ramp && (rc = frame_change(j, &p)) < 0)
		goto out;
	if (j->has_cov && (rc = coverage_marks(j, &p)) < 0)
		goto out;

	cairo_save(cr);
	cairo_translate(cr, p.fx, p.fy);
	cairo_rectangle(cr, 0, 0, p.fw, p.fh);
	cairo_clip(cr);
	cairo_scale(cr, 1 / STYLE_PX_PER_PT, 1 / STYLE_PX_PER_PT);
	rc = paint_map(j, &p, cr);
	cairo_restore(cr);
	if (rc < 0)
		goto out;
	cairo_rectangle(cr, p.fx, p.fy, p.fw, p.fh);
	cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
	cairo_set_line_width(cr, 0.8 * u);
	cairo_stroke(cr);
	scale_bar(j, &p);
	north_arrow(j, &p);

	/* Landscape: legend, figures and hotspots share one column, each
	 * block getting what it needs while the others keep a share. */
	struct typeset_column *legend_col = &cols[0];
	struct typeset_column *figures_col = n_cols == 3 ? &cols[1] : &cols[0];
	struct typeset_column *hot_col = n_cols == 3 ? &cols[2] : &cols[0];
	double bottom_all = cols[0].bottom;
	if (n_cols == 1)
		legend_col->bottom = legend_col->y + (bottom_all - legend_col->y) * 0.40;
	legend(j, &p, legend_col);
	if (n_cols == 1) {
		cols[0].y = fmin(cols[0].y, cols[0].bottom);
		cols[0].bottom = cols[0].y + (bottom_all - cols[0].y) * 0.55;
	}
	if (j->has_cov)
		coverage_hotspot_table(j, figures_col);
	else if ((rc = figures(j, &p, figures_col)) < 0)
		goto out;
	if (n_cols == 1) {
		cols[0].y = fmin(cols[0].y, cols[0].bottom);
		cols[0].bottom = bottom_all;
	}
	if (j->has_cov)
		coverage_unit_table(j, hot_col);
	else
		hotspot_table(j, &p, hot_col);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		rc = err_set(ERR_NOMEM, "print: %s", cairo_status_to_string(cairo_status(cr)));
out:
	cairo_restore(cr);
	free_page(&p);
	return rc;
}

/* ---- the document ------------------------------------------------------- */

static const struct shapes_area *find_area(const shapes *sh, enum shapes_kind kind,
                                           const char *code)
{
	for (size_t i = 0; i < shapes_count(sh, kind); i++)
		if (strcmp(shapes_area(sh, kind, i)->code, code) == 0)
			return shapes_area(sh, kind, i);
	return NULL;
}

static int check_request(const struct print_request *q)
{
	unsigned unprintable = q->layers & ~(unsigned)PRINT_MAP_LAYERS, bit;
	const char *name;
	for (size_t i = 0; (name = render_layer_name(i, &bit)) != NULL; i++)
		if (unprintable & bit)
			return err_set(ERR_INVALID,
			               "layers: '%s' is not drawn on paper (a printed map draws "
			               "districts, mahallas, choropleth, heatmap, change, gistar, "
			               "trends, offences, zones and tracks)",
			               name);
	if (q->kind == PRINT_AREA && !q->district == !q->mahalla)
		return err_set(ERR_INVALID, "print: name either a district or a mahalla");
	static const char *const kinds[] = {[PRINT_COVERAGE] = "coverage",
	                                    [PRINT_ROSTER] = "roster",
	                                    [PRINT_BACKTEST] = "backtest"};
	if (q->kind != PRINT_AREA && (q->mahalla || q->atlas))
		return err_set(ERR_INVALID, "%s: printed for a district, without an atlas",
		               kinds[q->kind]);
	if (q->kind == PRINT_BACKTEST && !q->backtest)
		return err_set(ERR_INVALID, "backtest: no backtest to print");
	if (q->kind == PRINT_AREA && q->backtest && q->format == PRINT_PNG)
		return err_set(ERR_INVALID, "format: a map and the backtest's page make a PDF");
	if (q->format == PRINT_CSV && q->kind != PRINT_ROSTER)
		return err_set(ERR_INVALID, "format: only a roster is written as CSV");
	if (q->format == PRINT_PNG && q->kind == PRINT_ROSTER)
		return err_set(ERR_INVALID, "format: a roster is a PDF or a CSV");
	if (q->atlas && !q->district)
		return err_set(ERR_INVALID, "atlas: an atlas is printed for a district");
	if (q->atlas && q->format == PRINT_PNG)
		return err_set(ERR_INVALID, "atlas: an atlas is a PDF; use format pdf");
	if (q->scale != 0 && !(q->scale >= PRINT_MIN_SCALE && q->scale <= PRINT_MAX_SCALE))
		return err_set(ERR_INVALID, "scale: 1:%g is outside 1:%d .. 1:%d", q->scale,
		               PRINT_MIN_SCALE, PRINT_MAX_SCALE);
	if (q->dpi != 0 && !(q->dpi >= PRINT_MIN_DPI && q->dpi <= PRINT_MAX_DPI))
		return err_set(ERR_INVALID, "dpi: %g is outside %d .. %d", q->dpi, PRINT_MIN_DPI,
		               PRINT_MAX_DPI);
	if (q->hotspots > MAX_HOTSPOTS)
		return err_set(ERR_INVALID, "hotspots: at most %d", MAX_HOTSPOTS);
	if (q->visit != 0 && !(q->visit >= PRINT_MIN_VISIT && q->visit <= PRINT_MAX_VISIT))
		return err_set(ERR_INVALID, "visit: %g minutes is outside %d .. %d", q->visit,
		               PRINT_MIN_VISIT, PRINT_MAX_VISIT);
	if (q->every != 0 && !(q->every >= PRINT_MIN_EVERY && q->every <= PRINT_MAX_EVERY))
		return err_set(ERR_INVALID, "every: %g minutes is outside %d .. %d", q->every,
		               PRINT_MIN_EVERY, PRINT_MAX_EVERY);
	return 0;
}

/* The pages: the area, or a district's overview and its mahallas. */
static int collect_pages(struct job *j, const struct shapes_area ***out, enum shapes_kind *kind,
                         size_t *n)
{
	const struct print_request *q = j->q;
	*kind = q->district || q->kind != PRINT_AREA ? SHAPES_DISTRICTS : SHAPES_MAHALLAS;
	const struct shapes_area *a =
	    q->district || q->mahalla
	        ? find_area(j->sh, *kind, q->district ? q->district : q->mahalla)
	    : shapes_count(j->sh, SHAPES_DISTRICTS) ? shapes_area(j->sh, SHAPES_DISTRICTS, 0)
	                                            : NULL;
	if (!a && !q->district && !q->mahalla)
		return err_set(ERR_NOTFOUND, "district: the database has no district to print");
	if (!a)
		return err_set(ERR_NOTFOUND, "%s '%s' does not exist",
		               q->district ? "district" : "mahalla",
		               q->district ? q->district : q->mahalla);
	size_t cap = 1 + (q->atlas ? shapes_count(j->sh, SHAPES_MAHALLAS) : 0);
	*out = malloc(cap * sizeof **out);
	if (!*out)
		return err_set(ERR_NOMEM, "print: out of memory");
	(*out)[0] = a;
	*n = 1;
	for (size_t i = 0; q->atlas && i < shapes_count(j->sh, SHAPES_MAHALLAS); i++) {
		const struct shapes_area *m = shapes_area(j->sh, SHAPES_MAHALLAS, i);
		int in = m->district_code
		             ? strcmp(m->district_code, a->code) == 0
		             : shapes_rings_contain(full_rings(&a->geom), m->anchor.x, m->anchor.y);
		if (in)
			(*out)[(*n)++] = m;
	}
	return 0;
}

static int open_job(struct job *j)
{
	const struct print_request *q = j->q;
	double ext[4], lon, lat;
	int rc;
	j->ds = renderer_dataset(j->r);
	j->sty = renderer_style(j->r);
	j->layers = q->layers ? q->layers : PRINT_DEFAULT_LAYERS;
	/* A coverage page's density is its hotspots; the period's heatmap would
	 * not be the shift's. */
	if (q->kind != PRINT_AREA)
		j->layers &= ~(unsigned)RENDER_HEATMAP;
	j->hm = style_heatmap(j->sty);
	j->bandwidth = q->bandwidth > 0 ? q->bandwidth : j->hm ? j->hm->bandwidth : 200;
	j->dpi = q->dpi > 0 ? q->dpi : q->format == PRINT_PNG ? 150 : PRINT_DEFAULT_DPI;
	j->n_hotspots = q->hotspots < 0 ? 0 : q->hotspots > 0 ? q->hotspots : 5;
	j->ts.unit = q->paper == PRINT_A3 ? sqrt(2) : 1;
	/* ISO 216 in points: 210 x 297 mm and 297 x 420 mm. */
	double mm = PT_PER_INCH / 25.4;
	double short_side = (q->paper == PRINT_A3 ? 297 : 210) * mm;
	double long_side = (q->paper == PRINT_A3 ? 420 : 297) * mm;
	j->pw = q->landscape ? long_side : short_side;
	j->ph = q->landscape ? short_side : long_side;
	set_period(j);
	dataset_extent(j->ds, ext);
	tile_merc_to_lonlat((ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2, &lon, &lat);
	struct shapes_options so = {.tracks_from = j->from, .tracks_to = j->to};
	size_t n = dataset_category_count(j->ds);
	j->weights = malloc((n ? n : 1) * sizeof *j->weights);
	if (!j->weights)
		return err_set(ERR_NOMEM, "print: out of memory");
	for (size_t i = 0; i < n; i++)
		j->weights[i] = style_category_weight(j->sty, dataset_category(j->ds, i));
	if ((rc = utm_open(utm_zone_epsg(lon, lat), &j->u)) < 0)
		return rc;
	so.crs = utm_crs(j->u);
	if ((rc = shapes_load(j->st, &so, &j->sh)) < 0 ||
	    (rc = storeprint_names(j->st, STOREPRINT_CATEGORIES, lang_codes[q->lang],
	                           &j->categories)) < 0 ||
	    (rc = storeprint_names(j->st, STOREPRINT_SERVICES, lang_codes[q->lang], &j->services)) <
	        0)
		return rc;
	if (j->hm && (rc = renderer_heatmap_ramp(j->r, &j->filter, &j->ramp)) < 0)
		return rc;
	j->change = style_change(j->sty);
	if (q->kind == PRINT_AREA && (j->layers & RENDER_CHANGE) && j->change &&
	    (rc = renderer_change_ramp(j->r, &j->filter, &j->change_ramp)) < 0)
		return rc;
	return q->kind == PRINT_AREA ? job_analyses(j) : 0;
}

static void close_job(struct job *j)
{
	if (j->has_cov)
		coverage_free(&j->cov);
	if (j->has_set)
		hotspot_set_free(&j->set);
	if (j->has_gi)
		gistar_result_free(&j->gi);
	utm_free(j->gi_u);
	if (j->has_tr)
		trends_result_free(&j->tr);
	utm_free(j->tr_u);
	if (j->held)
		renderer_shapes_release(j->r, j->held);
	style_ramp_free(j->ramp);
	style_ramp_free(j->change_ramp);
	storeprint_names_free(&j->categories);
	storeprint_names_free(&j->services);
	shapes_free(j->sh);
	utm_free(j->u);
	free(j->weights);
}

/* The job's period becomes the backtest's span: the first training day
 * to the last tested one. */
static void backtest_period(struct job *j)
{
	const struct backtest *b = j->q->backtest;
	j->from = b->folds[0].train_from;
	j->to = b->folds[b->n_folds - 1].test_to - 1;
}

/* The hotspot-methods page of q->backtest: its span and shift in the
 * header (the job's period and shift become the backtest's). */
static int draw_backtest(struct job *j, const struct shapes_area *area)
{
	const struct backtest *b = j->q->backtest;
	double u = j->ts.unit, m = 10 / 25.4 * PT_PER_INCH * u, w = j->pw - 2 * m;
	backtest_period(j);
	j->shift = b->has_shift ? b->shift : (struct shift){0, 1440, 0x7F};
	cairo_set_source_rgb(j->ts.cr, 1, 1, 1);
	cairo_paint(j->ts.cr);
	double top = m + plan_header(j, T(j, M_METHODS), area_name(j, area), m, m, w) + 6 * u;
	double foot = typeset_line_height(&j->ts, &typeset_small);
	footer(j, m, j->ph - m - foot, w);
	btpage_draw(&j->ts, m, top, w, j->ph - m - foot - 4 * u - top, j->q->landscape, b,
	            lang_codes[j->q->lang]);
	return cairo_status(j->ts.cr) == CAIRO_STATUS_SUCCESS
	           ? 0
	           : err_set(ERR_NOMEM, "print: %s",
	                     cairo_status_to_string(cairo_status(j->ts.cr)));
}

/* The document: area pages (an atlas ending with the hotspot-methods page
 * when it has a backtest), or a coverage page and its responsibility
 * table, or a roster, or the hotspot-methods page, onto the job's context. */
static int draw_document(struct job *j, const struct shapes_area **areas, size_t n,
                         enum shapes_kind kind, struct print_result *out)
{
	const struct print_request *q = j->q;
	int pdf = q->format == PRINT_PDF, rc = 0;
	if (q->kind == PRINT_ROSTER) {
		j->pages = table_part_pages(j, j->cov.n_assignments);
		j->page_no = 1;
		return draw_roster(j, areas[0]);
	}
	if (q->kind == PRINT_COVERAGE) {
		static const double widths[2] = {0.25, 0.75};
		const char *head[2] = {T(j, M_MAHALLA), T(j, M_SERVICES)};
		struct typeset_table t = {2, {0}, {0}, {TYPESET_LEFT, TYPESET_LEFT}};
		double w = j->pw - 2 * 10 / 25.4 * PT_PER_INCH * j->ts.unit;
		t.w[0] = widths[0] * w;
		t.x[1] = t.w[0];
		t.w[1] = widths[1] * w;
		struct table_part tp = {
		    T(j, M_RESPONSIBILITY), areas[0], &t, head, j->cov.n_mahallas,
		    responsibility_cells,   NULL};
		j->pages = 1 + (pdf ? table_part_pages(j, tp.rows) : 0);
		j->page_no = 1;
		if ((rc = draw_page(j, kind, areas[0], &out->scale)) < 0 || !pdf)
			return rc;
		cairo_show_page(j->ts.cr);
		j->page_no = 2;
		return draw_table_part(j, &tp);
	}
	size_t maps = q->kind == PRINT_BACKTEST ? 0 : n;
	j->pages = (int)maps + (q->backtest ? 1 : 0);
	for (size_t i = 0; i < maps && rc == 0; i++) {
		j->page_no = (int)i + 1;
		rc = draw_page(j, i == 0 ? kind : SHAPES_MAHALLAS, areas[i], &out->scale);
		if (rc == 0 && pdf)
			cairo_show_page(j->ts.cr);
	}
	if (rc == 0 && q->backtest) {
		j->page_no = j->pages;
		if ((rc = draw_backtest(j, areas[0])) == 0 && pdf)
			cairo_show_page(j->ts.cr);
	}
	return rc;
}

int print_make(renderer *r, store *st, const struct print_request *q, struct print_result *out)
{
	struct job j = {.r = r, .st = st, .q = q};
	struct membuf buf = {0};
	const struct shapes_area **areas = NULL;
	cairo_surface_t *surface = NULL;
	enum shapes_kind kind;
	size_t n = 0;
	int rc;
	*out = (struct print_result){0};
	if ((rc = check_request(q)) < 0 || (rc = open_job(&j)) < 0 ||
	    (rc = collect_pages(&j, &areas, &kind, &n)) < 0 ||
	    ((q->kind == PRINT_COVERAGE || q->kind == PRINT_ROSTER) &&
	     (rc = open_coverage(&j)) < 0))
		goto out;
	if (q->kind == PRINT_BACKTEST)
		backtest_period(&j);
	out->epsg = utm_epsg(j.u);
	out->from = j.from;
	out->to = j.to;
	if (q->format == PRINT_CSV) {
		rc = roster_csv(&j, &out->data, &out->len);
		goto out;
	}
	if (q->format == PRINT_PDF) {
		surface = cairo_pdf_surface_create_for_stream(membuf_write, &buf, j.pw, j.ph);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
		                               area_name(&j, areas[0]));
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "posbon");
	} else {
		int w = (int)ceil(j.pw / PT_PER_INCH * j.dpi),
		    h = (int)ceil(j.ph / PT_PER_INCH * j.dpi);
		surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
	}
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		rc = err_set(ERR_NOMEM, "print: no %s surface: %s",
		             q->format == PRINT_PDF ? "PDF" : "PNG",
		             cairo_status_to_string(cairo_surface_status(surface)));
		goto out;
	}
	j.ts.cr = cairo_create(surface);
	if (q->format == PRINT_PNG)
		cairo_scale(j.ts.cr, j.dpi / PT_PER_INCH, j.dpi / PT_PER_INCH);
	rc = draw_document(&j, areas, n, kind, out);
	cairo_destroy(j.ts.cr);
	if (rc < 0)
		goto out;
	if (q->format == PRINT_PDF) {
		cairo_surface_finish(surface);
		if (buf.failed || cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
			rc = err_set(ERR_NOMEM, "print: writing the PDF failed");
			goto out;
		}
		out->data = buf.data;
		out->len = buf.len;
		buf.data = NULL;
	} else if ((rc = pngenc_encode(surface, &out->data, &out->len)) < 0) {
		goto out;
	}
	out->pages = q->format == PRINT_PDF ? j.pages : 1;
out:
	if (surface)
		cairo_surface_destroy(surface);
	free(buf.data);
	free(areas);
	close_job(&j);
	return rc;
}

/* ---- a layer's legend alone ------------------------------------------- */

#define LEGEND_WIDTH 190 /* pt of a fitted legend's column */
#define LEGEND_PAD   5   /* pt around it */

int print_legend(renderer *r, store *st, const struct print_legend_request *q,
                 struct print_legend *out)
{
	static const struct {
		unsigned layer;
		enum msg title;
	} titles[] = {{RENDER_DISTRICTS, M_DISTRICT},
	              {RENDER_MAHALLAS, M_MAHALLA},
	              {RENDER_CHOROPLETH, M_CHOROPLETH},
	              {RENDER_HEATMAP, M_HEATMAP},
	              {RENDER_CHANGE, M_CHANGE_MAP},
	              {RENDER_OFFENCES, M_DOTS},
	              {RENDER_ZONES, M_ZONES},
	              {RENDER_TRACKS, M_TRACKS},
	              {RENDER_GISTAR, M_GISTAR},
	              {RENDER_TRENDS, M_TRENDS},
	              {RENDER_HOTSPOTS, M_SHIFT_HOTSPOTS},
	              {RENDER_COVERAGE, M_COVERAGE},
	              {RENDER_DOSAGE, M_DOSAGE}};
	struct print_request pq = {.lang = q->lang, .filter = q->filter};
	struct job j = {.r = r, .st = st, .q = &pq, .filter = q->filter, .metric = q->metric};
	const char **codes = NULL;
	cairo_surface_t *rec = NULL, *img = NULL;
	cairo_t *cr = NULL;
	size_t t = 0;
	int rc = 0;
	*out = (struct print_legend){0};
	while (t < sizeof titles / sizeof titles[0] && titles[t].layer != q->layer)
		t++;
	if (t == sizeof titles / sizeof titles[0])
		return err_set(ERR_INVALID, "layer: not a layer with a legend picture");
	j.ds = renderer_dataset(r);
	j.sty = renderer_style(r);
	j.hm = style_heatmap(j.sty);
	j.change = style_change(j.sty);
	j.ts.unit = 1;
	if ((rc = storeprint_names(st, STOREPRINT_CATEGORIES, lang_codes[q->lang], &j.categories)) <
	        0 ||
	    (rc = storeprint_names(st, STOREPRINT_SERVICES, lang_codes[q->lang], &j.services)) <
	        0 ||
	    (q->layer == RENDER_HEATMAP && j.hm &&
	     (rc = renderer_heatmap_ramp(r, &j.filter, &j.ramp)) < 0) ||
	    (q->layer == RENDER_CHANGE && j.change &&
	     (rc = renderer_change_ramp(r, &j.filter, &j.change_ramp)) < 0))
		goto out;
	/* Not a frame's: every service and category the district has. */
	size_t n_svc = dataset_service_count(j.ds), n_cat = dataset_category_count(j.ds);
	if (!(codes = malloc((n_svc + n_cat + 1) * sizeof *codes))) {
		rc = err_set(ERR_NOMEM, "print: out of memory for a legend");
		goto out;
	}
	for (size_t i = 0; i < n_svc; i++)
		codes[i] = dataset_service(j.ds, i);
	for (size_t i = 0; i < n_cat; i++)
		codes[n_svc + i] = dataset_category(j.ds, i);
	struct legend_items it = {.services = codes,
	                          .n_services = n_svc,
	                          .categories = codes + n_svc,
	                          .n_categories = n_cat,
	                          .zoom = q->zoom > 0 ? q->zoom : 14};
	double k = STYLE_PX_PER_PT * (q->scale > 0 ? q->scale : 1);
	double w = q->width ? q->width / k : LEGEND_WIDTH + 2 * LEGEND_PAD;
	struct typeset_column c = {LEGEND_PAD, LEGEND_PAD, w - 2 * LEGEND_PAD,
	                           q->height ? q->height / k - LEGEND_PAD : INFINITY};
	/* Drawn once into a recording, which then gives the fitted height. */
	rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	j.ts.cr = cairo_create(rec);
	typeset_heading(&j.ts, &c, T(&j, titles[t].title));
	legend_blocks(&j, &c, q->layer, &it);
	rc = cairo_status(j.ts.cr) == CAIRO_STATUS_SUCCESS
	         ? 0
	         : err_set(ERR_NOMEM, "print: legend: %s",
	                   cairo_status_to_string(cairo_status(j.ts.cr)));
	cairo_destroy(j.ts.cr);
	if (rc < 0)
		goto out;
	out->width = q->width ? q->width : (int)ceil(w * k);
	out->height = q->height ? q->height : (int)ceil((c.y + LEGEND_PAD) * k);
	img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, out->width, out->height);
	cr = cairo_create(img);
	if (q->opaque) {
		cairo_set_source_rgb(cr, (q->background >> 16 & 0xFF) / 255.0,
		                     (q->background >> 8 & 0xFF) / 255.0,
		                     (q->background & 0xFF) / 255.0);
		cairo_paint(cr);
	}
	cairo_scale(cr, k, k);
	cairo_set_source_surface(cr, rec, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	rc = pngenc_encode(img, &out->png, &out->len);
out:
	if (img)
		cairo_surface_destroy(img);
	if (rec)
		cairo_surface_destroy(rec);
	free(codes);
	style_ramp_free(j.ramp);
	style_ramp_free(j.change_ramp);
	storeprint_names_free(&j.categories);
	storeprint_names_free(&j.services);
	return rc;
}

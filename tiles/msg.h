/*
 * msg: the texts of what posbon draws for people to read (printed pages,
 * legends, the backtest chart) in Uzbek (Latin script, with the modifier
 * letter turned comma: oʻ gʻ), Russian and English.
 *
 * Each text has a key. A term the viewer shows as well has the key of the
 * viewer's catalogue (web/i18n.js) and the same words there, so that the
 * screen and the paper name things alike; tests/web/test_msg.mjs checks
 * that every key the two share has the same text in each language. Keys
 * of the paper alone start with "paper.", "chart." or "btpage.". A text
 * marked "format" below is a printf format of the arguments named.
 *
 * Threading: constant tables, any thread.
 */
#ifndef POSBON_MSG_H
#define POSBON_MSG_H

#include <stddef.h>

enum msg_lang { MSG_UZ, MSG_RU, MSG_EN, MSG_LANGS };

enum msg {
	/* shared with the viewer */
	MSG_PERIOD,
	MSG_LEGEND,
	MSG_CARD_INSPECTOR,
	MSG_LAYER_ZONES,
	MSG_LAYER_TRACKS,
	MSG_LAYER_HEATMAP,
	MSG_LAYER_OFFENCES,
	MSG_LAYER_CHOROPLETH,
	MSG_LEGEND_BOUNDARY_DISTRICT,
	MSG_LEGEND_BOUNDARY_MAHALLA,
	MSG_LEGEND_TRENDS,
	MSG_LEGEND_CHOROPLETH_COUNT,
	MSG_LEGEND_CHOROPLETH_RATE,
	MSG_GISTAR_LAYER,
	MSG_TRENDS_HOT_NEW, /* the hot patterns in the order of enum trends_pattern */
	MSG_TRENDS_HOT_CONSECUTIVE,
	MSG_TRENDS_HOT_INTENSIFYING,
	MSG_TRENDS_HOT_PERSISTENT,
	MSG_TRENDS_HOT_DIMINISHING,
	MSG_TRENDS_HOT_SPORADIC,
	MSG_TRENDS_HOT_OSCILLATING,
	MSG_TRENDS_HOT_HISTORICAL,
	MSG_TRENDS_COLD_NEW, /* the cold ones alike */
	MSG_TRENDS_COLD_CONSECUTIVE,
	MSG_TRENDS_COLD_INTENSIFYING,
	MSG_TRENDS_COLD_PERSISTENT,
	MSG_TRENDS_COLD_DIMINISHING,
	MSG_TRENDS_COLD_SPORADIC,
	MSG_TRENDS_COLD_OSCILLATING,
	MSG_TRENDS_COLD_HISTORICAL,
	MSG_DOSAGE_VIEW,
	MSG_DOSAGE_TARGET,
	MSG_DOSAGE_STATUS_UNVISITED, /* lower case, as in a sentence: msg_capital() */
	MSG_DOSAGE_STATUS_SHORT,
	MSG_DOSAGE_STATUS_MET,
	MSG_COVERAGE_STATUS_GAP, /* the coverage statuses alike, in enum coverage_status order */
	MSG_COVERAGE_STATUS_COVERED,
	MSG_COVERAGE_STATUS_JOINT,
	MSG_COVERAGE_STATUS_OVERLAP,
	MSG_COVERAGE_STATUS,
	MSG_COVERAGE_MAHALLA,
	MSG_COVERAGE_MAHALLAS,
	MSG_SERVICES,
	MSG_ZONE_TITLE,
	MSG_ZONE_SERVICE,
	MSG_ZONE_UNIT,
	MSG_PLAN_TRAINING,
	MSG_BACKTEST_METHOD,
	MSG_BACKTEST_METHOD_KDE, /* the methods in the order of enum backtest_method */
	MSG_BACKTEST_METHOD_GISTAR,
	MSG_BACKTEST_METHOD_COUNTS,
	MSG_BACKTEST_METHOD_ZONES,
	MSG_BACKTEST_FOLDS_SCORED,
	MSG_ACTIVITIES_KIND,
	MSG_ACTIVITIES_KIND_PATROL, /* the kinds in the order of store.h's list */
	MSG_ACTIVITIES_KIND_RESIDENTS_MEETING,
	MSG_ACTIVITIES_KIND_YOUTH_MEETING,
	MSG_ACTIVITIES_KIND_HOME_VISIT,
	MSG_ACTIVITIES_KIND_VENUE_INSPECTION,
	MSG_ACTIVITIES_KIND_RAID,
	MSG_ACTIVITIES_KIND_AWARENESS,
	MSG_ACTIVITIES_KIND_OTHER,
	MSG_ACTIVITIES_PARTICIPANTS,
	MSG_ACTIVITIES_OUTCOME,
	MSG_TASKS_DUE,
	MSG_TASKS_TEXT,
	MSG_TASKS_RECEIVERS,
	MSG_TASKS_OVERDUE,    /* lower case */
	MSG_TASKS_STATUS_NEW, /* a receiver's statuses alike, in store.h's order */
	MSG_TASKS_STATUS_ACCEPTED,
	MSG_TASKS_STATUS_IN_PROGRESS,
	MSG_TASKS_STATUS_DONE,
	MSG_TASKS_STATUS_DECLINED,
	/* the printed pages' own */
	MSG_PAPER_DISTRICT,
	MSG_PAPER_PRINTED,
	MSG_PAPER_SCALE,
	MSG_PAPER_NORTH,
	MSG_PAPER_DENSITY,
	MSG_PAPER_CHANGE_DENSITY,
	MSG_PAPER_CHANGE_MAP,
	MSG_PAPER_JOINT,
	MSG_PAPER_HOTSPOT,
	MSG_PAPER_SELECTED_MAHALLA, /* format: the name */
	MSG_PAPER_SELECTED_DISTRICT,
	MSG_PAPER_BY_CATEGORY,
	MSG_PAPER_CATEGORY,
	MSG_PAPER_THIS,
	MSG_PAPER_PREVIOUS,
	MSG_PAPER_CHANGE,
	MSG_PAPER_TOTAL,
	MSG_PAPER_OTHER, /* format: the number of categories (size_t) */
	MSG_PAPER_HOTSPOTS,
	MSG_PAPER_PLACE,
	MSG_PAPER_OFFENCES,
	MSG_PAPER_PEAK,
	MSG_PAPER_WITHIN, /* format: the bandwidth in metres (double) */
	MSG_PAPER_OVERVIEW,
	MSG_PAPER_PAGE, /* format: the page and the pages (int, int) */
	MSG_PAPER_NO_OFFENCES,
	MSG_PAPER_NO_HOTSPOTS,
	MSG_PAPER_GISTAR_HOT,  /* format: the confidence in percent (int) */
	MSG_PAPER_GISTAR_COLD, /* alike */
	MSG_PAPER_SHIFT_HOTSPOT,
	MSG_PAPER_NO_CATEGORY,
	MSG_PAPER_KM,
	MSG_PAPER_M,
	MSG_PAPER_CHANGE_METRIC,
	MSG_PAPER_MORE, /* format: how many more (size_t) */
	MSG_PAPER_COVERAGE,
	MSG_PAPER_ROSTER,
	MSG_PAPER_SHIFT,
	MSG_PAPER_DATE,
	MSG_PAPER_SHARE_OFFENCES,
	MSG_PAPER_SHARE_HOTSPOTS,
	MSG_PAPER_AREA,
	MSG_PAPER_BY_UNIT,
	MSG_PAPER_NOBODY,
	MSG_PAPER_HOURS,
	MSG_PAPER_HOTSPOT_LIST,
	MSG_PAPER_VISITS, /* format: visits (int) of minutes (double) */
	MSG_PAPER_SHIFT_HOTSPOTS,
	MSG_PAPER_ANY_DATE,
	MSG_PAPER_METHODS,
	MSG_PAPER_COMPARE_DISTRICTS, /* the comparison table's page */
	MSG_PAPER_COMPARE_MAHALLAS,
	MSG_PAPER_ALL_DISTRICTS,
	MSG_PAPER_LAST_YEAR,
	MSG_PAPER_YTD,
	MSG_PAPER_YTD_LAST_YEAR,
	MSG_PAPER_RATE,
	MSG_PAPER_COVERED,
	MSG_PAPER_SPANS, /* format: the first and last days (text) of the previous
	                    period, last year, the year to date and last year's */
	MSG_PAPER_COMPARE_NOTE,
	/* the mahalla meeting's pack */
	MSG_PAPER_PACK,
	MSG_PAPER_PACK_ACTIVITIES,    /* format: the first day (text) */
	MSG_PAPER_PACK_NO_ACTIVITIES, /* alike */
	MSG_PAPER_PACK_DAY,
	MSG_PAPER_PACK_TASKS,
	MSG_PAPER_PACK_NO_TASKS,
	MSG_PAPER_PACK_ASKER,
	MSG_PAPER_PACK_STANDING,
	MSG_PAPER_STANDING_GREEN, /* the categories in the order of enum standing_category */
	MSG_PAPER_STANDING_YELLOW,
	MSG_PAPER_STANDING_RED,
	MSG_PAPER_PACK_CATEGORY,
	MSG_PAPER_PACK_HELD, /* format: the first day (text), the days (int) */
	MSG_PAPER_PACK_UNRECORDED,
	MSG_PAPER_PACK_OFFENCES, /* format: the days (int) */
	MSG_PAPER_PACK_BEFORE,   /* alike */
	MSG_PAPER_PACK_REPEAT,
	MSG_PAPER_PACK_OVERDUE,
	MSG_PAPER_PACK_REASONS,
	MSG_PAPER_PACK_MEASURE,
	MSG_PAPER_PACK_VALUE,
	MSG_PAPER_PACK_HISTORY,
	MSG_PAPER_PACK_FROM,
	MSG_PAPER_PACK_UNTIL,
	MSG_PAPER_PACK_DAYS,
	MSG_PAPER_PACK_NOW,
	MSG_PAPER_PACK_NO_HISTORY,
	MSG_PAPER_PACK_OFFICIALS,
	MSG_PAPER_PACK_ROLE,
	MSG_PAPER_PACK_NAME,
	MSG_PAPER_PACK_PHONE,
	MSG_PAPER_PACK_NO_OFFICIALS,
	MSG_PAPER_PACK_RISK,
	MSG_PAPER_PACK_GROUP,
	MSG_PAPER_PACK_COUNT,
	MSG_PAPER_PACK_NO_RISK,
	MSG_PAPER_PACK_SUPPRESSED, /* format: the threshold twice (int, int) */
	/* the registered at-risk groups the services commonly count, shared with
	 * the viewer: key "risk." and the group's code (msg_find()) */
	MSG_RISK_MINORS,
	MSG_RISK_RELEASED,
	MSG_RISK_SUPERVISION,
	MSG_RISK_PROBATION,
	MSG_RISK_PROTECTION,
	MSG_RISK_DRUGS,
	MSG_RISK_ALCOHOL,
	MSG_RISK_YOUTH,
	/* the backtest chart's */
	MSG_CHART_TITLE,
	MSG_CHART_X,
	MSG_CHART_Y,
	MSG_CHART_RANDOM,
	/* the hotspot-methods page's body */
	MSG_BTPAGE_FOLDS, /* format: folds (size_t); weeks of training, test, step (int);
	                     the cell (double), the cells (text); zones (size_t) */
	MSG_BTPAGE_TABLE,
	MSG_BTPAGE_AREA,
	MSG_BTPAGE_HIT,
	MSG_BTPAGE_MEANING,
	MSG_BTPAGE_BEST, /* format: the method, PAI, offences %, area % (text: numbers as
	                    typeset_decimal() writes them) */
	MSG_BTPAGE_NONE,
	/* WMS layer titles of the capabilities (zones, tracks and gistar take the
	 * layers' names above) */
	MSG_WMS_DISTRICTS,
	MSG_WMS_MAHALLAS,
	MSG_WMS_CHOROPLETH,
	MSG_WMS_HEATMAP,
	MSG_WMS_OFFENCES,
	MSG_WMS_HOTSPOTS,
	MSG_WMS_COVERAGE,
	MSG_WMS_DOSAGE,
	MSG_WMS_CHANGE,
	MSG_WMS_TRENDS,
	MSG_WMS_BASE,
	MSG_COUNT
};

/* The language of code "uz", "ru" or "en" (case-insensitive); anything
 * else, NULL too, is English. */
enum msg_lang msg_lang_of(const char *code);

/* Whether code is one of "uz", "ru", "en" (case-insensitive). */
int msg_lang_known(const char *code);

/* "uz", "ru" or "en". */
const char *msg_lang_code(enum msg_lang lang);

/* The text of m in lang (static). */
const char *msg_text(enum msg m, enum msg_lang lang);

/* Its key, as in the viewer's catalogue when it has the text (static). */
const char *msg_key(enum msg m);

/* The text in lang of the key made of prefix and name ("risk." and a
 * group's code), NULL when there is none (static). */
const char *msg_find(const char *prefix, const char *name, enum msg_lang lang);

/* The text of m in lang with its first letter capitalised (Latin or
 * Cyrillic), for a text the viewer writes in lower case inside sentences
 * and the paper puts at the start of a row; cut to n bytes at a character.
 * Returns out. */
const char *msg_capital(enum msg m, enum msg_lang lang, char *out, size_t n);

/* The short name of weekday d (0 Monday .. 6 Sunday) in lang, as the
 * viewer's "weekdays.short" (static). */
const char *msg_weekday(int d, enum msg_lang lang);

#endif

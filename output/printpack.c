/*
 * printpack: the store's lists (activities, tasks, the recorded standing,
 * officials, at-risk counts) become printflow grids once, fitted to the
 * page's width; one flow counts their pages after the map page, then the
 * map page and the flow are drawn.
 */
#include "printpack.h"

#include "err.h"
#include "printflow.h"
#include "printmap.h"
#include "standing.h"
#include "timeparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT 512 /* bytes of a composed cell */

/* An activity of the mahalla, its texts copied from the store's walk. */
struct activity {
	char *service, *unit, *outcome;
	const char *kind; /* in the page's language (static) */
	int64_t started, ended;
	long participants;
};

/* A run of one service's activities in the sorted list. */
struct group {
	size_t first, n;
	const char *service; /* its name, borrowed from the job */
};

/* What the pack's pages show. */
struct pack {
	const struct shapes_area *area;
	char since[16], today[16]; /* local days */
	struct activity *acts;
	size_t n_acts, cap_acts;
	struct group *groups;
	size_t n_groups;
	struct printflow_grid activities, tasks, now, history, officials, risk;
	struct standing_rules rules;
	char heading[160], none[160], note[320], title_line[512];
};

static const char *const kinds[] = {
    "patrol", "residents_meeting", "youth_meeting", "home_visit", "venue_inspection",
    "raid",   "awareness",         "other"};
static const char *const statuses[] = {"new", "accepted", "in_progress", "done", "declined"};

/* The text of code in list (its msg from first on), else code itself. */
static const char *coded(const struct printjob *j, const char *code, const char *const *list,
                         size_t n, enum msg first)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(code, list[i]) == 0)
			return printjob_text(j, (enum msg)(first + i));
	return code ? code : "";
}

/* "Service, unit" or the service's name alone. */
static void who(const struct printjob *j, const char *service, const char *unit, char *out,
                size_t n)
{
	printjob_append(out, n, 0, "%s%s%s", storeprint_name(&j->services, service),
	                unit && *unit ? ", " : "", unit && *unit ? unit : "");
}

static char *copy(const char *s)
{
	return strdup(s ? s : "");
}

struct walk {
	struct printjob *j;
	struct pack *p;
	int rc;
};

static int add_activity(void *ctx, const struct store_activity *a)
{
	struct walk *w = ctx;
	struct pack *p = w->p;
	if (p->n_acts == p->cap_acts) {
		size_t cap = p->cap_acts ? 2 * p->cap_acts : 32;
		struct activity *more = realloc(p->acts, cap * sizeof *more);
		if (!more)
			return w->rc = err_set(ERR_NOMEM, "print: out of memory");
		p->acts = more;
		p->cap_acts = cap;
	}
	struct activity *t = &p->acts[p->n_acts];
	*t = (struct activity){
	    copy(storeprint_name(&w->j->services, a->service)),
	    copy(a->unit),
	    copy(a->outcome),
	    coded(w->j, a->kind, kinds, sizeof kinds / sizeof *kinds, MSG_ACTIVITIES_KIND_PATROL),
	    a->started,
	    a->ended,
	    a->participants};
	p->n_acts++;
	if (!t->service || !t->unit || !t->outcome)
		return w->rc = err_set(ERR_NOMEM, "print: out of memory");
	return 0;
}

/* By service name, then the earliest first. */
static int by_service(const void *a, const void *b)
{
	const struct activity *x = a, *y = b;
	int c = strcmp(x->service, y->service);
	return c ? c : (x->started > y->started) - (x->started < y->started);
}

/* The activities since p->since, grouped by service, as one grid whose
 * runs are the groups. */
static int activities(struct printjob *j, struct pack *p, int64_t since)
{
	struct store_activity_query q = {
	    .mahalla = p->area->code, .from = since, .to = STORE_NO_TIME};
	struct walk w = {j, p, 0};
	int rc = store_list_activities(j->st, &q, add_activity, &w);
	if (rc < 0 || (rc = w.rc) < 0)
		return rc;
	if (p->n_acts) /* qsort() takes no NULL */
		qsort(p->acts, p->n_acts, sizeof *p->acts, by_service);
	struct printflow_grid *g = &p->activities;
	*g = (struct printflow_grid){
	    .cols = 5,
	    .head = {printjob_text(j, MSG_PAPER_PACK_DAY), printjob_text(j, MSG_ACTIVITIES_KIND),
	             printjob_text(j, MSG_ZONE_UNIT), printjob_text(j, MSG_ACTIVITIES_PARTICIPANTS),
	             printjob_text(j, MSG_ACTIVITIES_OUTCOME)},
	    .align = {TYPESET_LEFT, TYPESET_LEFT, TYPESET_LEFT, TYPESET_RIGHT, TYPESET_LEFT}};
	if (!(p->groups = calloc(p->n_acts ? p->n_acts : 1, sizeof *p->groups)))
		return err_set(ERR_NOMEM, "print: out of memory");
	for (size_t i = 0; i < p->n_acts; i++) {
		const struct activity *a = &p->acts[i];
		char day[40], end[16], people[32];
		printjob_date(j, a->started, day, sizeof day);
		if (a->ended != STORE_NO_TIME) {
			printjob_date(j, a->ended, end, sizeof end);
			if (strcmp(end, day) != 0)
				printjob_append(day, sizeof day, strlen(day), " – %s", end);
		}
		if (a->participants >= 0)
			typeset_count((double)a->participants, printjob_lang(j), people,
			              sizeof people);
		else
			snprintf(people, sizeof people, "–");
		const char *cells[5] = {day, a->kind, *a->unit ? a->unit : "–", people,
		                        *a->outcome ? a->outcome : "–"};
		if ((rc = printflow_grid_add(g, cells)) < 0)
			return rc;
		if (!p->n_groups || strcmp(p->groups[p->n_groups - 1].service, a->service) != 0)
			p->groups[p->n_groups++] = (struct group){i, 0, a->service};
		p->groups[p->n_groups - 1].n++;
	}
	return 0;
}

static int add_task(void *ctx, const struct store_task *t)
{
	struct walk *w = ctx;
	struct printjob *j = w->j;
	char due[96], asker[TEXT], to[TEXT * 2];
	size_t len = 0;
	if (!t->due)
		snprintf(due, sizeof due, "–");
	else
		snprintf(
		    due, sizeof due, "%s%s%s", t->due, strcmp(t->due, w->p->today) < 0 ? " " : "",
		    strcmp(t->due, w->p->today) < 0 ? printjob_text(j, MSG_TASKS_OVERDUE) : "");
	who(j, t->from_service, t->from_unit, asker, sizeof asker);
	to[0] = 0;
	for (size_t i = 0; i < t->n_to; i++) {
		char name[TEXT];
		who(j, t->to[i].service, t->to[i].unit, name, sizeof name);
		len = printjob_append(to, sizeof to, len, "%s%s: %s", i ? "; " : "", name,
		                      coded(j, t->to[i].status, statuses,
		                            sizeof statuses / sizeof *statuses,
		                            MSG_TASKS_STATUS_NEW));
	}
	const char *cells[4] = {due, t->text, asker, to};
	return w->rc = printflow_grid_add(&w->p->tasks, cells);
}

/* The open tasks whose place lies in the mahalla, by due day: the overdue
 * ones first, as the store orders them, those without a due day last. */
static int tasks(struct printjob *j, struct pack *p)
{
	struct store_task_query q = {.mahalla = p->area->code, .open = 1};
	struct walk w = {j, p, 0};
	p->tasks = (struct printflow_grid){.cols = 4,
	                                   .head = {printjob_text(j, MSG_TASKS_DUE),
	                                            printjob_text(j, MSG_TASKS_TEXT),
	                                            printjob_text(j, MSG_PAPER_PACK_ASKER),
	                                            printjob_text(j, MSG_TASKS_RECEIVERS)}};
	int rc = store_list_tasks(j->st, &q, add_task, &w);
	return rc < 0 ? rc : w.rc;
}

/* The local days from since to until (STORE_NO_TIME: the printing). */
static long days_held(const struct printjob *j, int64_t since, int64_t until)
{
	const tz *z = dataset_zone(j->ds);
	return (long)(tz_local_day(z, until == STORE_NO_TIME ? j->q->printed_at : until) -
	              tz_local_day(z, since));
}

static enum msg category_msg(const char *name)
{
	for (int c = STANDING_GREEN; c <= STANDING_RED; c++)
		if (strcmp(name, standing_category_name((enum standing_category)c)) == 0)
			return (enum msg)(MSG_PAPER_STANDING_GREEN + c);
	return MSG_COUNT;
}

/* The recorded category now (until open), kept from the history's walk. */
struct recorded {
	struct walk w;
	char category[16];
	int64_t since;
};

static int add_standing(void *ctx, const struct store_standing *s)
{
	struct recorded *r = ctx;
	struct printjob *j = r->w.j;
	char from[16], until[64], days[32];
	enum msg m = category_msg(s->category);
	printjob_date(j, s->since, from, sizeof from);
	if (s->until == STORE_NO_TIME) {
		snprintf(until, sizeof until, "%s", printjob_text(j, MSG_PAPER_PACK_NOW));
		if (!r->category[0]) {
			snprintf(r->category, sizeof r->category, "%s", s->category);
			r->since = s->since;
		}
	} else {
		printjob_date(j, s->until, until, sizeof until);
	}
	typeset_count((double)days_held(j, s->since, s->until), printjob_lang(j), days,
	              sizeof days);
	const char *cells[4] = {m < MSG_COUNT ? printjob_text(j, m) : s->category, from, until,
	                        days};
	return r->w.rc = printflow_grid_add(&r->w.p->history, cells);
}

/* The limits reached, "rate,change", as the measures' names. */
static void reasons_text(const struct printjob *j, const char *reasons, char *out, size_t n)
{
	static const enum msg names[STANDING_MEASURES] = {
	    [STANDING_RATE] = MSG_LEGEND_CHOROPLETH_RATE,
	    [STANDING_CHANGE] = MSG_PAPER_CHANGE,
	    [STANDING_REPEAT_PLACES] = MSG_PAPER_PACK_REPEAT,
	    [STANDING_OVERDUE_TASKS] = MSG_PAPER_PACK_OVERDUE};
	size_t len = 0;
	out[0] = 0;
	for (int m = 0; m < STANDING_MEASURES; m++) {
		const char *name = standing_measure_name((enum standing_measure)m);
		size_t k = strlen(name);
		for (const char *s = reasons; (s = strstr(s, name)) != NULL; s += k)
			if ((s == reasons || s[-1] == ',') && (s[k] == ',' || !s[k])) {
				len = printjob_append(out, n, len, "%s%s", len ? ", " : "",
				                      printjob_text(j, names[m]));
				break;
			}
	}
	if (!len)
		snprintf(out, n, "–");
}

/* The standing now: its category (since when it is recorded so) and the
 * measures behind it; its recorded history, newest first. */
static int standing(struct printjob *j, struct pack *p)
{
	struct standing_table t = {0};
	struct recorded r = {{j, p, 0}, "", 0};
	p->history = (struct printflow_grid){
	    .cols = 4,
	    .head = {printjob_text(j, MSG_PAPER_PACK_CATEGORY),
	             printjob_text(j, MSG_PAPER_PACK_FROM), printjob_text(j, MSG_PAPER_PACK_UNTIL),
	             printjob_text(j, MSG_PAPER_PACK_DAYS)},
	    .align = {TYPESET_LEFT, TYPESET_LEFT, TYPESET_LEFT, TYPESET_RIGHT},
	    .natural = 1};
	p->now = (struct printflow_grid){.natural = 1,
	                                 .cols = 2,
	                                 .head = {printjob_text(j, MSG_PAPER_PACK_MEASURE),
	                                          printjob_text(j, MSG_PAPER_PACK_VALUE)}};
	int rc = store_list_standing(j->st, p->area->code, add_standing, &r);
	if (rc < 0 || (rc = r.w.rc) < 0 ||
	    (rc = standing_compute(j->ds, printjob_merc_shapes(j), j->st, &p->rules, &j->q->filter,
	                           j->q->printed_at, &t)) < 0)
		return rc;
	const struct standing_row *row = NULL;
	for (size_t i = 0; i < t.n && !row; i++)
		if (strcmp(t.rows[i].code, p->area->code) == 0)
			row = &t.rows[i];
	char cells[8][2][TEXT], day[16];
	enum msg heads[8] = {MSG_PAPER_PACK_CATEGORY, MSG_PAPER_PACK_OFFENCES,
	                     MSG_PAPER_PACK_BEFORE,   MSG_LEGEND_CHOROPLETH_RATE,
	                     MSG_PAPER_CHANGE,        MSG_PAPER_PACK_REPEAT,
	                     MSG_PAPER_PACK_OVERDUE,  MSG_PAPER_PACK_REASONS};
	for (int i = 0; row && i < 8; i++) {
		snprintf(cells[i][0], TEXT, printjob_text(j, heads[i]), p->rules.period_days);
		cells[i][1][0] = 0;
	}
	if (row) {
		const char *category = standing_category_name(row->category);
		size_t len = printjob_append(cells[0][1], TEXT, 0, "%s (",
		                             printjob_text(j, category_msg(category)));
		if (strcmp(r.category, category) == 0) {
			printjob_date(j, r.since, day, sizeof day);
			len = printjob_append(cells[0][1], TEXT, len,
			                      printjob_text(j, MSG_PAPER_PACK_HELD), day,
			                      (int)days_held(j, r.since, STORE_NO_TIME));
		} else {
			len = printjob_append(cells[0][1], TEXT, len, "%s",
			                      printjob_text(j, MSG_PAPER_PACK_UNRECORDED));
		}
		printjob_append(cells[0][1], TEXT, len, ")");
		typeset_count(row->offences, printjob_lang(j), cells[1][1], TEXT);
		typeset_count(row->previous, printjob_lang(j), cells[2][1], TEXT);
		if (isfinite(row->m[STANDING_RATE]))
			typeset_decimal(row->m[STANDING_RATE], 2, printjob_lang(j), cells[3][1],
			                TEXT);
		if (isfinite(row->m[STANDING_CHANGE])) {
			typeset_decimal(row->m[STANDING_CHANGE], 0, printjob_lang(j), day,
			                sizeof day);
			snprintf(cells[4][1], TEXT, "%s%s%%",
			         row->m[STANDING_CHANGE] > 0 ? "+" : "", day);
		}
		typeset_count(row->m[STANDING_REPEAT_PLACES], printjob_lang(j), cells[5][1], TEXT);
		typeset_count(row->m[STANDING_OVERDUE_TASKS], printjob_lang(j), cells[6][1], TEXT);
		reasons_text(j, row->reasons, cells[7][1], TEXT);
	}
	for (int i = 0; row && rc == 0 && i < 8; i++)
		rc = printflow_grid_add(
		    &p->now,
		    (const char *const[]){cells[i][0], cells[i][1][0] ? cells[i][1] : "–"});
	standing_free(&t);
	return rc;
}

static int add_official(void *ctx, const char *mahalla, const struct store_official *o)
{
	(void)mahalla;
	struct walk *w = ctx;
	const char *cells[3] = {o->role, o->name, o->phone && *o->phone ? o->phone : "–"};
	return w->rc = printflow_grid_add(&w->p->officials, cells);
}

static int add_risk(void *ctx, const struct store_risk_count *r)
{
	struct walk *w = ctx;
	char count[32];
	if (r->count < 0) {
		snprintf(count, sizeof count, "–");
	} else if (standing_suppressed(&w->p->rules, r->count)) {
		snprintf(count, sizeof count, "<%d", w->p->rules.suppress_below);
	} else {
		typeset_count((double)r->count, printjob_lang(w->j), count, sizeof count);
	}
	/* a group the catalogue names by its name, another by its code */
	const char *name = msg_find("risk.", r->group, printjob_lang(w->j));
	return w->rc = printflow_grid_add(&w->p->risk,
	                                  (const char *const[]){name ? name : r->group, count});
}

/* The officials and the at-risk counts, small counts withheld. */
static int people(struct printjob *j, struct pack *p)
{
	struct walk w = {j, p, 0};
	p->officials = (struct printflow_grid){.natural = 1,
	                                       .cols = 3,
	                                       .head = {printjob_text(j, MSG_PAPER_PACK_ROLE),
	                                                printjob_text(j, MSG_PAPER_PACK_NAME),
	                                                printjob_text(j, MSG_PAPER_PACK_PHONE)}};
	p->risk = (struct printflow_grid){.natural = 1,
	                                  .cols = 2,
	                                  .head = {printjob_text(j, MSG_PAPER_PACK_GROUP),
	                                           printjob_text(j, MSG_PAPER_PACK_COUNT)},
	                                  .align = {TYPESET_LEFT, TYPESET_RIGHT}};
	int rc = store_list_officials(j->st, p->area->code, add_official, &w);
	if (rc < 0 || (rc = w.rc) < 0 ||
	    (rc = store_list_risk_counts(j->st, p->area->code, add_risk, &w)) < 0)
		return rc;
	return w.rc;
}

static const struct shapes_area *district_of(const struct printjob *j, const struct shapes_area *m)
{
	for (size_t i = 0; m->district_code && i < shapes_count(j->sh, SHAPES_DISTRICTS); i++)
		if (strcmp(shapes_area(j->sh, SHAPES_DISTRICTS, i)->code, m->district_code) == 0)
			return shapes_area(j->sh, SHAPES_DISTRICTS, i);
	return NULL;
}

static void page_header(struct printjob *j, struct printflow *fl)
{
	const struct pack *p = fl->ctx;
	const char *lines[1] = {p->title_line};
	printflow_header(j, fl, printjob_text(j, MSG_PAPER_PACK), lines, 1);
}

/* A section: its heading, its grid's rows (by service for the
 * activities), or the line that it has none. */
static void section(struct printjob *j, struct printflow *fl, const char *heading,
                    const struct printflow_grid *g, const char *none)
{
	printflow_heading(j, fl, &typeset_head, heading);
	if (!g->rows)
		printflow_text(j, fl, &typeset_body, none);
	else
		printflow_rows(j, fl, g, 0, g->rows, heading);
	fl->y += 6 * j->ts.unit;
}

/* The pages after the map: counted (draw 0) or drawn. */
static void flow_pages(struct printjob *j, struct pack *p, int draw)
{
	struct printflow fl;
	char text[160];
	j->page_no = 2;
	printflow_start(j, &fl, draw, 1, page_header, p);
	printflow_heading(j, &fl, &typeset_head, p->heading);
	if (!p->n_groups)
		printflow_text(j, &fl, &typeset_body, p->none);
	for (size_t i = 0; i < p->n_groups; i++) {
		const struct group *g = &p->groups[i];
		snprintf(text, sizeof text, "%s (%zu)", g->service, g->n);
		printflow_heading(j, &fl, &typeset_bold, text);
		printflow_rows(j, &fl, &p->activities, g->first, g->n, text);
		fl.y += 4 * j->ts.unit;
	}
	fl.y += 6 * j->ts.unit;
	section(j, &fl, printjob_text(j, MSG_PAPER_PACK_TASKS), &p->tasks,
	        printjob_text(j, MSG_PAPER_PACK_NO_TASKS));
	if (p->now.rows) {
		printflow_heading(j, &fl, &typeset_head, printjob_text(j, MSG_PAPER_PACK_STANDING));
		printflow_rows(j, &fl, &p->now, 0, p->now.rows,
		               printjob_text(j, MSG_PAPER_PACK_STANDING));
		fl.y += 6 * j->ts.unit;
	}
	section(j, &fl, printjob_text(j, MSG_PAPER_PACK_HISTORY), &p->history,
	        printjob_text(j, MSG_PAPER_PACK_NO_HISTORY));
	section(j, &fl, printjob_text(j, MSG_PAPER_PACK_OFFICIALS), &p->officials,
	        printjob_text(j, MSG_PAPER_PACK_NO_OFFICIALS));
	section(j, &fl, printjob_text(j, MSG_PAPER_PACK_RISK), &p->risk,
	        printjob_text(j, MSG_PAPER_PACK_NO_RISK));
	if (p->risk.rows)
		printflow_text(j, &fl, &typeset_small, p->note);
}

static void pack_free(struct pack *p)
{
	for (size_t i = 0; i < p->n_acts; i++) {
		free(p->acts[i].service);
		free(p->acts[i].unit);
		free(p->acts[i].outcome);
	}
	free(p->acts);
	free(p->groups);
	printflow_grid_free(&p->activities);
	printflow_grid_free(&p->tasks);
	printflow_grid_free(&p->now);
	printflow_grid_free(&p->history);
	printflow_grid_free(&p->officials);
	printflow_grid_free(&p->risk);
}

/* The first moment of the pack's activities: the request's local day, else
 * the period's first. */
static int64_t since_utc(const struct printjob *j)
{
	struct shapes_shift s;
	if (!j->q->since || shapes_shift_on(j->q->since, 0, CIVIL_MINUTES_PER_DAY, &s) < 0)
		return j->from;
	return tz_local_to_utc(dataset_zone(j->ds), (int64_t)s.day * CIVIL_SECONDS_PER_DAY);
}

int printpack_draw(struct printjob *j, const struct shapes_area *mahalla, double *scale)
{
	struct pack p = {.area = mahalla};
	double w = j->pw - 2 * printjob_margin(j);
	int64_t since = since_utc(j);
	char from[16], to[16];
	int rc;
	if (j->q->standing)
		p.rules = *j->q->standing;
	else
		standing_rules_default(&p.rules);
	printjob_date(j, since, p.since, sizeof p.since);
	printjob_date(j, j->q->printed_at, p.today, sizeof p.today);
	printjob_date(j, j->from, from, sizeof from);
	printjob_date(j, j->to, to, sizeof to);
	const struct shapes_area *district = district_of(j, mahalla);
	printjob_append(p.title_line, sizeof p.title_line, 0, "%s%s%s · %s: %s – %s",
	                printjob_area_name(j, mahalla), district ? " · " : "",
	                district ? printjob_area_name(j, district) : "",
	                printjob_text(j, MSG_PERIOD), from, to);
	snprintf(p.heading, sizeof p.heading, printjob_text(j, MSG_PAPER_PACK_ACTIVITIES), p.since);
	snprintf(p.none, sizeof p.none, printjob_text(j, MSG_PAPER_PACK_NO_ACTIVITIES), p.since);
	snprintf(p.note, sizeof p.note, printjob_text(j, MSG_PAPER_PACK_SUPPRESSED),
	         p.rules.suppress_below, p.rules.suppress_below);
	if ((rc = activities(j, &p, since)) < 0 || (rc = tasks(j, &p)) < 0 ||
	    (rc = standing(j, &p)) < 0 || (rc = people(j, &p)) < 0)
		goto out;
	struct printflow_grid *grids[] = {&p.activities, &p.tasks,     &p.now,
	                                  &p.history,    &p.officials, &p.risk};
	for (size_t i = 0; i < sizeof grids / sizeof *grids; i++)
		printflow_grid_fit(j, grids[i], w);
	flow_pages(j, &p, 0);
	j->pages = j->page_no;
	j->page_no = 1;
	if ((rc = printmap_page(j, SHAPES_MAHALLAS, mahalla, scale)) < 0)
		goto out;
	cairo_show_page(j->ts.cr);
	flow_pages(j, &p, 1);
	cairo_show_page(j->ts.cr);
	if (cairo_status(j->ts.cr) != CAIRO_STATUS_SUCCESS)
		rc =
		    err_set(ERR_NOMEM, "print: %s", cairo_status_to_string(cairo_status(j->ts.cr)));
out:
	pack_free(&p);
	return rc;
}

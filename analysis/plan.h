/*
 * plan: the patrol-plan optimiser. Given candidate places (grid cells or
 * hotspots) with a forecast value for each service, and units with the
 * minutes they are on duty and a start point, chooses for every unit the
 * places it visits and their order so that the value covered is as large as
 * possible (docs/planning.md, "Suggested plan").
 *
 * The model: a unit visiting the set S circulates over it in k rounds
 * (k = ceil(shift minutes / visit interval)); each round is one visit of L
 * minutes to every place of S plus the closed tour from its start point
 * through S and back at the travel speed, so the unit needs
 * k (L |S| + tour(S) / speed) minutes, at most its own. A place goes to at
 * most max_units units (1 unless shared patrols are asked for). The value
 * of place c for unit u is value[c][service of u]; the objective is the sum
 * over the assignments. Without travel (speed 0) the tours cost nothing and
 * the problem is a b-matching (a generalised assignment with equal
 * weights), which bench/bench_plan.c compares with GLPK's exact optimum.
 *
 * The optimiser: greedy insertion by value per marginal minute (cheapest
 * insertion into the unit's tour), then local improvement until no move
 * improves or the time limit passes: 2-opt of every tour, relocating a
 * place between units, swapping two places of two units, replacing a place
 * by a better one that is free, and moving a place into a full unit by
 * ejecting that unit's least valuable place; after each pass the greedy
 * fills the minutes freed. Every choice breaks ties by the lower index, so
 * the result is the same on every run (unless the time limit cuts it).
 *
 * Plain computation: no I/O, re-entrant. A plan_result owns its arrays;
 * free it with plan_result_free().
 */
#ifndef POSBON_PLAN_H
#define POSBON_PLAN_H

#include <stddef.h>

#define PLAN_DEFAULT_VISIT   15.0  /* minutes per visit (Koper's 11-15) */
#define PLAN_DEFAULT_EVERY   120.0 /* minutes between visits to one place */
#define PLAN_DEFAULT_SPEED   5.0   /* km/h: on foot */
#define PLAN_DEFAULT_SECONDS 1.5   /* time limit of the local improvement */
#define PLAN_MAX_PLACES      20000
#define PLAN_MAX_UNITS       500

struct plan_unit {
	int service;    /* index into the value columns, 0 .. n_services - 1 */
	double minutes; /* on duty in the shift, > 0 */
	double x, y;    /* start point, metres of the places' planar frame */
};

struct plan_problem {
	size_t n_places, n_units, n_services;
	const double *xy;    /* 2 per place: metres in a planar frame */
	const double *value; /* value[c * n_services + s] >= 0 */
	const struct plan_unit *units;
	double visit;   /* L, minutes per visit, > 0 */
	int rounds;     /* k >= 1 */
	double speed;   /* metres per minute; 0 ignores travel */
	int max_units;  /* units per place, >= 1 (1: no place shared) */
	double seconds; /* time limit of the improvement; 0: PLAN_DEFAULT_SECONDS */
};

struct plan_result {
	size_t n_units;
	size_t *order;   /* unit u visits order[first[u]] .. order[first[u + 1] - 1], in turn */
	size_t *first;   /* n_units + 1 entries */
	double *minutes; /* per unit: visits and travel over all rounds */
	double *travel;  /* per unit: metres of one round's tour */
	double *value;   /* per unit: value covered */
	double total;    /* sum of value */
	int stopped;     /* the time limit cut the improvement short */
};

/* Checks p (ERR_INVALID naming the parameter: "units[2].minutes: ...",
 * "visit: ...", "value[12]: ..."), then optimises into *out (overwritten;
 * free with plan_result_free() on success). ERR_NOMEM. */
int plan_solve(const struct plan_problem *p, struct plan_result *out);

/* Minutes unit u needs for visiting the n places in that order each round:
 * k (L n + tour / speed), the tour closed through the unit's start; 0 for
 * none. The check the tests make of every plan. */
double plan_minutes(const struct plan_problem *p, size_t u, const size_t *places, size_t n);

/* Frees what r holds; accepts a zeroed result. */
void plan_result_free(struct plan_result *r);

#endif

/*
 * bench_plan: time and quality of plan_solve() (analysis/plan.h) on a
 * generated instance the size of a district's shift: --places candidate
 * cells (2,000) in an 8 x 6 km district, --units units (20) of four
 * services, 360 to 480 minutes each, visits of 15 minutes every 120 over an
 * 8-hour shift. A cell's forecast is four categories' counts drawn from a
 * heavy-tailed distribution (a few cells hold most offences, as in the
 * sample district); each service values its own category double.
 *
 * Solves with travel at 5 km/h and with travel ignored, --runs times each
 * (median milliseconds). With travel ignored the problem is a b-matching;
 * when glpsol (Debian glpk-utils) is on the PATH the bench writes it as a
 * GNU MathProg model (model.mod, data.dat in a temporary folder), runs
 * glpsol and reads its optimum: gap = 1 - ours / optimum.
 *
 *   build/bench_plan [--places N] [--units M] [--runs R] [--every MIN] [--seed S]
 */
#include "benchutil.h"
#include "err.h"
#include "plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SERVICES 4

static double uniform(unsigned long long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* Writes the b-matching of p (travel ignored) as MathProg into dir, runs
 * glpsol and reads the optimum into *best. 0, or -1 when glpsol fails. */
static int glpk_optimum(const struct plan_problem *p, const char *dir, double *best,
                        double *seconds)
{
	char mod[600], dat[600], out[600], cmd[2000];
	snprintf(mod, sizeof mod, "%s/model.mod", dir);
	snprintf(dat, sizeof dat, "%s/data.dat", dir);
	snprintf(out, sizeof out, "%s/glpsol.txt", dir);
	FILE *f = fopen(mod, "w");
	if (!f)
		return -1;
	fputs("/* posbon suggested plan, travel ignored: a b-matching */\n"
	      "set C; set U; param v{C, U} >= 0; param minutes{U} > 0;\n"
	      "param visit > 0; param rounds >= 1; param share >= 1;\n"
	      "var x{C, U} binary;\n"
	      "maximize covered: sum{c in C, u in U} v[c, u] * x[c, u];\n"
	      "s.t. place{c in C}: sum{u in U} x[c, u] <= share;\n"
	      "s.t. time{u in U}: rounds * visit * sum{c in C} x[c, u] <= minutes[u];\n"
	      "end;\n",
	      f);
	fclose(f);
	if (!(f = fopen(dat, "w")))
		return -1;
	fprintf(f, "data;\nparam visit := %.17g;\nparam rounds := %d;\nparam share := %d;\n",
	        p->visit, p->rounds, p->max_units);
	fputs("set C :=", f);
	for (size_t c = 0; c < p->n_places; c++)
		fprintf(f, " %zu", c);
	fputs(";\nset U :=", f);
	for (size_t u = 0; u < p->n_units; u++)
		fprintf(f, " %zu", u);
	fputs(";\nparam minutes :=", f);
	for (size_t u = 0; u < p->n_units; u++)
		fprintf(f, " %zu %.17g", u, p->units[u].minutes);
	fputs(";\nparam v :=\n", f);
	for (size_t c = 0; c < p->n_places; c++)
		for (size_t u = 0; u < p->n_units; u++)
			fprintf(f, "%zu %zu %.17g\n", c, u,
			        p->value[c * p->n_services + (size_t)p->units[u].service]);
	fputs(";\nend;\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "glpsol --math '%s' -d '%s' -o '%s' >/dev/null 2>&1", mod, dat,
	         out);
	double t0 = bench_clock_ms(CLOCK_MONOTONIC);
	if (system(cmd) != 0 || !(f = fopen(out, "r")))
		return -1;
	*seconds = (bench_clock_ms(CLOCK_MONOTONIC) - t0) / 1e3;
	char line[512];
	int found = 0;
	while (!found && fgets(line, sizeof line, f))
		found = sscanf(line, "Objective: covered = %lf", best) == 1;
	fclose(f);
	return found ? 0 : -1;
}

int main(int argc, char **argv)
{
	long places = 2000, units = 20, runs = 5, every = (long)PLAN_DEFAULT_EVERY;
	unsigned long long seed = 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *a = argv[i], *v = argv[i + 1];
		if (strcmp(a, "--places") == 0)
			places = strtol(v, NULL, 10);
		else if (strcmp(a, "--units") == 0)
			units = strtol(v, NULL, 10);
		else if (strcmp(a, "--runs") == 0)
			runs = strtol(v, NULL, 10);
		else if (strcmp(a, "--every") == 0)
			every = strtol(v, NULL, 10);
		else if (strcmp(a, "--seed") == 0)
			seed = strtoull(v, NULL, 10);
		else
			argc = 0;
	}
	if (argc % 2 == 0 || places < 1 || places > PLAN_MAX_PLACES || units < 1 ||
	    units > PLAN_MAX_UNITS || runs < 1 || runs > 100 || every < 1 || every > 480) {
		fprintf(stderr,
		        "usage: bench_plan [--places N] [--units M] [--runs R] [--every MIN] "
		        "[--seed S]\n");
		return 2;
	}
	size_t n = (size_t)places, m = (size_t)units;
	const unsigned long long seed0 = seed;
	double *xy = malloc(2 * n * sizeof *xy), *value = malloc(n * SERVICES * sizeof *value);
	struct plan_unit *u = malloc(m * sizeof *u);
	double *ms = malloc((size_t)runs * sizeof *ms);
	if (!xy || !value || !u || !ms)
		return 1;
	for (size_t c = 0; c < n; c++) {
		double cat[SERVICES];
		xy[2 * c] = uniform(&seed) * 8000;
		xy[2 * c + 1] = uniform(&seed) * 6000;
		for (int k = 0; k < SERVICES; k++) /* Pareto, shape 1.5: heavy-tailed */
			cat[k] = floor(pow(1 - uniform(&seed), -1 / 1.5)) - 1;
		for (int s = 0; s < SERVICES; s++) {
			value[c * SERVICES + s] = 0;
			for (int k = 0; k < SERVICES; k++)
				value[c * SERVICES + s] += cat[k] * (k == s ? 2 : 1) / 8.0;
		}
	}
	for (size_t k = 0; k < m; k++)
		u[k] = (struct plan_unit){(int)(k % SERVICES), k % 3 ? 480 : 360,
		                          uniform(&seed) * 8000, uniform(&seed) * 6000};
	struct plan_problem p = {.n_places = n,
	                         .n_units = m,
	                         .n_services = SERVICES,
	                         .xy = xy,
	                         .value = value,
	                         .units = u,
	                         .visit = PLAN_DEFAULT_VISIT,
	                         .rounds = (int)ceil(480.0 / (double)every),
	                         .max_units = 1,
	                         .seconds = 10};
	double total[2] = {0};
	int stopped = 0;
	printf("instance: %zu places, %zu units of %d services, %d rounds, seed %llu\n", n, m,
	       SERVICES, p.rounds, seed0);
	for (int travel = 1; travel >= 0; travel--) {
		p.speed = travel ? PLAN_DEFAULT_SPEED * 1000 / 60 : 0;
		struct plan_result r = {0};
		for (long i = 0; i < runs; i++) {
			plan_result_free(&r);
			double t0 = bench_clock_ms(CLOCK_MONOTONIC);
			if (plan_solve(&p, &r) < 0) {
				fprintf(stderr, "bench_plan: %s\n", err_msg());
				return 1;
			}
			ms[i] = bench_clock_ms(CLOCK_MONOTONIC) - t0;
		}
		qsort(ms, (size_t)runs, sizeof *ms, bench_cmp_double);
		size_t visits = r.first[m];
		double used = 0, have = 0;
		for (size_t k = 0; k < m; k++)
			used += r.minutes[k], have += u[k].minutes;
		printf("%-15s median %.0f ms (min %.0f, max %.0f) over %ld runs; %zu places "
		       "visited, value %.2f, %.1f%% of the minutes used%s\n",
		       travel ? "travel 5 km/h:" : "travel ignored:", ms[runs / 2], ms[0],
		       ms[runs - 1], runs, visits, r.total, 100 * used / have,
		       r.stopped ? " (time limit)" : "");
		total[travel] = r.total;
		stopped |= r.stopped;
		plan_result_free(&r);
	}
	char dir[] = "/tmp/bench-plan-XXXXXX";
	double best, seconds;
	if (system("command -v glpsol >/dev/null 2>&1") != 0)
		printf("GLPK: glpsol not found (apt-get install glpk-utils): no gap measured\n");
	else if (!mkdtemp(dir) || glpk_optimum(&p, dir, &best, &seconds) < 0)
		printf("GLPK: glpsol failed on the model in %s\n", dir);
	else
		printf("GLPK optimum (travel ignored) %.2f in %.1f s; ours %.2f: gap %.3f%%\n",
		       best, seconds, total[0], 100 * (1 - total[0] / best));
	if (dir[sizeof dir - 7] != 'X') {
		char cmd[64];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_plan: could not remove %s\n", dir);
	}
	free(xy);
	free(value);
	free(u);
	free(ms);
	return stopped ? 3 : 0;
}

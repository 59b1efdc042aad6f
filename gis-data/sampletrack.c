#include "sampletrack.h"

#include <math.h>
#include <string.h>

#define PI           3.14159265358979323846
#define SHARE_LATE   0.15 /* start 15-90 minutes late */
#define SHARE_AWAY   0.15 /* leave the zone for 20-60 minutes */
#define SHARE_LINGER 0.15 /* of a foot patrol's stops: hold a post 12-20 minutes */

struct xy {
	double x, y;
};

static struct xy random_point(const struct sampletrack_zone *z)
{
	struct xy p;
	z->random_point(z->ctx, &p.x, &p.y);
	return p;
}

size_t sampletrack_walk(struct samplerng *r, const struct sampletrack_zone *z, const char *service,
                        int64_t from, int64_t to, struct store_fix *fixes)
{
	int car = strcmp(service, "ypx") == 0 ||
	          (strcmp(service, "ppx") == 0 && samplerng_chance(r, 0.5));
	double speed = car ? samplerng_range(r, 3, 5) : samplerng_range(r, 1, 1.6);
	int64_t away_from = INT64_MAX, away_to = 0, pause_until = 0;
	struct xy away = {z->inner_x, z->inner_y};
	if (samplerng_chance(r, SHARE_LATE))
		from += 60 * (int64_t)samplerng_range(r, 15, 90);
	if (samplerng_chance(r, SHARE_AWAY)) {
		double dir = samplerng_range(r, 0, 2 * PI), d = samplerng_range(r, 600, 1500);
		away_from = from + SAMPLETRACK_INTERVAL *
		                       (int64_t)((double)(to - from) / SAMPLETRACK_INTERVAL *
		                                 samplerng_range(r, 0.2, 0.7));
		away_to = away_from + 60 * (int64_t)samplerng_range(r, 20, 60);
		away.x += d * cos(dir);
		away.y += d * sin(dir);
	}
	struct xy p = random_point(z), waypoint = random_point(z);
	size_t n = 0;
	for (int64_t t = from; t <= to && n < SAMPLETRACK_MAX_FIXES; t += SAMPLETRACK_INTERVAL) {
		struct store_fix *f = &fixes[n++];
		/* The receiver's error, a few metres each way. */
		double ex = 4 * samplerng_gauss(r), ey = 4 * samplerng_gauss(r);
		z->to_lonlat(p.x + ex, p.y + ey, &f->lon, &f->lat);
		f->t = t;
		if (t < pause_until)
			continue;
		int is_away = t >= away_from && t < away_to;
		struct xy target = is_away ? away : waypoint;
		double dx = target.x - p.x, dy = target.y - p.y, d = hypot(dx, dy);
		double step = speed * SAMPLETRACK_INTERVAL * samplerng_range(r, 0.6, 1.2);
		if (d > step) {
			p.x += dx / d * step;
			p.y += dy / d * step;
		} else if (!is_away) {
			p = waypoint;
			waypoint = random_point(z);
			/* Foot patrols sometimes hold a post for a hot-spot visit of
			 * Koper's length; cars mostly drive through. */
			if (!car && samplerng_chance(r, SHARE_LINGER))
				pause_until = t + 60 * (int64_t)samplerng_range(r, 12, 20);
			else if (samplerng_chance(r, 0.4))
				pause_until = t + 60 * (int64_t)samplerng_range(r, 2, 10);
		}
	}
	return n;
}

/*
 * ringfix: boundaries drawn as lines, closed into polygons.
 *
 * Digitised district and mahalla boundaries often come as a LineString (or a
 * MultiLineString of pieces drawn one after another) whose ends meet, or
 * nearly: the last vertex clicked a little beside the first. Such a line is
 * a ring; this module makes it one. The pieces of a MultiLineString are
 * chained end to end (a piece may run either way) into as many rings as
 * they make, each ring a polygon of its own. Two ends "meet" when they are
 * at most the tolerance apart, measured in metres on the sphere of the mean
 * Earth radius (haversine: under 0.5 % off the ellipsoid, plenty for a
 * tolerance of a metre); a gap is bridged by a straight segment, no vertex
 * is moved. Holes are not guessed: rings become separate polygons, and the
 * store repairs nested ones (MakeValid).
 *
 * Threading: no shared state.
 */
#ifndef POSBON_RINGFIX_H
#define POSBON_RINGFIX_H

#include <ogr_api.h>

/* Ends further apart than this do not make a ring. */
#define RINGFIX_TOLERANCE_M 1.0

/* Great-circle distance in metres between two longitude/latitude points. */
double ringfix_distance_m(double lon1, double lat1, double lon2, double lat2);

/* Closes lines (a LineString or MultiLineString in longitude/latitude,
 * borrowed) into a new MultiPolygon *out (free with OGR_G_DestroyGeometry).
 * *gap_m is the widest gap bridged (0 when every ring closed exactly).
 * ERR_GEOMETRY when a chain of lines does not come back to its start within
 * tol_m: *gap_m is then how far its ends are apart, and the message says so;
 * *out is NULL. */
int ringfix_close(OGRGeometryH lines, double tol_m, OGRGeometryH *out, double *gap_m);

#endif

/*
 * webpolicy: what the daemon tells browsers about the origins it deals
 * with: the origins named in its options (--cors-origin,
 * --frame-ancestors), checked as a browser writes them, and the security
 * headers of every answer, with the viewer's Content-Security-Policy.
 *
 * Pure functions of their arguments; any thread. A struct webpolicy is
 * read-only once made.
 */
#ifndef POSBON_WEBPOLICY_H
#define POSBON_WEBPOLICY_H

#include <stddef.h>

/* Whether text is an origin as a browser's Origin header writes it:
 * http or https, "://", a host name or an address ([...] for IPv6), an
 * optional port, nothing after ("https://gis.example.org:8443"). With
 * wildcard, the host may start with "*." (CSP host sources). 0, or
 * ERR_INVALID naming option. */
int webpolicy_origin_check(const char *option, const char *text, int wildcard);

/* Whether origin is one of the n in list (case-insensitively, as hosts
 * are); NULL matches none. */
int webpolicy_origin_listed(const char *origin, const char *const *list, size_t n);

/* The headers every answer carries, for http_options.headers. */
struct webpolicy {
	char *csp; /* owned */
	/* name, value, ..., NULL: Content-Security-Policy, X-Content-Type-
	 * Options, Referrer-Policy and, unless framing is allowed,
	 * X-Frame-Options */
	const char *headers[9];
};

/* Makes the headers for the viewer. Its Content-Security-Policy lets pages
 * load scripts, styles, fonts and images from this server only, fetch and
 * stream from it only, and images also from the origin of basemap (a
 * Leaflet URL template; a "{s}." subdomain becomes "*."; NULL or a path on
 * this server: none). Pages may be framed by the n origins of
 * frame_ancestors (origins as webpolicy_origin_check() with wildcards, or
 * "self"), and by none when n is 0, which also sends X-Frame-Options:
 * DENY. ERR_INVALID naming "basemap" or "frame-ancestors"; free with
 * webpolicy_free(). */
int webpolicy_make(const char *basemap, const char *const *frame_ancestors, size_t n,
                   struct webpolicy *out);
void webpolicy_free(struct webpolicy *p);

#endif

/*
 * webpolicy: what the daemon tells browsers about the origins it deals
 * with: the origins named in its options (--cors-origin,
 * --frame-ancestors), checked as a browser writes them, and the
 * Content-Security-Policy of the viewer.
 *
 * Pure functions of their arguments; any thread.
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

#endif

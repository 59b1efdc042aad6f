#include "webpolicy.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Characters of a host name's labels. */
static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* The length of the host at p (up to a ':' of the port or the end), or 0
 * when it is not one. */
static size_t host_length(const char *p, int wildcard)
{
	size_t n = 0;
	if (*p == '[') {
		n = strcspn(p, "]");
		if (p[n] != ']' || n < 3 || strspn(p + 1, "0123456789abcdefABCDEF:.") != n - 1)
			return 0;
		return n + 1;
	}
	if (wildcard && p[0] == '*' && p[1] == '.')
		n = 2;
	size_t start = n;
	for (; host_char(p[n]); n++)
		if (p[n] == '.' && (n == start || p[n - 1] == '.'))
			return 0;
	return n > start && p[n - 1] != '.' ? n : 0;
}

/* The length of ":PORT" at p (1 to 65535, no leading zero), or 0. */
static size_t port_length(const char *p)
{
	size_t n = 1;
	long port = 0;
	if (p[0] != ':' || p[1] == '0')
		return 0;
	for (; p[n] >= '0' && p[n] <= '9' && port <= 65535; n++)
		port = port * 10 + (p[n] - '0');
	return n > 1 && port <= 65535 ? n : 0;
}

int webpolicy_origin_check(const char *option, const char *text, int wildcard)
{
	const char *p = text;
	if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "http://", 7) == 0)
		p += 7;
	else
		p = NULL;
	size_t n = p ? host_length(p, wildcard) : 0, port = n ? port_length(p + n) : 0;
	if (n && p[n] == ':')
		n = port ? n + port : 0;
	if (!n || p[n] != '\0')
		return err_set_field(ERR_INVALID, option,
		                     "--%s '%s': expected an origin, http(s)://HOST[:PORT] "
		                     "without a path (https://gis.example.org)",
		                     option, text);
	return 0;
}

int webpolicy_origin_listed(const char *origin, const char *const *list, size_t n)
{
	for (size_t i = 0; origin && i < n; i++)
		if (strcasecmp(origin, list[i]) == 0)
			return 1;
	return 0;
}

/* The origin of the basemap's URL template into out[n] as a CSP source:
 * "" for none or a path of this server. */
static int basemap_source(const char *basemap, char *out, size_t n)
{
	out[0] = '\0';
	if (!basemap || (basemap[0] == '/' && basemap[1] != '/'))
		return 0;
	const char *host = strstr(basemap, "://");
	size_t scheme = host ? (size_t)(host - basemap) : 0;
	host = host ? host + 3 : basemap;
	size_t len = strcspn(host, "/?#");
	const char *brace = memchr(host, '}', len);
	if (brace) {
		/* "{s}.tile.example.org": any subdomain of what follows */
		const char *dot = memchr(brace, '.', len - (size_t)(brace - host));
		len = dot ? len - (size_t)(dot + 1 - host) : 0;
		host = dot ? dot + 1 : host;
	}
	int w = snprintf(out, n, "%.*s://%s%.*s", (int)scheme, basemap, brace ? "*." : "", (int)len,
	                 host);
	if (!scheme || !len || w < 0 || (size_t)w >= n ||
	    webpolicy_origin_check("basemap", out, 1) < 0)
		return err_set_field(
		    ERR_INVALID, "basemap",
		    "--basemap '%s': expected a URL template of http(s)://HOST/... "
		    "({s}. for its subdomains) or a path of this server",
		    basemap);
	return 0;
}

int webpolicy_make(const char *basemap, const char *const *frame_ancestors, size_t n,
                   struct webpolicy *out)
{
	char source[300];
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = basemap_source(basemap, source, sizeof source)) < 0)
		return rc;
	size_t cap = 400 + strlen(source), used = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(frame_ancestors[i], "self") != 0 &&
		    (rc = webpolicy_origin_check("frame-ancestors", frame_ancestors[i], 1)) < 0)
			return rc;
		cap += strlen(frame_ancestors[i]) + 3;
	}
	if (!(out->csp = malloc(cap)))
		return err_set(ERR_NOMEM, "out of memory for the security headers");
	/* No inline script or style: Leaflet, Geoman and the viewer style what
	 * they make through the elements' style objects, which CSP allows. */
	used = (size_t)snprintf(out->csp, cap,
	                        "default-src 'self'; script-src 'self'; style-src 'self'; "
	                        "img-src 'self' data:%s%s; font-src 'self'; connect-src 'self'; "
	                        "object-src 'none'; base-uri 'self'; form-action 'self'; "
	                        "frame-ancestors",
	                        *source ? " " : "", source);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out->csp + used, cap - used,
		                         strcmp(frame_ancestors[i], "self") == 0 ? " '%s'" : " %s",
		                         frame_ancestors[i]);
	if (n == 0)
		snprintf(out->csp + used, cap - used, " 'none'");
	const char *pairs[] = {"Content-Security-Policy",
	                       out->csp,
	                       "X-Content-Type-Options",
	                       "nosniff",
	                       "Referrer-Policy",
	                       "same-origin",
	                       "X-Frame-Options",
	                       "DENY",
	                       NULL};
	if (n)
		pairs[6] = NULL; /* frame-ancestors alone says who may frame */
	memcpy(out->headers, pairs, sizeof pairs);
	return 0;
}

void webpolicy_free(struct webpolicy *p)
{
	free(p->csp);
	p->csp = NULL;
}

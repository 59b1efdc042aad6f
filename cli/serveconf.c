#include "serveconf.h"

#include "datapath.h"
#include "err.h"
#include "netaddr.h"
#include "numtext.h"
#include "style.h"
#include "timeparse.h"
#include "webpolicy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void serve_config_file_table(const struct opt *table, struct opt *out)
{
	size_t n = 0;
	for (const struct opt *o = table; o->name; o++)
		if (strcmp(o->name, "config") != 0 && strcmp(o->name, "print-config") != 0)
			out[n++] = *o;
	out[n] = (struct opt){0};
}

void serve_config_table(struct serve_config *c, struct opt *table)
{
	*c = (struct serve_config){.listen = "127.0.0.1:8080",
	                           .cache_dir = "var/tiles",
	                           .log_format = "text",
	                           .max_body_kb = 1024,
	                           .cache_mb = 256,
	                           .cache_disk_mb = 1024,
	                           .cache_days = 30,
	                           .timeout = 60,
	                           .max_connections = 512,
	                           .max_per_address = 64,
	                           .max_streams = 128,
	                           .home_visit_m = 100,
	                           .webhook_timeout = 30,
	                           .login_attempts = 10,
	                           .login_window = 300};
	const struct opt t[] = {
	    {"listen", OPT_STRING, &c->listen, "HOST:PORT", "address to serve on (127.0.0.1:8080)",
	     0, 0, 0},
	    {"threads", OPT_LONG, &c->threads, "N", "worker threads (default: the cores)", 0, 256,
	     0},
	    {"style", OPT_STRING, &c->style, "FILE",
	     "style file (default: styles/default.json of the share folder)", 0, 0, 0},
	    {"tz", OPT_STRING, &c->tz, "ZONE",
	     "time zone of local times (the districts' stored one, else Asia/Tashkent)", 0, 0, 0},
	    {"cache-dir", OPT_STRING, &c->cache_dir, "DIR",
	     "tile cache folder, made with its parents (var/tiles); \"none\" for memory only", 0, 0,
	     0},
	    {"cache-mb", OPT_LONG, &c->cache_mb, "MB", "memory for cached tiles (256)", 1, 65536,
	     0},
	    {"cache-disk-mb", OPT_LONG, &c->cache_disk_mb, "MB",
	     "disk for cached tiles; the least recently used go first (1024)", 1, 16777216, 0},
	    {"cache-disk-days", OPT_LONG, &c->cache_days, "DAYS",
	     "delete cached tile files unused this long (30)", 1, 36500, 0},
	    {"web", OPT_STRING, &c->web, "DIR",
	     "the viewer's files (default: web/ of the share folder)", 0, 0, 0},
	    {"share-dir", OPT_STRING, &c->share_dir, "DIR",
	     "the share folder: the style, the viewer, Leaflet and Geoman (default: "
	     "../share/posbon beside the binary, else the source tree of its build folder)",
	     0, 0, 0},
	    {"basemap", OPT_STRING, &c->basemap, "URL",
	     "basemap tiles for the viewer, e.g. https://host/{z}/{x}/{y}.png (none)", 0, 0, 0},
	    {"timeout", OPT_LONG, &c->timeout, "SECONDS",
	     "close a connection silent this long: slow or stuck clients (60)", 1, 3600, 0},
	    {"max-body-kb", OPT_LONG, &c->max_body_kb, "KB", "largest request body (1024)", 1,
	     1048576, 0},
	    {"max-connections", OPT_LONG, &c->max_connections, "N",
	     "connections open at once; more wait in the listen queue (512)", 1, 100000, 0},
	    {"max-connections-per-ip", OPT_LONG, &c->max_per_address, "N",
	     "connections open at once from one address, more are closed at once; 0: no limit, "
	     "e.g. behind a reverse proxy (64)",
	     0, 100000, 0},
	    {"max-event-streams", OPT_LONG, &c->max_streams, "N",
	     "open /api/events streams; more are answered 503 (128)", 1, 100000, 0},
	    {"login-attempts", OPT_LONG, &c->login_attempts, "N",
	     "wrong tokens one address may send within --login-window; then its tokens are "
	     "answered 429 until the window ends; 0: no limit (10)",
	     0, 100000, 0},
	    {"login-window", OPT_LONG, &c->login_window, "SECONDS",
	     "the window of --login-attempts, from an address's first wrong token (300)", 1, 86400,
	     0},
	    {"standing-rules", OPT_STRING, &c->standing_rules, "FILE",
	     "the criteria of the mahallas' standing, JSON (docs/analysis.md; built-in without)", 0,
	     0, 0},
	    {"home-visit-metres", OPT_LONG, &c->home_visit_m, "M",
	     "a home visit in the prevention log is kept only as the centre of the square of "
	     "this side holding it, never a house; 0: by its mahalla only (100)",
	     0, 10000, 0},
	    {"webhook-timeout", OPT_LONG, &c->webhook_timeout, "SECONDS",
	     "the longest a webhook's request may take, connecting included; then it is retried "
	     "(30; posbon webhook adds them)",
	     1, 600, 0},
	    {"verbose", OPT_FLAG, &c->verbose, NULL, "debug lines in the error log", 0, 0, 'v'},
	    {"log-file", OPT_STRING, &c->log_file, "FILE",
	     "write the error and access logs to FILE, reopened on SIGHUP for logrotate "
	     "(default: errors on stderr, accesses on stdout)",
	     0, 0, 0},
	    {"log-format", OPT_STRING, &c->log_format, "FORMAT",
	     "text, or json: one JSON object a line (text)", 0, 0, 0},
	    {"tls-cert", OPT_STRING, &c->tls_cert, "FILE", "serve HTTPS with this PEM certificate",
	     0, 0, 0},
	    {"tls-key", OPT_STRING, &c->tls_key, "FILE", "and this PEM private key", 0, 0, 0},
	    {"trusted-proxy", OPT_COMMAS, &c->proxies, "ADDRESS",
	     "a reverse proxy (an address or a network, 10.0.0.0/8) whose X-Forwarded-For, "
	     "-Proto and -Host are believed: the client's address, and the scheme and host of "
	     "the URLs written (none)",
	     0, 0, 0},
	    {"cors-origin", OPT_COMMAS, &c->cors, "ORIGIN",
	     "let pages of this origin read the answers (CORS), e.g. https://gis.example.org "
	     "(none)",
	     0, 0, 0},
	    {"frame-ancestors", OPT_COMMAS, &c->frame_ancestors, "ORIGIN",
	     "let pages of this origin show the viewer in a frame (a wall screen's dashboard), "
	     "e.g. https://wall.example.org, or self (none: X-Frame-Options: DENY)",
	     0, 0, 0},
	    {"config", OPT_STRING, &c->config, "FILE",
	     "read options from FILE first (the command line overrides it)", 0, 0, 'c'},
	    {"print-config", OPT_FLAG, &c->print_config, NULL,
	     "print an annotated config file of the options and stop", 0, 0, 0},
	    {0},
	};
	_Static_assert(sizeof t / sizeof *t <= SERVE_CONFIG_OPTIONS, "SERVE_CONFIG_OPTIONS");
	memcpy(table, t, sizeof t);
}

int serve_config_read_text(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;
	*out = NULL;
	if (!f)
		return err_set(ERR_IO, "%s: cannot read: %s", path, strerror(errno));
	if (!(buf = malloc(65537)) || (n = fread(buf, 1, 65536, f)) == 0 || !feof(f)) {
		fclose(f);
		free(buf);
		return err_set(ERR_INVALID, "%s: empty, unreadable or over 64 KiB", path);
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	return 0;
}

int serve_config_paths(const struct serve_config *c, struct serve_paths *out)
{
	int rc;
	if ((rc = datapath_find(DATAPATH_STYLE, c->style, c->share_dir, out->style,
	                        sizeof out->style)) < 0 ||
	    (rc = datapath_find(DATAPATH_WEB, c->web, c->share_dir, out->web, sizeof out->web)) <
	        0 ||
	    (rc = datapath_find(DATAPATH_LEAFLET, NULL, c->share_dir, out->leaflet,
	                        sizeof out->leaflet)) < 0 ||
	    (rc = datapath_find(DATAPATH_GEOMAN, NULL, c->share_dir, out->geoman,
	                        sizeof out->geoman)) < 0)
		return rc;
	return 0;
}

int serve_config_listen(const struct serve_config *c, char *host, size_t n, int *port)
{
	const char *text = c->listen, *colon = strrchr(text, ':');
	long p;
	if (!colon || colon == text || (size_t)(colon - text) >= n)
		return err_set_field(ERR_INVALID, "listen", "--listen '%s': expected HOST:PORT",
		                     text);
	if (numtext_whole("--listen", colon + 1, 0, 65535, "a port", &p) < 0)
		return err_set_field(ERR_INVALID, "listen",
		                     "--listen '%s': the port must be 0 to 65535", text);
	snprintf(host, n, "%.*s", (int)(colon - text), text);
	*port = (int)p;
	return 0;
}

/* Whether the daemon can write the file (folder) at path, or make it in
 * its folder, found without making anything. */
static int can_write(const char *path, int folder)
{
	struct stat sb;
	if (stat(path, &sb) == 0) {
		if (folder != S_ISDIR(sb.st_mode))
			return err_set(ERR_INVALID, "%s is %s", path,
			               folder ? "not a folder" : "a folder");
		if (access(path, folder ? W_OK | X_OK : W_OK) != 0)
			return err_set(ERR_IO, "%s cannot be written: %s", path, strerror(errno));
		return 0;
	}
	const char *slash = strrchr(path, '/');
	char parent[4096];
	snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - path) : 1,
	         slash ? (slash == path ? "/" : path) : ".");
	if (access(parent, W_OK | X_OK) != 0)
		return err_set(ERR_IO, "%s cannot be made: its folder %s: %s", path, parent,
		               strerror(errno));
	return 0;
}

int serve_config_check(const struct serve_config *c, const struct opt *o)
{
	const void *t = o->target;
	int rc = 0;
	if (t == &c->listen) {
		char host[128];
		int port;
		return serve_config_listen(c, host, sizeof host, &port);
	}
	if (t == &c->log_format) {
		enum log_format f;
		return log_format_parse(c->log_format, &f);
	}
	if (t == &c->style || t == &c->web || t == &c->share_dir) {
		/* What the daemon would read: the given file, or the one the
		 * share folder or the installed tree holds. */
		struct serve_paths p;
		style *s = NULL;
		if ((rc = serve_config_paths(c, &p)) == 0 && t == &c->style)
			rc = style_load(p.style, &s);
		else if (rc == 0 && t == &c->web && access(p.web, R_OK | X_OK) != 0)
			rc = err_set(ERR_IO, "%s: cannot read the folder: %s", p.web,
			             strerror(errno));
		style_free(s);
	} else if (t == &c->tls_cert || t == &c->tls_key) {
		char *pem = NULL;
		rc = serve_config_read_text(*(const char *const *)t, &pem);
		if (rc == 0 && !strstr(pem, "-----BEGIN "))
			rc = err_set(ERR_INVALID, "%s: not PEM text", *(const char *const *)t);
		free(pem);
	} else if (t == &c->tz) {
		tz *z = NULL;
		rc = tz_open(c->tz, &z);
		tz_free(z);
	} else if (t == &c->proxies) {
		struct netaddr_net net;
		for (int i = 0; rc == 0 && i < c->proxies.n; i++)
			rc = netaddr_net_parse("trusted-proxy", c->proxies.items[i], &net);
	} else if (t == &c->cors) {
		for (int i = 0; rc == 0 && i < c->cors.n; i++)
			rc = webpolicy_origin_check("cors-origin", c->cors.items[i], 0);
	} else if (t == &c->frame_ancestors || t == &c->basemap) {
		struct webpolicy policy = {0};
		rc = webpolicy_make(c->basemap, c->frame_ancestors.items,
		                    (size_t)c->frame_ancestors.n, &policy);
		webpolicy_free(&policy);
	} else if (t == &c->log_file) {
		rc = can_write(c->log_file, 0);
	} else if (t == &c->cache_dir && strcmp(c->cache_dir, "none") != 0) {
		rc = can_write(c->cache_dir, 1);
	}
	return rc < 0 ? err_set_field(rc, o->name, "%s: %s", o->name, err_msg()) : 0;
}

int serve_config_check_pairs(const struct serve_config *c)
{
	if (!c->tls_cert != !c->tls_key)
		return err_set_field(ERR_INVALID, c->tls_cert ? "tls-key" : "tls-cert",
		                     "--tls-cert and --tls-key go together");
	return 0;
}

/*
 * posbon serve: the daemon. Signals are blocked in every thread and taken by
 * the main thread with sigwait(): SIGTERM and SIGINT stop it gracefully
 * (no new connections, in-flight requests finish, the database closes
 * cleanly); SIGHUP reloads the style (a bad file keeps the old one).
 */
#include "auth.h"

#include "civil.h"
#include "commands.h"
#include "datapath.h"
#include "err.h"
#include "http.h"
#include "log.h"
#include "numtext.h"
#include "opts.h"
#include "routes.h"
#include "store.h"
#include "webpolicy.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A whole (small) file as a NUL-terminated string in *out; free(). */
static int read_text(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;
	*out = NULL;
	if (!f)
		return err_set(ERR_IO, "%s: cannot read", path);
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

static int parse_listen(const char *text, char *host, size_t n, int *port)
{
	const char *colon = strrchr(text, ':');
	long p;
	if (!colon || colon == text || (size_t)(colon - text) >= n)
		return err_set(ERR_INVALID, "--listen '%s': expected HOST:PORT", text);
	if (numtext_whole("--listen", colon + 1, 0, 65535, "a port", &p) < 0)
		return err_set(ERR_INVALID, "--listen '%s': the port must be 0 to 65535", text);
	snprintf(host, n, "%.*s", (int)(colon - text), text);
	*port = (int)p;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	const char *listen = "127.0.0.1:8080", *style_given = NULL, *tz = NULL;
	const char *cache_dir = "var/tiles", *web_given = NULL, *share_dir = NULL, *basemap = NULL;
	char style_path[PATH_MAX], web_dir[PATH_MAX], leaflet_dir[PATH_MAX], geoman_dir[PATH_MAX];
	long threads = 0, max_body_kb = 1024, cache_mb = 256, timeout = 60;
	long cache_disk_mb = 1024, cache_days = 30;
	long max_connections = 512, max_per_address = 64, max_streams = 128;
	long login_attempts = 10, login_window = 300;
	int verbose = 0, print_config = 0;
	const char *tls_cert = NULL, *tls_key = NULL;
	char *cert_pem = NULL, *key_pem = NULL;
	const char *config = NULL;
	struct opt_list cors = {0}, frame_ancestors = {0}, proxies = {0};
	struct netaddr_net trusted[OPT_LIST_MAX];
	struct webpolicy policy = {0};
	const struct opt table[] = {
	    {"listen", OPT_STRING, &listen, "HOST:PORT", "address to serve on (127.0.0.1:8080)", 0,
	     0, 0},
	    {"threads", OPT_LONG, &threads, "N", "worker threads (default: the cores)", 0, 256, 0},
	    {"style", OPT_STRING, &style_given, "FILE",
	     "style file (default: styles/default.json of the share folder)", 0, 0, 0},
	    {"tz", OPT_STRING, &tz, "ZONE", "time zone of the district (Asia/Tashkent)", 0, 0, 0},
	    {"cache-dir", OPT_STRING, &cache_dir, "DIR",
	     "tile cache folder, made with its parents (var/tiles); \"none\" for memory only", 0, 0,
	     0},
	    {"cache-mb", OPT_LONG, &cache_mb, "MB", "memory for cached tiles (256)", 1, 65536, 0},
	    {"cache-disk-mb", OPT_LONG, &cache_disk_mb, "MB",
	     "disk for cached tiles; the least recently used go first (1024)", 1, 16777216, 0},
	    {"cache-disk-days", OPT_LONG, &cache_days, "DAYS",
	     "delete cached tile files unused this long (30)", 1, 36500, 0},
	    {"web", OPT_STRING, &web_given, "DIR",
	     "the viewer's files (default: web/ of the share folder)", 0, 0, 0},
	    {"share-dir", OPT_STRING, &share_dir, "DIR",
	     "the share folder: the style, the viewer, Leaflet and Geoman (default: "
	     "../share/posbon beside the binary, else the source tree of its build folder)",
	     0, 0, 0},
	    {"basemap", OPT_STRING, &basemap, "URL",
	     "basemap tiles for the viewer, e.g. https://host/{z}/{x}/{y}.png (none)", 0, 0, 0},
	    {"timeout", OPT_LONG, &timeout, "SECONDS",
	     "close a connection silent this long: slow or stuck clients (60)", 1, 3600, 0},
	    {"max-body-kb", OPT_LONG, &max_body_kb, "KB", "largest request body (1024)", 1, 1048576,
	     0},
	    {"max-connections", OPT_LONG, &max_connections, "N",
	     "connections open at once; more wait in the listen queue (512)", 1, 100000, 0},
	    {"max-connections-per-ip", OPT_LONG, &max_per_address, "N",
	     "connections open at once from one address, more are closed at once; 0: no limit, "
	     "e.g. behind a reverse proxy (64)",
	     0, 100000, 0},
	    {"max-event-streams", OPT_LONG, &max_streams, "N",
	     "open /api/events streams; more are answered 503 (128)", 1, 100000, 0},
	    {"login-attempts", OPT_LONG, &login_attempts, "N",
	     "wrong tokens one address may send within --login-window; then its tokens are "
	     "answered 429 until the window ends; 0: no limit (10)",
	     0, 100000, 0},
	    {"login-window", OPT_LONG, &login_window, "SECONDS",
	     "the window of --login-attempts, from an address's first wrong token (300)", 1, 86400,
	     0},
	    {"verbose", OPT_FLAG, &verbose, NULL, "debug lines in the error log", 0, 0, 'v'},
	    {"tls-cert", OPT_STRING, &tls_cert, "FILE", "serve HTTPS with this PEM certificate", 0,
	     0, 0},
	    {"tls-key", OPT_STRING, &tls_key, "FILE", "and this PEM private key", 0, 0, 0},
	    {"trusted-proxy", OPT_COMMAS, &proxies, "ADDRESS",
	     "a reverse proxy (an address or a network, 10.0.0.0/8) whose X-Forwarded-For, "
	     "-Proto and -Host are believed: the client's address, and the scheme and host of "
	     "the URLs written (none)",
	     0, 0, 0},
	    {"cors-origin", OPT_COMMAS, &cors, "ORIGIN",
	     "let pages of this origin read the answers (CORS), e.g. https://gis.example.org "
	     "(none)",
	     0, 0, 0},
	    {"frame-ancestors", OPT_COMMAS, &frame_ancestors, "ORIGIN",
	     "let pages of this origin show the viewer in a frame (a wall screen's dashboard), "
	     "e.g. https://wall.example.org, or self (none: X-Frame-Options: DENY)",
	     0, 0, 0},
	    {"config", OPT_STRING, &config, "FILE",
	     "read options from FILE first (the command line overrides it)", 0, 0, 'c'},
	    {"print-config", OPT_FLAG, &print_config, NULL,
	     "print an annotated config file of the options and stop", 0, 0, 0},
	    {0},
	};
	const char *pos[1];
	int npos, rc, port = 0;
	char host[128];
	store *st = NULL;
	http_server *srv = NULL;
	struct app app = {0};

	/* The file first, so that the command line overrides it. */
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "-c") == 0)
			if ((rc = opts_load_file(argv[i + 1], table)) < 0)
				return rc;
	rc = opts_parse("serve", "DB [--listen HOST:PORT]",
	                "Serves tiles and the API of DB over HTTP until SIGTERM or SIGINT.", table,
	                argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (print_config) {
		opts_write_config(stdout, "serve", table);
		return 0;
	}
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "serve needs the database path (see posbon serve --help)");
	if ((rc = parse_listen(listen, host, sizeof host, &port)) < 0)
		return rc;
	if (!tls_cert != !tls_key)
		return err_set(ERR_INVALID, "--tls-cert and --tls-key go together");
	if ((rc = datapath_find(DATAPATH_STYLE, style_given, share_dir, style_path,
	                        sizeof style_path)) < 0 ||
	    (rc = datapath_find(DATAPATH_WEB, web_given, share_dir, web_dir, sizeof web_dir)) < 0 ||
	    (rc = datapath_find(DATAPATH_LEAFLET, NULL, share_dir, leaflet_dir,
	                        sizeof leaflet_dir)) < 0 ||
	    (rc = datapath_find(DATAPATH_GEOMAN, NULL, share_dir, geoman_dir, sizeof geoman_dir)) <
	        0)
		return rc;
	for (int i = 0; i < proxies.n; i++)
		if ((rc = netaddr_net_parse("trusted-proxy", proxies.items[i], &trusted[i])) < 0)
			return rc;
	for (int i = 0; i < cors.n; i++)
		if ((rc = webpolicy_origin_check("cors-origin", cors.items[i], 0)) < 0)
			return rc;
	if ((rc = webpolicy_make(basemap, frame_ancestors.items, (size_t)frame_ancestors.n,
	                         &policy)) < 0)
		return rc;
	if (tls_cert &&
	    ((rc = read_text(tls_cert, &cert_pem)) < 0 || (rc = read_text(tls_key, &key_pem)) < 0))
		goto out_early;
	if (verbose)
		log_set_level(LOG_DEBUG);

	/* Worker threads inherit this mask: only sigwait() below sees signals. */
	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);

	app.db_path = pos[0];
	app.basemap = basemap;
	app.web.web = web_dir;
	app.web.leaflet = leaflet_dir;
	app.web.geoman = geoman_dir;
	atomic_init(&app.ingested, 0);
	struct cache_options co = {.memory_bytes = (size_t)cache_mb << 20,
	                           .dir = strcmp(cache_dir, "none") == 0 ? NULL : cache_dir,
	                           .disk_bytes = (size_t)cache_disk_mb << 20,
	                           .disk_max_age = (unsigned)(cache_days * CIVIL_SECONDS_PER_DAY)};
	if ((rc = cache_open(&co, &app.cache)) < 0) {
		rc = err_set(rc, "--cache-dir %s: %s", cache_dir, err_msg());
		goto out;
	}
	if ((rc = tz_open(tz ? tz : "Asia/Tashkent", &app.zone)) < 0 ||
	    (rc = events_new((unsigned)max_streams, &app.events)) < 0 ||
	    (rc = store_open(pos[0], 0, &st)) < 0 ||
	    (rc = renderer_open(st, style_path, tz, &app.r)) < 0 || (rc = app_init(&app)) < 0 ||
	    (login_attempts && (rc = ratelimit_new(1024, (unsigned)login_attempts,
	                                           (unsigned)login_window, &app.logins)) < 0))
		goto out;
	struct http_options ho = {.host = host,
	                          .port = port,
	                          .threads = (int)threads,
	                          .max_body = (size_t)max_body_kb * 1024,
	                          .timeout_s = (unsigned)timeout,
	                          .max_connections = (unsigned)max_connections,
	                          .max_per_address = (unsigned)max_per_address,
	                          .tls_cert = cert_pem,
	                          .tls_key = key_pem,
	                          .routes = routes_table,
	                          .authorize = app_authorize,
	                          .cors_origins = cors.items,
	                          .n_cors_origins = (size_t)cors.n,
	                          .headers = policy.headers,
	                          .trusted_proxies = trusted,
	                          .n_trusted_proxies = (size_t)proxies.n,
	                          .app = &app};
	if (auth_watch(st) < 0)
		log_msg(LOG_WARN, 0, "%s: every request asks the database for its credentials",
		        err_msg());
	if ((rc = http_start(&ho, &srv)) < 0)
		goto out;
	app.server = srv;
	log_msg(LOG_INFO, 0, "style %s, viewer %s, Leaflet %s, Geoman %s", style_path, web_dir,
	        leaflet_dir, geoman_dir);
	log_msg(LOG_INFO, 0, "serving %s on %s://%s:%d/ (%zu offences)", pos[0],
	        cert_pem ? "https" : "http", host, http_port(srv),
	        dataset_count(renderer_dataset(app.r)));
	for (;;) {
		/* Every two seconds without a signal, buffered log lines go out. */
		struct timespec every = {2, 0};
		int sig = sigtimedwait(&signals, NULL, &every);
		if (sig < 0) {
			log_flush();
			continue;
		}
		if (sig == SIGHUP) {
			if (renderer_reload_style(app.r, style_path) < 0)
				log_msg(LOG_ERROR, 0, "SIGHUP: style kept: %s", err_msg());
			else
				log_msg(LOG_INFO, 0, "SIGHUP: style %s reloaded", style_path);
			continue;
		}
		log_msg(LOG_INFO, 0, "%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
out:
	events_shutdown(app.events, 5000);
	http_stop(srv, 5000);
	events_free(app.events);
	auth_unwatch();
	tz_free(app.zone);
	if (app.r)
		app_cleanup(&app);
	renderer_free(app.r);
	cache_free(app.cache);
	ratelimit_free(app.logins);
	store_close(st);
	if (rc == 0)
		log_msg(LOG_INFO, 0, "stopped");
	log_flush();
out_early:
	webpolicy_free(&policy);
	free(cert_pem);
	free(key_pem);
	return rc;
}

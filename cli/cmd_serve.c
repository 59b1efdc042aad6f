/*
 * posbon serve: the daemon. Signals are blocked in every thread and taken by
 * the main thread with sigwait(): SIGTERM and SIGINT stop it gracefully
 * (no new connections, in-flight requests finish, the database closes
 * cleanly); SIGHUP reopens the log file (after logrotate moved it),
 * reloads the style (a bad file keeps the old one) and the reference
 * layers the base layer draws (after an import by another process). The
 * webhooks' thread (server/webhook.h) runs beside the HTTP server.
 */
#include "auth.h"

#include "civil.h"
#include "commands.h"
#include "err.h"
#include "http.h"
#include "log.h"
#include "opts.h"
#include "routes.h"
#include "serveconf.h"
#include "store.h"
#include "webpolicy.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The store's notices (the copy before a migration) in the error log. */
static void log_notice(const char *line)
{
	log_msg(LOG_INFO, 0, "%s", line);
}

int cmd_serve(int argc, char **argv)
{
	struct serve_config c;
	struct serve_paths paths;
	struct netaddr_net trusted[OPT_LIST_MAX];
	struct webpolicy policy = {0};
	struct opt table[SERVE_CONFIG_OPTIONS], file_table[SERVE_CONFIG_OPTIONS];
	char *cert_pem = NULL, *key_pem = NULL;
	enum log_format log_format = LOG_TEXT;
	const char *pos[1];
	int npos, rc, port = 0;
	char host[128];
	store *st = NULL;
	http_server *srv = NULL;
	struct app app = {0};

	serve_config_table(&c, table);
	serve_config_file_table(table, file_table);

	/* The file first, so that the command line overrides it. */
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "-c") == 0)
			if ((rc = opts_load_file(argv[i + 1], file_table)) < 0)
				return rc;
	rc = opts_parse("serve", "DB [--listen HOST:PORT]",
	                "Serves tiles and the API of DB over HTTP until SIGTERM or SIGINT.", table,
	                argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (c.print_config) {
		opts_write_config(stdout, "serve", file_table);
		return 0;
	}
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "serve needs the database path (see posbon serve --help)");
	if ((rc = serve_config_listen(&c, host, sizeof host, &port)) < 0 ||
	    (rc = serve_config_check_pairs(&c)) < 0 || (rc = serve_config_paths(&c, &paths)) < 0)
		return rc;
	for (int i = 0; i < c.proxies.n; i++)
		if ((rc = netaddr_net_parse("trusted-proxy", c.proxies.items[i], &trusted[i])) < 0)
			return rc;
	for (int i = 0; i < c.cors.n; i++)
		if ((rc = webpolicy_origin_check("cors-origin", c.cors.items[i], 0)) < 0)
			return rc;
	if ((rc = webpolicy_make(c.basemap, c.frame_ancestors.items, (size_t)c.frame_ancestors.n,
	                         &policy)) < 0)
		return rc;
	if (c.tls_cert && ((rc = serve_config_read_text(c.tls_cert, &cert_pem)) < 0 ||
	                   (rc = serve_config_read_text(c.tls_key, &key_pem)) < 0))
		goto out_early;
	if ((rc = log_format_parse(c.log_format, &log_format)) < 0 ||
	    (rc = log_open(c.log_file, log_format)) < 0)
		goto out_early;
	if (c.verbose)
		log_set_level(LOG_DEBUG);
	store_set_notice(log_notice);

	/* Worker threads inherit this mask: only sigwait() below sees signals. */
	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);

	app.db_path = pos[0];
	app.basemap = c.basemap;
	app.home_visit_m = c.home_visit_m;
	standing_rules_default(&app.standing);
	if (c.standing_rules && (rc = standing_rules_load(c.standing_rules, &app.standing)) < 0)
		goto out;
	app.web.web = paths.web;
	app.web.leaflet = paths.leaflet;
	app.web.geoman = paths.geoman;
	atomic_init(&app.ingested, 0);
	struct cache_options co = {.memory_bytes = (size_t)c.cache_mb << 20,
	                           .dir = strcmp(c.cache_dir, "none") == 0 ? NULL : c.cache_dir,
	                           .disk_bytes = (size_t)c.cache_disk_mb << 20,
	                           .disk_max_age =
	                               (unsigned)(c.cache_days * CIVIL_SECONDS_PER_DAY)};
	if ((rc = cache_open(&co, &app.cache)) < 0) {
		rc = err_set(rc, "--cache-dir %s: %s", c.cache_dir, err_msg());
		goto out;
	}
	char tzname[64];
	if ((rc = events_new((unsigned)c.max_streams, &app.events)) < 0 ||
	    (rc = store_open(pos[0], 0, &st)) < 0 ||
	    (rc = store_time_zone(st, tzname, sizeof tzname)) < 0 ||
	    (rc = tz_open(c.tz ? c.tz : tzname, &app.zone)) < 0 ||
	    (rc = renderer_open(st, paths.style, c.tz, &app.r)) < 0 || (rc = app_init(&app)) < 0 ||
	    (c.login_attempts && (rc = ratelimit_new(1024, (unsigned)c.login_attempts,
	                                             (unsigned)c.login_window, &app.logins)) < 0))
		goto out;
	struct http_options ho = {.host = host,
	                          .port = port,
	                          .threads = (int)c.threads,
	                          .max_body = (size_t)c.max_body_kb * 1024,
	                          .timeout_s = (unsigned)c.timeout,
	                          .max_connections = (unsigned)c.max_connections,
	                          .max_per_address = (unsigned)c.max_per_address,
	                          .tls_cert = cert_pem,
	                          .tls_key = key_pem,
	                          .routes = routes_table,
	                          .authorize = app_authorize,
	                          .cors_origins = c.cors.items,
	                          .n_cors_origins = (size_t)c.cors.n,
	                          .headers = policy.headers,
	                          .trusted_proxies = trusted,
	                          .n_trusted_proxies = (size_t)c.proxies.n,
	                          .app = &app};
	if (auth_watch(st) < 0)
		log_msg(LOG_WARN, 0, "%s: every request asks the database for its credentials",
		        err_msg());
	/* Before the server, which publishes the events that wake it. */
	struct webhook_options wo = {.db_path = pos[0],
	                             .timeout_s = c.webhook_timeout,
	                             .poll_ms = 1000,
	                             .backoff_min_ms = 1000,
	                             .backoff_max_ms = 300000};
	if ((rc = webhooks_start(&wo, &app.hooks)) < 0)
		goto out;
	events_set_listener(app.events, webhooks_wake, app.hooks);
	if ((rc = http_start(&ho, &srv)) < 0)
		goto out;
	app.server = srv;
	log_msg(LOG_INFO, 0, "style %s, viewer %s, Leaflet %s, Geoman %s", paths.style, paths.web,
	        paths.leaflet, paths.geoman);
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
			if (log_reopen() < 0)
				log_msg(LOG_ERROR, 0, "SIGHUP: log file kept: %s", err_msg());
			else if (c.log_file)
				log_msg(LOG_INFO, 0, "SIGHUP: log file %s reopened", c.log_file);
			if (renderer_reload_style(app.r, paths.style) < 0)
				log_msg(LOG_ERROR, 0, "SIGHUP: style kept: %s", err_msg());
			else
				log_msg(LOG_INFO, 0, "SIGHUP: style %s reloaded", paths.style);
			size_t added = 0;
			if (renderer_reload_areas(app.r, st, &added) < 0)
				log_msg(LOG_ERROR, 0, "SIGHUP: areas kept: %s", err_msg());
			else
				log_msg(LOG_INFO, 0,
				        "SIGHUP: districts, regions, mahallas and zones reloaded, "
				        "%zu offences added",
				        added);
			if (renderer_reload_ground(app.r, st) < 0)
				log_msg(LOG_ERROR, 0, "SIGHUP: reference layers kept: %s",
				        err_msg());
			else
				log_msg(LOG_INFO, 0, "SIGHUP: reference layers reloaded");
			continue;
		}
		log_msg(LOG_INFO, 0, "%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
out:
	events_shutdown(app.events, 5000);
	http_stop(srv, 5000);
	webhooks_stop(app.hooks); /* after the server: its requests wake it */
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
	log_open(NULL, LOG_TEXT);
out_early:
	webpolicy_free(&policy);
	free(cert_pem);
	free(key_pem);
	return rc;
}

/*
 * serveconf: the options of `posbon serve`, one table for the command line,
 * the config file (--config) and `posbon check-config`, and the checks of
 * their values that both the daemon (as it starts) and check-config (without
 * starting) make.
 *
 * Ownership: strings in a serve_config point into argv or the config
 * file's values (opts.h): borrowed for the program's lifetime.
 * Threading: the main thread, before the daemon starts.
 */
#ifndef POSBON_SERVECONF_H
#define POSBON_SERVECONF_H

#include "log.h"
#include "opts.h"

#include <stddef.h>

struct serve_config {
	const char *listen, *style, *tz, *cache_dir, *web, *share_dir, *basemap;
	const char *tls_cert, *tls_key, *config, *log_file, *log_format, *standing_rules;
	long threads, max_body_kb, cache_mb, cache_disk_mb, cache_days, timeout;
	long max_connections, max_per_address, max_streams, login_attempts, login_window;
	long home_visit_m, webhook_timeout;
	struct opt_list cors, frame_ancestors, proxies;
	int verbose, print_config;
};

/* Room for the table of serve_config_table(), its end included. */
#define SERVE_CONFIG_OPTIONS 32

/* Sets c to the defaults and table[SERVE_CONFIG_OPTIONS] to the option
 * table writing into c. */
void serve_config_table(struct serve_config *c, struct opt *table);

/* The rows of table a config file may set, into out[SERVE_CONFIG_OPTIONS]:
 * all but --config and --print-config, which only a command line gives. */
void serve_config_file_table(const struct opt *table, struct opt *out);

/* Checks the value of option o of table as the daemon will use it, without
 * starting anything: the listen address, a style that loads, readable TLS
 * files, a known time zone, the log format, a log file and cache folder
 * that can be written. 0, or an error naming the option and the problem. */
int serve_config_check(const struct serve_config *c, const struct opt *o);

/* The checks that join options (the TLS pair): 0, or an error naming them. */
int serve_config_check_pairs(const struct serve_config *c);

/* --listen as host (n bytes) and port. ERR_INVALID naming it. */
int serve_config_listen(const struct serve_config *c, char *host, size_t n, int *port);

/* The files the daemon reads, found as datapath_find() finds them from
 * --style, --web and --share-dir: each into a buffer of n bytes. */
struct serve_paths {
	char style[4096], web[4096], leaflet[4096], geoman[4096];
};
int serve_config_paths(const struct serve_config *c, struct serve_paths *out);

/* The whole (small) file as a NUL-terminated string in *out; free(). */
int serve_config_read_text(const char *path, char **out);

#endif

/*
 * posbon: the one binary. Each subcommand parses its own option table (see
 * opts.h) and calls the core library; nothing here knows SQL or geometry.
 */
#include "commands.h"
#include "err.h"
#include "opts.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void print_error(const char *command)
{
	fprintf(stderr, "posbon %s: %s\n", command, err_msg());
}

static void print_notice(const char *line)
{
	fprintf(stderr, "posbon: %s\n", line);
}

static void format_time(int64_t t, char *buf, size_t n)
{
	if (t == STORE_NO_TIME) {
		snprintf(buf, n, "-");
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void print_extent(const char *label, const struct store_extent *e)
{
	if (e->empty)
		printf("%-14s -\n", label);
	else
		printf("%-14s %.6f,%.6f,%.6f,%.6f (minlon,minlat,maxlon,maxlat)\n", label, e->minx,
		       e->miny, e->maxx, e->maxy);
}

int cmd_init(int argc, char **argv)
{
	long schema = store_schema_latest();
	const struct opt table[] = {
	    {"schema", OPT_LONG, &schema, "N",
	     "make or migrate to this schema version, an older posbon's (tests of upgrades; "
	     "default the latest)",
	     1, store_schema_latest(), 0},
	    {0}};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	rc = opts_parse("init", "DB", "Creates an empty posbon database (or migrates an old one).",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "init needs the database path (see posbon init --help)");
	if ((rc = store_open(pos[0], STORE_CREATE | STORE_SCHEMA_UPTO((int)schema), &st)) < 0)
		return rc;
	printf("%s: schema version %d\n", pos[0], store_schema_version(st));
	store_close(st);
	return 0;
}

int cmd_info(int argc, char **argv)
{
	const struct opt table[] = {{0}};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	struct store_summary s;
	char from[32], to[32];

	rc = opts_parse("info", "DB",
	                "Prints what a database holds: counts, extents, date range, CRS and "
	                "schema version.",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "info needs the database path (see posbon info --help)");
	if ((rc = store_open(pos[0], STORE_READONLY | STORE_AS_IS, &st)) < 0)
		return rc;
	if ((rc = store_summarize(st, &s)) < 0)
		goto out;
	format_time(s.first_offence, from, sizeof from);
	format_time(s.last_offence, to, sizeof to);
	printf("%-14s %s\n", "database", pos[0]);
	printf("%-14s %d (this posbon: %d)\n", "schema", s.schema_version, store_schema_latest());
	printf("%-14s EPSG:%d (WGS 84, longitude/latitude)\n", "crs", s.srid);
	printf("%-14s %ld\n", "districts", s.districts);
	printf("%-14s %ld\n", "mahallas", s.mahallas);
	printf("%-14s %ld\n", "categories", s.categories);
	printf("%-14s %ld\n", "services", s.services);
	printf("%-14s %ld (%ld in a mahalla, %ld outside every mahalla, %ld without a point)\n",
	       "offences", s.offences, s.offences_located, s.offences_outside, s.offences_no_point);
	printf("%-14s %s .. %s (UTC)\n", "offence times", from, to);
	print_extent("area extent", &s.areas_extent);
	print_extent("offence extent", &s.offences_extent);
	printf("%-14s %ld (%ld assignments)\n", "patrol zones", s.zones, s.assignments);
	printf("%-14s %ld\n", "patrol tracks", s.tracks);
	printf("%-14s %ld\n", "audit rows", s.audit);
out:
	store_close(st);
	return rc;
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static int cmd_man(int argc, char **argv);

static const struct command commands[] = {
    {"init", cmd_init, "create or migrate a database"},
    {"info", cmd_info, "print what a database holds"},
    {"sample", cmd_sample, "generate a realistic sample district or city"},
    {"render", cmd_render, "draw layers into a PNG"},
    {"export-density", cmd_export_density, "write the density grid as a GeoTIFF"},
    {"export-tiles", cmd_export_tiles, "write the map's tiles as one MBTiles file"},
    {"print", cmd_print, "print a district or mahalla map as a PDF"},
    {"serve", cmd_serve, "serve tiles and the API over HTTP"},
    {"check-config", cmd_check_config, "check a configuration of serve without starting"},
    {"token", cmd_token, "add, list or revoke API and viewer tokens"},
    {"webhook", cmd_webhook, "add, list or remove the change feed's webhooks"},
    {"backup", cmd_backup, "copy a database, also while it is served"},
    {"restore", cmd_restore, "put a backup in place of a database"},
    {"import", cmd_import, "import a vector file into a layer"},
    {"hotspots", cmd_hotspots, "rank the hotspots of a shift"},
    {"dosage", cmd_dosage, "patrol minutes and visits in a shift's hotspots"},
    {"coverage", cmd_coverage, "hotspots covered by the services' zones of a shift"},
    {"plan", cmd_plan, "suggest a patrol plan for a shift under the units' hours"},
    {"gistar", cmd_gistar, "Getis-Ord Gi* hot and cold spots on a grid"},
    {"backtest", cmd_backtest, "rolling backtests of the ways of choosing hotspots"},
    {"trends", cmd_trends, "emerging hot and cold spots from weekly Gi* and their trend"},
    {"compare", cmd_compare, "compare districts or mahallas: period, last year, year to date"},
    {"standing", cmd_standing,
     "the mahallas' standing from the office's criteria; --record keeps it"},
    {"evaluate", cmd_evaluate,
     "did the activities in an area help: before and after against the rest"},
    {"man", cmd_man, "print this manual page, posbon(1), in roff"},
};

#ifndef POSBON_VERSION
#define POSBON_VERSION "unknown"
#endif

/* posbon(1): this text, then each command's section from its own option
 * table (opts_write_man through --help-man), so it follows the tables. */
static int cmd_man(int argc, char **argv)
{
	const struct opt table[] = {{0}};
	const char *pos[1];
	int npos, rc;
	char help_man[] = "--help-man", *args[] = {help_man, NULL};
	rc = opts_parse("man", "", "Prints the manual page posbon(1) in roff: man -l <(posbon man)",
	                table, argc, argv, pos, 0, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	printf(".TH POSBON 1 \"\" \"posbon %s\" \"posbon manual\"\n"
	       ".SH NAME\n"
	       "posbon \\- map and tile server for crime\\-prevention planning\n"
	       ".SH SYNOPSIS\n"
	       ".B posbon\n"
	       ".I COMMAND\n"
	       "[\\fIoptions\\fR]\n"
	       ".br\n"
	       ".B posbon\n"
	       ".I COMMAND\n"
	       ".B \\-\\-help\n"
	       ".SH DESCRIPTION\n"
	       "posbon keeps the mahalla boundaries, offences, patrol zones and patrol tracks "
	       "of a district in one SpatiaLite file (DB), draws them as map tiles, and "
	       "serves the tiles, an HTTP API and a web viewer\n"
	       "(\\fBposbon serve\\fR). The other commands create, fill and query the "
	       "file, draw pictures and documents from it, and manage the tokens the "
	       "daemon accepts.\n"
	       ".SH COMMANDS\n",
	       POSBON_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (commands[i].run != cmd_man && (rc = commands[i].run(1, args)) < 0)
			return rc;
	printf(".SH FILES\n"
	       ".TP\n/etc/posbon/posbon.conf\n"
	       "The daemon's options (\\fBposbon serve \\-\\-config\\fR), one "
	       "\\fIname\\fR = \\fIvalue\\fR a line; \\fBposbon serve "
	       "\\-\\-print\\-config\\fR prints every option.\n"
	       ".TP\n/usr/share/posbon/\n"
	       "The default style (styles/default.json), the viewer (web/), Leaflet and Geoman "
	       "(vendor/): PREFIX/share/posbon beside PREFIX/bin/posbon, or \\fB\\-\\-style\\fR, "
	       "\\fB\\-\\-web\\fR, \\fB\\-\\-share\\-dir\\fR.\n"
	       ".TP\n/var/lib/posbon/posbon.sqlite\n"
	       "The database of the posbon service.\n"
	       ".TP\n/var/cache/posbon/tiles/\n"
	       "The service's tile cache (\\fB\\-\\-cache\\-dir\\fR).\n"
	       ".TP\n/var/log/posbon/\n"
	       "The service's log files.\n"
	       ".SH SIGNALS\n"
	       "\\fBposbon serve\\fR stops gracefully on SIGTERM and SIGINT (requests in "
	       "flight finish, the database closes cleanly) and reloads the style on SIGHUP "
	       "(a bad file keeps the old one).\n"
	       ".SH ENVIRONMENT\n"
	       ".TP\nTZDIR\n"
	       "The time zone files (default /usr/share/zoneinfo).\n"
	       ".SH EXIT STATUS\n"
	       "0 on success, 2 for a wrong command line or input, 1 for any other failure; "
	       "the message on standard error names the file, option or field at fault.\n"
	       ".SH SEE ALSO\n"
	       "\\fBsystemctl\\fR(1), \\fBsqlite3\\fR(1); /usr/share/doc/posbon/\n");
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: posbon COMMAND [options] (posbon COMMAND --help for each)\n\n"
	           "commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	store_set_notice(print_notice);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		int rc = commands[i].run(argc - 2, argv + 2);
		if (rc < 0) {
			print_error(argv[1]);
			return rc == ERR_INVALID ? 2 : 1;
		}
		return 0;
	}
	fprintf(stderr, "posbon: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

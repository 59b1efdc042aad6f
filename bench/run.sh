#!/bin/sh
# Benchmarks of posbon against peers in the same run. Prints a Markdown table
# for docs/benchmarks.md. Usage: bench/run.sh [BUILD_DIR]  (make bench)
# POSBON_BENCH_OFFENCES sets the number of offences (default 1,000,000).
set -eu
BUILD=${1:-build}
POSBON=$BUILD/posbon
N=${POSBON_BENCH_OFFENCES:-1000000}
W=$(mktemp -d "${TMPDIR:-/tmp}/posbon-bench-XXXXXX")
trap 'rm -rf "$W"' EXIT

# Seconds and peak memory (MiB) of a command, as "seconds mib".
measure() {
	/usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/out" 2>"$W/err" || {
		cat "$W/err" >&2
		exit 1
	}
	awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }' "$W/time"
}

echo "generating $N offences of the sample district..." >&2
"$POSBON" sample "$W/src.sqlite" --offences "$N" --end 2026-11-25 --seed 7 >/dev/null
# Local date and time columns, as police exports have them; new ids so that
# the import inserts every row.
sqlite3 -cmd ".load mod_spatialite" -csv -header "$W/src.sqlite" \
	"SELECT 'B-' || external_id AS id,
	        strftime('%Y-%m-%d', occurred_from + 18000, 'unixepoch') AS date,
	        strftime('%H:%M', occurred_from + 18000, 'unixepoch') AS time,
	        category, service, ST_X(geom) AS lon, ST_Y(geom) AS lat
	 FROM offences WHERE geom IS NOT NULL AND occurred_from = occurred_to" >"$W/offences.csv"
rows=$(($(wc -l <"$W/offences.csv") - 1))
size=$(du -m "$W/offences.csv" | cut -f1)
echo "CSV: $rows rows, $size MiB" >&2

# posbon: into a database that holds the district's 40 mahallas, so every row
# is also assigned its mahalla by point-in-polygon.
"$POSBON" sample "$W/posbon.sqlite" --offences 1000 --end 2026-11-25 --seed 7 >/dev/null
set -- $(measure "$POSBON" import "$W/posbon.sqlite" --layer offences --quiet "$W/offences.csv")
p_s=$1 p_mb=$2
set -- $(measure "$POSBON" import "$W/posbon.sqlite" --layer offences --quiet "$W/offences.csv")
r_s=$1 r_mb=$2
# ogr2ogr: a plain copy into a new SpatiaLite file, one transaction.
set -- $(measure ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt unlimited -a_srs EPSG:4326 \
	-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -nln offences \
	"$W/ogr.sqlite" "$W/offences.csv")
o_s=$1 o_mb=$2

rate() { awk -v n="$rows" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
echo
echo "Import of $rows offences from CSV ($size MiB), $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo "| what | seconds | rows/s | peak MiB |"
echo "|---|---|---|---|"
echo "| posbon import (parse dates in Asia/Tashkent, assign mahalla, upsert by id) | $p_s | $(rate "$p_s") | $p_mb |"
echo "| posbon import again (every row unchanged) | $r_s | $(rate "$r_s") | $r_mb |"
echo "| ogr2ogr -f SQLite -dsco SPATIALITE=YES (plain copy) | $o_s | $(rate "$o_s") | $o_mb |"
echo
awk -v p="$p_s" -v o="$o_s" 'BEGIN { printf "ratio posbon / ogr2ogr: %.2f (below 1: posbon is faster)\n", p / o }'

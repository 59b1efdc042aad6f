#!/bin/sh
# Benchmarks of posbon against peers in the same run. Prints Markdown tables
# for docs/benchmarks.md. Usage: bench/run.sh [BUILD_DIR]  (make bench)
#
# Sections (POSBON_BENCH_SECTIONS, default all: "import tiles mapserver qgis"):
#   import     CSV import: posbon import against ogr2ogr
#   tiles      heatmap tiles (build/bench_tiles) for the NYC shootings and the
#              generated offences
#   mapserver  the same z 14 tiles from MapServer's KERNELDENSITY layer (map2img)
#   qgis       posbon export-density against QGIS's heatmap on the NYC shootings,
#              time and agreement of values
# POSBON_BENCH_OFFENCES sets the number of generated offences (default
# 1,000,000); POSBON_BENCH_DATA the folder holding nyc/shootings.csv
# (default ../shared/data next to the source tree).
set -eu
BUILD=${1:-build}
POSBON=$BUILD/posbon
HERE=$(cd "$(dirname "$0")/.." && pwd)
N=${POSBON_BENCH_OFFENCES:-1000000}
DATA=${POSBON_BENCH_DATA:-$HERE/../shared/data}
SECTIONS=${POSBON_BENCH_SECTIONS:-import tiles mapserver qgis}
TILES_NYC=${POSBON_BENCH_TILES:-40}   # tiles per zoom, NYC shootings
TILES_GEN=${POSBON_BENCH_TILES_GEN:-20} # tiles per zoom, generated offences (up to seconds each)
MS_DRAWS=${POSBON_BENCH_MS_DRAWS:-40} # map2img -c N
BW=300                                # heatmap bandwidth, metres (the style's)
W=$(mktemp -d "${TMPDIR:-/tmp}/posbon-bench-XXXXXX")
trap 'rm -rf "$W"' EXIT

want() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }

# Seconds, peak memory (MiB) and CPU seconds (user + sys) of a command, as
# "seconds mib cpu".
measure() {
	/usr/bin/time -f "%e %M %U %S" -o "$W/time" "$@" >"$W/out" 2>"$W/err" || {
		cat "$W/err" >&2
		exit 1
	}
	awk '{ printf "%.2f %.0f %.2f\n", $1, $2 / 1024, $3 + $4 }' "$W/time"
}

load() { awk '{ print $1, $2, $3 }' /proc/loadavg; }

commit=${POSBON_BENCH_COMMIT:-$(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo unknown)}
echo "posbon benchmarks: $(date -u +%Y-%m-%d), commit $commit, $(nproc) cores, load average at start $(load)"

if want import || want tiles || want mapserver; then
	echo "generating $N offences of the sample district..." >&2
	"$POSBON" sample "$W/src.sqlite" --offences "$N" --end 2026-11-25 --seed 7 >/dev/null
fi

# ---------------------------------------------------------------------------
if want import; then
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
	p_s=$1 p_mb=$2 p_cpu=$3
	set -- $(measure "$POSBON" import "$W/posbon.sqlite" --layer offences --quiet "$W/offences.csv")
	r_s=$1 r_mb=$2 r_cpu=$3
	# ogr2ogr: a plain copy into a new SpatiaLite file, one transaction.
	set -- $(measure ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt unlimited -a_srs EPSG:4326 \
		-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -nln offences \
		"$W/ogr.sqlite" "$W/offences.csv")
	o_s=$1 o_mb=$2 o_cpu=$3
	rm -f "$W/offences.csv" "$W/posbon.sqlite"* "$W/ogr.sqlite"

	rate() { awk -v n="$rows" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
	echo
	echo "Import of $rows offences from CSV ($size MiB), $(date -u +%Y-%m-%d), $(nproc) cores, load $(load)"
	echo
	echo "| what | seconds | rows/s | peak MiB | CPU s (user + sys) |"
	echo "|---|---|---|---|---|"
	echo "| posbon import (parse dates in Asia/Tashkent, assign mahalla, upsert by id) | $p_s | $(rate "$p_s") | $p_mb | $p_cpu |"
	echo "| posbon import again (every row unchanged) | $r_s | $(rate "$r_s") | $r_mb | $r_cpu |"
	echo "| ogr2ogr -f SQLite -dsco SPATIALITE=YES (plain copy) | $o_s | $(rate "$o_s") | $o_mb | $o_cpu |"
	echo
	awk -v p="$p_s" -v o="$o_s" -v pc="$p_cpu" -v oc="$o_cpu" 'BEGIN { printf "ratio posbon / ogr2ogr: %.2f wall, %.2f CPU (below 1: posbon is faster)\n", p / o, pc / oc }'
fi

# ---------------------------------------------------------------------------
# The NYC shootings in a database of their own, and a style for them: the
# default style's breaks are made for all offences of a district (800 to
# 30,000 per km² a year); shootings are about a hundred times rarer, and with
# those breaks every tile would come out transparent (cheaper to encode).
if want tiles || want mapserver || want qgis; then
	SHOOTINGS=$DATA/nyc/shootings.csv
	[ -f "$SHOOTINGS" ] || {
		echo "bench: $SHOOTINGS is missing (set POSBON_BENCH_DATA)" >&2
		exit 1
	}
	"$POSBON" import "$W/nyc.sqlite" --layer offences --tz America/New_York --quiet \
		"$SHOOTINGS" >/dev/null
	awk '{
		while (match($0, /"value": *[0-9.]+/)) {
			v = substr($0, RSTART, RLENGTH); sub(/"value": */, "", v)
			printf "%s\"value\": %g", substr($0, 1, RSTART - 1), v / 100
			$0 = substr($0, RSTART + RLENGTH)
		}
		print
	}' "$HERE/styles/default.json" >"$W/shootings.json"
	NYC_POINTS=$(sqlite3 "$W/nyc.sqlite" "SELECT count(*) FROM offences WHERE geom IS NOT NULL")
fi

if want tiles; then
	echo
	echo "Heatmap tiles, NYC shootings ($NYC_POINTS located), $TILES_NYC tiles per zoom at offences drawn at random (the same offences at every zoom), quartic $BW m, 256 px PNG, one thread, load $(load)"
	echo "command: $BUILD/bench_tiles nyc.sqlite --tz America/New_York --style shootings.json --bandwidth $BW --zooms 12-16 --tiles $TILES_NYC"
	echo
	"$BUILD/bench_tiles" "$W/nyc.sqlite" --tz America/New_York --style "$W/shootings.json" \
		--bandwidth "$BW" --zooms 12-16 --tiles "$TILES_NYC"
	echo
	echo "Heatmap tiles, $N generated offences (posbon sample --offences $N --end 2026-11-25 --seed 7), $TILES_GEN tiles per zoom drawn the same way, load $(load)"
	echo "command: $BUILD/bench_tiles sample.sqlite --bandwidth $BW --zooms 12-16 --tiles $TILES_GEN"
	echo
	"$BUILD/bench_tiles" "$W/src.sqlite" --bandwidth "$BW" --zooms 12-16 --tiles "$TILES_GEN"
fi

# ---------------------------------------------------------------------------
# MapServer: the z 14 tiles touching the data's densest 2 km, drawn by a
# KERNELDENSITY layer over the same points (exported from the same database
# to a shapefile in EPSG:3857 with a quadtree index), radius = the bandwidth
# in pixels at the tile's centre.
ms_map() { # radius shapefile-without-.shp
	cat <<EOF
MAP
  NAME "bench"
  SIZE 256 256
  EXTENT -20037508 -20037508 20037508 20037508
  IMAGETYPE "png"
  PROJECTION
    "init=epsg:3857"
  END
  OUTPUTFORMAT
    NAME "png"
    DRIVER AGG/PNG
    MIMETYPE "image/png"
    IMAGEMODE RGBA
    EXTENSION "png"
    TRANSPARENT ON
  END
  LAYER
    NAME "heatmap"
    TYPE RASTER
    CONNECTIONTYPE KERNELDENSITY
    CONNECTION "points"
    STATUS ON
    PROCESSING "KERNELDENSITY_RADIUS=$1"
    PROCESSING "KERNELDENSITY_COMPUTE_BORDERS=ON"
    PROCESSING "KERNELDENSITY_NORMALIZATION=AUTO"
    OFFSITE 0 0 0
    CLASS
      STYLE
        COLORRANGE "#ffffb200" "#fd8d3cff"
        DATARANGE 0 128
      END
      STYLE
        COLORRANGE "#fd8d3cff" "#800026ff"
        DATARANGE 128 255
      END
    END
  END
  LAYER
    NAME "points"
    TYPE POINT
    STATUS OFF
    DATA "$2"
    PROJECTION
      "init=epsg:3857"
    END
  END
END
EOF
}

ms_compare() { # label db tz style
	label=$1 db=$2 tz=$3 style=$4
	rm -f "$W/ms_pts".*
	ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:3857 -nln ms_pts "$W/ms_pts.shp" "$db" \
		-sql "SELECT geom FROM offences WHERE geom IS NOT NULL"
	shptree "$W/ms_pts.shp" >/dev/null
	"$BUILD/bench_tiles" "$db" --tz "$tz" --style "$style" --bandwidth "$BW" --pick densest \
		--zooms 14 --list >"$W/tiles.txt" 2>/dev/null
	set --
	while read -r t minx miny maxx maxy gres; do set -- "$@" --tile "$t"; done <"$W/tiles.txt"
	"$BUILD/bench_tiles" "$db" --tz "$tz" --style "$style" --bandwidth "$BW" --repeat 10 "$@" \
		>"$W/posbon_tiles.txt"
	echo
	echo "z 14 heatmap tiles touching the densest 2 km of the $label, posbon against MapServer $(map2img -v | awk '{ print $3 }'), load $(load)"
	echo
	echo "| tile | points in reach | posbon median ms (CPU ms) | MapServer radius | MapServer ms per draw (CPU ms) | ratio posbon / MapServer (CPU) |"
	echo "|---|---|---|---|---|---|"
	while read -r t minx miny maxx maxy gres; do
		radius=$(awk -v b="$BW" -v g="$gres" 'BEGIN { printf "%d", b / g + 0.5 }')
		ms_map "$radius" "$W/ms_pts" >"$W/bench.map"
		row=$(awk -F'|' -v t=" $t " '$2 == t { print $4, $7, $9 }' "$W/posbon_tiles.txt")
		set -- $row
		pts=$1 p_ms=$2 p_cpu=$3
		if /usr/bin/time -f "%e %U %S" -o "$W/mstime" map2img -m "$W/bench.map" -l heatmap \
			-e "$minx" "$miny" "$maxx" "$maxy" -s 256 256 -c "$MS_DRAWS" \
			-o "$W/ms.png" >/dev/null 2>"$W/mserr"; then
			set -- $(tail -n 1 "$W/mstime")
			m_ms=$(awk -v s="$1" -v n="$MS_DRAWS" 'BEGIN { printf "%.2f", s * 1000 / n }')
			m_cpu=$(awk -v u="$2" -v s="$3" -v n="$MS_DRAWS" 'BEGIN { printf "%.2f", (u + s) * 1000 / n }')
			ratio=$(awk -v p="$p_ms" -v m="$m_ms" -v pc="$p_cpu" -v mc="$m_cpu" \
				'BEGIN { printf "%.2f (%.2f)", p / m, pc / mc }')
			echo "| $t | $pts | $p_ms ($p_cpu) | $radius px | $m_ms ($m_cpu) | $ratio |"
		else
			why=$(grep -h -o -E "terminated by signal [0-9]+|double free[^)]*\)|exited with non-zero status [0-9]+" "$W/mstime" "$W/mserr" | head -n 1)
			echo "| $t | $pts | $p_ms ($p_cpu) | $radius px | crashed: ${why:-failed} | - |"
		fi
	done <"$W/tiles.txt"
	set -- $(head -n 1 "$W/tiles.txt")
	radius=$(awk -v b="$BW" -v g="$6" 'BEGIN { printf "%d", b / g + 0.5 }')
	ms_map "$radius" "$W/ms_pts" >"$W/bench.map"
	/usr/bin/time -f "%e" -o "$W/mstime" map2img -m "$W/bench.map" -l heatmap \
		-e "$2" "$3" "$4" "$5" -s 256 256 -c 1 -o "$W/ms.png" >/dev/null 2>&1 || true
	echo
	echo "map2img -c $MS_DRAWS draws each tile $MS_DRAWS times in one process: ms per draw = total / $MS_DRAWS; one process drawing tile $1 once takes $(tail -n 1 "$W/mstime") s (start-up included). posbon: build/bench_tiles --tile ... --repeat 10, renderer loaded once (as in the server)."
}

if want mapserver; then
	ms_compare "NYC shootings ($NYC_POINTS)" "$W/nyc.sqlite" America/New_York "$W/shootings.json"
	ms_compare "$N generated offences" "$W/src.sqlite" Asia/Tashkent "$HERE/styles/default.json"
fi

# ---------------------------------------------------------------------------
# QGIS: qgis:heatmapkerneldensityestimation on the NYC shootings in UTM 18 N
# (EPSG:32618) at 10 m cells and 300 m radius, against posbon export-density
# on the same grid. QGIS's grid starts at its layer's extent grown by the
# radius; two points of weight 0 at posbon's corners plus one radius pin it to
# posbon's grid, so that the two rasters share their cell centres.
qgis() {
	QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$W/xdg" /usr/bin/qgis_process.bin run \
		qgis:heatmapkerneldensityestimation -- INPUT="$1" RADIUS=$BW PIXEL_SIZE=10 \
		WEIGHT_FIELD=w KERNEL=0 DECAY=0 OUTPUT_VALUE=1 OUTPUT="$2"
}

origin() { # GeoTIFF -> "x0 y0 width height"
	gdalinfo "$1" | awk '/^Size is/ { gsub(",", "", $3); w = $3; h = $4 }
		/^Origin/ { gsub(/[(),]/, " "); x = $3; y = $4 }
		END { printf "%.10f %.10f %d %d\n", x, y, w, h }'
}

# Points of a CSV with X,Y in the grid's frame, as id,date,w,x,y with the two
# anchors (w = 0) first; snap=1 moves each point to its cell's centre.
qgis_points() { # csv x0 y0 width height snap
	awk -F, -v x0="$2" -v y0="$3" -v w="$4" -v h="$5" -v snap="$6" -v r="$BW" '
		BEGIN { c = 10; print "id,date,w,x,y"
			printf "A1,2020-01-01,0,%.10f,%.10f\n", x0 + r, y0 - r
			printf "A2,2020-01-01,0,%.10f,%.10f\n", x0 + w * c - r, y0 - h * c + r }
		NR > 1 { x = $1; y = $2
			if (snap) { x = x0 + (int((x - x0) / c) + 0.5) * c; y = y0 - (int((y0 - y) / c) + 0.5) * c }
			printf "S%d,2020-01-01,1,%.10f,%.10f\n", NR, x, y }' "$1"
}

to_shp() { # csv shp
	ogr2ogr -f "ESRI Shapefile" -a_srs EPSG:32618 -oo X_POSSIBLE_NAMES=x \
		-oo Y_POSSIBLE_NAMES=y -oo AUTODETECT_TYPE=YES "$2" "$1"
}

if want qgis; then
	mkdir -p "$W/xdg" && chmod 700 "$W/xdg"
	bbox=$(sqlite3 -cmd ".load mod_spatialite" "$W/nyc.sqlite" \
		"SELECT printf('%.6f,%.6f,%.6f,%.6f', min(ST_X(geom)) - 0.005, min(ST_Y(geom)) - 0.005,
		        max(ST_X(geom)) + 0.005, max(ST_Y(geom)) + 0.005) FROM offences WHERE geom IS NOT NULL")
	export_cmd="$POSBON export-density $W/nyc.sqlite -o $W/p.tif --cell 10 --radius $BW --bbox $bbox"
	$export_cmd >/dev/null
	set -- $(origin "$W/p.tif")
	x0=$1 y0=$2 gw=$3 gh=$4
	ogr2ogr -f CSV -lco GEOMETRY=AS_XY -t_srs EPSG:32618 "$W/utm.csv" "$W/nyc.sqlite" \
		-sql "SELECT geom FROM offences WHERE geom IS NOT NULL"
	qgis_points "$W/utm.csv" "$x0" "$y0" "$gw" "$gh" 0 >"$W/q_pts.csv"
	to_shp "$W/q_pts.csv" "$W/q_pts.shp"
	# One point: QGIS's start-up and a 61 x 61 raster.
	head -n 4 "$W/q_pts.csv" | awk -F, 'NR == 1 || NR == 4' >"$W/q_one.csv"
	to_shp "$W/q_one.csv" "$W/q_one.shp"
	qgis_cmd="/usr/bin/qgis_process.bin run qgis:heatmapkerneldensityestimation -- INPUT=$W/q_pts.shp RADIUS=$BW PIXEL_SIZE=10 WEIGHT_FIELD=w KERNEL=0 DECAY=0 OUTPUT_VALUE=1 OUTPUT=$W/q.tif"
	one_cmd="/usr/bin/qgis_process.bin run qgis:heatmapkerneldensityestimation -- INPUT=$W/q_one.shp RADIUS=$BW PIXEL_SIZE=10 WEIGHT_FIELD=w KERNEL=0 DECAY=0 OUTPUT_VALUE=1 OUTPUT=$W/q_one.tif"
	QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$W/xdg" hyperfine -N --style none --warmup 1 \
		--runs 3 --export-csv "$W/hf.csv" "$export_cmd" "$qgis_cmd" "$one_cmd" >/dev/null 2>&1
	set -- $(origin "$W/q.tif")
	qw=$3 qh=$4
	F=$(awk 'BEGIN { printf "%.17g", 1e6 / 7.25 }')
	cmp_real=$("$BUILD/gridcmp" "$W/p.tif" "$W/q.tif" --scale-b "$F")

	# The recipe of docs/heatmap.md: radius a whole number of cells (30) and
	# every point at its cell's centre, so that QGIS draws no point off its
	# place. posbon gets the same points through its own import.
	qgis_points "$W/utm.csv" "$x0" "$y0" "$gw" "$gh" 1 >"$W/q_snap.csv"
	to_shp "$W/q_snap.csv" "$W/q_snap.shp"
	grep -v '^A[12],' "$W/q_snap.csv" >"$W/snap_pts.csv"
	ogr2ogr -f CSV -lco GEOMETRY=AS_XY -s_srs EPSG:32618 -t_srs EPSG:4326 \
		-oo X_POSSIBLE_NAMES=x -oo Y_POSSIBLE_NAMES=y "$W/snap_ll.csv" "$W/snap_pts.csv"
	"$POSBON" import "$W/snap.sqlite" --layer offences --quiet --field x=X --field y=Y \
		--field id=id --field date=date "$W/snap_ll.csv" >/dev/null
	"$POSBON" export-density "$W/snap.sqlite" -o "$W/p_snap.tif" --cell 10 --radius "$BW" \
		--bbox "$bbox" >/dev/null
	qgis "$W/q_snap.shp" "$W/q_snap.tif" >/dev/null 2>&1
	cmp_snap=$("$BUILD/gridcmp" "$W/p_snap.tif" "$W/q_snap.tif" --scale-b "$F")

	# hyperfine CSV: command,mean,stddev,median,user,system,min,max
	# (counted from the end: the command itself may hold commas)
	hf() { awk -F, -v n="$1" 'NR == n + 1 { printf "%.2f ± %.2f | %.2f | %.2f", $(NF-6), $(NF-5), $(NF-4), $(NF-3) + $(NF-2) }' "$W/hf.csv"; }
	echo
	echo "Kernel density of the NYC shootings ($NYC_POINTS located) at 10 m cells, quartic, 300 m, EPSG:32618, against QGIS $(dpkg-query -W -f='${Version}' qgis 2>/dev/null | cut -d+ -f1), load $(load)"
	echo
	mib() { du -m "$1" | cut -f1; }
	echo "| what | wall s (mean ± sd, 3 runs) | median s | CPU s (user + sys) | GeoTIFF MiB |"
	echo "|---|---|---|---|---|"
	echo "| posbon export-density --cell 10 --radius 300 --bbox (${gw} × ${gh} cells) | $(hf 1) | $(mib "$W/p.tif") |"
	echo "| qgis_process run qgis:heatmapkerneldensityestimation RADIUS=300 PIXEL_SIZE=10 (${qw} × ${qh} cells) | $(hf 2) | $(mib "$W/q.tif") |"
	echo "| the same QGIS algorithm on 1 point (start-up, 61 × 61 cells) | $(hf 3) | - |"
	echo
	awk -F, 'NR > 1 { m[NR] = $(NF-6); c[NR] = $(NF-3) + $(NF-2) }
		END { p = m[2]; pc = c[2]; q = m[3]; qc = c[3]; o = m[4]; oc = c[4]
		printf "ratio posbon / QGIS: %.2f wall, %.2f CPU; without QGIS'"'"'s start-up (its 1-point run): %.2f wall, %.2f CPU\n", p / q, pc / qc, p / (q - o), pc / (qc - oc) }' "$W/hf.csv"
	echo
	echo "Agreement on the shared cells, QGIS's OUTPUT_VALUE=1 (scaled) × 10⁶ / 7.25 (its quartic is 7.25 × the normalised kernel) against posbon's offences per km²; relative differences over the cells above 1 % of the peak:"
	echo
	echo "| points | cells compared | peak (per km²) | max abs. diff / peak | rel. diff median | p99 | max | cells 0 in one only | sum QGIS / sum posbon |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for c in "as recorded|$cmp_real" "snapped to cell centres|$cmp_snap"; do
		echo "$c" | awk -F'|' '{ n = split($2, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); v[p[1]] = p[2] }
			printf "| %s | %s | %.1f | %s | %s | %s | %s | %s | %s |\n", $1, v["cells"], v["peak"], v["max_abs"],
				v["rel_median"], v["rel_p99"], v["rel_max"], v["one_zero"], v["mass"] }'
	done
fi
echo
echo "load average at the end: $(load)"

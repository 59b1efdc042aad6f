#!/bin/sh
# Benchmarks of posbon against peers in the same run. Prints Markdown tables
# for docs/benchmarks.md. Usage: bench/run.sh [BUILD_DIR]  (make bench)
#
# Sections (POSBON_BENCH_SECTIONS, default all but country: "import tiles
# mapserver qgis serve-cached serve-uncached ingest live-latency print"):
#   import     CSV import: posbon import against ogr2ogr
#   tiles      heatmap tiles (build/bench_tiles) for the NYC shootings and the
#              generated offences
#   mapserver  the same z 14 tiles from MapServer's KERNELDENSITY layer (map2img)
#   qgis       posbon export-density against QGIS's heatmap on the NYC shootings,
#              time and agreement of values
#   serve-cached    posbon serve answering cached heatmap+mahallas tiles against
#                   nginx serving the same files from disk (wrk on loopback)
#   serve-uncached  posbon serve rendering every heatmap tile, z 13-16, on the
#                   generated offences (wrk), with a /healthz probe alongside
#   soak            60 s at 256 connections of cached tiles, then of tiles never
#                   asked before (varying bandwidth and period): errors, p99,
#                   posbon's RSS every second against its cache budgets
#   ingest          offences per second through POST /api/offences: single
#                   Features (wrk, and one client in sequence), batches of 1000
#   live-latency    from POST of an offence to its heatmap tile with a new ETag
#   print           posbon print of the sample district: an A3 page, a mahalla
#                   page, the atlas (overview + 40 mahallas) and the analysis layers
#                   (gistar, trends, change) on paper: time and size
#   gistar          Gi* on a 2,000 x 2,000 grid (build/bench_gistar, one thread)
#                   against spdep::localG on the same grid in R (r-cran-spdep)
#   mbtiles         posbon export-tiles of the sample district's heatmap+mahallas,
#                   z 11-17, on 1 and 2 threads and @2x: tiles per second
#   country         the generated city at a country's size (200 districts, 10
#                   million offences; POSBON_BENCH_COUNTRY_DB reuses one): its
#                   generation, a CSV import into it, the daemon's start-up and
#                   memory, uncached tiles at z 12-16 against the generated
#                   million, the comparison table, /api/mahallas/{code}
#   basemap         the base layer (the ground posbon draws from the reference
#                   layers) of the sample district, z 13-17, uncached, one thread
#                   (build/bench_basemap), against Mapnik (python3-mapnik,
#                   bench/basemap_mapnik.py) drawing the same features in the same
#                   look on the same tiles, from shapefiles and from the store
# The server sections need wrk, nginx, curl and python3 (scripts/install-deps.sh
# bench) and talk to 127.0.0.1 only; perf, when present, profiles posbon in
# serve-cached (POSBON_BENCH_PERF=0 skips it).
# POSBON_BENCH_OFFENCES sets the number of generated offences (default
# 1,000,000); POSBON_BENCH_DATA the folder holding nyc/shootings.csv
# (default ../shared/data next to the source tree).
set -eu
BUILD=${1:-build}
POSBON=$BUILD/posbon
HERE=$(cd "$(dirname "$0")/.." && pwd)
N=${POSBON_BENCH_OFFENCES:-1000000}
DATA=${POSBON_BENCH_DATA:-$HERE/../shared/data}
SECTIONS=${POSBON_BENCH_SECTIONS:-import tiles mapserver qgis serve-cached serve-uncached soak ingest live-latency print gistar mbtiles basemap}
TILES_NYC=${POSBON_BENCH_TILES:-40}   # tiles per zoom, NYC shootings
TILES_GEN=${POSBON_BENCH_TILES_GEN:-20} # tiles per zoom, generated offences (up to seconds each)
MS_DRAWS=${POSBON_BENCH_MS_DRAWS:-40} # map2img -c N
BW=300                                # heatmap bandwidth, metres (the style's)
W=$(mktemp -d "${TMPDIR:-/tmp}/posbon-bench-XXXXXX")
SPID="" NPID=""                       # posbon serve and nginx, while they run
cleanup() {
	[ -z "$SPID" ] || kill -TERM "$SPID" 2>/dev/null || true
	[ -z "$NPID" ] || kill -QUIT "$NPID" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

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

if want import || want tiles || want mapserver || want serve-uncached || want ingest || want live-latency || want country; then
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
	# QGIS writes its GeoTIFF uncompressed: the same file format, for a like-for-like time.
	none_cmd="$POSBON export-density $W/nyc.sqlite -o $W/p_none.tif --compress none --cell 10 --radius $BW --bbox $bbox"
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
		--runs 3 --export-csv "$W/hf.csv" "$export_cmd" "$qgis_cmd" "$one_cmd" "$none_cmd" \
		>/dev/null 2>&1
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
	echo "| posbon export-density --compress none (uncompressed, as QGIS writes) | $(hf 4) | $(mib "$W/p_none.tif") |"
	echo
	awk -F, 'NR > 1 { m[NR] = $(NF-6); c[NR] = $(NF-3) + $(NF-2) }
		END { p = m[2]; pc = c[2]; q = m[3]; qc = c[3]; o = m[4]; oc = c[4]; n = m[5]; nc = c[5]
		printf "ratio posbon / QGIS: %.2f wall, %.2f CPU; without QGIS'"'"'s start-up (its 1-point run): %.2f wall, %.2f CPU\n", p / q, pc / qc, p / (q - o), pc / (qc - oc)
		printf "uncompressed, as QGIS writes: %.2f wall, %.2f CPU (posbon %.1f times as fast)\n", n / q, nc / qc, q / n }' "$W/hf.csv"
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

# ---------------------------------------------------------------------------
# The daemon: posbon serve on a free loopback port, driven by wrk
# (bench/wrk_tiles.lua, bench/wrk_ingest.lua) and by bench/serve_client.py.
CLIENT="python3 $HERE/bench/serve_client.py"
WRK_TILES=$HERE/bench/wrk_tiles.lua
WRK_INGEST=$HERE/bench/wrk_ingest.lua
CORES=$(nproc)

if want serve-cached || want serve-uncached || want soak || want ingest || want live-latency || want country; then
	for tool in wrk curl python3; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "bench: $tool is missing (scripts/install-deps.sh bench)" >&2
			exit 1
		}
	done
fi

# serve_start DB NAME [posbon serve options...]: starts the daemon on
# 127.0.0.1 (a port of the kernel's choosing), its access log in $W/NAME.access
# and its error log in $W/NAME.error; sets SPID and SURL.
serve_start() {
	db=$1 name=$2
	shift 2
	"$POSBON" serve "$db" --listen 127.0.0.1:0 --threads "$CORES" --web "$HERE/web" "$@" \
		>"$W/$name.access" 2>"$W/$name.error" &
	SPID=$!
	sport=""
	for _ in $(seq 1 900); do # up to 90 s: the million loads in ~2 s, the country's 10 million in ~15
		sport=$(sed -n 's|.*serving .* on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$W/$name.error")
		[ -n "$sport" ] && break
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$sport" ] || {
		cat "$W/$name.error" >&2
		echo "bench: posbon serve did not start" >&2
		exit 1
	}
	SURL="http://127.0.0.1:$sport"
}

serve_stop() {
	kill -TERM "$SPID"
	wait "$SPID" || {
		echo "bench: posbon serve did not stop cleanly" >&2
		exit 1
	}
	SPID=""
}

# CPU ticks (user + sys) of processes, summed.
ticks() {
	for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ t += $1 } END { print t + 0 }'
}
HZ=$(getconf CLK_TCK)

# The value of key=... in the "WRK ..." line of a file.
wv() { awk -v k="$1" '/^WRK / { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$2"; }

# A metric of posbon's /metrics: metric URL TOKEN NAME{LABELS}
metric() {
	curl -s -H "Authorization: Bearer $2" "$1/metrics" | awk -v m="$3" '$1 == m { print $2 }'
}

# run_wrk OUT PIDS -- WRK ARGS: wrk with its own CPU time, and the CPU time
# the processes PIDS (the server) used meanwhile; appends
# "server_cpu_s=... wrk_cpu_s=... wall_s=..." to the WRK line in OUT.
run_wrk() {
	out=$1 pids=$2
	shift 3
	c0=$(ticks $pids)
	/usr/bin/time -f "%U %S" -o "$W/wrktime" wrk "$@" >"$out.raw" 2>&1 || {
		cat "$out.raw" >&2
		exit 1
	}
	c1=$(ticks $pids)
	grep '^WRK ' "$out.raw" >"$out" || {
		cat "$out.raw" >&2
		exit 1
	}
	set -- $(tail -n 1 "$W/wrktime")
	awk -v c="$((c1 - c0))" -v hz="$HZ" -v u="$1" -v s="$2" \
		'{ printf "%s server_cpu_s=%.2f wrk_cpu_s=%.2f\n", $0, c / hz, u + s }' "$out" >"$out.tmp"
	mv "$out.tmp" "$out"
}

errors_of() { # connect + read + write + status + timeout of a WRK line
	awk -v f="$1" 'BEGIN { n = 0 } /^WRK / { for (i = 2; i <= NF; i++) { split($i, kv, "=");
		if (kv[1] ~ /^(connect|read|write|status|timeout)$/) n += kv[2] } } END { print n }' "$1"
}

# p50 p99 max of column C (1-based) of a file of numbers
pcts() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 }
		END { if (!NR) { print "- - -"; exit }
		      i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
		      printf "%.2f %.2f %.2f\n", v[i50], v[i99], v[NR] }'
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# nginx_start ROOT: nginx in the foreground (daemon off) as a background job
# of this script, its config, pid file, logs and temp folders in $W/nginx,
# two workers (as posbon has two threads), serving /tiles/heatmap+mahallas/
# from ROOT; sets NPID and NURL.
nginx_start() {
	NG=$W/nginx
	mkdir -p "$NG/tmp"
	for _ in 1 2 3; do
		nport=$(free_port)
		{
			# as root, workers would run as nobody, who cannot read $W
			[ "$(id -u)" != 0 ] || echo "user root;"
			cat <<EOF_NGINX
worker_processes $CORES;
daemon off;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
    types { image/png png; }
    default_type application/octet-stream;
    access_log $NG/access.log;
    client_body_temp_path $NG/tmp/body;
    proxy_temp_path $NG/tmp/proxy;
    fastcgi_temp_path $NG/tmp/fastcgi;
    uwsgi_temp_path $NG/tmp/uwsgi;
    scgi_temp_path $NG/tmp/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$nport;
        root $1;
        location /tiles/heatmap+mahallas/ { alias $1/; }
    }
}
EOF_NGINX
		} >"$NG/nginx.conf"
		nginx -p "$NG/" -e "$NG/error.log" -c "$NG/nginx.conf" 2>>"$NG/error.log" &
		NPID=$!
		NURL="http://127.0.0.1:$nport"
		for _ in $(seq 1 50); do
			curl -s -o /dev/null "$NURL/" && return 0
			kill -0 "$NPID" 2>/dev/null || break
			sleep 0.1
		done
		kill -QUIT "$NPID" 2>/dev/null || true
		wait "$NPID" 2>/dev/null || true
		NPID=""
	done
	cat "$NG/error.log" >&2
	echo "bench: nginx did not start" >&2
	exit 1
}

nginx_stop() {
	kill -QUIT "$NPID"
	wait "$NPID" || true
	NPID=""
}

nginx_pids() { # the master and its workers
	echo "$NPID" $(cat /proc/"$NPID"/task/*/children 2>/dev/null)
}

# ---------------------------------------------------------------------------
# serve-cached: the same ~50 tiles, once from posbon's memory cache, once
# from nginx reading the files posbon gave. Same wrk settings for both.
WRK_CACHED=${POSBON_BENCH_WRK:--t2 -c32 -d10s}
# how many tiles (1: the same tile over and over)
CACHED_TILES=${POSBON_BENCH_CACHED_TILES:-50}
if want serve-cached; then
	command -v nginx >/dev/null 2>&1 || {
		echo "bench: nginx is missing (scripts/install-deps.sh bench)" >&2
		exit 1
	}
	"$POSBON" sample "$W/district.sqlite" --offences 20000 --end 2026-11-25 --seed 7 >/dev/null
	VT=$("$POSBON" token add "$W/district.sqlite" --role viewer --name bench)
	serve_start "$W/district.sqlite" cached --cache-dir "$W/tile-cache"
	$CLIENT tiles "$SURL" "$VT" heatmap+mahallas 13-15 --max "$CACHED_TILES" --fill zooms \
		--around centre >"$W/cached.txt"
	# Warm the cache, and keep each tile as z/x/y.png for nginx.
	WWW=$W/www
	while read -r p; do
		zxy=${p#/tiles/heatmap+mahallas/}
		mkdir -p "$WWW/${zxy%/*}"
		curl -sf -H "Authorization: Bearer $VT" -o "$WWW/$zxy" "$SURL$p"
	done <"$W/cached.txt"
	n_tiles=$(find "$WWW" -name '*.png' | wc -l)
	tile_kib=$(find "$WWW" -name '*.png' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / NR / 1024 }')
	renders0=$(metric "$SURL" "$VT" posbon_tiles_rendered_total)
	nginx_start "$WWW"
	curl -sf -o /dev/null "$NURL$(head -n 1 "$W/cached.txt")" || {
		echo "bench: nginx does not serve the tiles" >&2
		exit 1
	}
	echo >&2 "serve-cached: $n_tiles tiles, posbon at $SURL, nginx at $NURL"
	l0=$(load)
	# Two rounds, alternating, so that a change of the machine's load shows.
	for round in 1 2; do
		run_wrk "$W/c_posbon_$round" "$SPID" -- $WRK_CACHED --latency -s "$WRK_TILES" "$SURL" -- \
			"$W/cached.txt" "$VT" cycle
		run_wrk "$W/c_nginx_$round" "$(nginx_pids)" -- $WRK_CACHED --latency -s "$WRK_TILES" "$NURL" -- \
			"$W/cached.txt" "$VT" cycle
	done
	renders1=$(metric "$SURL" "$VT" posbon_tiles_rendered_total)
	row() { # file label round
		rps=$(wv rps "$1") req=$(wv requests "$1") cpu=$(wv server_cpu_s "$1")
		echo "| $2 | $3 | $req | $rps | $(wv p50_ms "$1") | $(wv p99_ms "$1") | $(wv max_ms "$1") | $(errors_of "$1") | $cpu ($(awk -v c="$cpu" -v s="$(wv seconds "$1")" 'BEGIN { printf "%.2f", c / s }')) | $(awk -v c="$cpu" -v n="$req" 'BEGIN { printf "%.1f", c * 1e6 / n }') | $(wv wrk_cpu_s "$1") |"
	}
	echo
	echo "Cached tiles: $n_tiles heatmap+mahallas tiles (z 13-15, mean $tile_kib KiB) of the sample district (20 000 offences), $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, at end $(load)"
	echo "command: wrk $WRK_CACHED --latency -s bench/wrk_tiles.lua URL -- tiles.txt TOKEN cycle (posbon: serve --threads $CORES, tiles in its memory cache; nginx $(nginx -v 2>&1 | sed 's|.*nginx/||'): $CORES workers, sendfile, the same files from disk, no authorisation)"
	echo
	echo "| server | round | requests | requests/s | p50 ms | p99 ms | max ms | errors | server CPU s (cores) | server CPU µs per request | wrk CPU s |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	for round in 1 2; do
		row "$W/c_posbon_$round" posbon "$round"
		row "$W/c_nginx_$round" nginx "$round"
	done
	echo
	for round in 1 2; do
		awk -v p="$(wv rps "$W/c_posbon_$round")" -v n="$(wv rps "$W/c_nginx_$round")" \
			-v pc="$(wv server_cpu_s "$W/c_posbon_$round")" -v nc="$(wv server_cpu_s "$W/c_nginx_$round")" \
			-v pr="$(wv requests "$W/c_posbon_$round")" -v nr="$(wv requests "$W/c_nginx_$round")" -v r="$round" \
			'BEGIN { printf "round %d: requests/s posbon / nginx = %.2f (target >= 1); CPU per request posbon / nginx = %.2f\n", r, p / n, (pc / pr) / (nc / nr) }'
	done
	echo "tiles rendered by posbon during the runs: $((renders1 - renders0)) (every request a memory hit)"
	nginx_stop

	# Where posbon's time goes: perf with DWARF call graphs during a third run.
	if [ "${POSBON_BENCH_PERF:-1}" != 0 ] && command -v perf >/dev/null 2>&1; then
		wrk $WRK_CACHED -s "$WRK_TILES" "$SURL" -- "$W/cached.txt" "$VT" cycle >/dev/null 2>&1 &
		wpid=$!
		sleep 1
		if perf record -q -F 499 --call-graph dwarf,16384 -p "$SPID" -o "$W/perf.data" -- sleep 5 \
			>/dev/null 2>&1; then
			wait "$wpid" || true
			perf report -i "$W/perf.data" --children --sort symbol --stdio -g none 2>/dev/null |
				awk '$1 ~ /%$/ && $3 == "[.]" { print $4, $1 }' >"$W/perf.txt"
			echo
			echo "Where posbon's CPU goes while it answers cached tiles (perf record -F 499 --call-graph dwarf -p PID, 5 s of the same wrk load; inclusive share of posbon's samples):"
			echo
			echo "| function | what | share |"
			echo "|---|---|---|"
			while IFS='|' read -r sym what; do
				share=$(awk -v s="$sym" '$1 == s { print $2; exit }' "$W/perf.txt")
				echo "| \`$sym\` | $what | ${share:-<0.1%} |"
			done <<'EOF_SYMS'
on_request|the request handler, after libmicrohttpd has read the request
routes_authorize|checking the bearer token: SHA-256, then a SQLite lookup
sqlite3_prepare_v2|of which compiling the token SELECT, every request
sqlite3_step|of which running it
sqlite3_finalize|of which freeing the statement
get_tile|the tile route: parse, filter, ETag, cache
render_etag|of which the ETag (changes near the tile)
cache_fetch|of which the memory cache: lookup and a reference to the PNG (no copy)
log_access|the access line: fprintf and fflush, a write(2) per request
__libc_sendmsg|sending the answer (the kernel's loopback TCP included)
__libc_recv|reading requests
epoll_wait|waiting for the next request
EOF_SYMS
			echo
			echo "The same samples by library, own time only (no call graph needed, so exact): kernel = system calls and loopback TCP."
			echo
			echo "| library | share of posbon's samples |"
			echo "|---|---|"
			perf report -i "$W/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null |
				awk '$1 ~ /%$/ { sub(/%$/, "", $1); if ($1 + 0 >= 0.5) printf "| %s | %s%% |\n", $2, $1 }'
		else
			wait "$wpid" || true
			echo "(perf record failed: no profile)"
		fi
	fi
	serve_stop
fi

# ---------------------------------------------------------------------------
# The generated offences ($N) in a copy of their own: tokens go into it.
big_db() {
	[ -f "$W/big.sqlite" ] && return 0
	cp "$W/src.sqlite" "$W/big.sqlite"
	VB=$("$POSBON" token add "$W/big.sqlite" --role viewer --name bench)
	OB=$("$POSBON" token add "$W/big.sqlite" --role officer --name bench-officer)
}

# serve-uncached: every request renders a heatmap tile of the million: no disk
# cache, 1 MiB of memory cache, and a list of distinct tiles longer than the
# run (each thread takes its own share). posbon's cache key is the tile, the
# filter and the bandwidth, not the URL: v= only defeats caches in between. The
# 399 tiles of z 13-16 over the district come round POSBON_BENCH_UNCACHED_ROUNDS
# times (40), each round at a bandwidth of its own, 300.000, 300.001, ... m (the
# style's 300 m; the cost is the same, the key is not). A probe asks /healthz every 100 ms meanwhile,
# each time on a new connection, to show what a cheap request waits behind a
# render.
# The heatmap tiles of an access log by zoom, the time inside the server:
# a line a zoom, "zoom tiles p50 p90 p99 max mean-PNG-KiB".
tile_zooms() {
	awk '/"GET \/tiles\/heatmap\// { split($5, p, "/"); ms = $NF; sub(/ms$/, "", ms); print p[4], ms, $7 }' "$1" |
		sort -k1,1n -k2,2g | awk '{ z = $1; n[z]++; v[z, n[z]] = $2; b[z] += $3 }
		END { for (z = 0; z <= 22; z++) if (n[z]) { k = n[z]
			printf "%d %d %.1f %.1f %.1f %.1f %.1f\n", z, k, v[z, int(k * 0.5 + 0.999999)],
				v[z, int(k * 0.9 + 0.999999)], v[z, int(k * 0.99 + 0.999999)], v[z, k], b[z] / k / 1024 } }'
}

UNCACHED_SECONDS=${POSBON_BENCH_UNCACHED_SECONDS:-20}
UNCACHED_ROUNDS=${POSBON_BENCH_UNCACHED_ROUNDS:-40}
if want serve-uncached; then
	big_db
	serve_start "$W/big.sqlite" uncached --cache-dir none --cache-mb 1
	$CLIENT tiles "$SURL" "$VB" heatmap 13-16 --rounds "$UNCACHED_ROUNDS" --query 'bandwidth=300.{k}&v={n}' \
		>"$W/uncached.txt"
	n_list=$(wc -l <"$W/uncached.txt")
	r0=$(metric "$SURL" "$VB" posbon_tiles_rendered_total)
	h0=$(metric "$SURL" "$VB" 'posbon_tile_cache_hits_total{tier="memory"}')
	$CLIENT probe "$SURL" "$VB" /healthz --every 0.1 --seconds "$UNCACHED_SECONDS" >"$W/probe.txt" &
	probe=$!
	l0=$(load)
	run_wrk "$W/u_posbon" "$SPID" -- -t2 -c4 -d"${UNCACHED_SECONDS}s" --timeout 60s --latency \
		-s "$WRK_TILES" "$SURL" -- "$W/uncached.txt" "$VB" split 2
	wait "$probe"
	r1=$(metric "$SURL" "$VB" posbon_tiles_rendered_total)
	h1=$(metric "$SURL" "$VB" 'posbon_tile_cache_hits_total{tier="memory"}')
	f=$W/u_posbon
	req=$(wv requests "$f") cpu=$(wv server_cpu_s "$f") secs=$(wv seconds "$f")
	echo
	echo "Uncached heatmap tiles of the $N generated offences (990 043 located), z 13-16 over the district, $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, at end $(load)"
	echo "command: posbon serve big.sqlite --threads $CORES --cache-dir none --cache-mb 1; wrk -t2 -c4 -d${UNCACHED_SECONDS}s --timeout 60s --latency -s bench/wrk_tiles.lua URL -- tiles.txt TOKEN split 2 ($n_list distinct tiles: z 13-16 over the district at bandwidths 300.000 to 300.$(printf %03d $((UNCACHED_ROUNDS - 1))) m, each thread its own share)"
	echo
	echo "| requests | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors | tiles rendered | memory hits | posbon CPU s (cores busy) | /healthz alongside: probes, p50 / p99 / max ms |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	echo "| $req | $(wv rps "$f") | $(wv p50_ms "$f") | $(wv p90_ms "$f") | $(wv p99_ms "$f") | $(wv max_ms "$f") | $(errors_of "$f") | $((r1 - r0)) | $((h1 - h0)) | $cpu ($(awk -v c="$cpu" -v s="$secs" 'BEGIN { printf "%.2f", c / s }')) | $(wc -l <"$W/probe.txt"), $(pcts "$W/probe.txt" 1 | sed 's| | / |g') |"
	[ "$(wv past_list "$f")" = 0 ] || echo "(the tile list ran out: $(wv past_list "$f") requests went to /healthz; lengthen it)"
	echo
	echo "By zoom, from posbon's access log (time inside the server, from the request read to the answer queued):"
	echo
	echo "| zoom | tiles | median ms | p90 ms | max ms | mean PNG KiB |"
	echo "|---|---|---|---|---|---|"
	tile_zooms "$W/uncached.access" | awk '{ printf "| %d | %d | %.1f | %.1f | %.1f | %.1f |\n", $1, $2, $3, $4, $6, $7 }'
	serve_stop
fi

# ---------------------------------------------------------------------------
# country: the generated city at a country's size (issue 17),
# POSBON_BENCH_COUNTRY_DISTRICTS (200) districts of 48 mahallas with
# POSBON_BENCH_COUNTRY_OFFENCES (10 000 000) offences over a year and streets.
# Its generation is the import of the generated city (time, peak memory);
# POSBON_BENCH_COUNTRY_DB=FILE takes one made before with the same command
# and skips that row. Then: every tenth of its offences as CSV, imported into
# the same city without offences (point-in-polygon among its districts and
# mahallas); the daemon's start-up (from its start until /healthz answers)
# and resident memory; heatmap tiles at z 12-16 over the district of median
# offences, each one rendered (as serve-uncached, bandwidths 300.000,
# 300.001, ... m), two connections for POSBON_BENCH_COUNTRY_SECONDS (20),
# p50 / p99 by zoom from the access log,
# against the same over the generated million's district in the same run;
# the comparison table of the districts and of that district's mahallas
# (POSBON_BENCH_COUNTRY_RUNS requests each, 5); /api/mahallas/{code} of 200
# mahallas, with the table's period and without (wrk, one connection).
COUNTRY_DISTRICTS=${POSBON_BENCH_COUNTRY_DISTRICTS:-200}
COUNTRY_OFFENCES=${POSBON_BENCH_COUNTRY_OFFENCES:-10000000}
COUNTRY_RUNS=${POSBON_BENCH_COUNTRY_RUNS:-5}
COUNTRY_SECONDS=${POSBON_BENCH_COUNTRY_SECONDS:-20}
now_s() { date +%s.%N; }
rss_mib() { awk -v k="$1" '$1 == k ":" { printf "%.0f", $2 / 1024 }' "/proc/$SPID/status"; }

# serve_timed DB NAME: serve_start, then /healthz polled every 50 ms; sets
# UP (seconds from the start to the first answer).
serve_timed() {
	t0=$(now_s)
	serve_start "$1" "$2" --cache-dir none --cache-mb 1
	until curl -sf -o /dev/null "$SURL/healthz"; do sleep 0.05; done
	UP=$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }')
}

# country_tiles TOKEN OUT [--district CODE]: every heatmap tile of z 12-16
# over the district, rendered, for COUNTRY_SECONDS; the access log's zooms
# into OUT.
country_tiles() {
	ct_tok=$1 ct_out=$2
	shift 2
	$CLIENT tiles "$SURL" "$ct_tok" heatmap 12-16 --rounds 150 --query 'bandwidth=300.{k}&v={n}' "$@" \
		>"$W/country-tiles.txt"
	run_wrk "$W/country-wrk" "$SPID" -- -t2 -c2 -d"${COUNTRY_SECONDS}s" --timeout 60s --latency \
		-s "$WRK_TILES" "$SURL" -- "$W/country-tiles.txt" "$ct_tok" split 2
	[ "$(wv past_list "$W/country-wrk")" = 0 ] || echo "bench: the tile list ran out; lengthen it" >&2
	# The access log is flushed every two seconds: wait for wrk's answers in it.
	ct_n=$(wv requests "$W/country-wrk")
	for _ in $(seq 1 100); do
		[ "$(grep -c '"GET /tiles/heatmap/' "$SLOG")" -lt "$ct_n" ] || break
		sleep 0.1
	done
	tile_zooms "$SLOG" >"$ct_out"
}

# The seconds of GET PATH, COUNTRY_RUNS times: "median min max".
timed_gets() {
	for _ in $(seq 1 "$COUNTRY_RUNS"); do
		curl -sf -o "$W/country-get" -w '%{time_total}\n' -H "Authorization: Bearer $VC" "$SURL$1"
	done | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f %.3f %.3f\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

if want country; then
	CDB=${POSBON_BENCH_COUNTRY_DB:-}
	city="--districts $COUNTRY_DISTRICTS --mahallas 48 --end 2026-06-30"
	l0=$(load)
	if [ -z "$CDB" ]; then
		CDB=$W/country.sqlite
		echo "generating the country: $COUNTRY_DISTRICTS districts, $COUNTRY_OFFENCES offences..." >&2
		GEN=$(measure "$POSBON" sample "$CDB" $city --offences "$COUNTRY_OFFENCES" --ground streets)
	fi
	"$POSBON" token revoke "$CDB" --name bench-country >/dev/null 2>&1 || true # a reused one's
	VC=$("$POSBON" token add "$CDB" --role viewer --name bench-country)
	n_off=$(sqlite3 "$CDB" "SELECT count(*) FROM offences")
	n_mah=$(sqlite3 "$CDB" "SELECT count(*) FROM mahallas")
	db_gb=$(du -B1 "$CDB" | awk '{ printf "%.2f", $1 / 1e9 }')
	# The district of median offences: its tiles and its mahallas' table.
	CD=$(sqlite3 "$CDB" "SELECT district_code FROM offences GROUP BY district_code
		ORDER BY count(*), district_code LIMIT 1 OFFSET (SELECT count(*) / 2 FROM districts)")
	sqlite3 "$CDB" "SELECT '/api/mahallas/' || code FROM mahallas WHERE rowid % 48 = 7 ORDER BY code" \
		>"$W/country-mahallas.txt"

	# Every tenth offence as a police export has it, into the city without offences.
	sqlite3 -cmd ".load mod_spatialite" -csv -header "$CDB" \
		"SELECT 'C-' || external_id AS id,
		        strftime('%Y-%m-%d', occurred_from + 18000, 'unixepoch') AS date,
		        strftime('%H:%M', occurred_from + 18000, 'unixepoch') AS time,
		        category, service, ST_X(geom) AS lon, ST_Y(geom) AS lat
		 FROM offences WHERE id % 10 = 0 AND geom IS NOT NULL" >"$W/country.csv"
	rows=$(($(wc -l <"$W/country.csv") - 1))
	"$POSBON" sample "$W/city0.sqlite" $city --offences 0 --ground none >/dev/null
	IMP=$(measure "$POSBON" import "$W/city0.sqlite" --layer offences --quiet "$W/country.csv")
	placed=$(sqlite3 "$W/city0.sqlite" "SELECT printf('%.1f', 100.0 * count(mahalla_code) / count(*)) FROM offences")
	rm -f "$W/country.csv" "$W/city0.sqlite"*

	# The peer: the generated million's district, as serve-uncached has it.
	big_db
	serve_timed "$W/big.sqlite" country-peer
	SLOG=$W/country-peer.access
	UP1=$UP RSS1=$(rss_mib VmRSS)
	country_tiles "$VB" "$W/zooms-1m"
	serve_stop

	serve_timed "$CDB" country
	SLOG=$W/country.access
	RSS_UP=$(rss_mib VmRSS)
	country_tiles "$VC" "$W/zooms-country" --district "$CD"
	RSS_TILES=$(rss_mib VmRSS)
	T_ALL=$(timed_gets /api/compare)
	rows_all=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["rows"]))' "$W/country-get")
	T_ONE=$(timed_gets "/api/compare?district=$CD")
	rows_one=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["rows"]))' "$W/country-get")
	period=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("from=%s&to=%s" % (d["from"], d["to"]))' "$W/country-get")
	awk -v q="$period" '{ print $0 "?" q }' "$W/country-mahallas.txt" >"$W/country-mahallas-period.txt"
	run_wrk "$W/mah-period" "$SPID" -- -t1 -c1 -d10s --latency -s "$WRK_TILES" "$SURL" -- \
		"$W/country-mahallas-period.txt" "$VC" cycle
	run_wrk "$W/mah-all" "$SPID" -- -t1 -c1 -d10s --latency -s "$WRK_TILES" "$SURL" -- \
		"$W/country-mahallas.txt" "$VC" cycle
	RSS_END=$(rss_mib VmRSS) HWM=$(rss_mib VmHWM)
	serve_stop

	echo
	echo "Country-size city (posbon sample $city --offences $COUNTRY_OFFENCES --ground streets): $n_off offences, $n_mah mahallas, $db_gb GB; $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, at end $(load)"
	echo
	echo "| what | seconds | peak MiB | CPU s (user + sys) | rows/s |"
	echo "|---|---|---|---|---|"
	[ -z "${GEN:-}" ] || echo "$GEN" | awk -v n="$n_off" '{ printf "| generation (the import of the generated city) | **%s** | **%s** | %s | %.0f |\n", $1, $2, $3, n / $1 }'
	echo "$IMP" | awk -v n="$rows" -v p="$placed" '{ printf "| posbon import of every tenth offence as CSV (%d rows) into the city without offences (%s %% placed in a mahalla) | %s | %s | %s | %.0f |\n", n, p, $1, $2, $3, n / $1 }'
	echo
	echo "| daemon | start-up to /healthz, s | RSS after start MiB | after the tiles | at the end | peak (VmHWM) |"
	echo "|---|---|---|---|---|---|"
	echo "| generated million (serve-uncached's) | $UP1 | $RSS1 | | | |"
	echo "| the country | **$UP** | **$RSS_UP** | $RSS_TILES | $RSS_END | $HWM |"
	echo
	echo "Uncached heatmap tiles over district $CD of the country (the median's offences) and over the generated million's district ($N offences), time inside the server by zoom; commands: bench/serve_client.py tiles URL TOKEN heatmap 12-16 --rounds 150 --query 'bandwidth=300.{k}&v={n}' [--district $CD]; wrk -t2 -c2 -d${COUNTRY_SECONDS}s --timeout 60s --latency -s bench/wrk_tiles.lua URL -- tiles.txt TOKEN split 2"
	echo
	echo "| zoom | country: tiles | p50 ms | p99 ms | mean KiB | million: tiles | p50 ms | p99 ms | mean KiB | p50 country / million |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	join "$W/zooms-country" "$W/zooms-1m" | awk '{ printf "| %d | %d | **%.1f** | %.1f | %.1f | %d | %.1f | %.1f | %.1f | %.2f |\n",
		$1, $2, $3, $5, $7, $8, $9, $11, $13, ($9 > 0 ? $3 / $9 : 0) }'
	echo
	echo "| request | rows | median s | min s | max s |"
	echo "|---|---|---|---|---|"
	echo "$T_ALL" | awk -v r="$rows_all" '{ printf "| GET /api/compare (the districts) | %d | **%s** | %s | %s |\n", r, $1, $2, $3 }'
	echo "$T_ONE" | awk -v r="$rows_one" -v d="$CD" '{ printf "| GET /api/compare?district=%s (its mahallas) | %d | **%s** | %s | %s |\n", d, r, $1, $2, $3 }'
	echo
	echo "| /api/mahallas/{code}, 200 mahallas, wrk -t1 -c1 -d10s | requests | p50 ms | p99 ms | max ms | errors |"
	echo "|---|---|---|---|---|---|"
	for k in period all; do
		f=$W/mah-$k
		echo "| $([ $k = period ] && echo "?$period" || echo "no period") | $(wv requests "$f") | **$(wv p50_ms "$f")** | $(wv p99_ms "$f") | $(wv max_ms "$f") | $(errors_of "$f") |"
	done
fi

# ---------------------------------------------------------------------------
# soak: one daemon with both cache tiers on small budgets, asked for
# POSBON_BENCH_SOAK_SECONDS (60) at POSBON_BENCH_SOAK_CONNECTIONS (256) for
# the same 50 cached tiles, then as long for heatmap tiles never asked
# before (z 13-16 over the district, each round of the 399 at a bandwidth
# and a first day of its own, so each tile is rendered, kept in memory and
# written to disk, and the tiers evict all along). posbon's resident memory
# (VmRSS) is sampled every second; the goal is RSS under the start's plus
# the memory budget plus the fixed overhead docs/benchmarks.md states.
SOAK_SECONDS=${POSBON_BENCH_SOAK_SECONDS:-60}
SOAK_CONNECTIONS=${POSBON_BENCH_SOAK_CONNECTIONS:-256}
SOAK_CACHE_MB=${POSBON_BENCH_SOAK_CACHE_MB:-64}
SOAK_DISK_MB=${POSBON_BENCH_SOAK_DISK_MB:-64}
if want soak; then
	"$POSBON" sample "$W/soak.sqlite" --offences 20000 --end 2026-11-25 --seed 7 >/dev/null
	VS=$("$POSBON" token add "$W/soak.sqlite" --role viewer --name bench)
	serve_start "$W/soak.sqlite" soak --cache-dir "$W/soak-tiles" --cache-mb "$SOAK_CACHE_MB" \
		--cache-disk-mb "$SOAK_DISK_MB"
	$CLIENT tiles "$SURL" "$VS" heatmap+mahallas 13-15 --max 50 --fill zooms --around centre \
		>"$W/soak-cached.txt"
	$CLIENT tiles "$SURL" "$VS" heatmap 13-16 --rounds 999 \
		--query 'bandwidth=150.{k}&from=2025-{n}' | awk -F'from=2025-' '{
			printf "%sfrom=2025-%02d-%02d\n", $1, int($2 / 28) % 12 + 1, $2 % 28 + 1 }' >"$W/soak-uncached.txt"
	while read -r p; do curl -sf -o /dev/null -H "Authorization: Bearer $VS" "$SURL$p"; done <"$W/soak-cached.txt"
	rss() { awk '/^VmRSS/ { print $2 }' "/proc/$SPID/status"; }
	rss0=$(rss)
	(
		t=0
		while kill -0 "$SPID" 2>/dev/null; do
			echo "$t $(rss)"
			t=$((t + 1))
			sleep 1
		done
	) >"$W/soak-rss.txt" 2>/dev/null &
	sampler=$!
	l0=$(load)
	run_wrk "$W/soak_cached" "$SPID" -- -t2 -c"$SOAK_CONNECTIONS" -d"${SOAK_SECONDS}s" --timeout 10s --latency \
		-s "$WRK_TILES" "$SURL" -- "$W/soak-cached.txt" "$VS" cycle
	mid=$(wc -l <"$W/soak-rss.txt")
	run_wrk "$W/soak_uncached" "$SPID" -- -t2 -c"$SOAK_CONNECTIONS" -d"${SOAK_SECONDS}s" --timeout 10s --latency \
		-s "$WRK_TILES" "$SURL" -- "$W/soak-uncached.txt" "$VS" split 2
	curl -s -H "Authorization: Bearer $VS" "$SURL/metrics" >"$W/soak-metrics.txt"
	kill "$sampler" 2>/dev/null || true
	wait "$sampler" 2>/dev/null || true
	mval() { awk -v m="$1" '$1 == m { print $2 }' "$W/soak-metrics.txt"; }
	du_mib=$(du -sm "$W/soak-tiles" | cut -f1)
	echo
	echo "Soak: $SOAK_SECONDS s of cached tiles, then $SOAK_SECONDS s of tiles never asked before, $SOAK_CONNECTIONS connections, the sample district (20 000 offences), $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, at end $(load)"
	echo "command: posbon serve soak.sqlite --threads $CORES --cache-mb $SOAK_CACHE_MB --cache-disk-mb $SOAK_DISK_MB; wrk -t2 -c$SOAK_CONNECTIONS -d${SOAK_SECONDS}s --timeout 10s --latency -s bench/wrk_tiles.lua URL -- tiles.txt TOKEN cycle (50 cached heatmap+mahallas tiles) | split 2 (heatmap z 13-16, bandwidth 150.000 to 150.998 m each round, and a first day in 2025 of its own each tile)"
	echo
	echo "| phase | requests | requests/s | p50 ms | p99 ms | max ms | errors | non-2xx | RSS MiB at end of phase |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for ph in cached uncached; do
		f=$W/soak_$ph
		[ "$ph" = cached ] && at=$mid || at=$(wc -l <"$W/soak-rss.txt")
		echo "| $ph | $(wv requests "$f") | $(wv rps "$f") | $(wv p50_ms "$f") | $(wv p99_ms "$f") | $(wv max_ms "$f") | $(($(wv connect "$f") + $(wv read "$f") + $(wv write "$f") + $(wv timeout "$f"))) | $(wv status "$f") | $(awk -v n="$at" 'NR == n { printf "%.0f", $2 / 1024 }' "$W/soak-rss.txt") |"
	done
	echo
	awk -v r0="$rss0" -v b="$SOAK_CACHE_MB" '{ if ($2 > max) { max = $2; at = $1 } }
		END { printf "RSS: %.0f MiB after start and warm-up, at most %.0f MiB (second %d), %.0f MiB at the end: %.0f MiB over the start with a memory budget of %d MiB\n",
			r0 / 1024, max / 1024, at, $2 / 1024, (max - r0) / 1024, b }' "$W/soak-rss.txt"
	echo "cache at the end: memory $(mval 'posbon_tile_cache_bytes{tier="memory"}') bytes in $(mval 'posbon_tile_cache_tiles{tier="memory"}') tiles (budget $((SOAK_CACHE_MB << 20))), disk $(mval 'posbon_tile_cache_bytes{tier="disk"}') bytes in $(mval 'posbon_tile_cache_tiles{tier="disk"}') files (budget $((SOAK_DISK_MB << 20)); du -sm of the folder: $du_mib MiB), evicted $(mval 'posbon_tile_cache_evictions_total{tier="memory"}') from memory and $(mval 'posbon_tile_cache_evictions_total{tier="disk"}') from disk, $(mval posbon_tiles_rendered_total) tiles rendered"
	echo
	echo "RSS every 10 s (MiB; the uncached phase starts at second $mid):"
	echo
	awk 'NR % 10 == 1 { printf "%s%d s %.0f", sep, $1, $2 / 1024; sep = " · " } END { print "" }' "$W/soak-rss.txt"
	serve_stop
fi

# ---------------------------------------------------------------------------
# ingest: new offences through POST /api/offences, into the sample district
# (20 000 offences) and into the generated million. Every 201 comes after the
# commit; the rows are counted in the file after the daemon has stopped.
INGEST_SECONDS=${POSBON_BENCH_INGEST_SECONDS:-10}
ingest_run() { # DB KEY LABEL TOKEN BATCHES
	db=$1 key=$2 label=$3 tok=$4 batches=$5
	before=$(sqlite3 "$db" "SELECT count(*) FROM offences")
	serve_start "$db" "ingest-$key" --cache-dir none
	bounds=$(curl -s -H "Authorization: Bearer $tok" "$SURL/api/meta" |
		python3 -c 'import json, sys; print(*json.load(sys.stdin)["district"]["bounds"])')
	run_wrk "$W/i_$key" "$SPID" -- -t2 -c4 -d"${INGEST_SECONDS}s" --latency -s "$WRK_INGEST" "$SURL" -- \
		"$tok" $bounds "wrk-$key"
	$CLIENT singles "$SURL" "$tok" --count 2000 --prefix "seq-$key" >"$W/i_seq_$key"
	$CLIENT batches "$SURL" "$tok" --batches "$batches" --size 1000 --prefix "batch-$key" >"$W/i_batch_$key"
	serve_stop
	after=$(sqlite3 "$db" "SELECT count(*) FROM offences")
	f=$W/i_$key
	echo "| $label | single Features, wrk -t2 -c4 -d${INGEST_SECONDS}s | $(wv requests "$f") | $(wv seconds "$f") | **$(wv rps "$f")** | $(wv p50_ms "$f") | $(wv p99_ms "$f") | $(($(errors_of "$f") + $(wv not_201 "$f"))) | $(wv server_cpu_s "$f") |"
	set -- $(cat "$W/i_seq_$key")
	echo "| $label | single Features, one client in sequence | $1 | $2 | **$3** | $4 | $5 | 0 | - |"
	set -- $(cat "$W/i_batch_$key")
	echo "| $label | batches of 1000, one client in sequence ($batches) | $1 | $2 | **$3** | $4 | $5 | 0 | - |"
	acked=$(($(wv requests "$f") + 2000 + batches * 1000))
	echo "- $label: $((after - before)) rows more in the file after SIGTERM, $acked answers 201 counted (wrk does not count the answers in flight when it stops)" >>"$W/ingest_notes"
}

if want ingest; then
	# a copy of its own: live-latency wants the million as generated
	cp "$W/src.sqlite" "$W/ingest-big.sqlite"
	OIB=$("$POSBON" token add "$W/ingest-big.sqlite" --role officer --name bench-officer)
	"$POSBON" sample "$W/ingest.sqlite" --offences 20000 --end 2026-11-25 --seed 7 >/dev/null
	OI=$("$POSBON" token add "$W/ingest.sqlite" --role officer --name bench-officer)
	l0=$(load)
	: >"$W/ingest_notes"
	{
		ingest_run "$W/ingest.sqlite" district "district (20 000)" "$OI" 50
		ingest_run "$W/ingest-big.sqlite" big "generated ($N)" "$OIB" 20
	} >"$W/ingest_rows"
	rm -f "$W/ingest-big.sqlite"*
	echo
	echo "Ingest through POST /api/offences (201 after the commit), $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, at end $(load)"
	echo "commands: wrk -t2 -c4 -d${INGEST_SECONDS}s --latency -s bench/wrk_ingest.lua URL -- TOKEN W S E N PREFIX; bench/serve_client.py singles URL TOKEN --count 2000; bench/serve_client.py batches URL TOKEN --batches B --size 1000"
	echo
	echo "| database | how | offences | seconds | offences/s | request p50 ms | p99 ms | errors | posbon CPU s |"
	echo "|---|---|---|---|---|---|---|---|---|"
	cat "$W/ingest_rows"
	echo
	cat "$W/ingest_notes"
fi

# ---------------------------------------------------------------------------
# live-latency: POST one offence at a point, then GET the z 15 heatmap tile
# that holds it (If-None-Match: the ETag it had) until it is a 200 with a new
# ETag. Also: when the server-sent event of the change reached a listener.
LIVE_TRIALS=${POSBON_BENCH_LIVE_TRIALS:-100}
LIVE_TRIALS_BIG=${POSBON_BENCH_LIVE_TRIALS_BIG:-20}
live_run() { # DB KEY LABEL TOKEN TRIALS
	db=$1 key=$2 label=$3 tok=$4 trials=$5
	serve_start "$db" "live-$key" --cache-dir "$W/live-tiles-$key"
	$CLIENT live "$SURL" "$tok" --trials "$trials" --zoom 15 --limit 240 >"$W/live_$key"
	serve_stop
	lf=$W/live_$key
	n=$(wc -l <"$lf")
	ack=$(pcts "$lf" 1) ev=$(pcts "$lf" 2) tile=$(pcts "$lf" 3)
	late=$(awk '$2 > $1 + 5 { k++ } END { print k + 0 }' "$lf")
	polls=$(awk '{ s += $4 } END { printf "%.2f", s / NR }' "$lf")
	p2() { echo "$1" | awk '{ print $1 " / " $2 }'; }
	echo "| $label | $n | $(p2 "$ack") | $(p2 "$ev") | **$(p2 "$tile")** | $(echo "$tile" | awk '{ print $3 }') | $polls | $late |"
}

if want live-latency; then
	big_db
	"$POSBON" sample "$W/live.sqlite" --offences 20000 --end 2026-11-25 --seed 7 >/dev/null
	OL=$("$POSBON" token add "$W/live.sqlite" --role officer --name bench-officer)
	l0=$(load)
	{
		live_run "$W/live.sqlite" district "district (20 000)" "$OL" "$LIVE_TRIALS"
		live_run "$W/big.sqlite" big "generated ($N)" "$OB" "$LIVE_TRIALS_BIG"
	} >"$W/live_rows"
	echo
	echo "Live latency: POST of one offence to its z 15 heatmap tile served with a new ETag, $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, at end $(load)"
	echo "command: bench/serve_client.py live URL TOKEN --trials N --zoom 15 (one client; an event listener on /api/events alongside)"
	echo
	echo "| database | trials | POST → 201, p50 / p99 ms | POST → event, p50 / p99 ms | POST → new tile, p50 / p99 ms | max ms | polls per trial | events later than the 201 + 5 ms |"
	echo "|---|---|---|---|---|---|---|---|"
	cat "$W/live_rows"
fi
if want print; then
	PRINT_RUNS=${POSBON_BENCH_PRINT_RUNS:-5}
	"$POSBON" sample "$W/print.sqlite" --end 2026-11-25 >/dev/null
	pd=$(sqlite3 "$W/print.sqlite" "SELECT code FROM districts LIMIT 1")
	pm=$(sqlite3 "$W/print.sqlite" "SELECT code FROM mahallas ORDER BY code LIMIT 1")
	l0=$(load)
	print_row() { # label args...
		label=$1
		shift
		for i in $(seq 1 "$PRINT_RUNS"); do
			measure "$POSBON" print "$W/print.sqlite" "$@" -o "$W/print.out"
		done >"$W/print_times"
		pages=$(pdfinfo "$W/print.out" 2>/dev/null | sed -n 's/^Pages: *//p')
		t=$(sort -n "$W/print_times" | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
		bytes=$(stat -c %s "$W/print.out")
		echo "| $label | ${pages:-1} | $(echo "$t" | awk '{ print $1 }') | $(echo "$t" | awk '{ print $2 }') | $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1048576 }') |"
	}
	{
		print_row "A3 district page, 200 dpi heatmap" --district "$pd" --paper A3
		print_row "A3 landscape district page" --district "$pd" --paper A3 --landscape
		print_row "A4 mahalla page" --mahalla "$pm"
		print_row "A4 atlas (overview + every mahalla)" --district "$pd" --atlas
		print_row "A3 atlas" --district "$pd" --atlas --paper A3
		print_row "A4 mahalla page as PNG, 150 dpi" --mahalla "$pm" --format png
		print_row "A4 hotspot-methods page, 44 folds" --backtest
		print_row "A4 district page, Gi* cells" --district "$pd" --layers gistar,mahallas,districts
		print_row "A4 district page, emerging hot spots" --district "$pd" --layers trends,mahallas,districts
		print_row "A4 district page, change against the previous period" --district "$pd" --layers change,mahallas,districts
		print_row "A4 atlas with Gi* cells" --district "$pd" --atlas --layers gistar,mahallas,districts
	} >"$W/print_rows"
	echo
	echo "Print: posbon print of the sample district (posbon sample, 20 000 offences, 40 mahallas), median of $PRINT_RUNS runs, $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, at end $(load)"
	echo "command: posbon print DB --district CODE [--paper A3] [--atlas] -o FILE"
	echo
	echo "| print | pages | seconds | peak MiB | size MiB |"
	echo "|---|---|---|---|---|"
	cat "$W/print_rows"
fi

# ---------------------------------------------------------------------------
# Gi* on the same 2,000 x 2,000 grid of synthetic counts in posbon and in R:
# bench_gistar times the z-scores, the bins and the FDR bins and writes the
# counts and its z-scores; R times nb2listw and localG on them (the 8
# touching cells and the cell itself, binary weights) and reports the
# largest difference of the z-scores.
if want gistar; then
	l0=$(load)
	"$BUILD/bench_gistar" --write "$W/gistar.bin" >"$W/gistar_c"
	cat "$W/gistar_c" >&2
	ms() { sed -n "s/^$1 over .*: median \([0-9.]*\) ms.*/\1/p" "$W/gistar_c"; }
	z_ms=$(ms gistar_zscores)
	echo
	echo "Gi*: a 2 000 x 2 000 grid (4 million cells), band sqrt(2) cells, median of 11 runs, $(date -u +%Y-%m-%d), $CORES cores, load at start $l0"
	echo
	echo "| implementation | step | time | ratio to posbon's z-scores |"
	echo "|---|---|---|---|"
	echo "| posbon (C, one thread) | z-scores (gistar_zscores) | **$z_ms ms** | 1 |"
	echo "| posbon | p-values and bins | $(ms gistar_classify) ms | |"
	echo "| posbon | p-values and FDR bins | $(ms 'gistar_classify --fdr') ms | |"
	if command -v Rscript >/dev/null && Rscript -e 'suppressMessages(library(spdep))' 2>/dev/null; then
		r=$(Rscript "$HERE/bench/gistar_spdep_bench.R" "$W/gistar.bin" 2000)
		echo "$r" >&2
		echo "$r" | awk -v z="$z_ms" '{
			printf "| R spdep 1.2 | nb2listw (weights of the neighbour list) | %.1f s | |\n", $3
			printf "| R spdep 1.2 | localG | **%.2f s** | **%.0f** |\n", $4, $4 * 1000 / z
			printf "\nlargest |z(posbon) - z(spdep)| over the 4 million cells: %s\n", $5 }'
	else
		echo "| R spdep | (not installed: scripts/install-deps.sh bench) | | |"
	fi
fi

# ---------------------------------------------------------------------------
# posbon export-tiles: every tile of the sample district at z 11-17 into one
# MBTiles file, the median of 3 runs per row; tiles/s counts the rendered
# tiles (written and empty) over the export alone, seconds the whole process.
if want mbtiles; then
	"$POSBON" sample "$W/mbt.sqlite" --end 2026-11-25 >/dev/null
	l0=$(load)
	mbtiles_row() { # label args...
		label=$1
		shift
		for i in 1 2 3; do
			measure "$POSBON" export-tiles "$W/mbt.sqlite" -o "$W/mbt.mbtiles" \
				--layers heatmap+mahallas --zooms 11-17 "$@" >"$W/mbt_time"
			echo "$(sed -n 's/.*(\([0-9]*\) tiles\/s.*/\1/p' "$W/out") $(cat "$W/mbt_time")"
		done | sort -n | sed -n 2p >"$W/mbt_row"
		tiles=$(sed -n 's/.*: \([0-9]*\) tiles written, \([0-9]*\) empty.*/\1 + \2/p' "$W/out")
		bytes=$(stat -c %s "$W/mbt.mbtiles")
		awk -v l="$label" -v t="$tiles" -v b="$bytes" '{
			printf "| %s | %s | **%s** | %s | %s | %.1f |\n", l, t, $1, $2, $3, b / 1048576 }' "$W/mbt_row"
	}
	{
		mbtiles_row "256 px, 1 thread" --threads 1
		mbtiles_row "256 px, 2 threads" --threads 2
		mbtiles_row "512 px (--scale 2), 2 threads" --threads 2 --scale 2
	} >"$W/mbt_rows"
	echo
	echo "MBTiles: posbon export-tiles of the sample district (posbon sample, 20 000 offences, 40 mahallas), heatmap+mahallas, z 11-17, median of 3 runs, $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, at end $(load)"
	echo
	echo "| export | tiles (written + empty) | tiles/s | seconds | peak MiB | size MiB |"
	echo "|---|---|---|---|---|---|"
	cat "$W/mbt_rows"
fi
# ---------------------------------------------------------------------------
# basemap: base-layer tiles of the sample district, z 13-17: the
# POSBON_BENCH_BASE_TILES tiles per zoom nearest to the middle of its houses
# (bench_basemap --list), each rendered POSBON_BENCH_BASE_REPEAT times (the
# median counts), render + PNG, one thread, nothing cached. Mapnik draws the
# same tiles with the same colours and widths (bench/basemap_mapnik.py reads
# styles/default.json), from shapefiles in EPSG:3857 that ogr2ogr exports
# from the store first (untimed) and from the store itself (its sqlite
# plugin). posbon and Mapnik-on-shapefiles run twice, in the order posbon,
# Mapnik, Mapnik on the store, Mapnik, posbon, and each figure is the mean of
# its two runs, so that a load that grows or falls during the section weighs
# on both alike. POSBON_BENCH_BASE_OUT=DIR keeps the tiles of both for a look.
# Rows of both programs: | zoom | tiles | features | render | PNG | ms per tile | median | CPU |
base_posbon() { # style out zooms [--out DIR]
	st=$1 out=$2 zooms=$3
	shift 3
	"$BUILD/bench_basemap" "$W/base.sqlite" --style "$st" --zooms "$zooms" \
		--tiles "$BASE_TILES" --repeat "$BASE_REPEAT" "$@" >"$out"
}
base_mapnik() { # style out tiles source [--out DIR]
	st=$1 out=$2 tl=$3 src=$4
	shift 4
	"$MAPNIK_PY" "$HERE/bench/basemap_mapnik.py" "$st" "$W/base.sqlite" "$tl" --source "$src" \
		--work "$W/base_shp" --repeat "$BASE_REPEAT" "$@" >"$out" 2>"$W/base_err" || {
		cat "$W/base_err" >&2
		exit 1
	}
}
# Per zoom, from files P1 P2 M1 M2 [Q]: "zoom features p_ms p_cpu p_render m_ms m_cpu
# m_render [q_ms q_cpu]", each the mean of its two runs.
base_join() {
	awk -F'|' 'FNR == 1 { f++ } $2 ~ /^ [0-9]+ $/ { z = $2 + 0; zs[z] = 1
			if (f == 1) feat[z] = $4 + 0
			k = f <= 2 ? 1 : f <= 4 ? 2 : 3
			r[k, z] += $5; ms[k, z] += $7; cpu[k, z] += $9; n[k, z]++ }
		END { for (z = 0; z <= 22; z++) if (z in zs) {
			printf "%d %d", z, feat[z]
			for (k = 1; k <= 3; k++) if (n[k, z])
				printf " %.4f %.4f %.4f", ms[k, z] / n[k, z], cpu[k, z] / n[k, z], r[k, z] / n[k, z]
			printf "\n" } }' "$@"
}
base_ms() { awk -F'|' '$2 ~ /^ [0-9]+ $/ { printf "%s%.2f", s, $7; s = ", " }' "$1"; }
if want basemap; then
	BASE_TILES=${POSBON_BENCH_BASE_TILES:-16}
	BASE_REPEAT=${POSBON_BENCH_BASE_REPEAT:-5}
	MAPNIK_PY=/usr/bin/python3 # Debian's python3-mapnik is for Debian's python3
	if ! "$MAPNIK_PY" -c 'import mapnik' 2>/dev/null || ! command -v shapeindex >/dev/null; then
		echo
		echo "basemap: python3-mapnik or shapeindex (mapnik-utils) is missing (scripts/install-deps.sh bench)"
	else
		"$POSBON" sample "$W/base.sqlite" --end 2026-11-25 >/dev/null
		STYLE=$HERE/styles/default.json
		set --
		if [ -n "${POSBON_BENCH_BASE_OUT:-}" ]; then
			mkdir -p "$POSBON_BENCH_BASE_OUT"
			set -- --out "$POSBON_BENCH_BASE_OUT"
		fi
		"$BUILD/bench_basemap" "$W/base.sqlite" --tiles "$BASE_TILES" --list >"$W/base_tiles.txt"
		l0=$(load)
		base_posbon "$STYLE" "$W/bp1" 13-17 ${1+"$1" "$2/posbon"}
		base_mapnik "$STYLE" "$W/bm1" "$W/base_tiles.txt" shape ${1+"$1" "$2/mapnik-shape"}
		base_mapnik "$STYLE" "$W/bq" "$W/base_tiles.txt" sqlite ${1+"$1" "$2/mapnik-sqlite"}
		base_mapnik "$STYLE" "$W/bm2" "$W/base_tiles.txt" shape
		base_posbon "$STYLE" "$W/bp2" 13-17
		l1=$(load)
		# Without names: the two place street names differently (posbon once
		# per street, seamlessly across tiles; Mapnik once per street in each
		# tile, cut at its edge), so this is the drawing of the same geometry
		# alone. Names start at z 15.
		"$MAPNIK_PY" -c 'import json, sys
s = json.load(open(sys.argv[1])); del s["layers"]["base"]["label"]
json.dump(s, open(sys.argv[2], "w"))' "$STYLE" "$W/nonames.json"
		grep -E '^1[5-7]/' "$W/base_tiles.txt" >"$W/base_tiles_named.txt"
		base_posbon "$W/nonames.json" "$W/bnp1" 15-17
		base_mapnik "$W/nonames.json" "$W/bnm1" "$W/base_tiles_named.txt" shape
		base_mapnik "$W/nonames.json" "$W/bnm2" "$W/base_tiles_named.txt" shape
		base_posbon "$W/nonames.json" "$W/bnp2" 15-17
		echo
		echo "Base layer of the sample district (posbon sample --end 2026-11-25: $(sqlite3 "$W/base.sqlite" "SELECT count(*) FROM ref_features") reference features), $BASE_TILES tiles per zoom nearest to the middle of its houses, 256 px, render + PNG, median of $BASE_REPEAT renders per tile, mean over the tiles, one thread, uncached, each figure the mean of two runs but Mapnik on the store (one run); $(date -u +%Y-%m-%d), $CORES cores, load at start $l0, after the named tiles $l1, at end $(load)"
		echo "commands: build/bench_basemap DB --tiles $BASE_TILES --repeat $BASE_REPEAT; /usr/bin/python3 bench/basemap_mapnik.py styles/default.json DB TILES --source shape|sqlite --repeat $BASE_REPEAT ($(sed -n 1p "$W/bm1" | cut -d, -f1))"
		echo
		echo "| zoom | features per tile | posbon ms/tile (CPU) | Mapnik, shapefiles, ms/tile (CPU) | ratio posbon / Mapnik (CPU) | render only, posbon / Mapnik | Mapnik, the store (sqlite), ms/tile (CPU) | ratio posbon / Mapnik on the store |"
		echo "|---|---|---|---|---|---|---|---|"
		base_join "$W/bp1" "$W/bp2" "$W/bm1" "$W/bm2" "$W/bq" | awk '{
			printf "| %d | %d | %.2f (%.2f) | %.2f (%.2f) | **%.2f** (%.2f) | %.2f | %.2f (%.2f) | %.2f |\n",
				$1, $2, $3, $4, $6, $7, $3 / $6, $4 / $7, $5 / $8, $9, $10, $3 / $9 }'
		echo
		echo "The same without names (layers.base.label removed from the style), z 15-17"
		echo
		echo "| zoom | posbon ms/tile (CPU) | Mapnik, shapefiles, ms/tile (CPU) | ratio posbon / Mapnik (CPU) |"
		echo "|---|---|---|---|"
		base_join "$W/bnp1" "$W/bnp2" "$W/bnm1" "$W/bnm2" | awk '{
			printf "| %d | %.2f (%.2f) | %.2f (%.2f) | **%.2f** (%.2f) |\n", $1, $3, $4, $6, $7, $3 / $6, $4 / $7 }'
		echo
		echo "each one's two runs, ms/tile at z 13-17: posbon $(base_ms "$W/bp1") and $(base_ms "$W/bp2"); Mapnik on shapefiles $(base_ms "$W/bm1") and $(base_ms "$W/bm2")"
	fi
fi
echo
echo "load average at the end: $(load)"

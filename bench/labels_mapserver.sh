#!/bin/sh
# posbon against MapServer on 256-px tiles of the NYC police precincts drawn
# with their boundaries and labels, in the same run. Prints a Markdown table.
# Usage: bench/labels_mapserver.sh [BUILD_DIR]
#
# posbon: the precincts imported as the mahallas layer (precinct number as
# name_uz, the field the default style labels), drawn by build/bench_tiles
# --layers mahallas --tile ... --repeat R (renderer loaded once, in-process,
# as in the server; median of R, wall and thread CPU).
# MapServer: the same precincts exported from that database to a shapefile
# in EPSG:4326 (with a shptree index), a POLYGON layer drawn into EPSG:3857
# with the outline and label of the default style's mahallas layer at that
# zoom; map2img -c N draws each tile N times in one process (each draw loads
# the mapfile, draws and writes the PNG): ms per draw = total / N.
#
# POSBON_BENCH_DATA         folder holding nyc/precincts.geojson (../shared/data)
# POSBON_BENCH_LABEL_TILES  the tiles, Z/X/Y separated by spaces (default: 10
#                           z 13 tiles over Manhattan and Brooklyn); z 12-14
# POSBON_BENCH_REPEAT       posbon renders per tile (50)
# POSBON_BENCH_MS_DRAWS     map2img -c N (default: chosen so that one tile's
#                           run takes about POSBON_BENCH_MS_SECONDS, 3 s)
# POSBON_BENCH_MS_NO_CLIP   0: MapServer labels the pieces of the polygons
#                           in the tile (no PROCESSING "LABEL_NO_CLIP")
# POSBON_BENCH_IMAGES       a folder: keep each tile's picture from both there
# shellcheck disable=SC2046,SC2086 # set -- $(...): word splitting wanted
set -eu
BUILD=${1:-build}
POSBON=$BUILD/posbon
HERE=$(cd "$(dirname "$0")/.." && pwd)
DATA=${POSBON_BENCH_DATA:-$HERE/../shared/data}
PRECINCTS=$DATA/nyc/precincts.geojson
# x 2412-2413, y 3077-3081: Harlem and the Upper West Side down to Park Slope,
# Crown Heights and Bedford-Stuyvesant.
TILES=${POSBON_BENCH_LABEL_TILES:-13/2412/3077 13/2413/3077 13/2412/3078 13/2413/3078 13/2412/3079 13/2413/3079 13/2412/3080 13/2413/3080 13/2412/3081 13/2413/3081}
REPEAT=${POSBON_BENCH_REPEAT:-50}
MS_SECONDS=${POSBON_BENCH_MS_SECONDS:-3}
FONT=/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf
[ -f "$FONT" ] || FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
W=$(mktemp -d "${TMPDIR:-/tmp}/posbon-labels-XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM

load() { awk '{ print $1, $2, $3 }' /proc/loadavg; }

for f in "$PRECINCTS" "$FONT"; do
	[ -f "$f" ] || {
		echo "bench: $f is missing" >&2
		exit 1
	}
done
for c in map2img shptree ogr2ogr; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "bench: $c is missing (scripts/install-deps.sh bench)" >&2
		exit 1
	}
done
l0=$(load)

# The precincts, once for each: posbon's database, and a shapefile of the same
# (repaired) geometries from it for MapServer.
"$POSBON" import "$W/nyc.sqlite" --layer mahallas --quiet --field code=precinct \
	--field name_uz=precinct "$PRECINCTS" >"$W/import.txt" 2>&1 || {
	cat "$W/import.txt" >&2
	exit 1
}
ogr2ogr -f "ESRI Shapefile" -nln precincts "$W/precincts.shp" "$W/nyc.sqlite" \
	-sql "SELECT code, geom FROM mahallas"
shptree "$W/precincts.shp" >/dev/null
n_precincts=$(sqlite3 "$W/nyc.sqlite" "SELECT count(*) FROM mahallas")

# The tiles' EPSG:3857 bounds, from posbon's tile maths.
set --
for t in $TILES; do set -- "$@" --tile "$t"; done
"$BUILD/bench_tiles" "$W/nyc.sqlite" --layers mahallas "$@" --list >"$W/tiles.txt"

# posbon, every tile in one process.
"$BUILD/bench_tiles" "$W/nyc.sqlite" --layers mahallas --repeat "$REPEAT" "$@" \
	>"$W/posbon.txt"

# The mapfile of a zoom: styles/default.json's mahallas layer, whose widths
# and sizes are linear in the zoom between stops: stroke #9e9e9e, 0.5 px at
# z 11 to 1.2 px at z 16; label from z 13, Noto Sans 10 px at z 13 to 13 px at
# z 17, #4a4a4a, halo #ffffffcc 1.5 px. MapServer's label SIZE is in points at
# 96 dpi (SIZE 10 draws 13.3 px), so SIZE = px * 72 / 96; its halo
# (OUTLINEWIDTH) is a whole number of pixels: 2. LABEL_NO_CLIP: the label
# point of the whole polygon, not of its part in the tile, so that a polygon
# has one label at one place whatever the tile, as posbon places them
# (without it MapServer labels every piece of a polygon a tile shows, at the
# piece's centre; MapServer turns it on whatever the key's value, so
# POSBON_BENCH_MS_NO_CLIP=0 leaves the key out). PARTIALS FALSE drops labels
# that cross the tile's edge (posbon draws them partially and the neighbour
# tile draws the rest).
ms_map() { # zoom
	width=$(awk -v z="$1" 'BEGIN { z = z < 11 ? 11 : z > 16 ? 16 : z; printf "%.3f", 0.5 + 0.7 * (z - 11) / 5 }')
	size=$(awk -v z="$1" 'BEGIN { z = z < 13 ? 13 : z > 17 ? 17 : z; printf "%.3f", (10 + 3 * (z - 13) / 4) * 72 / 96 }')
	cat <<EOF
MAP
  NAME "labels"
  SIZE 256 256
  EXTENT -20037508 -20037508 20037508 20037508
  IMAGETYPE "png"
  FONTSET "$W/fonts.txt"
  SHAPEPATH "$W"
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
    NAME "precincts"
    TYPE POLYGON
    STATUS ON
    DATA "precincts"
$no_clip
    PROJECTION
      "init=epsg:4326"
    END
    LABELITEM "code"
    CLASS
      STYLE
        OUTLINECOLOR 158 158 158
        WIDTH $width
      END
EOF
	[ "$1" -lt 13 ] || cat <<EOF
      LABEL
        FONT "sans"
        SIZE $size
        COLOR 74 74 74
        OUTLINECOLOR "#ffffffcc"
        OUTLINEWIDTH 2
        POSITION CC
        PARTIALS FALSE
      END
EOF
	cat <<EOF
    END
  END
END
EOF
}
echo "sans $FONT" >"$W/fonts.txt"
no_clip='    PROCESSING "LABEL_NO_CLIP=TRUE"'
[ "${POSBON_BENCH_MS_NO_CLIP:-1}" != 0 ] || no_clip=''

ms_run() { # draws zoom minx miny maxx maxy -> "wall_s user_s sys_s" in $W/mstime
	ms_map "$2" >"$W/labels.map"
	/usr/bin/time -f "%e %U %S" -o "$W/mstime" map2img -m "$W/labels.map" -l precincts \
		-e "$3" "$4" "$5" "$6" -s 256 256 -c "$1" -o "$W/ms.png" >/dev/null 2>"$W/mserr" || {
		cat "$W/mserr" "$W/mstime" >&2
		exit 1
	}
	if [ -s "$W/mserr" ]; then
		cat "$W/mserr" >&2
	fi
}

# N: from 20 draws of the first tile, enough for about MS_SECONDS a tile.
set -- $(head -n 1 "$W/tiles.txt")
z=${1%%/*}
if [ -n "${POSBON_BENCH_MS_DRAWS:-}" ]; then
	DRAWS=$POSBON_BENCH_MS_DRAWS
else
	ms_run 20 "$z" "$2" "$3" "$4" "$5"
	DRAWS=$(awk -v s="$(awk '{ print $1 }' "$W/mstime")" -v t="$MS_SECONDS" \
		'BEGIN { n = int(t / (s / 20) / 10 + 0.5) * 10; print n < 20 ? 20 : n }')
fi
ms_run 1 "$z" "$2" "$3" "$4" "$5"
one_s=$(awk '{ print $1 }' "$W/mstime")

echo "Tiles of the $n_precincts NYC police precincts with boundaries and labels (precinct numbers), 256 px PNG, posbon against MapServer $(map2img -v | awk '{ print $3 }'), $(date -u +%Y-%m-%d), $(nproc) cores, load at start $l0"
echo "posbon: $BUILD/bench_tiles nyc.sqlite --layers mahallas --repeat $REPEAT --tile Z/X/Y ... (default style; median of $REPEAT renders, one thread; CPU: the thread's clock)"
echo "MapServer: map2img -m labels.map -l precincts -e MINX MINY MAXX MAXY -s 256 256 -c $DRAWS -o out.png (ms per draw = time / $DRAWS; CPU: user + sys of /usr/bin/time / $DRAWS)"
echo
echo "| tile | posbon ms (CPU ms) | MapServer ms per draw (CPU ms) | ratio posbon / MapServer (CPU) |"
echo "|---|---|---|---|"
: >"$W/ratios"
while read -r t minx miny maxx maxy _; do
	z=${t%%/*}
	row=$(awk -F'|' -v t=" $t " '$2 == t { print $7, $9 }' "$W/posbon.txt")
	set -- $row
	p_ms=$1 p_cpu=$2
	ms_run "$DRAWS" "$z" "$minx" "$miny" "$maxx" "$maxy"
	set -- $(cat "$W/mstime")
	m_ms=$(awk -v s="$1" -v n="$DRAWS" 'BEGIN { printf "%.2f", s * 1000 / n }')
	m_cpu=$(awk -v u="$2" -v s="$3" -v n="$DRAWS" 'BEGIN { printf "%.2f", (u + s) * 1000 / n }')
	set -- $(awk -v p="$p_ms" -v m="$m_ms" -v pc="$p_cpu" -v mc="$m_cpu" \
		'BEGIN { printf "%.3f %.3f\n", p / m, pc / mc }')
	echo "$1 $2" >>"$W/ratios"
	echo "| $t | $p_ms ($p_cpu) | $m_ms ($m_cpu) | $1 ($2) |"
	if [ -n "${POSBON_BENCH_IMAGES:-}" ]; then
		mkdir -p "$POSBON_BENCH_IMAGES"
		zxy=$(echo "$t" | tr / -)
		cp "$W/ms.png" "$POSBON_BENCH_IMAGES/mapserver-$zxy.png"
		"$POSBON" render "$W/nyc.sqlite" --layer mahallas --tile "$t" \
			-o "$POSBON_BENCH_IMAGES/posbon-$zxy.png" >/dev/null
	fi
done <"$W/tiles.txt"
echo
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
r_wall=$(awk '{ print $1 }' "$W/ratios" | median)
r_cpu=$(awk '{ print $2 }' "$W/ratios" | median)
awk -v r="$r_wall" -v c="$r_cpu" -v n="$(wc -l <"$W/tiles.txt")" 'BEGIN {
	printf "median ratio posbon / MapServer over %d tiles: %.2f wall, **%.2f** CPU (posbon %s); target posbon 10× faster (ratio <= 0.10): %s\n",
		n, r, c, c < 1 ? sprintf("%.1f× faster in CPU", 1 / c) : sprintf("%.2f× slower in CPU", c),
		c <= 0.1 && r <= 0.1 ? "met" : "not met" }'
echo "one map2img process drawing the first tile once: $one_s s (start-up included); load at end $(load)"

# posbon export-tiles: the sample district's heatmap and mahallas at zooms
# 12-14 as MBTiles, read back with Python's sqlite3: a stored tile (TMS
# row) decodes to the pixels `posbon render --tile` draws with the same
# filters, the metadata bounds hold the district, empty tiles are left out;
# @2x tiles; bad options refused with exit 2 and no file; GDAL reads it.
. "$(dirname "$0")/common.sh"
export PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration"
DB="$TMP/d.sqlite"
OUT="$TMP/district.mbtiles"
sample_db "$DB"
FILTER="--from 2026-01-01 --to 2026-06-30 --hours 20-08"

code=0
# shellcheck disable=SC2086 # FILTER is several options
"$POSBON" export-tiles "$DB" -o "$OUT" --layers heatmap+mahallas --zooms 12-14 $FILTER \
	>"$TMP/out" 2>"$TMP/err" || code=$?
check "export-tiles succeeds" "$code" 0
WRITTEN=$(sed -n 's/.*: \([0-9]*\) tiles written, \([0-9]*\) empty skipped, \([0-9]*\) bytes.*/\1/p' "$TMP/out")
EMPTY=$(sed -n 's/.*tiles written, \([0-9]*\) empty skipped.*/\1/p' "$TMP/out")
check_true "the summary counts tiles written" '[ "${WRITTEN:-0}" -gt 0 ]'
check_true "progress goes to stderr" 'grep -q "of [0-9]* tiles (100%)" "$TMP/err"'
check "into a log (not a terminal): whole lines, no carriage return" "$(tr -cd '\r' <"$TMP/err" | wc -c)" 0
check_true "a line every tenth at most" '[ "$(grep -c "tiles (" "$TMP/err")" -le 11 ]'
check "no temporary file is left" "$(ls "$TMP" | grep -c tmp-)" 0

mb() { # SQL against the MBTiles file through Python's sqlite3
	python3 -c "
import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print('|'.join(str(v) for v in row))" "$OUT" "$1"
}
check "tiles stored as the summary says" "$(mb "SELECT count(*) FROM tiles")" "$WRITTEN"
check "zooms 12 to 14" "$(mb "SELECT group_concat(z) FROM (SELECT DISTINCT zoom_level z FROM tiles ORDER BY 1)")" "12,13,14"
check "format" "$(mb "SELECT value FROM metadata WHERE name = 'format'")" png
check "type" "$(mb "SELECT value FROM metadata WHERE name = 'type'")" overlay
check "minzoom, maxzoom" "$(mb "SELECT group_concat(value) FROM (SELECT value FROM metadata WHERE name IN ('minzoom', 'maxzoom') ORDER BY name DESC)")" "12,14"
check_true "the description names layers, filter and period" \
	'mb "SELECT value FROM metadata WHERE name = '"'description'"'" | grep -q "layers heatmap+mahallas; filter: from 2026-01-01, to 2026-06-30, hours 20-08; period 2026-01-01 to 2026-06-30"'
check "the spec's unique index" \
	"$(mb "SELECT \"unique\" FROM pragma_index_list('tiles') WHERE name = 'tile_index'")" 1

# The bounds hold the district (6 decimals in the file).
EXTENT=$(sql "$DB" "SELECT MbrMinX(e) || ',' || MbrMinY(e) || ',' || MbrMaxX(e) || ',' || MbrMaxY(e) FROM (SELECT Extent(geom) e FROM districts)")
BOUNDS=$(mb "SELECT value FROM metadata WHERE name = 'bounds'")
check_true "metadata bounds $BOUNDS contain the district $EXTENT" "python3 -c '
w, s, e, n = map(float, \"$BOUNDS\".split(\",\"))
x0, y0, x1, y1 = map(float, \"$EXTENT\".split(\",\"))
assert w <= x0 + 1e-6 and s <= y0 + 1e-6 and e >= x1 - 1e-6 and n >= y1 - 1e-6
assert e - w < 1 and n - s < 1'"

# The fullest z14 tile against posbon render of its XYZ address.
set -- $(mb "SELECT zoom_level, tile_column, tile_row FROM tiles WHERE zoom_level = 14 ORDER BY length(tile_data) DESC LIMIT 1" | tr '|' ' ')
Z=$1 X=$2 ROW=$3 Y=$(((1 << $1) - 1 - $3))
python3 -c "
import sqlite3, sys
d = sqlite3.connect('$OUT').execute('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?', ($Z, $X, $ROW)).fetchone()[0]
open('$TMP/stored.png', 'wb').write(d)"
# shellcheck disable=SC2086
"$POSBON" render "$DB" --layer heatmap+mahallas --tile "$Z/$X/$Y" $FILTER -o "$TMP/render.png" >/dev/null
same_pixels() {
	python3 -c "
import sys
from pngread import read
a, b = read(sys.argv[1]), read(sys.argv[2])
assert a[:3] == b[:3], (a[:3], b[:3])
assert a[3] == b[3], 'pixels differ'
assert any(row[i] for row in a[3] for i in range(3, len(row), 4)), 'blank'
print(a[0])" "$1" "$2"
}
check "tile $Z/$X/$Y (TMS row $ROW) is posbon render's picture" \
	"$(same_pixels "$TMP/stored.png" "$TMP/render.png")" 256
check_true "some tiles of the box were empty and left out" '[ "${EMPTY:-0}" -gt 0 ]'

# The ground goes into an export like any layer, its names in a language.
"$POSBON" export-tiles "$DB" -o "$TMP/base.mbtiles" --layers base+mahallas --zooms 16 \
	--lang uz-Cyrl $FILTER >/dev/null 2>&1
SAVED=$OUT
OUT="$TMP/base.mbtiles"
set -- $(mb "SELECT zoom_level, tile_column, tile_row FROM tiles ORDER BY length(tile_data) DESC LIMIT 1" | tr '|' ' ')
Z=$1 X=$2 ROW=$3 Y=$(((1 << $1) - 1 - $3))
python3 -c "
import sqlite3
d = sqlite3.connect('$OUT').execute('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?', ($Z, $X, $ROW)).fetchone()[0]
open('$TMP/stored-base.png', 'wb').write(d)"
# shellcheck disable=SC2086
"$POSBON" render "$DB" --layer base+mahallas --tile "$Z/$X/$Y" --lang uz-Cyrl $FILTER -o "$TMP/render-base.png" >/dev/null
check "a base tile of the export is posbon render's picture, names in Cyrillic" \
	"$(same_pixels "$TMP/stored-base.png" "$TMP/render-base.png")" 256
# shellcheck disable=SC2086
"$POSBON" render "$DB" --layer base+mahallas --tile "$Z/$X/$Y" $FILTER -o "$TMP/render-local.png" >/dev/null
check_true "which the local names draw otherwise" '! same_pixels "$TMP/stored-base.png" "$TMP/render-local.png" >/dev/null 2>&1'
OUT=$SAVED
"$POSBON" export-tiles "$DB" -o "$TMP/all.mbtiles" --layers heatmap+mahallas --zooms 12 \
	--bbox 68.9,41.0,69.6,41.6 >/dev/null 2>&1
OUT="$TMP/all.mbtiles"
check_true "a box far beyond the district stores fewer tiles than it covers" \
	'[ "$(mb "SELECT count(*) FROM tiles")" -lt "$(python3 -c "
import math
def t(lon, lat, z=12):
    n = 2 ** z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
(x0, y1), (x1, y0) = t(68.9, 41.0), t(69.6, 41.6)
print((x1 - x0 + 1) * (y1 - y0 + 1))")" ]'

# @2x: 512-px tiles.
"$POSBON" export-tiles "$DB" -o "$TMP/x2.mbtiles" --layers mahallas --zooms 13 --scale 2 \
	--threads 1 >/dev/null 2>&1
OUT="$TMP/x2.mbtiles"
check "--scale 2 stores 512-px tiles" "$(python3 -c "
import sqlite3, struct
d = sqlite3.connect('$OUT').execute('SELECT tile_data FROM tiles LIMIT 1').fetchone()[0]
print('%dx%d' % struct.unpack('>II', d[16:24]))")" "512x512"

# Bad options: exit 2, the option named, no file (an old one kept).
refused() { # description, expected text, options...
	desc=$1 text=$2
	shift 2
	printf 'old' >"$TMP/old.mbtiles"
	code=0
	"$POSBON" export-tiles "$DB" -o "$TMP/old.mbtiles" "$@" >/dev/null 2>"$TMP/err" || code=$?
	check "$desc: exit 2" "$code" 2
	check_true "$desc: the message says '$text'" 'grep -qF -- "$text" "$TMP/err"'
	check "$desc: the old file is kept" "$(cat "$TMP/old.mbtiles")" old
	check "$desc: no temporary file" "$(ls "$TMP" | grep -c tmp-)" 0
}
refused "unknown layer" "layers: 'heat' is not a layer" --layers heat+mahallas
refused "reversed zooms" "--zooms '14-12': the first zoom is above the last" \
	--layers heatmap --zooms 14-12
refused "zoom beyond 22" "--zooms '12-23': zooms are 0 to 22" --layers heatmap --zooms 12-23
refused "too many tiles" "--max-tiles: zooms 11-16 of this box make" --layers heatmap \
	--max-tiles 10
refused "a bad box" "--bbox" --layers heatmap --bbox 69.3,41.2,69.2,41.3
refused "a bad filter" "hours" --layers heatmap --hours 25-3
code=0
"$POSBON" export-tiles "$DB" -o "$TMP/no/such/d.mbtiles" --layers heatmap --zooms 12 \
	>/dev/null 2>"$TMP/err" || code=$?
check "unwritable output: exit 2" "$code" 2
check_true "unwritable output: the message names --output" 'grep -q -- "--output: .*no/such/d.mbtiles" "$TMP/err"'

# Interrupted (Ctrl-C): no file, no temporary file. z 11-19 would take minutes.
"$POSBON" export-tiles "$DB" -o "$TMP/int.mbtiles" --layers heatmap+mahallas --zooms 11-19 \
	--max-tiles 1000000 >/dev/null 2>"$TMP/err" &
EPID=$!
for _ in $(seq 1 200); do
	ls "$TMP" | grep -q "int.mbtiles.tmp-" && grep -q "tiles (" "$TMP/err" && break
	sleep 0.05
done
kill -INT "$EPID"
code=0
wait "$EPID" || code=$?
check "an interrupted export fails" "$code" 1
check_true "it says so" 'grep -q "interrupted after [0-9]* of [0-9]* tiles" "$TMP/err"'
check "it leaves no file" "$(ls "$TMP" | grep -c "^int.mbtiles")" 0

if command -v gdalinfo >/dev/null; then
	check_true "GDAL's MBTiles driver reads the export" \
		'gdalinfo "$TMP/district.mbtiles" | grep -q "Driver: MBTiles"'
	check_true "GDAL reads zoom 14's 9.55 m pixels as the full resolution" \
		'gdalinfo "$TMP/district.mbtiles" | grep -q "Pixel Size = (9.5546"'
else
	echo "skip - gdalinfo is absent"
fi
finish

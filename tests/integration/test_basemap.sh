# The base layer: posbon draws the ground itself from the reference layers
# of Debian's West-Oakland extract. The tile over Goss Street (a residential
# street) is decoded and its pixels checked: the street's colour along the
# street's own OSM geometry, its casing beside it, land colour away from
# everything, buildings from zoom 15 only. The daemon serves the same layer
# at /tiles/base/, and a reload after a newer extract changes its ETag.
. "$(dirname "$0")/common.sh"
OAKLAND=/usr/share/doc/python-osmnx-doc/examples/tests/input_data/West-Oakland.osm.bz2
if [ ! -f "$OAKLAND" ]; then
	echo "SKIP: python-osmnx-doc is not installed (make test installs it)"
	exit 77
fi
DB="$TMP/base.sqlite"
"$POSBON" import "$DB" --layer osm --quiet "$OAKLAND" >/dev/null

# Goss Street's second segment and a building's middle, from the extract
# (ogr2ogr -dialect SQLite on the decompressed file).
STREET="-122.302136 37.807715 -122.302239 37.807738"
BUILDING="-122.301208 37.806257"
export PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration"
set -- $STREET
MID_LON=$(python3 -c "print(($1 + $3) / 2)")
MID_LAT=$(python3 -c "print(($2 + $4) / 2)")
T17=$(tile_of 17 "$MID_LON" "$MID_LAT")
# The ground alone first: the default style without its names, which may
# lie on the very pixels checked.
python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))
del s['layers']['base']['label']
json.dump(s, open(sys.argv[2], 'w'))" "$POSBON_SOURCE_DIR/styles/default.json" "$TMP/nolabel.json"
"$POSBON" render "$DB" --layer base --tile "$T17" --style "$TMP/nolabel.json" -o "$TMP/t17-bare.png" >/dev/null
"$POSBON" render "$DB" --layer base --tile "$T17" -o "$TMP/t17.png" >/dev/null
check "a minor street in its colour along its OSM geometry" "$(pixel "$TMP/t17-bare.png" "$T17" "$MID_LON" "$MID_LAT")" ffffff
# 4 px north of the street's middle at zoom 17 (street ~6 px wide there, a
# 1 px casing beside it): still street or casing, not land.
NEAR_LAT=$(python3 -c "import math; print($MID_LAT + 4.5 * 360 / 2**17 / 256 * math.cos(math.radians($MID_LAT)))")
near=$(pixel "$TMP/t17-bare.png" "$T17" "$MID_LON" "$NEAR_LAT")
check_true "its casing or edge beside it is not land ($near)" '[ "$near" != f4f2ee ]'
set -- $BUILDING
TB=$(tile_of 17 "$1" "$2")
"$POSBON" render "$DB" --layer base --tile "$TB" -o "$TMP/b17.png" >/dev/null
check "a building in the building colour at zoom 17" "$(pixel "$TMP/b17.png" "$TB" "$1" "$2")" e4ded5
TB14=$(tile_of 14 "$1" "$2")
"$POSBON" render "$DB" --layer base --tile "$TB14" -o "$TMP/b14.png" >/dev/null
check_true "no building colour at zoom 14" '[ "$(pixel "$TMP/b14.png" "$TB14" "$1" "$2")" != e4ded5 ]'
# Far from every feature of the extract, inside the same zoom-14 tile's
# south-west corner: the land colour.
check "land elsewhere" "$(python3 -c "
from pngread import read
w, h, bpp, rows = read('$TMP/b14.png')
print('%02x%02x%02x' % tuple(rows[250][4 * 5:4 * 5 + 3]))")" f4f2ee

# Names: street names along the streets and place names, in the label
# colour; without the style's base label, none of that colour at all.
dark() { # png: pixels darker than any ground colour (the names' text)
	python3 -c "
import sys
from pngread import read
w, h, bpp, rows = read(sys.argv[1])
print(sum(1 for r in rows for x in range(w) if max(r[bpp * x:bpp * x + 3]) < 0x90))" "$1"
}
check_true "names are drawn at zoom 17 ($(dark "$TMP/t17.png") dark pixels)" '[ "$(dark "$TMP/t17.png")" -gt 50 ]'
check "and only they are that dark" "$(dark "$TMP/t17-bare.png")" 0

# Served as a layer like any other, with an ETag that a newer extract's
# reload changes.
TOKEN=$("$POSBON" token add "$DB" --role viewer --name wall | tail -n 1)
serve_start "$DB" --cache-dir "$TMP/tiles"
V="Authorization: Bearer $TOKEN"
code=$(curl -s -o "$TMP/served.png" -w '%{http_code}' -H "$V" "$URL/tiles/base/$T17.png")
check "GET /tiles/base/$T17.png" "$code" 200
check "the served tile has the rendered one's pixels" "$(python3 -c "
import sys
from pngread import read
a, b = read(sys.argv[1]), read(sys.argv[2])
print(sum(1 for ra, rb in zip(a[3], b[3]) for x in range(0, len(ra), 4) if ra[x:x + 4] != rb[x:x + 4]))" "$TMP/served.png" "$TMP/t17.png")" 0
etag() { curl -s -o /dev/null -D - -H "$V" "$URL/tiles/base/$T17.png" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'; }
before=$(etag)
check_true "the tile has an ETag" '[ -n "$before" ]'
check "and keeps it" "$(etag)" "$before"
# Goss Street renamed in a newer extract: re-import, reload.
bzcat "$OAKLAND" | sed 's/Goss Street/Goss Avenue/' >"$TMP/newer.osm"
out=$("$POSBON" import "$DB" --layer osm --quiet "$TMP/newer.osm")
check_true "the newer extract updates the street in place" 'echo "$out" | grep -q "inserted 0, updated 1,"'
kill -HUP "$PID"
wait_until '[ "$(etag)" != "$before" ]' 30
check_true "after a newer extract and SIGHUP the ETag changed" '[ "$(etag)" != "$before" ]'
serve_stop
# The disk cache outlives the daemon: restarted with another style, it
# must not answer with the tiles the last run cached.
serve_start "$DB" --cache-dir "$TMP/tiles" --style "$TMP/nolabel.json"
curl -s -H "$V" -o "$TMP/restarted.png" "$URL/tiles/base/$T17.png"
check "a restarted daemon with another style draws anew, not from the last run's cache" \
	"$(dark "$TMP/restarted.png")" 0
serve_stop

# Names in the viewer's language and the wall screen's larger ones: the
# sample district's streets have Uzbek Cyrillic names beside the Latin.
SDB="$TMP/sample.sqlite"
sample_db "$SDB"
set -- $(sql "$SDB" "SELECT ((MbrMinX(geom) + MbrMaxX(geom)) / 2) || ' ' || ((MbrMinY(geom) + MbrMaxY(geom)) / 2) FROM mahallas ORDER BY code LIMIT 1")
TS=$(tile_of 17 "$1" "$2")
TM=$(tile_of 14 "$1" "$2")
serve_start "$SDB"
TOKEN=$("$POSBON" token add "$SDB" --role viewer --name names | tail -n 1)
V="Authorization: Bearer $TOKEN"
get() { curl -s -o "$TMP/$1.png" -w '%{http_code}' -H "$V" "$URL/tiles/base/$TS.png$2"; }
check "the local names" "$(get local '')" 200
check "in Uzbek Cyrillic" "$(get cyrl '?lang=uz-Cyrl')" 200
check "in Russian" "$(get ru '?lang=ru')" 200
check "larger, for the wall" "$(get wall '?lang=uz&labelscale=1.6')" 200
check "the Uzbek Latin names are the local ones" "$(get uz '?lang=uz')" 200
differ() { python3 -c "
import sys
from pngread import read
a, b = read(sys.argv[1]), read(sys.argv[2])
print(sum(1 for ra, rb in zip(a[3], b[3]) for x in range(0, len(ra), 4) if ra[x:x + 4] != rb[x:x + 4]))" "$1" "$2"; }
check "Uzbek Latin draws as the local names" "$(differ "$TMP/local.png" "$TMP/uz.png")" 0
check_true "Cyrillic names draw otherwise ($(differ "$TMP/local.png" "$TMP/cyrl.png") pixels)" \
	'[ "$(differ "$TMP/local.png" "$TMP/cyrl.png")" -gt 100 ]'
check "Russian falls back to the Uzbek Cyrillic names" "$(differ "$TMP/cyrl.png" "$TMP/ru.png")" 0
check_true "the wall's names are larger: more of the names' dark ($(dark "$TMP/wall.png") against $(dark "$TMP/uz.png"))" \
	'[ "$(dark "$TMP/wall.png")" -gt "$(dark "$TMP/uz.png")" ]'
etag() { curl -s -o /dev/null -D - -H "$V" "$URL/tiles/base/$TS.png$1" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'; }
check_true "each language has its own ETag" '[ "$(etag "?lang=ru")" != "$(etag "?lang=en")" ]'
# The mahallas' names follow the language too (the areas have uz, ru, en).
for l in uz ru; do
	curl -s -o "$TMP/m-$l.png" -H "$V" "$URL/tiles/mahallas/$TM.png?lang=$l"
done
curl -s -o "$TMP/m-none.png" -H "$V" "$URL/tiles/mahallas/$TM.png"
check "mahalla names without a language are the style's (Uzbek)" "$(differ "$TMP/m-none.png" "$TMP/m-uz.png")" 0
check_true "in Russian they draw otherwise ($(differ "$TMP/m-uz.png" "$TMP/m-ru.png") pixels)" \
	'[ "$(differ "$TMP/m-uz.png" "$TMP/m-ru.png")" -gt 20 ]'
# and the wall's are larger, read across a room.
# (at 13, where a tile holds many mahallas' names)
set -- $(sql "$SDB" "SELECT ((MbrMinX(geom) + MbrMaxX(geom)) / 2) || ' ' || ((MbrMinY(geom) + MbrMaxY(geom)) / 2) FROM districts")
TD=$(tile_of 13 "$1" "$2")
curl -s -o "$TMP/m-uz13.png" -H "$V" "$URL/tiles/mahallas/$TD.png?lang=uz"
curl -s -o "$TMP/m-wall.png" -H "$V" "$URL/tiles/mahallas/$TD.png?lang=uz&labelscale=1.6"
inked() { # png with alpha: pixels drawn at all (lines and names)
	python3 -c "
import sys
from pngread import read
w, h, bpp, rows = read(sys.argv[1])
print(sum(1 for r in rows for x in range(w) if r[bpp * x + 3] > 0x80))" "$1"
}
check_true "the wall's mahalla names are larger ($(inked "$TMP/m-wall.png") pixels drawn against $(inked "$TMP/m-uz13.png"))" \
	'[ "$(inked "$TMP/m-wall.png")" -gt "$(inked "$TMP/m-uz13.png")" ]'
code=$(curl -s -o "$TMP/bad.json" -w '%{http_code}' -H "$V" "$URL/tiles/base/$TS.png?lang=de")
check "an unknown language is refused" "$code" 400
check "naming the field" "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["field"])' "$TMP/bad.json")" lang
code=$(curl -s -o "$TMP/bad.json" -w '%{http_code}' -H "$V" "$URL/tiles/base/$TS.png?labelscale=9")
check "so is a label scale out of range" "$code/$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["field"])' "$TMP/bad.json")" 400/labelscale
serve_stop
finish

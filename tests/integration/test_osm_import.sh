# posbon import --layer osm on real OpenStreetMap extracts that Debian ships
# (python-osmnx-doc): a .osm.bz2 and a plain .osm. GDAL's own reading of the
# file (ogr2ogr, -dialect SQLite) says which streets, buildings and places it
# holds; every one must be stored with its tags, a second import must change
# nothing, a box keeps only what meets it, a store with districts keeps only
# what meets them, and a damaged file stores nothing.
. "$(dirname "$0")/common.sh"
DIR=/usr/share/doc/python-osmnx-doc/examples/tests/input_data
OAKLAND="$DIR/West-Oakland.osm.bz2"
MUNICH="$DIR/planet_10.068,48.135_10.071,48.137.osm"
if [ ! -f "$OAKLAND" ] || [ ! -f "$MUNICH" ]; then
	echo "SKIP: python-osmnx-doc is not installed (make test installs it)"
	exit 77
fi
DB="$TMP/osm.sqlite"
bzcat "$OAKLAND" >"$TMP/oakland.osm"

# What GDAL reads in the file, one id per line, sorted.
ogr_ids() { # file, SQL
	ogr2ogr -f CSV /vsistdout/ "$1" -dialect SQLite -sql "$2" | tail -n +2 | tr -d '"' | sort
}
STREETS="'motorway','trunk','primary','secondary','tertiary','residential','unclassified',
'living_street','road','service','pedestrian','track','footway','path','cycleway','steps',
'motorway_link','trunk_link','primary_link','secondary_link','tertiary_link','bridleway'"

out=$("$POSBON" import "$DB" --layer osm --quiet "$OAKLAND")
echo "$out"
check_true "the report counts what was read and kept by kind" \
	'echo "$out" | grep -q "^kept by kind: landuse [0-9]*, park [0-9]*, water 0, building [1-9][0-9]*, railway [0-9]*, street [1-9][0-9]*"'
check "every street of the file is stored as a street" \
	"$(sql "$DB" "SELECT external_id FROM ref_features WHERE kind = 'street' ORDER BY 1" | sort)" \
	"$(ogr_ids "$TMP/oakland.osm" "SELECT 'osm:w' || osm_id FROM lines WHERE highway IN ($STREETS)")"
check_true "the file has streets" \
	'[ "$(sql "$DB" "SELECT count(*) FROM ref_features WHERE kind = '"'street'"'")" -gt 20 ]'
check "every building of the file is stored as a building" \
	"$(sql "$DB" "SELECT external_id FROM ref_features WHERE kind = 'building' ORDER BY 1" | sort)" \
	"$(ogr_ids "$TMP/oakland.osm" "SELECT CASE WHEN osm_way_id IS NOT NULL THEN 'osm:w' || osm_way_id ELSE 'osm:r' || osm_id END FROM multipolygons WHERE building IS NOT NULL AND building <> 'no'")"
check "the places of worship, cafes and shops drawn as points are stored as places" \
	"$(sql "$DB" "SELECT external_id || ' ' || poi FROM ref_features WHERE kind = 'poi' AND external_id LIKE 'osm:n%' ORDER BY 1" | sort)" \
	"$(ogr_ids "$TMP/oakland.osm" "SELECT 'osm:n' || osm_id || ' ' || CASE WHEN hstore_get_value(other_tags, 'amenity') = 'place_of_worship' THEN 'worship' WHEN hstore_get_value(other_tags, 'amenity') = 'cafe' THEN 'cafe' ELSE 'shop' END FROM points WHERE hstore_get_value(other_tags, 'amenity') IN ('place_of_worship', 'cafe') OR hstore_get_value(other_tags, 'shop') IS NOT NULL")"
street=$(ogr2ogr -f CSV /vsistdout/ "$TMP/oakland.osm" -dialect SQLite -sql "SELECT 'osm:w' || osm_id, name, highway FROM lines WHERE name = 'Goss Street'" | tail -n +2 | tr -d '"')
check "a street keeps its name, class and every tag" \
	"$(sql "$DB" "SELECT external_id || ',' || name || ',' || json_extract(tags, '$.highway') || ',' || class FROM ref_features WHERE name = 'Goss Street'")" \
	"$street,residential"
check "a cafe keeps its address" \
	"$(sql "$DB" "SELECT addr_street || ' ' || addr_housenumber FROM ref_features WHERE poi = 'cafe'")" \
	"7th Street 1612"
check "streets are lines in lon/lat" \
	"$(sql "$DB" "SELECT DISTINCT GeometryType(geom) || ' ' || ST_SRID(geom) FROM ref_features WHERE kind = 'street'")" \
	"LINESTRING 4326"

before=$(sql "$DB" "SELECT count(*) || ' ' || max(updated_at) FROM ref_features")
out=$("$POSBON" import "$DB" --layer osm --quiet "$OAKLAND")
check_true "importing the same extract again changes nothing" \
	'echo "$out" | grep -q "inserted 0, updated 0, unchanged [1-9][0-9]*, skipped 0"'
check "the stored features are as they were" "$(sql "$DB" "SELECT count(*) || ' ' || max(updated_at) FROM ref_features")" "$before"

# A box over the western part keeps only what meets it, whole.
out=$("$POSBON" import "$TMP/box.sqlite" --layer osm --quiet --bbox=-122.32,37.80,-122.305,37.82 "$OAKLAND")
check_true "features beyond the box are counted and not kept" \
	'echo "$out" | grep -q "beyond it: [1-9]"'
check "nothing kept lies wholly beyond the box" \
	"$(sql "$TMP/box.sqlite" "SELECT count(*) FROM ref_features WHERE MbrMaxX(geom) < -122.32 OR MbrMinX(geom) > -122.305")" 0
check_true "fewer kept than without a box" \
	'[ "$(sql "$TMP/box.sqlite" "SELECT count(*) FROM ref_features")" -lt "$(sql "$DB" "SELECT count(*) FROM ref_features")" ]'

# A plain .osm of another city; in the sample district's store, the
# districts' extent is the box, so an extract of elsewhere adds nothing.
"$POSBON" import "$TMP/munich.sqlite" --layer osm --quiet "$MUNICH" >/dev/null
check "a plain .osm: buildings stored" \
	"$(sql "$TMP/munich.sqlite" "SELECT count(*) FROM ref_features WHERE kind = 'building'")" \
	"$(ogr_ids "$MUNICH" "SELECT count(*) FROM multipolygons WHERE building IS NOT NULL AND building <> 'no'")"
sample_db "$TMP/district.sqlite"
out=$("$POSBON" import "$TMP/district.sqlite" --layer osm --quiet "$MUNICH")
check_true "an extract beyond the districts adds nothing" \
	'echo "$out" | grep -q "inserted 0, updated 0, unchanged 0"'

# Damaged and wrong files: an error naming the file; nothing stored.
head -c 3000 "$OAKLAND" >"$TMP/cut.osm.bz2"
set +e
err=$("$POSBON" import "$TMP/cut.sqlite" --layer osm --quiet "$TMP/cut.osm.bz2" 2>&1)
rc=$?
set -e
check_true "a cut .bz2 fails, naming the file" '[ $rc -ne 0 ] && echo "$err" | grep -q "cut.osm.bz2: .*damaged"'
check "and stores nothing" "$(sql "$TMP/cut.sqlite" "SELECT count(*) FROM ref_features")" 0
set +e
err=$("$POSBON" import "$DB" --layer osm --quiet --bbox 1,2,3 "$OAKLAND" 2>&1)
rc=$?
set -e
check_true "a bad --bbox is refused, naming it" '[ $rc -ne 0 ] && echo "$err" | grep -q -- "--bbox .1,2,3.: expected WEST,SOUTH,EAST,NORTH"'
finish

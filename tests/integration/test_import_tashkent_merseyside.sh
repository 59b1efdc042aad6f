# Tashkent districts (GeometryCollections around MultiPolygons) and the
# Merseyside street-crime CSV (month precision, Europe/London, ids missing for
# anti-social behaviour), each imported twice.
. "$(dirname "$0")/common.sh"
need_data
DB="$TMP/t.sqlite"

out=$("$POSBON" import "$DB" --layer districts --quiet "$DATA/tashkent/districts.geojson")
echo "$out"
check "12 districts" "$(sql "$DB" "SELECT count(*) FROM districts")" 12
check "all unwrapped to MultiPolygons" \
	"$(sql "$DB" "SELECT count(*) FROM districts WHERE GeometryType(geom) = 'MULTIPOLYGON'")" 12
check "all valid" "$(sql "$DB" "SELECT count(*) FROM districts WHERE ST_IsValid(geom)")" 12
check "plausible areas (10 to 100 km2)" \
	"$(sql "$DB" "SELECT count(*) FROM districts WHERE ST_Area(geom, 1) BETWEEN 1e7 AND 1e8")" 12
check "names in three languages" \
	"$(sql "$DB" "SELECT name_uz || '|' || name_ru || '|' || name_en FROM districts WHERE code = 'chilonzor_district'")" \
	"$(sql "$DB" "SELECT name_uz || '|' || name_ru || '|' || name_en FROM districts WHERE name_en = 'Chilonzor district'")"
check_true "Cyrillic names kept" '[ -n "$(sql "$DB" "SELECT name_ru FROM districts WHERE name_ru GLOB '"'*[А-я]*'"'")" ]'
out=$("$POSBON" import "$DB" --layer districts --quiet "$DATA/tashkent/districts.geojson")
check_true "districts re-import changes nothing" 'echo "$out" | grep -q "inserted 0, updated 0, unchanged 12"'

# Region districts: three of them are invalid (nested shells) and get repaired.
out=$("$POSBON" import "$DB" --layer districts --quiet "$DATA/tashkent/tashkent_region_districts.geojson")
echo "$out"
check_true "22 region districts read" 'echo "$out" | grep -q "read 22,"'
check_true "invalid ones repaired and reported" 'echo "$out" | grep -q "invalid polygons repaired with MakeValid: 3"'
check "every stored district valid" "$(sql "$DB" "SELECT count(*) FROM districts WHERE NOT ST_IsValid(geom)")" 0

M="$TMP/m.sqlite"
out=$("$POSBON" import "$M" --layer offences --tz Europe/London --quiet "$DATA/merseyside/street_2018Q1.csv")
echo "$out" | head -4
check "39274 crimes stored" "$(sql "$M" "SELECT count(*) FROM offences")" 39274
check "month precision kept" "$(sql "$M" "SELECT count(*) FROM offences WHERE time_precision = 'month'")" 39274
check "January spans the whole month in UTC" \
	"$(sql "$M" "SELECT DISTINCT datetime(occurred_from, 'unixepoch') || '..' || datetime(occurred_to, 'unixepoch') FROM offences WHERE occurred_from < $(date -u -d 2018-02-01 +%s)")" \
	"2018-01-01 00:00:00..2018-01-31 23:59:59"
check "March ends at local midnight in summer time" \
	"$(sql "$M" "SELECT DISTINCT datetime(occurred_to, 'unixepoch') FROM offences WHERE occurred_from >= $(date -u -d 2018-03-01 +%s)")" \
	"2018-03-31 22:59:59"
check "crime types became categories" "$(sql "$M" "SELECT count(*) FROM categories")" 14
check_true "rows without a Crime ID got row-hash ids" \
	'[ "$(sql "$M" "SELECT count(*) FROM offences WHERE external_id LIKE '"'street_2018Q1.csv:%'"'")" -gt 5000 ]'
check_true "identical anti-social behaviour rows stay separate records" \
	'[ "$(sql "$M" "SELECT count(*) FROM offences WHERE external_id LIKE '"'street_2018Q1.csv:%#2'"'")" -gt 100 ]'
out=$("$POSBON" import "$M" --layer offences --tz Europe/London --quiet "$DATA/merseyside/street_2018Q1.csv")
check_true "re-import changes nothing" 'echo "$out" | grep -q "inserted 0, updated 0, unchanged 39274"'
check "still 39274" "$(sql "$M" "SELECT count(*) FROM offences")" 39274
finish

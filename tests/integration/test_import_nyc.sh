# NYC shootings CSV (lon/lat and EPSG:2263 feet) and patrol sectors
# (Shapefile in EPSG:2263 against the GeoJSON in EPSG:4326).
. "$(dirname "$0")/common.sh"
need_data
DB="$TMP/nyc.sqlite"

out=$("$POSBON" import "$DB" --layer offences --tz America/New_York --quiet "$DATA/nyc/shootings.csv")
echo "$out"
check "rows with coordinates stored" "$(sql "$DB" "SELECT count(*) FROM offences WHERE geom IS NOT NULL")" 27302
check "no row without a point stored" "$(sql "$DB" "SELECT count(*) FROM offences WHERE geom IS NULL")" 0
check_true "10 rows without coordinates reported" 'echo "$out" | grep -q "skipped 10: no coordinates and no mahalla code"'
check "time kept to the second, in UTC (2021-11-11 15:04 EST)" \
	"$(sql "$DB" "SELECT occurred_from || ' ' || time_precision FROM offences WHERE external_id = '236168668'")" \
	"$(date -u -d '2021-11-11T20:04:00Z' +%s) second"
check "a repeated incident key (one row per victim) stays separate records" \
	"$(sql "$DB" "SELECT count(*) FROM offences WHERE external_id IN ('24050482', '24050482#2')")" 2
check_true "repeated keys counted" '[ "$(sql "$DB" "SELECT count(*) FROM offences WHERE external_id LIKE '"'%#%'"'")" -gt 1000 ]'

out=$("$POSBON" import "$DB" --layer offences --tz America/New_York --quiet "$DATA/nyc/shootings.csv")
check_true "re-import changes nothing" 'echo "$out" | grep -q "inserted 0, updated 0, unchanged 27302"'
check "still 27302 rows" "$(sql "$DB" "SELECT count(*) FROM offences")" 27302

# The same file through its State Plane feet columns, reprojected by PROJ.
FT="$TMP/feet.sqlite"
"$POSBON" import "$FT" --layer offences --tz America/New_York --quiet --srs EPSG:2263 \
	--field x=X_COORD_CD --field y=Y_COORD_CD "$DATA/nyc/shootings.csv" >/dev/null
check "feet columns give every row a point" "$(sql "$FT" "SELECT count(*) FROM offences WHERE geom IS NOT NULL")" 27312
far=$(sql "$DB" "ATTACH '$FT' AS ft; SELECT count(*) FROM offences a JOIN ft.offences b USING(external_id)
	WHERE ST_Distance(a.geom, b.geom, 1) > 10")
check "feet and lon/lat columns agree within 10 m" "$far" 0

# Sectors: Shapefile in US feet vs GeoJSON in lon/lat, as patrol zones.
SHP="$TMP/shp.sqlite"
GJ="$TMP/gj.sqlite"
"$POSBON" import "$SHP" --layer zones --quiet "$DATA/nyc/shp/nypdsector.shp" >/dev/null
"$POSBON" import "$GJ" --layer zones --quiet "$DATA/nyc/sectors.geojson" >/dev/null
check "303 sectors from the Shapefile" "$(sql "$SHP" "SELECT count(*) FROM patrol_zones")" 303
check "303 sectors from the GeoJSON" "$(sql "$GJ" "SELECT count(*) FROM patrol_zones")" 303
# 124 coastal sectors are clipped to the shoreline in the GeoJSON only, and its
# vertices are thinned; compare the sectors whose two versions have the same
# shape (areas within 0.1%): a wrong datum or axis order would move them all.
stats=$(sql "$SHP" "ATTACH '$GJ' AS gj; SELECT count(*), max(d), avg(d) FROM (
	SELECT ST_Distance(ST_Centroid(a.geom), ST_Centroid(b.geom), 1) AS d
	FROM patrol_zones a JOIN gj.patrol_zones b USING(external_id)
	WHERE abs(ST_Area(a.geom, 1) - ST_Area(b.geom, 1)) < 0.001 * ST_Area(b.geom, 1))")
echo "same-shape sectors | largest | mean centroid distance (m): $stats"
n=${stats%%|*}
rest=${stats#*|}
check_true "most sectors have the same shape in both files" '[ "$n" -ge 170 ]'
check_true "their centroids agree within 1.2 m (largest)" 'awk -v d="${rest%%|*}" "BEGIN { exit !(d < 1.2) }"'
check_true "and within 0.3 m on average" 'awk -v d="${rest#*|}" "BEGIN { exit !(d < 0.3) }"'
finish

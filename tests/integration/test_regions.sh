# Regions above the districts: the 14 regions of Uzbekistan, the 12
# districts of Tashkent city and the 22 of Tashkent region. Each district
# lies in the region holding a point of its surface, whichever is imported
# first; region= narrows every figure to a region's districts (CLI and
# HTTP); a token scoped to a region reaches its districts, those imported
# later too, and nothing of another region.
. "$(dirname "$0")/common.sh"
need_data
DB="$TMP/country.sqlite"
T="$DATA/tashkent"
"$POSBON" import "$DB" --layer districts --quiet "$T/districts.geojson" >/dev/null
out=$("$POSBON" import "$DB" --layer regions "$T/uzbekistan_regions.geojson")
check_true "regions import" 'echo "$out" | grep -q "read 14, inserted 14"'
"$POSBON" import "$DB" --layer districts --quiet "$T/tashkent_region_districts.geojson" >/dev/null
check "districts imported before the regions and after lie in theirs" \
	"$(sql "$DB" "SELECT group_concat(region_code || ' ' || n, ', ') FROM
	 (SELECT region_code, count(*) AS n FROM districts GROUP BY 1 ORDER BY 1)")" \
	"tashkent_city 12, tashkent_region 22"
check "a regions re-import changes nothing" \
	"$("$POSBON" import "$DB" --layer regions "$T/uzbekistan_regions.geojson" | grep -c "unchanged 14")" 1

# 20 + 23 i offences in district i (by code), in March 2026.
district_offences "$DB" "20 + 23 * d.i" \
	"printf('2026-03-%02d %02d:%02d', 1 + k % 28, k % 24, k % 60)" >"$TMP/offences.csv"
"$POSBON" import "$DB" --layer offences --quiet "$TMP/offences.csv" >/dev/null
in_region() { sql "$DB" "SELECT count(*) FROM offences o JOIN districts d ON d.code = o.district_code
	WHERE d.region_code = '$1'"; }
CITY=$(in_region tashkent_city)
PROV=$(in_region tashkent_region)
check_true "both regions hold offences" '[ "$CITY" -gt 0 ] && [ "$PROV" -gt 0 ]'

# The comparison table of a region: a row per district of it, its total.
"$POSBON" compare "$DB" --region tashkent_city --from 2026-03-01 --to 2026-03-31 --csv \
	-o "$TMP/city.csv" >/dev/null
check "the region's table has its 12 districts and the total" "$(($(wc -l <"$TMP/city.csv") - 1))" 13
check "its total is the region's offences" \
	"$(awk -F, '$1 == "total" { print $5 }' "$TMP/city.csv")" "$CITY"
set +e
err=$("$POSBON" compare "$DB" --region atlantis 2>&1)
rc=$?
set -e
check "an unknown region is refused on the command line" "$rc" 2
check_true "naming the option" 'echo "$err" | grep -q "region"'

# Tokens: a region's, and one of the whole store.
set +e
err=$("$POSBON" token add "$DB" --role viewer --name x --scope region:atlantis 2>&1)
rc=$?
set -e
check_true "a token of an unknown region is refused naming scope" \
	'[ "$rc" -ne 0 ] && echo "$err" | grep -q "scope"'
RT=$("$POSBON" token add "$DB" --role officer --name city-officer --scope region:tashkent_city |
	awk 'NF { t = $NF } END { print t }')
ALL=$("$POSBON" token add "$DB" --role viewer --name country | awk 'NF { t = $NF } END { print t }')
check_true "token list shows the region scope" \
	'"$POSBON" token list "$DB" | grep city-officer | grep -q " region:tashkent_city$"'

serve_start "$DB" --threads 2 --cache-dir none
R="Authorization: Bearer $RT"
A="Authorization: Bearer $ALL"
status() { curl -s -o "$TMP/body" -w "%{http_code}" "$@"; }
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("field"))' "$TMP/body"; }
total() { curl -s "$@" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["offences"]))'; }
M="from=2026-03-01&to=2026-03-31"

check "meta lists the region's districts, each with its region" \
	"$(curl -s -H "$R" "$URL/api/meta" | python3 -c 'import json,sys
d = json.load(sys.stdin)
print(len(d["districts"]), {x["region"] for x in d["districts"]}, [r["code"] for r in d["regions"]])')" \
	"12 {'tashkent_city'} ['tashkent_city']"
check "a country token's meta lists the regions holding districts" \
	"$(curl -s -H "$A" "$URL/api/meta" | python3 -c 'import json,sys; print([r["code"] for r in json.load(sys.stdin)["regions"]])')" \
	"['tashkent_city', 'tashkent_region']"
check "region= counts its districts' offences" "$(total -H "$A" "$URL/api/summary?$M&region=tashkent_region")" "$PROV"
check "the region token counts its region's" "$(total -H "$R" "$URL/api/summary?$M")" "$CITY"
check "and with its own region named" "$(total -H "$R" "$URL/api/summary?$M&region=tashkent_city")" "$CITY"
check "another region is 403 naming district" \
	"$(status -H "$R" "$URL/api/summary?region=tashkent_region") $(field)" "403 district"
check "another region's district is 403" \
	"$(status -H "$R" "$URL/api/summary?district=bekobod_district") $(field)" "403 district"
check "an unknown region is 400 naming it" \
	"$(status -H "$A" "$URL/api/summary?region=atlantis") $(field)" "400 region"
check "a district outside the region named is 400 naming district" \
	"$(status -H "$A" "$URL/api/summary?region=tashkent_city&district=bekobod_district") $(field)" \
	"400 district"
check "the region token's comparison lists its 12 districts" \
	"$(curl -s -H "$R" "$URL/api/compare?$M" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')" 12
# The province's mountain districts are 100 km across: their hotspots'
# cells grow until the grid fits.
check "the country's comparison of one region lists its 22" \
	"$(curl -s -H "$A" "$URL/api/compare?$M&region=tashkent_region" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')" 22
point_in() { # district: a point of it, as "lon, lat"
	sql "$DB" "SELECT X(ST_PointOnSurface(geom)) || ', ' || Y(ST_PointOnSurface(geom))
	 FROM districts WHERE code = '$1'"
}
feature() { # id, "lon, lat"
	printf '{"type":"Feature","properties":{"id":"%s","time":"2026-03-10T10:00:00+05:00","category":"theft"},"geometry":{"type":"Point","coordinates":[%s]}}' "$1" "$2"
}
J="Content-Type: application/json"
check "the region token may not write into another region" \
	"$(status -H "$R" -H "$J" -d "$(feature w1 "$(point_in bekobod_district)")" "$URL/api/offences") $(field)" \
	"403 features[0].geometry"
check "but into its own" \
	"$(status -H "$R" -H "$J" -d "$(feature w2 "$(point_in chilonzor_district)")" "$URL/api/offences")" 201

# A district imported into the region while the daemon runs is reached by
# the same token once the daemon is told (SIGHUP), which also reads the
# offences imported meanwhile.
sql "$DB" "SELECT '{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",
	\"properties\":{\"code\":\"new_district\",\"name_en\":\"New district\"},\"geometry\":' ||
	AsGeoJSON(ST_Buffer(ST_PointOnSurface(geom), 0.002)) || '}]}' FROM districts
	WHERE code = 'bektemir_district'" >"$TMP/new.geojson"
"$POSBON" import "$DB" --layer districts --quiet "$TMP/new.geojson" >/dev/null
check "it lies in the region" "$(sql "$DB" "SELECT region_code FROM districts WHERE code = 'new_district'")" \
	tashkent_city
printf 'id,x,y,date,category\nn1,%s,2026-03-05 10:00,theft\n' \
	"$(sql "$DB" "SELECT X(ST_PointOnSurface(geom)) || ',' || Y(ST_PointOnSurface(geom)) FROM districts
	 WHERE code = 'new_district'")" >"$TMP/new.csv"
"$POSBON" import "$DB" --layer offences --quiet "$TMP/new.csv" >/dev/null
kill -HUP "$PID"
wait_until '[ "$(status -H "$R" "$URL/api/summary?$M&district=new_district")" = 200 ]'
check "the region token reaches it" "$(status -H "$R" "$URL/api/summary?$M&district=new_district")" 200
# The new district lies inside Bektemir, which holds its point first.
check "the offence imported meanwhile is counted (with the one posted)" \
	"$(total -H "$R" "$URL/api/summary?$M")" "$((CITY + 2))"
check "the districts listed include it" \
	"$(curl -s -H "$R" "$URL/api/districts" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["features"]))')" 13
check_true "the daemon says what it read again" 'grep -q "SIGHUP: districts, regions" "$TMP/error.log"'
serve_stop
finish

# A city of districts: the 12 Tashkent districts, offences placed in known
# districts (a different number in each), and every figure of a district
# counting that district's offences only: the store's placement, printed
# pages, the API's figures and the analyses' district= scope.
. "$(dirname "$0")/common.sh"
need_data
DB="$TMP/city.sqlite"
"$POSBON" import "$DB" --layer districts --quiet "$DATA/tashkent/districts.geojson" >/dev/null

# District i (by code) gets 20 + 23 i offences around a point of its surface,
# in March 2026; the CSV says which district each was made in.
district_offences "$DB" "20 + 23 * d.i" \
	"printf('2026-03-%02d %02d:%02d', 1 + k % 28, k % 24, k % 60)" >"$TMP/offences.csv"
"$POSBON" import "$DB" --layer offences --quiet "$TMP/offences.csv" >/dev/null
sql "$DB" "INSERT INTO services(code, name_en) VALUES('ppx', 'Patrol-post service')"

# Two mahallas, one in Chilonzor and one in Bektemir, given without their
# district: the store finds it.
sql "$DB" "SELECT '{\"type\":\"FeatureCollection\",\"features\":[' || group_concat(
	'{\"type\":\"Feature\",\"properties\":{\"code\":\"' || m || '\",\"name_uz\":\"' || m ||
	'\"},\"geometry\":' || AsGeoJSON(ST_Buffer(ST_PointOnSurface(geom), 0.003)) || '}') || ']}'
	FROM (SELECT code, geom, upper(substr(code, 1, 3)) || '-1' AS m FROM districts
	 WHERE code IN ('chilonzor_district', 'bektemir_district'))" >"$TMP/mahallas.geojson"
"$POSBON" import "$DB" --layer mahallas --quiet "$TMP/mahallas.geojson" >/dev/null
check "mahallas take the district they lie in" \
	"$(sql "$DB" "SELECT group_concat(code || '=' || district_code, ' ') FROM mahallas")" \
	"BEK-1=bektemir_district CHI-1=chilonzor_district"

# What each district should count, from the CSV alone.
expected() { grep -c ",$1\$" "$TMP/offences.csv" || true; }
check "every offence stored" "$(sql "$DB" "SELECT count(*) FROM offences")" \
	"$(($(wc -l <"$TMP/offences.csv") - 1))"
check "every offence placed in the district it was made in" \
	"$(sql "$DB" "SELECT count(*) FROM offences WHERE district_code IS NULL
	 OR district_code <> substr(external_id, 1, instr(external_id, '-') - 1)")" 0
C=$(expected chilonzor_district)
B=$(expected bektemir_district)
check_true "the two districts differ in size" '[ "$C" -gt "$B" ] && [ "$B" -gt 0 ]'

# Each printed district counts its own offences: the table's total ("Jami").
for d in chilonzor_district bektemir_district; do
	"$POSBON" print "$DB" --district "$d" --from 2026-03-01 --to 2026-03-31 \
		-o "$TMP/$d.pdf" >/dev/null
done
check "Chilonzor's page counts Chilonzor's offences" "$(pdf_total "$TMP/chilonzor_district.pdf")" "$C"
check "Bektemir's page counts Bektemir's offences" "$(pdf_total "$TMP/bektemir_district.pdf")" "$B"
"$POSBON" print "$DB" --district bektemir_district --lang en --from 2026-03-01 \
	--to 2026-03-31 -o "$TMP/b-en.pdf" >/dev/null
check_true "its hotspot holds Bektemir's offences, not its neighbours'" \
	'pdftotext -layout "$TMP/b-en.pdf" - | grep -A1 "Mahalla, street" | tail -n 1 |
		grep -qE " 1 .* $B +[0-9]"'

set +e
err=$("$POSBON" print "$DB" --district atlantis -o "$TMP/x.pdf" 2>&1)
rc=$?
set -e
check "an unknown district is refused" "$rc" 2
check_true "naming the field" 'echo "$err" | grep -q "district"'

# Each district prints in its own UTM zone, also when the store spans
# several: Andijan lies in zone 43, Tashkent in 42, Karakalpakstan in 40.
U="$TMP/regions.sqlite"
"$POSBON" import "$U" --layer districts --quiet "$DATA/tashkent/uzbekistan_regions.geojson" >/dev/null
zones=""
for d in andijan_region tashkent_city republic_of_karakalpakstan; do
	"$POSBON" print "$U" --district "$d" -o "$TMP/$d.pdf" >/dev/null
	zones="$zones $(pdftotext "$TMP/$d.pdf" - | sed -n 's/.*EPSG:\([0-9]*\).*/\1/p')"
done
check "each district's page in its own UTM zone" "$zones" " 32643 32642 32640"

# A district's time zone is stored: local times of later imports (and of
# every command) are read in it, not in a command line's default.
Z="$TMP/zone.sqlite"
"$POSBON" import "$Z" --layer districts --tz America/New_York --quiet \
	"$DATA/tashkent/districts.geojson" >/dev/null
check "a re-import without --tz changes nothing" \
	"$("$POSBON" import "$Z" --layer districts "$DATA/tashkent/districts.geojson" | grep -c "unchanged 12")" 1
check "a re-import with another --tz updates every district" \
	"$("$POSBON" import "$Z" --layer districts --tz Asia/Samarkand "$DATA/tashkent/districts.geojson" | grep -c "updated 12")" 1
"$POSBON" import "$Z" --layer districts --tz America/New_York --quiet "$DATA/tashkent/districts.geojson" >/dev/null
check "a re-import without --tz keeps the stored zone" \
	"$(sql "$Z" "SELECT group_concat(DISTINCT tz) FROM districts")" America/New_York
head -n 2 "$TMP/offences.csv" >"$TMP/one.csv"
"$POSBON" import "$Z" --layer offences --quiet "$TMP/one.csv" >/dev/null
check "an offence's local time is read in the district's zone (EST)" \
	"$(sql "$Z" "SELECT datetime(occurred_from, 'unixepoch') FROM offences")" "2026-03-01 05:00:00"

# The analyses' district= scope: the hotspots of Chilonzor's offences, as a
# share of Chilonzor's area (within 2 % of the polygon's, a raster of cells).
hot=$("$POSBON" hotspots "$DB" --district chilonzor_district --from 2026-03-01 --to 2026-03-31)
echo "$hot" | head -n 2
check "hotspots count Chilonzor's offences" \
	"$(echo "$hot" | sed -n 's/.*: \([0-9]*\) offences$/\1/p')" "$C"
area=$(echo "$hot" | sed -n 's/.*densest [0-9]*% of \([0-9.]*\) km2.*/\1/p')
check "their share is of Chilonzor's area" \
	"$(sql "$DB" "SELECT abs($area - ST_Area(geom, 1) / 1e6) < 0.02 * ST_Area(geom, 1) / 1e6
	 FROM districts WHERE code = 'chilonzor_district'")" 1

# The API's figures, for every district.
VIEWER=$("$POSBON" token add "$DB" --role viewer --name city-screen)
serve_start "$DB" --threads 2 --cache-dir none
V="Authorization: Bearer $VIEWER"
summary_total() { # district
	curl -s -H "$V" "$URL/api/summary?district=$1" |
		python3 -c 'import json,sys; print(round(json.load(sys.stdin)["offences"]))'
}
wrong=""
for d in $(sql "$DB" "SELECT code FROM districts ORDER BY code"); do
	[ "$(summary_total "$d")" = "$(expected "$d")" ] || wrong="$wrong $d"
done
check "GET /api/summary?district= counts each district's own" "$wrong" ""
check "two districts count together" "$(summary_total chilonzor_district,bektemir_district)" \
	"$((C + B))"
check "an unknown district is a 400 naming the field" \
	"$(curl -s -w ' %{http_code}' -H "$V" "$URL/api/summary?district=atlantis" |
		python3 -c 'import json,sys; t=sys.stdin.read(); b, c = t.rsplit(" ", 1); print(json.loads(b)["field"], c)')" \
	"district 400"

# Territorial access: tokens scoped to Chilonzor see and change nothing of
# Bektemir, through every route family.
set +e
err=$("$POSBON" token add "$DB" --role viewer --name lost --scope district:atlantis 2>&1)
rc=$?
set -e
check "a scope of an unknown district is refused" "$rc" 2
check_true "naming the scope" 'echo "$err" | grep -q "scope: no district has the code .atlantis."'
CV=$("$POSBON" token add "$DB" --role viewer --name chilonzor-screen --scope district:chilonzor_district)
CITY=$("$POSBON" token add "$DB" --role officer --name city-desk)
CO=$("$POSBON" token add "$DB" --role officer --name chilonzor-desk --scope district:chilonzor_district)
"$POSBON" token list "$DB" >"$TMP/tokens"
check "the list shows the scope" "$(awk '$1 == "chilonzor-desk" {print $NF}' "$TMP/tokens")" \
	"district:chilonzor_district"
S="Authorization: Bearer $CV"
O="Authorization: Bearer $CO"
J="Content-Type: application/json"
status() { curl -s -o "$TMP/body" -w "%{http_code}" "$@"; }
field() { python3 -c "import json; print(json.load(open('$TMP/body'))['field'])"; }

# Figures and lists
check "figures count the scope only" \
	"$(curl -s -H "$S" "$URL/api/summary" | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["offences"]))')" "$C"
check "another district's figures are 403" \
	"$(status -H "$S" "$URL/api/summary?district=bektemir_district") $(field)" "403 district"
check "a list naming the scope and another is 403 too" \
	"$(status -H "$S" "$URL/api/summary?district=chilonzor_district,bektemir_district")" 403
check "the offences listed are the scope's" \
	"$(curl -s -H "$S" "$URL/api/offences?limit=5000" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ids = [f["properties"]["id"] for f in d["features"]]
print(len(ids), all(i.startswith("chilonzor_district-") for i in ids))')" "$C True"
check "hotspots of the scope only" \
	"$(curl -s -H "$S" "$URL/api/hotspots?from=2026-03-01&to=2026-03-31" | python3 -c '
import json, sys
print(round(sum(f["properties"]["offences"] for f in json.load(sys.stdin)["features"])))')" "$C"

# A session opened with the scoped token carries the scope.
curl -s -c "$TMP/jar" -H "$J" -H "Origin: $URL" -d "{\"token\":\"$CV\"}" "$URL/api/login" >/dev/null
check "a session keeps its token's scope" \
	"$(status -b "$TMP/jar" "$URL/api/summary?district=bektemir_district")" 403

# Tiles: Bektemir's heat is there for the city, and not for Chilonzor's token.
BX=$(sql "$DB" "SELECT X(ST_PointOnSurface(geom)) FROM districts WHERE code = 'bektemir_district'")
BY=$(sql "$DB" "SELECT Y(ST_PointOnSurface(geom)) FROM districts WHERE code = 'bektemir_district'")
T=$(tile_of 13 "$BX" "$BY")
curl -s -H "$V" -o "$TMP/city.png" "$URL/tiles/heatmap/$T.png?from=2026-03-01&to=2026-03-31"
curl -s -H "$S" -o "$TMP/scoped.png" "$URL/tiles/heatmap/$T.png?from=2026-03-01&to=2026-03-31"
opaque() { # png: pixels with any alpha
	PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration" python3 -c "
import sys
from pngread import read
w, h, bpp, rows = read(sys.argv[1])
print(sum(1 for r in rows for i in range(3, len(r), 4) if r[i]))" "$1"
}
check_true "the city's tile shows Bektemir's heat" '[ "$(opaque "$TMP/city.png")" -gt 100 ]'
check "Chilonzor's token gets the same tile without it" "$(opaque "$TMP/scoped.png")" 0
check "a tile asking for Bektemir is 403" \
	"$(status -H "$S" "$URL/tiles/heatmap/$T.png?district=bektemir_district")" 403

# The viewer's districts, mahallas and the map's bounds
check "meta lists the scope's districts" \
	"$(curl -s -H "$S" "$URL/api/meta" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([x["code"] for x in d["districts"]], d["district"]["code"], d["scope"])')" \
	"['chilonzor_district'] chilonzor_district chilonzor_district"
check "and the city's all twelve, looking at the whole city" \
	"$(curl -s -H "$V" "$URL/api/meta" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["districts"]), d["district"]["code"], d["scope"])')" \
	"12 None None"
check "the city's bounds hold every district's" \
	"$(curl -s -H "$V" "$URL/api/meta" | python3 -c '
import json, sys
d = json.load(sys.stdin)
b = d["district"]["bounds"]
print(all(b[0] <= x["bounds"][0] and b[1] <= x["bounds"][1] and b[2] >= x["bounds"][2] and b[3] >= x["bounds"][3] for x in d["districts"]))')" True
CB=$(sql "$DB" "SELECT printf('%.4f %.4f %.4f %.4f', MbrMinX(geom), MbrMinY(geom), MbrMaxX(geom),
	MbrMaxY(geom)) FROM districts WHERE code = 'chilonzor_district'")
check "the view's bounds are the district's" \
	"$(curl -s -H "$S" "$URL/api/meta" | python3 -c 'import json,sys; print("%.4f %.4f %.4f %.4f" % tuple(json.load(sys.stdin)["district"]["bounds"]))')" "$CB"
check "meta of another district is 403" "$(status -H "$S" "$URL/api/meta?district=bektemir_district")" 403
check "the mahallas listed are the scope's" \
	"$(curl -s -H "$S" "$URL/api/mahallas" | python3 -c 'import json,sys; print([f["properties"]["code"] for f in json.load(sys.stdin)["features"]])')" \
	"['CHI-1']"
check "the districts listed are the scope's, with their area" \
	"$(curl -s -H "$S" "$URL/api/districts" | python3 -c 'import json,sys; f=json.load(sys.stdin)["features"]; print([(x["properties"]["code"], x["geometry"]["type"], round(x["properties"]["area_km2"], 1)) for x in f])')" \
	"[('chilonzor_district', 'MultiPolygon', 30.4)]"
check "an unscoped token lists every district" \
	"$(curl -s -H "$V" "$URL/api/districts" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["features"]))')" 12
check "another district's mahalla's figures are 403" \
	"$(status -H "$S" "$URL/api/mahallas/BEK-1") $(field)" "403 code"
check "a print of another district's mahalla is 403" \
	"$(status -H "$S" "$URL/print/mahalla/BEK-1.pdf")" 403

# WMS: the capabilities' bounds are the scope's
curl -s -u "qgis:$CV" "$URL/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0" >"$TMP/caps.xml"
check "WMS capabilities bound the scope's district" \
	"$(python3 -c '
import re, sys
t = open(sys.argv[1]).read()
v = [float(re.search("<%s>([-0-9.]+)<" % k, t).group(1)) for k in
     ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")]
print("%.4f %.4f %.4f %.4f" % tuple(v))' "$TMP/caps.xml")" "$CB"

# Prints
check "a print of another district is 403" \
	"$(status -H "$S" "$URL/print/district/bektemir_district.pdf") $(field)" "403 code"
check "a print of the scope's district is made" \
	"$(status -H "$S" "$URL/print/district/chilonzor_district.pdf?from=2026-03-01&to=2026-03-31")" 200

# Events: a Chilonzor stream hears of Chilonzor's changes only.
events_open "$S"
# Writes
point_in() { # district: a point of it, as "lon, lat"
	sql "$DB" "SELECT X(ST_PointOnSurface(geom)) || ', ' || Y(ST_PointOnSurface(geom))
	 FROM districts WHERE code = '$1'"
}
feature() { # id, "lon, lat"
	printf '{"type":"Feature","properties":{"id":"%s","time":"2026-03-10T10:00:00+05:00","category":"theft"},"geometry":{"type":"Point","coordinates":[%s]}}' "$1" "$2"
}
check "an offence posted in another district is 403 naming its geometry" \
	"$(status -H "$O" -H "$J" -d "$(feature w1 "$(point_in bektemir_district)")" "$URL/api/offences") $(field)" \
	"403 features[0].geometry"
check "and is not stored" "$(sql "$DB" "SELECT count(*) FROM offences WHERE external_id = 'w1'")" 0
check "an offence posted in the scope is stored" \
	"$(status -H "$O" -H "$J" -d "$(feature w2 "$(point_in chilonzor_district)")" "$URL/api/offences")" 201
check "moving it to another district is 403" \
	"$(status -X PATCH -H "$O" -H "$J" -d "{\"geometry\":{\"type\":\"Point\",\"coordinates\":[$(point_in bektemir_district)]}}" "$URL/api/offences/w2") $(field)" \
	"403 geometry"
check "correcting another district's offence is 403" \
	"$(status -X PATCH -H "$O" -H "$J" -d '{"properties":{"category":"robbery"}}' "$URL/api/offences/bektemir_district-0") $(field)" \
	"403 id"
check "deleting it is 403" "$(status -X DELETE -H "$O" "$URL/api/offences/bektemir_district-0") $(field)" \
	"403 id"
check "it is untouched" \
	"$(sql "$DB" "SELECT category FROM offences WHERE external_id = 'bektemir_district-0'")" theft
status -H "Authorization: Bearer $CITY" -H "$J" -d "$(feature e1 "$(point_in bektemir_district)")" \
	"$URL/api/offences" >/dev/null
status -H "Authorization: Bearer $CITY" -H "$J" -d "$(feature e2 "$(point_in chilonzor_district)")" \
	"$URL/api/offences" >/dev/null
# w2 was posted in Chilonzor after the stream opened: with e2, two events.
check_true "the stream hears of Chilonzor's new offences" \
	'wait_until "[ \$(grep -c \"^event: offences\" \"\$TMP/events\") -ge 2 ]"'
check "and of nothing in Bektemir, posted between them" \
	"$(python3 -c '
import json, sys
lines = open(sys.argv[1]).read().split("\n")
data = [json.loads(lines[i + 1][6:]) for i, l in enumerate(lines) if l == "event: offences"]
print(sorted(set("%.4f" % d["bbox"][0] for d in data)))' "$TMP/events")" \
	"$(sql "$DB" "SELECT printf('[''%.4f'']', X(ST_PointOnSurface(geom))) FROM districts WHERE code = 'chilonzor_district'")"
kill "$SSE" 2>/dev/null || true
# Zones: a planner of Chilonzor neither sees nor changes Bektemir's.
CP=$("$POSBON" token add "$DB" --role planner --name chilonzor-planner --scope district:chilonzor_district)
PLAN=$("$POSBON" token add "$DB" --role planner --name city-planner)
square() { # district -> a Polygon's rings around a point of it
	sql "$DB" "SELECT printf('[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]', x - 0.002, y - 0.002,
	 x + 0.002, y - 0.002, x + 0.002, y + 0.002, x - 0.002, y + 0.002, x - 0.002, y - 0.002)
	 FROM (SELECT X(ST_PointOnSurface(geom)) AS x, Y(ST_PointOnSurface(geom)) AS y
	 FROM districts WHERE code = '$1')"
}
zone() { # id district
	printf '{"type":"Feature","properties":{"id":"%s","name":"%s","assignments":[{"service":"ppx","unit":"PPX-1","shift_start":"18:00","shift_end":"02:00","weekdays":"mon-sun"}]},"geometry":{"type":"Polygon","coordinates":[%s]}}' \
		"$1" "$1" "$(square "$2")"
}
check "the city's planner makes a zone in Bektemir" \
	"$(status -H "Authorization: Bearer $PLAN" -H "$J" -d "$(zone bz bektemir_district)" "$URL/api/zones")" 201
check "Chilonzor's planner may not make one there" \
	"$(status -H "Authorization: Bearer $CP" -H "$J" -d "$(zone cz2 bektemir_district)" "$URL/api/zones") $(field)" \
	"403 geometry"
check "nor replace Bektemir's" \
	"$(status -X PUT -H "Authorization: Bearer $CP" -H "$J" -d "$(zone bz chilonzor_district)" "$URL/api/zones/bz") $(field)" \
	"403 id"
check "nor delete it" "$(status -X DELETE -H "Authorization: Bearer $CP" "$URL/api/zones/bz") $(field)" "403 id"
check "nor read it" "$(status -H "$S" "$URL/api/zones/bz") $(field)" "403 id"
check "but makes one in Chilonzor" \
	"$(status -H "Authorization: Bearer $CP" -H "$J" -d "$(zone cz chilonzor_district)" "$URL/api/zones")" 201
check "the zones listed are the scope's" \
	"$(curl -s -H "$S" "$URL/api/zones" | python3 -c 'import json,sys; print([f["properties"]["id"] for f in json.load(sys.stdin)["features"]])')" \
	"['cz']"
check "Bektemir's zone is still as it was" "$(sql "$DB" "SELECT name || ' ' || district_code FROM patrol_zones WHERE external_id = 'bz'")" \
	"bz bektemir_district"
curl -s -H "$V" -o "$TMP/zones-city.png" "$URL/tiles/zones/$T.png"
curl -s -H "$S" -o "$TMP/zones-scoped.png" "$URL/tiles/zones/$T.png"
check_true "the city's zones tile shows Bektemir's zone" '[ "$(opaque "$TMP/zones-city.png")" -gt 100 ]'
check "Chilonzor's token gets it without" "$(opaque "$TMP/zones-scoped.png")" 0

# Tracks and units
fix() { # "lon, lat" minutes
	printf '{"lon":%s,"lat":%s,"time":"2026-03-10T10:%02d:00+05:00"}' "$(echo "$1" | cut -d, -f1)" \
		"$(echo "$1" | cut -d, -f2)" "$2"
}
track() { # unit district
	printf '{"unit":"%s","fixes":[%s,%s]}' "$1" "$(fix "$(point_in "$2")" 0)" "$(fix "$(point_in "$2")" 1)"
}
check "Chilonzor's officer may not post a track in Bektemir" \
	"$(status -H "$O" -H "$J" -d "$(track U-1 bektemir_district)" "$URL/api/tracks") $(field)" "403 fixes"
check "but in Chilonzor" "$(status -H "$O" -H "$J" -d "$(track U-2 chilonzor_district)" "$URL/api/tracks")" 201
check "the city's officer posts one in Bektemir" \
	"$(status -H "Authorization: Bearer $CITY" -H "$J" -d "$(track U-3 bektemir_district)" "$URL/api/tracks")" 201
check "the units listed are the scope's" \
	"$(curl -s -H "$S" "$URL/api/units" | python3 -c 'import json,sys; print([f["properties"]["unit"] for f in json.load(sys.stdin)["features"]])')" \
	"['U-2']"

serve_stop
finish

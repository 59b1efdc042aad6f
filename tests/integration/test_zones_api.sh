# Patrol zones over loopback with a real client: roles, create, replace,
# delete, history, validation (repair, refusals naming the field),
# optimistic locking with If-Match, and zone tiles that follow a change.
. "$(dirname "$0")/common.sh"
DB="$TMP/z.sqlite"
sample_db "$DB"
VIEWER=$("$POSBON" token add "$DB" --role viewer --name wall-screen)
PLANNER=$("$POSBON" token add "$DB" --role planner --name planner-1)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
V="Authorization: Bearer $VIEWER"
P="Authorization: Bearer $PLANNER"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }
# field of a JSON body: jget FILE EXPRESSION (python, the body is d)
jget() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

# the centre of the sample district, and squares around points
set -- $(sql "$DB" "SELECT round((MbrMinX(geom) + MbrMaxX(geom)) / 2, 4), round((MbrMinY(geom) + MbrMaxY(geom)) / 2, 4) FROM districts LIMIT 1" | tr '|' ' ')
CX=$1 CY=$2
ring() { # lon lat half-size -> a closed square ring
	python3 -c "
x, y, h = $1, $2, $3
print([[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h], [x - h, y - h]])"
}
zone() { # id name ring service shift_start shift_end weekdays -> a Feature
	cat <<EOT
{"type":"Feature","properties":{"id":"$1","name":"$2","valid_from":"2026-07-01","valid_to":"2026-12-31",
 "assignments":[{"service":"$4","unit":"PPX-7","shift_start":"$5","shift_end":"$6","weekdays":"$7"},
                {"service":"jqb","unit":"J-2","shift_start":"$5","shift_end":"$6","weekdays":"sat"}]},
 "geometry":{"type":"Polygon","coordinates":[$3]}}
EOT
}
SQUARE=$(ring "$CX" "$CY" 0.002)
post() { curl -s -o "$TMP/body" -w "%{http_code}" -H "$P" -H "Content-Type: application/json" "$@"; }

check "no token: 401" "$(code "$URL/api/zones")" 401
check "a viewer reads zones" "$(code -H "$V" "$URL/api/zones")" 200
zone bazaar "Bazaar" "$SQUARE" ppx 18:00 02:00 fri-sun >"$TMP/z1.json"
check "a viewer may not create a zone (403)" "$(code -H "$V" -X POST --data-binary @"$TMP/z1.json" "$URL/api/zones")" 403
check "nor delete one" "$(code -H "$V" -X DELETE "$URL/api/zones/bazaar")" 403

# the zone tile over the centre before the zone exists
set -- $(python3 -c "
import math
lon, lat, z = $CX, $CY, 15
n = 2 ** z
print(int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))")
TILE="$URL/tiles/zones/15/$1/$2.png"
curl -s -H "$V" -D "$TMP/h0" -o "$TMP/t0.png" "$TILE"

check "a planner creates a zone: 201" "$(post -D "$TMP/hc" --data-binary @"$TMP/z1.json" "$URL/api/zones")" 201
check_true "with its Location" 'grep -qi "^Location: /api/zones/bazaar" "$TMP/hc"'
check_true "and its version as ETag" 'grep -qi "^ETag: \"1\"" "$TMP/hc"'
check "the answer has the assignments as text and masks" \
	"$(jget "$TMP/body" "d['properties']['assignments'][0]['shift_start'], d['properties']['assignments'][0]['shift_end'], d['properties']['assignments'][0]['weekdays'], d['properties']['assignments'][0]['weekdays_mask'], d['properties']['version'], d['properties']['author'], d['properties']['joint']")" \
	"18:00 02:00 fri-sun 112 1 planner-1 True"
check "stored with two assignments" "$(sql "$DB" "SELECT count(*) FROM zone_assignments a JOIN patrol_zones z ON z.id = a.zone_id WHERE z.external_id = 'bazaar'")" 2
check "audited as the planner" "$(sql "$DB" "SELECT actor || ' ' || action FROM audit WHERE entity = 'zone' AND entity_id = 'bazaar'")" "planner-1 create"
check "creating it again is a conflict" "$(post --data-binary @"$TMP/z1.json" "$URL/api/zones")" 409
curl -s -H "$V" -D "$TMP/h1" -o "$TMP/t1.png" "$TILE"
check_true "the zone tile changed with the new zone" '! cmp -s "$TMP/t0.png" "$TMP/t1.png"'

# a list, filtered by day and service
curl -s -H "$V" "$URL/api/zones?service=jqb&active=2026-08-01" >"$TMP/list"
check_true "the list holds it when active with that service" "jget '$TMP/list' \"'bazaar' in [f['id'] for f in d['features']]\" | grep -q True"
curl -s -H "$V" "$URL/api/zones?active=2027-01-01" >"$TMP/list"
check "and not after its validity" "$(jget "$TMP/list" "'bazaar' in [f['id'] for f in d['features']]")" False
check "a bad active day is a 400 naming it" "$(curl -s -H "$V" "$URL/api/zones?active=2026-02-30" | python3 -c "import json,sys; print(json.load(sys.stdin)['field'])")" active

# two updates through PUT, the second with the right If-Match
zone bazaar "Bazaar east" "$(ring "$CX" "$CY" 0.003)" ppx 18:00 02:00 fri-sun >"$TMP/z2.json"
check "a planner replaces it: 200" "$(post -X PUT --data-binary @"$TMP/z2.json" "$URL/api/zones/bazaar")" 200
check "version 2" "$(jget "$TMP/body" "d['properties']['version']")" 2
curl -s -H "$V" -o "$TMP/t2.png" "$TILE"
check_true "the zone tile changed after the update" '! cmp -s "$TMP/t1.png" "$TMP/t2.png"'
zone bazaar "Bazaar night" "$(ring "$CX" "$CY" 0.003)" ppx 20:00 04:00 mon-fri >"$TMP/z3.json"
check "a stale If-Match is refused: 412" "$(post -X PUT -H 'If-Match: "1"' --data-binary @"$TMP/z3.json" "$URL/api/zones/bazaar")" 412
check "naming If-Match" "$(jget "$TMP/body" "d['field']")" If-Match
check "the current If-Match passes" "$(post -X PUT -H 'If-Match: "2"' --data-binary @"$TMP/z3.json" "$URL/api/zones/bazaar")" 200
check "a body whose id is not the path's: 422" "$(post -X PUT --data-binary @"$TMP/z3.json" "$URL/api/zones/nowhere") $(jget "$TMP/body" "d['field']")" "422 properties.id"
sed 's/"bazaar"/"nowhere"/' "$TMP/z3.json" >"$TMP/z4.json"
check "PUT of a missing zone is a 404" "$(post -X PUT --data-binary @"$TMP/z4.json" "$URL/api/zones/nowhere")" 404
curl -s -H "$V" -D "$TMP/hg" -o "$TMP/one" "$URL/api/zones/bazaar"
check "GET one: name and ETag" "$(jget "$TMP/one" "d['properties']['name']") $(sed -n 's/^ETag: \(.*\)\r$/\1/Ip' "$TMP/hg")" 'Bazaar night "3"'
curl -s -H "$V" -o "$TMP/hist" "$URL/api/zones/bazaar/history"
check "history after two updates: newest first" \
	"$(jget "$TMP/hist" "[(f['properties']['version'], f['properties']['name'], f['properties']['current']) for f in d['features']]")" \
	"[(3, 'Bazaar night', True), (2, 'Bazaar east', False), (1, 'Bazaar', False)]"
check "each with its own assignments" "$(jget "$TMP/hist" "[f['properties']['assignments'][0]['shift_start'] for f in d['features']]")" "['20:00', '18:00', '18:00']"

# validation, each naming the field
post_bad() { # feature-file -> "status field"
	s=$(post --data-binary @"$1" "$URL/api/zones")
	echo "$s $(jget "$TMP/body" "d.get('field')")"
}
zone far "Far" "$(ring "$(python3 -c "print($CX + 1.2)")" "$CY" 0.002)" ppx 18:00 02:00 fri-sun >"$TMP/bad.json"
check "a polygon 100 km away: 422" "$(post_bad "$TMP/bad.json")" "422 geometry"
check_true "saying how far" 'jget "$TMP/body" "d[\"error\"]" | grep -q "outside the district: the nearest district is [0-9.]* km away"'
zone u "Unknown" "$SQUARE" dragnet 18:00 02:00 fri-sun >"$TMP/bad.json"
check "an unknown service: 422 naming the field" "$(post_bad "$TMP/bad.json")" "422 properties.assignments[0].service"
zone t "Bad time" "$SQUARE" ppx 25:00 02:00 fri-sun >"$TMP/bad.json"
check "a bad time: 422 naming the field" "$(post_bad "$TMP/bad.json")" "422 properties.assignments[0].shift_start"
zone w "Bad days" "$SQUARE" ppx 18:00 02:00 someday >"$TMP/bad.json"
check "bad weekdays: 422 naming the field" "$(post_bad "$TMP/bad.json")" "422 properties.assignments[0].weekdays"
zone e "Empty shift" "$SQUARE" ppx 18:00 18:00 fri-sun >"$TMP/bad.json"
check "a shift that ends when it starts: 422" "$(post_bad "$TMP/bad.json")" "422 properties.assignments[0].shift_end"
sed 's/"valid_to":"2026-12-31"/"valid_to":"2026-06-01"/' "$TMP/z1.json" | sed 's/"bazaar"/"d"/' >"$TMP/bad.json"
check "validity that ends before it starts: 422" "$(post_bad "$TMP/bad.json")" "422 properties.valid_to"
sed 's/"name":"Bazaar",//' "$TMP/z1.json" | sed 's/"bazaar"/"n"/' >"$TMP/bad.json"
check "no name: 422" "$(post_bad "$TMP/bad.json")" "422 properties.name"
printf '{"type":"Feature",' >"$TMP/bad.json"
check "broken JSON: 400" "$(post_bad "$TMP/bad.json" 2>/dev/null | cut -d' ' -f1)" 400
# a bow-tie is repaired into two triangles
BOWTIE=$(python3 -c "
x, y, h = $CX, $CY, 0.002
print([[x - h, y - h], [x + h, y + h], [x + h, y - h], [x - h, y + h], [x - h, y - h]])")
zone bowtie "Bow-tie" "$BOWTIE" ppx 08:00 20:00 mon-fri >"$TMP/bt.json"
check "a self-intersecting bow-tie is repaired: 201" "$(post --data-binary @"$TMP/bt.json" "$URL/api/zones")" 201
check "into a MultiPolygon of two parts" "$(jget "$TMP/body" "d['geometry']['type'], len(d['geometry']['coordinates'])")" "MultiPolygon 2"
check_true "saying why" 'jget "$TMP/body" "d[\"properties\"][\"repaired\"]" | grep -q "Self-intersection"'
LINE=$(python3 -c "
x, y = $CX, $CY
print([[x, y], [x + 0.001, y], [x + 0.002, y], [x, y]])")
zone flat "Flat" "$LINE" ppx 08:00 20:00 mon-fri >"$TMP/bad.json"
check "a polygon that cannot be repaired: 422 naming a vertex" "$(post_bad "$TMP/bad.json" | sed 's/\]\[[0-9]*\]$/][v]/')" "422 geometry.coordinates[0][v]"
check "nothing of the refused zones was stored" "$(sql "$DB" "SELECT count(*) FROM patrol_zones WHERE external_id IN ('far','u','t','w','e','d','n','flat')")" 0

# delete, with If-Match, and the history that stays
check "a stale If-Match on delete: 412" "$(code -H "$P" -H 'If-Match: "2"' -X DELETE "$URL/api/zones/bazaar")" 412
events_open "$V"
check "a planner deletes it: 204" "$(code -H "$P" -H 'If-Match: "3"' -X DELETE "$URL/api/zones/bazaar")" 204
check "then it is gone" "$(code -H "$V" "$URL/api/zones/bazaar")" 404
check "deleting it again: 404" "$(code -H "$P" -X DELETE "$URL/api/zones/bazaar")" 404
curl -s -H "$V" -o "$TMP/hist" "$URL/api/zones/bazaar/history"
check "its history stays, the last version marked deleted" \
	"$(jget "$TMP/hist" "[(f['properties']['version'], f['properties']['deleted'], f['properties']['current']) for f in d['features']]")" \
	"[(3, True, False), (2, False, False), (1, False, False)]"
check "the deletion is audited" "$(sql "$DB" "SELECT group_concat(action, ',') FROM (SELECT action FROM audit WHERE entity = 'zone' AND entity_id = 'bazaar' ORDER BY id)")" "create,update,update,delete"
check_true "open viewers heard of the deletion" 'wait_file "\"action\":\"delete\"" "$TMP/events" && grep -q "^event: zones" "$TMP/events"'
kill "$SSE" 2>/dev/null || true
curl -s -H "$V" -o "$TMP/t3.png" "$TILE"
check_true "the zone tile follows the deletion" '! cmp -s "$TMP/t2.png" "$TMP/t3.png"'
check "a made-again zone goes on from its last version" "$(post --data-binary @"$TMP/z1.json" "$URL/api/zones") $(jget "$TMP/body" "d['properties']['version']")" "201 4"
check "history of an id never used: 404" "$(code -H "$V" "$URL/api/zones/never/history")" 404

serve_stop "SIGTERM stops it cleanly"
finish

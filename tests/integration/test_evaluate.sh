# Did it help? GET /api/evaluate and posbon evaluate: the counts of an area
# and of the rest of its district before and after a day equal an
# independent count in SQL, and the difference-in-differences estimate its
# formula; an activity gives the place and the day; scope and bad input.
. "$(dirname "$0")/common.sh"
DB="$TMP/e.sqlite"
"$POSBON" sample "$DB" --districts 2 --mahallas 6 --offences 20000 --end 2026-06-30 >/dev/null
ALL=$("$POSBON" token add "$DB" --role officer --name desk --service prevention)
D2=$("$POSBON" token add "$DB" --role viewer --name d02 --scope district:D02)
serve_start "$DB" --threads 2 --cache-dir none
A="Authorization: Bearer $ALL"
status() { curl -s -o "$TMP/body" -w "%{http_code}" "$@"; }
jget() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); print($1)"; }
ZONE=$(curl -s -H "$A" "$URL/api/meta" | python3 -c "import json,sys; print(json.load(sys.stdin)['timezone'])")
AT=$(TZ=$ZONE date -d "2026-04-01 00:00" +%s)
W=$((8 * 7 * 86400))

# The independent count: located offences by the middle of their span,
# in the mahalla, and in the rest of its district.
count() { # where, from, to
	sql "$DB" "SELECT count(*) FROM offences WHERE geom IS NOT NULL AND $1
	 AND (occurred_from + occurred_to) / 2 >= $2 AND (occurred_from + occurred_to) / 2 < $3"
}
AB=$(count "mahalla_code = 'D01-M03'" $((AT - W)) "$AT")
AA=$(count "mahalla_code = 'D01-M03'" "$AT" $((AT + W)))
CB=$(count "district_code = 'D01' AND coalesce(mahalla_code, '') <> 'D01-M03'" $((AT - W)) "$AT")
CA=$(count "district_code = 'D01' AND coalesce(mahalla_code, '') <> 'D01-M03'" "$AT" $((AT + W)))
check_true "the sample has offences on both sides" '[ "$AB" -gt 50 ] && [ "$CA" -gt 50 ]'

check "GET /api/evaluate of a mahalla: 200" "$(status -H "$A" "$URL/api/evaluate?mahalla=D01-M03&at=2026-04-01")" 200
check "its counts equal SQL's" "$(jget "int(d['area']['before']), int(d['area']['after']), int(d['control']['before']), int(d['control']['after']), d['district']")" \
	"$AB $AA $CB $CA D01"
check "the estimate is (A1/A0)/(C1/C0) with its 95% interval and p" "$(python3 -c "
import json, math
d = json.load(open('$TMP/body'))
e = d['estimate']
a0, a1, c0, c1 = $AB, $AA, $CB, $CA
r = (a1 / a0) / (c1 / c0)
se = math.sqrt(1/a0 + 1/a1 + 1/c0 + 1/c1)
ok = [abs(e['ratio'] - r) < 1e-9, abs(e['low'] - r * math.exp(-1.959964 * se)) < 1e-6,
      abs(e['high'] - r * math.exp(1.959964 * se)) < 1e-6,
      abs(e['p'] - math.erfc(abs(math.log(r)) / se / math.sqrt(2))) < 1e-9,
      abs(e['expected'] - a0 * c1 / c0) < 1e-9]
print(all(ok))")" True
check "16 weeks, each week's counts adding up" "$(jget "len(d['weekly']), d['weekly'][0]['week'], d['weekly'][8]['week'], int(sum(w['area'] for w in d['weekly'])) == $AB + $AA")" \
	"16 2026-02-04 2026-04-01 True"
check "the command line says the same" \
	"$("$POSBON" evaluate "$DB" --mahalla D01-M03 --at 2026-04-01 --format json | python3 -c "import json,sys; d=json.load(sys.stdin); print(int(d['area']['before']), int(d['area']['after']), int(d['control']['before']), int(d['control']['after']))")" \
	"$AB $AA $CB $CA"
check_true "and as a table" '"$POSBON" evaluate "$DB" --mahalla D01-M03 --at 2026-04-01 | grep -q "^rest of D01 *$CB *$CA$"'

# an activity: its mahalla and its start
check "an activity logged in the mahalla" "$(status -H "$A" -H "Content-Type: application/json" -d '{"id":"meet-1","kind":"residents_meeting","start":"2026-04-01T00:00","place":{"kind":"mahalla","code":"D01-M03"},"participants":40}' "$URL/api/activities")" 201
check "evaluated by its id alone: its place, its day, itself in the window" \
	"$(status -H "$A" "$URL/api/evaluate?activity=meet-1") $(jget "d['place'], int(d['area']['before']), int(d['area']['after']), [a['id'] for a in d['activities']]")" \
	"200 {'mahalla': 'D01-M03'} $AB $AA ['meet-1']"
check "fewer weeks, fewer offences" "$(status -H "$A" "$URL/api/evaluate?activity=meet-1&weeks=2") $(jget "int(d['area']['before']) == $(count "mahalla_code = 'D01-M03'" $((AT - 2 * 7 * 86400)) "$AT")")" "200 True"
check "a category narrows it" "$(status -H "$A" "$URL/api/evaluate?mahalla=D01-M03&at=2026-04-01&categories=theft") $(jget "int(d['area']['before'])")" \
	"200 $(count "mahalla_code = 'D01-M03' AND category = 'theft'" $((AT - W)) "$AT")"
set -- $(sql "$DB" "SELECT X(ST_PointOnSurface(geom)), Y(ST_PointOnSurface(geom)) FROM mahallas WHERE code = 'D02-M02'" | tr '|' ' ')
check "around a point: the district of its offences" "$(status -H "$A" "$URL/api/evaluate?lon=$1&lat=$2&radius=400&at=2026-04-01") $(jget "d['district'], d['place']")" \
	"200 D02 {'radius': 400.0}"

check "another district's mahalla: 403" "$(status -H "Authorization: Bearer $D2" "$URL/api/evaluate?mahalla=D01-M03&at=2026-04-01") $(jget "d['field']")" "403 mahalla"
bad() { echo "$(status -H "$A" "$URL/api/evaluate?$1") $(jget "d['field']")"; }
check "no area" "$(bad "at=2026-04-01")" "400 mahalla"
check "no day" "$(bad "mahalla=D01-M03")" "400 at"
check "a day that is none" "$(bad "mahalla=D01-M03&at=2026-02-30")" "400 at"
check "an unknown mahalla" "$(bad "mahalla=atlantis&at=2026-04-01")" "404 mahalla"
check "an unknown activity" "$(bad "activity=nothing")" "404 activity"
check "weeks out of range" "$(bad "mahalla=D01-M03&at=2026-04-01&weeks=0")" "400 weeks"
check "a window by from" "$(bad "mahalla=D01-M03&at=2026-04-01&from=2026-01-01")" "400 from"
check "a latitude off the map" "$(bad "lon=69&lat=91&at=2026-04-01")" "400 lat"
serve_stop
finish

# The change feed over loopback: offences (posted, corrected, deleted,
# imported), zones, tasks and activities come out of GET /api/changes in
# the order committed, each exactly once across pages and a restart of the
# daemon; a district's token reads only its district's changes and still
# pages to the end; bad cursors are refused naming them.
. "$(dirname "$0")/common.sh"
DB="$TMP/c.sqlite"
"$POSBON" sample "$DB" --districts 2 --mahallas 4 --offences 500 --end 2026-06-30 >/dev/null
ALL=$("$POSBON" token add "$DB" --role admin --name feed-reader)
D2=$("$POSBON" token add "$DB" --role viewer --name d02-reader --scope district:D02)
serve_start "$DB" --threads 2 --cache-dir none
A="Authorization: Bearer $ALL"
J="Content-Type: application/json"
status() { curl -s -o "$TMP/body" -w "%{http_code}" "$@"; }
jget() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); print($1)"; }
point_in() { sql "$DB" "SELECT X(ST_PointOnSurface(geom)) || ', ' || Y(ST_PointOnSurface(geom)) FROM districts WHERE code = '$1'"; }
feature() { # id, "lon, lat"
	printf '{"type":"Feature","properties":{"id":"%s","time":"2026-03-10T10:00:00+05:00","category":"theft"},"geometry":{"type":"Point","coordinates":[%s]}}' "$1" "$2"
}
# every change after a cursor, paged by LIMIT: "seq entity id action" lines
read_feed() { # auth, cursor, limit -> lines on stdout, the last cursor in $TMP/next
	rf_cursor=$2
	: >"$TMP/feed"
	while :; do
		curl -s -H "$1" "$URL/api/changes?since=$rf_cursor&limit=$3" >"$TMP/page"
		python3 -c "
import json
d = json.load(open('$TMP/page'))
with open('$TMP/feed', 'a') as f:
    for c in d['changes']:
        f.write('%d %s %s %s\n' % (c['seq'], c['entity'], c['id'], c['action']))
print(d['next'], int(d['more']))" >"$TMP/cursor"
		read -r rf_cursor rf_more <"$TMP/cursor"
		[ "$rf_more" = 1 ] || break
	done
	echo "$rf_cursor" >"$TMP/next"
	cat "$TMP/feed"
}

check "the head is where a new reader starts" "$(status -H "$A" "$URL/api/changes?since=head") $(jget "d['changes'], d['more'], d['next'] == d['head']")" "200 [] False True"
START=$(jget "d['head']")
check_true "the sample's offences are in the feed already" '[ "$START" -ge "$(sql "$DB" "SELECT count(*) FROM offences")" ]'

# changes of every kind, through the API
status -H "$A" -H "$J" -d "$(feature f1 "$(point_in D01)")" "$URL/api/offences" >/dev/null
status -H "$A" -H "$J" -d "$(feature f2 "$(point_in D02)")" "$URL/api/offences" >/dev/null
status -H "$A" -H "$J" -d "$(feature f2 "$(point_in D02)")" "$URL/api/offences" >/dev/null # again: unchanged
status -X PATCH -H "$A" -H "$J" -d '{"properties":{"category":"robbery"}}' "$URL/api/offences/f1" >/dev/null
status -X DELETE -H "$A" "$URL/api/offences/f2" >/dev/null
RING=$(python3 -c "
x, y = $(point_in D01)
print([[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]])")
ZONE='{"type":"Feature","properties":{"id":"z1","name":"Bozor","assignments":[{"service":"ppx","shift_start":"18:00","shift_end":"02:00"}]},"geometry":{"type":"Polygon","coordinates":['"$RING"']}}'
check "a zone is made" "$(status -H "$A" -H "$J" -d "$ZONE" "$URL/api/zones")" 201
check "and deleted" "$(status -X DELETE -H "$A" "$URL/api/zones/z1")" 204
check "a task is sent" "$(status -H "$A" -H "$J" -d '{"id":"t1","text":"Meet the residents","place":{"kind":"mahalla","code":"D02-M01"},"from":{"service":"jqb"},"to":[{"service":"prevention"}]}' "$URL/api/tasks")" 201
check "and accepted" "$(status -X PATCH -H "$A" -H "$J" -d '{"status":"accepted","receiver":{"service":"prevention"}}' "$URL/api/tasks/t1")" 200
check "an activity is logged" "$(status -H "$A" -H "$J" -d '{"id":"a1","kind":"patrol","start":"2026-07-01T22:00","place":{"kind":"mahalla","code":"D01-M02"},"service":"ppx"}' "$URL/api/activities")" 201
EXPECTED="offence f1 create
offence f2 create
offence f1 update
offence f2 delete
zone z1 create
zone z1 delete
task t1 create
task t1 update
activity a1 create"
check "pages of 2 give every change once, in order" "$(read_feed "$A" "$START" 2 | cut -d' ' -f2-)" "$EXPECTED"
check_true "their numbers rise" "read_feed \"\$A\" \"\$START\" 2 | cut -d' ' -f1 | sort -c -n -u"
check "a page of 500 gives the same" "$(read_feed "$A" "$START" 500 | cut -d' ' -f2-)" "$EXPECTED"
CURSOR=$(cat "$TMP/next")
check "the cursor at the end reads nothing more" "$(status -H "$A" "$URL/api/changes?since=$CURSOR") $(jget "d['changes'], d['more']")" "200 [] False"
status -H "$A" "$URL/api/changes?since=$START&limit=1" >/dev/null
check "each change says when, which version, where, and where to read it now" \
	"$(jget "sorted(d['changes'][0].keys()), d['changes'][0]['district'], d['changes'][0]['href']")" \
	"['action', 'at', 'district', 'entity', 'href', 'id', 'seq', 'version'] D01 /api/offences/f1"
check "that link answers the offence as it is now" "$(status -H "$A" "$URL/api/offences/f1") $(jget "d['properties']['category']")" "200 robbery"
check "a deleted offence is gone" "$(status -H "$A" "$URL/api/offences/f2")" 404

# a restart keeps the cursor good; an import while it is down is in the feed
serve_stop "the daemon stops"
P2=$(point_in D02 | awk -F', ' '{print $2 "," $1}')
P1=$(point_in D01 | awk -F', ' '{print $2 "," $1}')
# two new offences, and f1 corrected
printf 'id,date,lat,lon,category\nimp-1,2026-05-01 10:00,%s,theft\nimp-2,2026-05-01 11:00,%s,robbery\nf1,2026-03-10 10:00,%s,hooliganism\n' \
	"$P2" "$P2" "$P1" >"$TMP/more.csv"
"$POSBON" import "$DB" --layer offences "$TMP/more.csv" >/dev/null 2>&1
serve_start "$DB" --threads 2 --cache-dir none
IMPORTED="offence f1 update
offence imp-1 create
offence imp-2 create"
check "after a restart, the same changes from the start" "$(read_feed "$A" "$START" 3 | cut -d' ' -f2-)" "$EXPECTED
$IMPORTED"
check "and from the old cursor only the import's" \
	"$(read_feed "$A" "$CURSOR" 3 | cut -d' ' -f2-)" "$IMPORTED"

# a district's reader
check "D02's reader gets D02's changes only, and reaches the end" \
	"$(read_feed "Authorization: Bearer $D2" "$START" 2 | cut -d' ' -f2-)" "offence f2 create
offence f2 delete
task t1 create
task t1 update
offence imp-1 create
offence imp-2 create"
check "its cursor passes the changes it may not see" "$(cat "$TMP/next")" "$(sql "$DB" "SELECT max(seq) FROM changes")"

check "a bad cursor: 400 naming it" "$(status -H "$A" "$URL/api/changes?since=yesterday") $(jget "d['field']")" "400 since"
check "a page of 0: 400 naming limit" "$(status -H "$A" "$URL/api/changes?limit=0") $(jget "d['field']")" "400 limit"
check "credentials are needed" "$(status "$URL/api/changes")" 401
serve_stop
finish

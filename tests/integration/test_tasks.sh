# Tasks between services over loopback: criminal investigation asks the
# prevention inspector and the youth unit of a mahalla; the receivers'
# event streams hear it at once; each accepts and reports its outcome with
# If-Match; every change is in the task's log and the audit; a district's
# token sees no task of another district; bad input is refused naming the
# field.
. "$(dirname "$0")/common.sh"
DB="$TMP/t.sqlite"
"$POSBON" sample "$DB" --districts 2 --mahallas 6 --offences 2000 --end 2026-06-30 >/dev/null
CID=$("$POSBON" token add "$DB" --role officer --name cid-desk --service jqb/CID-1)
INSP=$("$POSBON" token add "$DB" --role officer --name inspector-m03 --service prevention/INSP-M03 --scope district:D01)
YOUTH=$("$POSBON" token add "$DB" --role officer --name youth-unit --service youth --scope district:D01)
OTHER=$("$POSBON" token add "$DB" --role officer --name d02-desk --service prevention --scope district:D02)
DUTY=$("$POSBON" token add "$DB" --role viewer --name duty)
rc=0
err=$("$POSBON" token add "$DB" --role officer --name nobody --service police 2>&1 >/dev/null) || rc=$?
check_true "a token of an unknown service is refused" '[ "$rc" -ne 0 ]'
check_true "naming the service" 'echo "$err" | grep -q "no service has the code .police."'
check "the token list shows the service" \
	"$("$POSBON" token list "$DB" | awk '$1 == "inspector-m03" {print $7}')" "prevention/INSP-M03"
serve_start "$DB" --threads 2 --cache-dir none
J="Content-Type: application/json"
call() { # token method path [body] -> status; the answer in $TMP/body, headers in $TMP/head
	c_token=$1 c_method=$2 c_path=$3
	shift 3
	curl -s -o "$TMP/body" -D "$TMP/head" -w "%{http_code}" -H "Authorization: Bearer $c_token" \
		-H "$J" -X "$c_method" "$@" "$URL$c_path"
}
jget() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); print($1)"; }
refusal() { echo "$1 $(jget "d.get('field')")"; }

check "/api/me gives the service and unit" \
	"$(call "$INSP" GET /api/me >/dev/null; jget "d['service'], d['unit']")" "prevention INSP-M03"

# the receivers' viewers listen before the task is sent
SSE_AUTH="Authorization: Bearer $INSP"
events_open "$SSE_AUTH"
INSP_SSE=$SSE
mv "$TMP/events" "$TMP/events-insp"
events_open "Authorization: Bearer $OTHER"
OTHER_SSE=$SSE
mv "$TMP/events" "$TMP/events-other"

TASK='{"id":"night-burglaries","text":"Hold a residents meeting on locks and lighting; identify teenagers out after midnight","place":{"kind":"mahalla","code":"D01-M03"},"to":[{"service":"prevention","unit":"INSP-M03"},{"service":"youth"}],"due":"2026-07-03","priority":"high"}'
check "criminal investigation sends a task: 201" "$(call "$CID" POST /api/tasks --data-binary "$TASK")" 201
check_true "with its Location and version" 'grep -qi "^Location: /api/tasks/night-burglaries" "$TMP/head" && grep -qi "^ETag: \"1\"" "$TMP/head"'
check "asked in the name of the token's service and unit" "$(jget "d['properties']['from']['service'], d['properties']['from']['unit'], d['properties']['author']")" "jqb CID-1 cid-desk"
check "its place: the mahalla, in its district, at a point inside it" \
	"$(jget "d['properties']['mahalla'], d['properties']['district'], d['properties']['status']")" "D01-M03 D01 new"
LON=$(jget "d['geometry']['coordinates'][0]")
LAT=$(jget "d['geometry']['coordinates'][1]")
check "the point lies in the mahalla" \
	"$(sql "$DB" "SELECT ST_Covers(geom, MakePoint($LON, $LAT, 4326)) FROM mahallas WHERE code = 'D01-M03'")" 1
check_true "the inspector's stream hears it at once" \
	'wait_file "\"id\":\"night-burglaries\"" "$TMP/events-insp" && grep -q "^event: tasks" "$TMP/events-insp"'
check "the event names both receivers" \
	"$(sed -n 's/^data: //p' "$TMP/events-insp" | grep night-burglaries | head -1 | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['action'], [r['service'] for r in d['task']['to']])")" \
	"create ['prevention', 'youth']"

# a second task in the other district, asked of the other district's desk
TASK2='{"id":"d02-bazaar","text":"Check the venues by the bazaar","place":{"kind":"mahalla","code":"D02-M01"},"to":[{"service":"prevention"}]}'
check "a second task in D02: 201" "$(call "$CID" POST /api/tasks --data-binary "$TASK2")" 201
check_true "D02's stream hears its task" 'wait_file "\"id\":\"d02-bazaar\"" "$TMP/events-other"'
check_true "and never heard of D01's" '! grep -q night-burglaries "$TMP/events-other"'
check_true "nor D01's of D02's" '! grep -q d02-bazaar "$TMP/events-insp"'
kill "$INSP_SSE" "$OTHER_SSE" 2>/dev/null || true

# territorial scope
check "D01's inspector lists only D01's tasks" "$(call "$INSP" GET /api/tasks >/dev/null; jget "[f['id'] for f in d['features']]")" "['night-burglaries']"
check "D02's desk lists only D02's" "$(call "$OTHER" GET /api/tasks >/dev/null; jget "[f['id'] for f in d['features']]")" "['d02-bazaar']"
check "D02's desk may not read D01's task" "$(refusal "$(call "$OTHER" GET /api/tasks/night-burglaries)")" "403 id"
check "nor change it" "$(refusal "$(call "$OTHER" PATCH /api/tasks/night-burglaries --data-binary '{"comment":"seen"}')")" "403 id"
check "D01's inspector may not ask for a task in D02" \
	"$(refusal "$(call "$INSP" POST /api/tasks --data-binary '{"text":"x","place":{"kind":"mahalla","code":"D02-M02"},"to":[{"service":"ppx"}]}')")" "403 place"
check "and nothing of it was stored" "$(sql "$DB" "SELECT count(*) FROM tasks WHERE mahalla_code = 'D02-M02'")" 0
check "the duty officer (all districts) lists both, per service counts" \
	"$(call "$DUTY" GET /api/tasks >/dev/null; jget "len(d['features']), d['counts']['service']['prevention']['open'], d['counts']['service']['youth']['open'], d['counts']['mahalla']['D01-M03']['open']")" "2 2 1 1"
check "a viewer may not send a task" "$(call "$DUTY" POST /api/tasks --data-binary "$TASK2")" 403

# the receivers accept and record what they did
check "the inspector accepts (If-Match 1): 200" \
	"$(call "$INSP" PATCH /api/tasks/night-burglaries -H 'If-Match: "1"' --data-binary '{"status":"accepted"}')" 200
check "version 2, the inspector's row accepted, the task still new (youth has not)" \
	"$(jget "d['properties']['version'], [(r['service'], r['status']) for r in d['properties']['to']], d['properties']['status']")" \
	"2 [('prevention', 'accepted'), ('youth', 'new')] new"
check "a stale If-Match: 412 naming it" \
	"$(refusal "$(call "$YOUTH" PATCH /api/tasks/night-burglaries -H 'If-Match: "1"' --data-binary '{"status":"accepted"}')")" "412 If-Match"
check "the youth unit accepts: the task is accepted" \
	"$(call "$YOUTH" PATCH /api/tasks/night-burglaries -H 'If-Match: "2"' --data-binary '{"status":"accepted"}' >/dev/null; jget "d['properties']['status'], d['properties']['version']")" "accepted 3"
check "the inspector may not change the youth unit's status" \
	"$(refusal "$(call "$INSP" PATCH /api/tasks/night-burglaries --data-binary '{"status":"done","receiver":{"service":"youth"},"outcome":"x"}')")" "403 receiver"
check "a receiver may not edit what was asked" \
	"$(refusal "$(call "$INSP" PATCH /api/tasks/night-burglaries --data-binary '{"due":"2026-08-01"}')")" "403 due"
check "criminal investigation is no receiver" \
	"$(refusal "$(call "$CID" PATCH /api/tasks/night-burglaries --data-binary '{"status":"done"}')")" "404 receiver"
check "the inspector reports: done with an outcome" \
	"$(call "$INSP" PATCH /api/tasks/night-burglaries --data-binary '{"status":"done","outcome":"Residents meeting held, 40 residents"}')" 200
check "declining needs a reason" \
	"$(refusal "$(call "$YOUTH" PATCH /api/tasks/night-burglaries --data-binary '{"status":"declined"}')")" "422 reason"
check "the youth unit is done too: the task is done" \
	"$(call "$YOUTH" PATCH /api/tasks/night-burglaries --data-binary '{"status":"done","outcome":"Two evening walks with the patrol-post unit"}' >/dev/null; jget "d['properties']['status'], d['properties']['to'][1]['note']")" \
	"done Two evening walks with the patrol-post unit"
check "the asker comments" "$(call "$CID" PATCH /api/tasks/night-burglaries --data-binary '{"comment":"Thanks; we watch the figures"}')" 200
check "the log keeps every change in order" \
	"$(jget "[(e['version'], e['action'], e['actor'], e['service'], e['status']) for e in d['properties']['log']]")" \
	"[(1, 'create', 'cid-desk', None, 'new'), (2, 'status', 'inspector-m03', 'prevention', 'accepted'), (3, 'status', 'youth-unit', 'youth', 'accepted'), (4, 'status', 'inspector-m03', 'prevention', 'done'), (5, 'status', 'youth-unit', 'youth', 'done'), (6, 'comment', 'cid-desk', None, None)]"
check "and the audit every change by who made it" \
	"$(sql "$DB" "SELECT group_concat(actor || ':' || action, ',') FROM (SELECT actor, action FROM audit WHERE entity = 'task' AND entity_id = 'night-burglaries' ORDER BY id)")" \
	"cid-desk:create,inspector-m03:update,youth-unit:update,inspector-m03:update,youth-unit:update,cid-desk:update"
check "a done task is no longer open" "$(call "$DUTY" GET /api/tasks >/dev/null; jget "[f['id'] for f in d['features']]")" "['d02-bazaar']"
check "but listed with status=all" "$(call "$DUTY" GET '/api/tasks?status=all' >/dev/null; jget "len(d['features'])")" 2

# overdue: a due day before today (in the district's time zone) comes first
check "a task due long ago" "$(call "$CID" POST /api/tasks --data-binary '{"id":"late","text":"Overdue check","place":{"kind":"point","lon":'"$LON"',"lat":'"$LAT"'},"to":[{"service":"ppx"}],"due":"2020-01-01"}')" 201
check "its point found its mahalla" "$(jget "d['properties']['mahalla'], d['properties']['overdue']")" "D01-M03 True"
check "overdue first, then by due day" "$(call "$DUTY" GET /api/tasks >/dev/null; jget "[(f['id'], f['properties']['overdue']) for f in d['features']]")" "[('late', True), ('d02-bazaar', False)]"
check "status=overdue lists it alone" "$(call "$DUTY" GET '/api/tasks?status=overdue' >/dev/null; jget "[f['id'] for f in d['features']], d['counts']['service']['ppx']")" "['late'] {'open': 1, 'overdue': 1}"
check "service=mine: the tasks of the token's service" "$(call "$OTHER" GET '/api/tasks?service=mine' >/dev/null; jget "[f['id'] for f in d['features']]")" "['d02-bazaar']"

# bad input, each naming its field
bad() { refusal "$(call "$CID" POST /api/tasks --data-binary "$1")"; }
check "no JSON" "$(bad '{"text":')" "400 body"
check "no place" "$(bad '{"text":"x","to":[{"service":"ppx"}]}')" "400 place"
check "an unknown kind of place" "$(bad '{"text":"x","place":{"kind":"street"},"to":[{"service":"ppx"}]}')" "422 place.kind"
check "an unknown mahalla" "$(bad '{"text":"x","place":{"kind":"mahalla","code":"atlantis"},"to":[{"service":"ppx"}]}')" "422 place.code"
check "a point without a number" "$(bad '{"text":"x","place":{"kind":"point","lon":"69"},"to":[{"service":"ppx"}]}')" "400 place.lon"
check "no receivers" "$(bad '{"text":"x","place":{"kind":"mahalla","code":"D01-M01"},"to":[]}')" "400 to"
check "an unknown receiving service" "$(bad '{"text":"x","place":{"kind":"mahalla","code":"D01-M01"},"to":[{"service":"ppx"},{"service":"police"}]}')" "422 to[1].service"
check "a receiver named twice" "$(bad '{"text":"x","place":{"kind":"mahalla","code":"D01-M01"},"to":[{"service":"ppx"},{"service":"ppx"}]}')" "422 to[1].service"
check "a bad due day" "$(bad '{"text":"x","place":{"kind":"mahalla","code":"D01-M01"},"to":[{"service":"ppx"}],"due":"31.12.2026"}')" "422 due"
check "a bad priority" "$(bad '{"text":"x","place":{"kind":"mahalla","code":"D01-M01"},"to":[{"service":"ppx"}],"priority":"asap"}')" "422 priority"
check "in another service's name" "$(bad '{"text":"x","place":{"kind":"mahalla","code":"D01-M01"},"to":[{"service":"ppx"}],"from":{"service":"youth"}}')" "403 from.service"
check "the same task sent again changes nothing: 200, as stored" \
	"$(call "$CID" POST /api/tasks --data-binary "$TASK") $(jget "d['properties']['status'], d['properties']['version']")" "200 done 6"
check "an id taken with other content" "$(bad "$(echo "$TASK" | sed 's/"high"/"low"/')")" "409 id"
check "an unknown status" "$(refusal "$(call "$INSP" PATCH /api/tasks/late --data-binary '{"status":"finished"}')")" "422 status"
check "nothing to change" "$(refusal "$(call "$CID" PATCH /api/tasks/late --data-binary '{}')")" "422 body"
check "no such task" "$(refusal "$(call "$CID" PATCH /api/tasks/nothing --data-binary '{"comment":"x"}')")" "404 id"

# the asker edits the receivers: a kept one keeps its answer
check "the asker names the receivers anew: 200" \
	"$(call "$CID" PATCH /api/tasks/night-burglaries -H 'If-Match: "6"' --data-binary '{"to":[{"service":"prevention","unit":"INSP-M03"},{"service":"ppx","unit":"PPX-7"}]}')" 200
check "one kept keeps its answer, a new one starts new, the one left out is gone" \
	"$(jget "[(r['service'], r['unit'], r['status'], r['note']) for r in d['properties']['to']], d['properties']['status'], d['properties']['version']")" \
	"[('prevention', 'INSP-M03', 'done', 'Residents meeting held, 40 residents'), ('ppx', 'PPX-7', 'new', None)] new 7"
check "the log says what was edited" "$(jget "d['properties']['log'][-1]['action'], d['properties']['log'][-1]['note']")" "edit to"
check "a receiver may not name them" \
	"$(refusal "$(call "$INSP" PATCH /api/tasks/night-burglaries --data-binary '{"to":[{"service":"prevention"}]}')")" "403 to"
check "an unknown service among them" \
	"$(refusal "$(call "$CID" PATCH /api/tasks/night-burglaries --data-binary '{"to":[{"service":"ppx"},{"service":"police"}]}')")" "422 to[1].service"
check "none of them" "$(refusal "$(call "$CID" PATCH /api/tasks/night-burglaries --data-binary '{"to":[]}')")" "400 to"
check "the refused edits changed nothing" \
	"$(call "$CID" GET /api/tasks/night-burglaries >/dev/null; jget "d['properties']['version'], len(d['properties']['to'])")" "7 2"
check "the refusals stored nothing" "$(sql "$DB" "SELECT count(*) FROM tasks")" 3
check "no personal data: the tables of tasks have no column for a name or an identity number" \
	"$(sql "$DB" "SELECT count(*) FROM pragma_table_info('tasks') WHERE name IN ('person','surname','passport','pinfl','phone','address')")" 0

# --- the shared prevention log: what each service did, linked to the task
events_open "Authorization: Bearer $DUTY"
LOG1='{"id":"insp-2026-07-02-1","kind":"residents_meeting","start":"2026-07-02T18:00","end":"2026-07-02T19:30","place":{"kind":"mahalla","code":"D01-M03"},"participants":40,"task":"night-burglaries","outcome":"Locks and lighting discussed"}'
check "the inspector logs the meeting: 201" "$(call "$INSP" POST /api/activities --data-binary "$LOG1")" 201
check "inserted, in the inspector's service and unit" "$(jget "d['inserted'], d['ids']")" "1 ['insp-2026-07-02-1']"
check_true "the duty officer's stream hears it" 'wait_file "insp-2026-07-02-1" "$TMP/events" && grep -q "^event: activities" "$TMP/events"'
kill "$SSE" 2>/dev/null || true
check "sending it again changes nothing" "$(call "$INSP" POST /api/activities --data-binary "$LOG1" >/dev/null; jget "d['inserted'], d['updated'], d['unchanged']")" "0 0 1"
WALKS='[{"id":"y-walk-1","kind":"patrol","start":"2026-07-03T22:00","end":"2026-07-04T00:30","place":{"kind":"point","lon":'"$LON"',"lat":'"$LAT"'},"task":"night-burglaries","participants":3},
 {"id":"y-walk-2","kind":"youth_meeting","start":"2026-07-05","place":{"kind":"mahalla","code":"D01-M03"},"participants":12}]'
check "the youth unit sends two at once: 201" "$(call "$YOUTH" POST /api/activities --data-binary "$WALKS" >/dev/null; jget "d['inserted'], d['ids']")" "2 ['y-walk-1', 'y-walk-2']"
check "the mahalla's timeline, latest first, with who did what" \
	"$(call "$DUTY" GET '/api/activities?mahalla=D01-M03' >/dev/null; jget "[(f['id'], f['properties']['service'], f['properties']['unit'], f['properties']['participants']) for f in d['features']]")" \
	"[('y-walk-2', 'youth', None, 12), ('y-walk-1', 'youth', None, 3), ('insp-2026-07-02-1', 'prevention', 'INSP-M03', 40)]"
check "counted by kind" "$(jget "sorted(d['counts']['kind'].items())")" "[('patrol', 1), ('residents_meeting', 1), ('youth_meeting', 1)]"
check "the task's activities" "$(call "$DUTY" GET '/api/activities?task=night-burglaries' >/dev/null; jget "len(d['features'])")" 2
check "a span of days" "$(call "$DUTY" GET '/api/activities?from=2026-07-03&to=2026-07-04' >/dev/null; jget "[f['id'] for f in d['features']]")" "['y-walk-1']"
ZONE=$(call "$DUTY" GET /api/meta >/dev/null; jget "d['timezone']")
utc() { TZ=$ZONE date -u -d "@$(TZ=$ZONE date -d "$1" +%s)" +%Y-%m-%dT%H:%M:%SZ; }
check "one activity, its local times in UTC" "$(call "$DUTY" GET /api/activities/insp-2026-07-02-1 >/dev/null; jget "d['properties']['start'], d['properties']['end'], d['properties']['task']")" \
	"$(utc '2026-07-02 18:00') $(utc '2026-07-02 19:30') night-burglaries"
check "an end past midnight is that moment" "$(call "$DUTY" GET /api/activities/y-walk-1 >/dev/null; jget "d['properties']['end']")" "$(utc '2026-07-04 00:30')"
check "D02's desk sees none of D01's activities" "$(call "$OTHER" GET /api/activities >/dev/null; jget "len(d['features'])")" 0
check "nor one by its id" "$(refusal "$(call "$OTHER" GET /api/activities/y-walk-1)")" "403 id"
check "nor may it overwrite it" "$(refusal "$(call "$OTHER" POST /api/activities --data-binary '{"id":"y-walk-1","kind":"patrol","start":"2026-07-03T22:00","place":{"kind":"mahalla","code":"D02-M01"}}')")" "403 id"
check "nor log one in D01" "$(refusal "$(call "$OTHER" POST /api/activities --data-binary '{"id":"o-1","kind":"raid","start":"2026-07-03","place":{"kind":"mahalla","code":"D01-M01"}}')")" "403 place"
check "nor link D01's task" "$(refusal "$(call "$OTHER" POST /api/activities --data-binary '{"id":"o-2","kind":"raid","start":"2026-07-03","place":{"kind":"mahalla","code":"D02-M01"},"task":"night-burglaries"}')")" "403 task"

# no personal data: unknown members are refused, a home visit keeps no house
check "a name is refused, naming it" "$(refusal "$(call "$INSP" POST /api/activities --data-binary '{"id":"hv-0","kind":"home_visit","start":"2026-07-04","place":{"kind":"mahalla","code":"D01-M03"},"person":"A. Karimov"}')")" "400 person"
check "an address too" "$(refusal "$(call "$INSP" POST /api/activities --data-binary '{"id":"hv-0","kind":"home_visit","start":"2026-07-04","place":{"kind":"mahalla","code":"D01-M03"},"address":"Navoiy 12"}')")" "400 address"
HX=$(python3 -c "print($LON + 0.000123)") HY=$(python3 -c "print($LAT + 0.000077)")
check "a home visit at a house's point: 201" "$(call "$INSP" POST /api/activities --data-binary '{"id":"hv-1","kind":"home_visit","start":"2026-07-04T11:00","place":{"kind":"point","lon":'"$HX"',"lat":'"$HY"'}}')" 201
check_true "is kept at the centre of its 100 m square, not at the house" \
	"call \"\$DUTY\" GET /api/activities/hv-1 >/dev/null && python3 -c \"
import json, math
d = json.load(open('$TMP/body'))
x, y = d['geometry']['coordinates']
lat_step = 100 / 111320.0
lon_step = 100 / (111320.0 * math.cos(math.radians(y)))
on_centre = abs((y / lat_step) % 1 - 0.5) < 1e-6 and abs((x / lon_step) % 1 - 0.5) < 1e-6
moved = math.hypot((x - $HX) * 111320 * math.cos(math.radians(y)), (y - $HY) * 111320)
assert on_centre and 0 < moved < 71 and d['properties']['place']['kind'] == 'point', (x, y, moved)
\""
check "the tables of the log have no column for a person" \
	"$(sql "$DB" "SELECT count(*) FROM pragma_table_info('activities') WHERE name IN ('person','name','surname','passport','pinfl','phone','address','birth')")" 0

# bad input naming the field (in a batch, with its index)
badlog() { refusal "$(call "$YOUTH" POST /api/activities --data-binary "$1")"; }
check "no id" "$(badlog '{"kind":"patrol","start":"2026-07-03","place":{"kind":"mahalla","code":"D01-M01"}}')" "400 id"
check "an unknown kind" "$(badlog '{"id":"b1","kind":"party","start":"2026-07-03","place":{"kind":"mahalla","code":"D01-M01"}}')" "422 kind"
check "no start" "$(badlog '{"id":"b1","kind":"patrol","place":{"kind":"mahalla","code":"D01-M01"}}')" "400 start"
check "an end before the start" "$(badlog '{"id":"b1","kind":"patrol","start":"2026-07-03T10:00","end":"2026-07-03T09:00","place":{"kind":"mahalla","code":"D01-M01"}}')" "422 end"
check "participants not a count" "$(badlog '{"id":"b1","kind":"patrol","start":"2026-07-03","participants":2.5,"place":{"kind":"mahalla","code":"D01-M01"}}')" "400 participants"
check "an unknown task" "$(badlog '{"id":"b1","kind":"patrol","start":"2026-07-03","task":"nothing","place":{"kind":"mahalla","code":"D01-M01"}}')" "422 task"
check "the third of a batch, by its index" "$(badlog '[{"id":"b1","kind":"patrol","start":"2026-07-03","place":{"kind":"mahalla","code":"D01-M01"}},{"id":"b2","kind":"patrol","start":"2026-07-03","place":{"kind":"mahalla","code":"D01-M01"}},{"id":"b3","kind":"patrol","start":"2026-07-03","place":{"kind":"mahalla","code":"atlantis"}}]')" "422 [2].place.code"
check "and nothing of the batch was stored" "$(sql "$DB" "SELECT count(*) FROM activities WHERE external_id IN ('b1','b2','b3')")" 0
check "every write audited as its sender" \
	"$(sql "$DB" "SELECT group_concat(actor || ':' || action, ',') FROM (SELECT actor, action FROM audit WHERE entity = 'activity' ORDER BY id)")" \
	"inspector-m03:create,youth-unit:create,youth-unit:create,inspector-m03:create"
serve_stop
finish

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
check "an id taken" "$(bad "$TASK")" "409 id"
check "an unknown status" "$(refusal "$(call "$INSP" PATCH /api/tasks/late --data-binary '{"status":"finished"}')")" "422 status"
check "nothing to change" "$(refusal "$(call "$CID" PATCH /api/tasks/late --data-binary '{}')")" "422 body"
check "no such task" "$(refusal "$(call "$CID" PATCH /api/tasks/nothing --data-binary '{"comment":"x"}')")" "404 id"
check "the refusals stored nothing" "$(sql "$DB" "SELECT count(*) FROM tasks")" 3
check "no personal data: the tables of tasks have no column for a name or an identity number" \
	"$(sql "$DB" "SELECT count(*) FROM pragma_table_info('tasks') WHERE name IN ('person','surname','passport','pinfl','phone','address')")" 0
serve_stop
finish

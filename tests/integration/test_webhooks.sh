# Outgoing webhooks over loopback: the daemon POSTs the change feed to
# receivers (webhook_receiver.py) in order, each change once, signed with
# the subscription's secret; a receiver's failures are retried and the batch
# then delivered; a restart resumes from the stored cursor without a
# repeat; a district's subscription gets its district's changes only; a
# receiver that hangs or a port that refuses holds up nothing else.
. "$(dirname "$0")/common.sh"
DB="$TMP/w.sqlite"
"$POSBON" sample "$DB" --districts 2 --mahallas 4 --offences 300 --end 2026-06-30 >/dev/null
ADMIN=$("$POSBON" token add "$DB" --role admin --name hooks-admin)
A="Authorization: Bearer $ADMIN"
J="Content-Type: application/json"
openssl rand -hex 32 >"$TMP/secret"
chmod 600 "$TMP/secret"
status() { curl -s -o "$TMP/body" -w "%{http_code}" "$@"; }
point_in() { sql "$DB" "SELECT X(ST_PointOnSurface(geom)) || ', ' || Y(ST_PointOnSurface(geom)) FROM districts WHERE code = '$1'"; }
feature() { # id, "lon, lat"
	printf '{"type":"Feature","properties":{"id":"%s","time":"2026-03-10T10:00:00+05:00","category":"theft"},"geometry":{"type":"Point","coordinates":[%s]}}' "$1" "$2"
}

# receivers: NAME [options] -> listening, its port in $TMP/NAME.port; they
# end with the test (common.sh's trap cannot list them: sh keeps no job
# table in a trap)
RECEIVERS=""
trap 'kill $RECEIVERS ${PID:-} 2>/dev/null || true; rm -rf "$TMP"' EXIT
receiver() {
	rname=$1
	shift
	python3 "$POSBON_SOURCE_DIR/tests/integration/webhook_receiver.py" --port-file "$TMP/$rname.port" \
		--log "$TMP/$rname.log" --secret-file "$TMP/secret" "$@" &
	RECEIVERS="$RECEIVERS $!"
	wait_until '[ -s "$TMP/$rname.port" ]'
	: >>"$TMP/$rname.log"
}
receiver all --fail-file "$TMP/all.fail"
receiver d02
receiver stuck --silent
port_of() { cat "$TMP/$1.port"; }
# what a receiver took (answered 200), in order: "entity id action
# district" lines; with "seqs", their seqs
taken() {
	python3 -c "
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r['status'] == 200:
        for c in r['changes']:
            seq, rest = c.split(' ', 1)
            print(seq if sys.argv[2:] else rest)" "$TMP/$1.log" ${2:-}
}
metric() { curl -s -H "$A" "$URL/metrics" | sed -n "s/^$1 //p"; }
failed_at_least() { # hook, n
	fa=$(metric "posbon_webhook_requests_total{hook=\"$1\",outcome=\"failed\"}")
	[ "${fa:-0}" -ge "$2" ]
}
cursor_of() { sql "$DB" "SELECT cursor FROM webhooks WHERE name = '$1'"; }

# subscriptions, made before the daemon starts and while it runs
"$POSBON" webhook add "$DB" --name all --url "http://127.0.0.1:$(port_of all)/in" \
	--secret-file "$TMP/secret" >"$TMP/out"
check_true "a subscription starts at the head" 'grep -q "gets the changes after $(sql "$DB" "SELECT max(seq) FROM changes")" "$TMP/out"'
"$POSBON" webhook add "$DB" --name stuck --url "http://127.0.0.1:$(port_of stuck)/" \
	--secret-file "$TMP/secret" >/dev/null
# a port nothing listens on: the receiver's own port, once it stopped
python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])" >"$TMP/closed.port"
"$POSBON" webhook add "$DB" --name refused --url "http://127.0.0.1:$(port_of closed)/" \
	--secret-file "$TMP/secret" >/dev/null

set +e
"$POSBON" webhook add "$DB" --name ftp --url ftp://127.0.0.1/x --secret-file "$TMP/secret" 2>"$TMP/err"
rc=$?
set -e
check "an ftp URL is refused, naming the option" "$rc $(cat "$TMP/err")" \
	"2 posbon webhook: --url 'ftp://127.0.0.1/x': ftp is not delivered to; only http and https are"
set +e
"$POSBON" webhook add "$DB" --name nosecret --url http://127.0.0.1/x --secret-file "$TMP/none" 2>"$TMP/err"
rc=$?
set -e
check_true "a missing secret file is refused" '[ "$rc" -ne 0 ] && grep -q "secret-file.*cannot read" "$TMP/err"'

echo 2 >"$TMP/all.fail" # the first two requests to "all" fail
serve_start "$DB" --threads 2 --cache-dir none --webhook-timeout 2
"$POSBON" webhook add "$DB" --name d02 --url "http://127.0.0.1:$(port_of d02)/d02" \
	--secret-file "$TMP/secret" --scope district:D02 --kinds offences,tasks >/dev/null

status -H "$A" -H "$J" -d "$(feature f1 "$(point_in D01)")" "$URL/api/offences" >/dev/null
status -H "$A" -H "$J" -d "$(feature f2 "$(point_in D02)")" "$URL/api/offences" >/dev/null
status -X PATCH -H "$A" -H "$J" -d '{"properties":{"category":"robbery"}}' "$URL/api/offences/f1" >/dev/null
status -X DELETE -H "$A" "$URL/api/offences/f2" >/dev/null
status -H "$A" -H "$J" -d '{"id":"t1","text":"Meet the residents","place":{"kind":"mahalla","code":"D02-M01"},"from":{"service":"jqb"},"to":[{"service":"prevention"}]}' "$URL/api/tasks" >/dev/null
status -X PATCH -H "$A" -H "$J" -d '{"status":"accepted","receiver":{"service":"prevention"}}' "$URL/api/tasks/t1" >/dev/null
check "an activity is logged" "$(status -H "$A" -H "$J" -d '{"id":"a1","kind":"patrol","start":"2026-07-01T22:00","place":{"kind":"mahalla","code":"D02-M02"},"service":"ppx"}' "$URL/api/activities")" 201
EXPECTED="offence f1 create D01
offence f2 create D02
offence f1 update D01
offence f2 delete D02
task t1 create D02
task t1 update D02
activity a1 create D02"
check_true "the receiver gets the seven changes" 'wait_until "[ \$(taken all | wc -l) -ge 7 ]" 60'
check "each change once, in the order committed" "$(taken all)" "$EXPECTED"
check "their seqs rise" "$(taken all seqs | sort -n -u -c && echo sorted)" sorted
python3 -c "
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
print(len([r for r in rs if r['status'] == 500]), all(r['verified'] for r in rs),
      all(r['since'] == str(r['body']['since']) and r['next'] == str(r['body']['next']) and
          r['hook'] == r['body']['hook'] == 'all' and r['delivery'] == r['body']['delivery'] and
          r['type'] == 'application/json' and r['path'] == '/in' for r in rs))
# a failed batch is sent again as it was: the same delivery id
ok = [r for r in rs if r['status'] == 200]
print(rs[0]['delivery'] == ok[0]['delivery'], rs[0]['changes'] == ok[0]['changes'])
# the batches follow each other: each one's since is the last one's next
print(all(int(a['next']) == int(b['since']) for a, b in zip(ok, ok[1:])))" "$TMP/all.log" >"$TMP/facts"
check "two failures, every signature verifies, the headers match the body" "$(sed -n 1p "$TMP/facts")" "2 True True"
check "the failed batch is retried as it was" "$(sed -n 2p "$TMP/facts")" "True True"
check "the batches follow on from each other" "$(sed -n 3p "$TMP/facts")" "True"
check_true "D02's subscription gets D02's offences and tasks" \
	'wait_until "[ \$(taken d02 | wc -l) -ge 4 ]"'
check "and nothing else" "$(taken d02)" "offence f2 create D02
offence f2 delete D02
task t1 create D02
task t1 update D02"
HEAD=$(sql "$DB" "SELECT max(seq) FROM changes")
check_true "its cursor reaches the head, past what it does not get" \
	'wait_until "[ \"\$(cursor_of d02)\" = $HEAD ]"'
check "the stored cursor of all is the head" "$(cursor_of all)" "$HEAD"

# the hanging receiver and the refused port delayed nothing above, and fail
check_true "a request to the hanging receiver fails after --webhook-timeout" \
	'wait_until "failed_at_least stuck 1"'
check_true "the refused port counts failures" 'wait_until "failed_at_least refused 1"'
check "the daemon answers meanwhile" "$(status "$URL/healthz")" 200
check "metrics: all's changes delivered, no lag" \
	"$(metric 'posbon_webhook_changes_total{hook="all"}') $(metric 'posbon_webhook_lag{hook="all"}') $(metric 'posbon_webhook_requests_total{hook="all",outcome="failed"}')" "7 0 2"
check "the stuck one lags" "$(metric 'posbon_webhook_lag{hook="stuck"}')" 7
"$POSBON" webhook list "$DB" >"$TMP/list"
check_true "webhook list shows each cursor and lag" \
	'grep -q "^all  *$HEAD  *0 " "$TMP/list" && grep -q "^stuck .* 7 -  " "$TMP/list"'

# removed while the daemon runs: its figures go
"$POSBON" webhook remove "$DB" --name stuck
check_true "a removed subscription stops" \
	'wait_until "! curl -s -H \"\$A\" \"\$URL/metrics\" | grep -q hook=.stuck"'
serve_stop "SIGTERM stops the daemon with a request in flight"

# a restart resumes from the stored cursor: the import made while it was
# down, then a change through the API, and nothing again; then the secret
# changes
P2=$(point_in D02 | awk -F', ' '{print $2 "," $1}')
printf 'id,date,lat,lon,category\nimp-1,2026-05-01 10:00,%s,theft\nimp-2,2026-05-01 11:00,%s,robbery\n' \
	"$P2" "$P2" >"$TMP/more.csv"
"$POSBON" import "$DB" --layer offences "$TMP/more.csv" >/dev/null 2>&1
serve_start "$DB" --threads 2 --cache-dir none --webhook-timeout 2
status -H "$A" -H "$J" -d "$(feature f3 "$(point_in D01)")" "$URL/api/offences" >/dev/null
check_true "after a restart the receiver gets the new changes" 'wait_until "[ \$(taken all | wc -l) -ge 10 ]" 60'
check "only they, once each" "$(taken all | tail -n +8)" "offence imp-1 create D02
offence imp-2 create D02
offence f3 create D01"
check "no seq was taken twice" "$(taken all seqs | sort -n | uniq -d)" ""
openssl rand -hex 32 >"$TMP/secret" # a new secret holds from the next batch
status -H "$A" -H "$J" -d "$(feature f4 "$(point_in D01)")" "$URL/api/offences" >/dev/null
check_true "a change after the secret changed arrives" 'wait_until "[ \$(taken all | wc -l) -ge 11 ]"'
check "signed with the new secret" "$(tail -n 1 "$TMP/all.log" | python3 -c "import json, sys; r = json.load(sys.stdin); print(r['changes'], r['verified'])")" \
	"['$(sql "$DB" "SELECT max(seq) FROM changes") offence f4 create D01'] True"
check_true "the district's subscription too" 'wait_until "[ \$(taken d02 | wc -l) -ge 6 ]"'
check "its import changes, not D01's" "$(taken d02 | tail -n +5)" "offence imp-1 create D02
offence imp-2 create D02"
serve_stop
finish

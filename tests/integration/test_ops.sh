# Operations: a backup taken while offences stream in, restore, the copy a
# migration makes first, a database newer than the binary, token expiry and
# the list of tokens, the log file reopened on SIGHUP and its JSON lines,
# check-config.
. "$(dirname "$0")/common.sh"
DB="$TMP/o.sqlite"
sample_db "$DB"
OFFICER=$("$POSBON" token add "$DB" --role officer --name feeder)
O="Authorization: Bearer $OFFICER"
BATCH=10
LATEST=$("$POSBON" info "$DB" | sed -n 's/^schema .*(this posbon: \([0-9]*\))$/\1/p')

ids() { sqlite3 -batch -noheader "$1" "SELECT external_id FROM offences WHERE external_id LIKE 'ops-%' ORDER BY 1"; }

# Posts batches until $TMP/stop exists or a post fails; the ids of each
# acknowledged batch go to $TMP/acked once its 201 is read.
feed() {
	b=0
	while [ ! -e "$TMP/stop" ]; do
		b=$((b + 1))
		batch "ops-$b" >"$TMP/body"
		status=$(curl -s -o /dev/null -w "%{http_code}" --max-time 30 -X POST -H "$O" \
			-H "Content-Type: application/json" --data-binary @"$TMP/body" "$URL/api/offences") || true
		[ "$status" = 201 ] || break
		seq 1 "$BATCH" | sed "s/^/ops-$b-/" >>"$TMP/acked"
	done
	echo "$status" >"$TMP/feed-end"
}

# --- a backup in the middle of a stream of POST /api/offences
serve_start "$DB" --threads 2 --cache-dir none
feed &
FEEDER=$!
check_true "offences are streaming in" 'wait_until "acked_past $((3 * BATCH))" 120'
cp "$TMP/acked" "$TMP/acked-before"
"$POSBON" backup "$DB" "$TMP/backup.sqlite" >"$TMP/backup.out"
check "the backup reports its copy" "$(cat "$TMP/backup.out")" \
	"$DB: copied to $TMP/backup.sqlite (schema version $LATEST)"
# The stream went on past the copy: the daemon was never held up.
AFTER=$(lines "$TMP/acked")
echo "# $(((AFTER - $(lines "$TMP/acked-before")) / BATCH)) batches acknowledged while the backup ran"
check_true "the stream went on after the backup" 'wait_until "acked_past $((AFTER + 2 * BATCH))" 120'
: >"$TMP/stop"
wait "$FEEDER"
check "every post of the stream was acknowledged" "$(cat "$TMP/feed-end")" 201
check "the backup passes the integrity check" "$(sqlite3 "$TMP/backup.sqlite" "PRAGMA integrity_check")" ok
check_true "the backup is one file" '[ ! -e "$TMP/backup.sqlite-wal" ]'
ids "$TMP/backup.sqlite" >"$TMP/in-backup"
sort "$TMP/acked-before" >"$TMP/acked-before.sorted"
check "it holds every offence acknowledged before it began" \
	"$(comm -23 "$TMP/acked-before.sorted" "$TMP/in-backup" | head -3 | tr '\n' ' ')" ""
check_true "posbon opens it" '"$POSBON" info "$TMP/backup.sqlite" | grep -q "^offences"'

set +e
"$POSBON" backup "$DB" "$TMP/backup.sqlite" 2>"$TMP/err"
rc=$?
set -e
check "an existing file is not overwritten" "$rc" 1
check_true "saying --force would" 'grep -q "backup.sqlite exists (--force replaces it)" "$TMP/err"'
check_true "--force replaces it" '"$POSBON" backup "$DB" "$TMP/backup.sqlite" --force >/dev/null'
ids "$TMP/backup.sqlite" >"$TMP/in-backup"
batch ops-later >"$TMP/body"
check "an offence after the backup" "$(curl -s -o /dev/null -w "%{http_code}" -X POST -H "$O" \
	-H "Content-Type: application/json" --data-binary @"$TMP/body" "$URL/api/offences")" 201

# --- restore: refused while the daemon has the database open
set +e
"$POSBON" restore "$TMP/backup.sqlite" "$DB" 2>"$TMP/err"
rc=$?
set -e
check "restore over a served database is refused" "$rc" 1
check_true "naming why" 'grep -q "is open in another process (a running posbon serve?): stop it first" "$TMP/err"'
check "and the database is untouched" "$(ids "$DB" | wc -l)" "$(($(lines "$TMP/acked") + BATCH))"
serve_stop

# a round trip: what is restored is the backup, the later offences gone
"$POSBON" restore "$TMP/backup.sqlite" "$DB" >"$TMP/restore.out"
check "restore reports it" "$(cat "$TMP/restore.out")" \
	"$DB: restored from $TMP/backup.sqlite (schema version $LATEST)"
check "the restored database holds what the backup holds" "$(ids "$DB" | md5sum)" "$(md5sum <"$TMP/in-backup")"
check "and is whole" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
serve_start "$DB" --cache-dir none
check "the daemon serves the restored database" \
	"$(curl -s -H "$O" "$URL/api/offences?limit=1&from=2026-07-01&to=2026-07-31" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["matched"])')" "$(lines "$TMP/in-backup")"
serve_stop

printf 'not a database, though long enough to have a header of one, or so it seems\n' >"$TMP/text"
set +e
"$POSBON" restore "$TMP/text" "$DB" 2>"$TMP/err"
rc=$?
set -e
check "a file that is no database is not restored" "$rc" 1
check_true "naming it" 'grep -q "text is not a database this posbon can restore" "$TMP/err"'
sqlite3 "$TMP/plain.sqlite" "CREATE TABLE t(x)"
set +e
"$POSBON" restore "$TMP/plain.sqlite" "$DB" 2>"$TMP/err"
rc=$?
set -e
check "nor an SQLite file of another kind" "$rc" 2
check_true "naming it" 'grep -q "plain.sqlite is not a posbon database" "$TMP/err"'
check "the database is still the restored one" "$(ids "$DB" | md5sum)" "$(md5sum <"$TMP/in-backup")"

# --- migrations copy the database first
OLD="$TMP/old.sqlite"
"$POSBON" init "$OLD" --schema $((LATEST - 1)) >/dev/null
check "an older posbon's database" "$("$POSBON" info "$OLD" | sed -n 's/^schema *//p')" \
	"$((LATEST - 1)) (this posbon: $LATEST)"
"$POSBON" init "$OLD" >"$TMP/init.out" 2>"$TMP/init.err"
check "is migrated" "$(cat "$TMP/init.out")" "$OLD: schema version $LATEST"
check "after a copy, which is said" "$(cat "$TMP/init.err")" \
	"posbon: $OLD: copied to $OLD.bak-v$((LATEST - 1)) before migrating it from schema version $((LATEST - 1)) to $LATEST"
check "the copy is the old version" \
	"$(sqlite3 "$OLD.bak-v$((LATEST - 1))" "SELECT max(version) FROM schema_migrations")" $((LATEST - 1))
check "and whole" "$(sqlite3 "$OLD.bak-v$((LATEST - 1))" "PRAGMA integrity_check")" ok
"$POSBON" init "$OLD" >/dev/null 2>"$TMP/init.err"
check "a current database is not copied" "$(cat "$TMP/init.err")" ""

# --- a database newer than the binary is refused
cp "$TMP/backup.sqlite" "$TMP/new.sqlite"
sqlite3 "$TMP/new.sqlite" "INSERT INTO schema_migrations VALUES($((LATEST + 1)), 'future', '2099-01-01')"
for cmd in info token; do
	set +e
	if [ $cmd = info ]; then
		"$POSBON" info "$TMP/new.sqlite" >/dev/null 2>"$TMP/err"
	else
		"$POSBON" token add "$TMP/new.sqlite" --role viewer --name x >/dev/null 2>"$TMP/err"
	fi
	rc=$?
	set -e
	check "$cmd: a newer database is refused" "$rc" 1
	check_true "$cmd: naming both versions" \
		'grep -q "schema version $((LATEST + 1)) is newer than this posbon knows ($LATEST)" "$TMP/err"'
done
set +e
"$POSBON" restore "$TMP/new.sqlite" "$DB" 2>"$TMP/err"
rc=$?
set -e
check "restore refuses a newer database" "$rc" 1
check_true "naming both versions" 'grep -q "is newer than this posbon knows" "$TMP/err"'

# --- tokens: expiry, the list, the last use
TOKEN90=$("$POSBON" token add "$DB" --role viewer --name wall --expires 90d 2>"$TMP/err")
check_true "a token for 90 days says when it ends" 'grep -q "^posbon token: .wall. expires at 20" "$TMP/err"'
EXPIRED=$("$POSBON" token add "$DB" --role officer --name gone --expires 2020-01-01 2>"$TMP/err")
check_true "a date in the past makes an expired token, which is said" \
	'grep -q "gone. has expired already, at 2020-01-01T00:00:00Z" "$TMP/err"'
set +e
"$POSBON" token add "$DB" --role viewer --name bad --expires 90y 2>"$TMP/err"
rc=$?
set -e
check "a bad --expires is refused" "$rc" 2
check_true "naming it" 'grep -q "\-\-expires .90y.: give a span (12h, 90d, 2w) or a date" "$TMP/err"'
serve_start "$DB" --cache-dir none
check "the token for 90 days works" "$(curl -s -o /dev/null -w "%{http_code}" \
	-H "Authorization: Bearer $TOKEN90" "$URL/api/summary")" 200
status=$(curl -s -o "$TMP/answer" -w "%{http_code}" -H "Authorization: Bearer $EXPIRED" "$URL/api/summary")
check "an expired token gets 401" "$status" 401
check "with a JSON body saying it expired" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$TMP/answer")" \
	"{'error': \"the token 'gone' expired at 2020-01-01T00:00:00Z; ask for a new token\", 'status': 401, 'field': 'authorization'}"
check "also at the login" "$(curl -s -X POST -H "Content-Type: application/json" \
	-d "{\"token\":\"$EXPIRED\"}" "$URL/api/login")" \
	"{\"error\":\"the token 'gone' expired at 2020-01-01T00:00:00Z\",\"status\":401,\"field\":\"token\"}"
check "an unknown token still gets the usual 401" "$(curl -s -H "Authorization: Bearer pb_0000000000000000000000000000000000000000000000000000000000000000" "$URL/api/summary")" \
	'{"error":"log in, or send Authorization: Bearer TOKEN","status":401,"field":"authorization"}'
serve_stop
"$POSBON" token list "$DB" >"$TMP/list"
check "the list's columns" "$(head -1 "$TMP/list" | tr -s ' ')" "name role created last used expires state service scope"
check "the expired token is listed as such, never used" \
	"$(awk '$1 == "gone" {print $2, $4, $5, $6}' "$TMP/list")" "officer - 2020-01-01T00:00:00Z expired"
check "the 90-day token: used, active" "$(awk '$1 == "wall" {print $2, ($4 != "-"), $6}' "$TMP/list")" \
	"viewer 1 active"
# made a moment after its expiry was reckoned: a second may lie between
span=$(($(date -d "$(awk '$1 == "wall" {print $5}' "$TMP/list")" +%s) - \
	$(date -d "$(awk '$1 == "wall" {print $3}' "$TMP/list")" +%s)))
check_true "ending 90 days after it was made" '[ $span -ge $((90 * 86400 - 1)) ] && [ $span -le $((90 * 86400)) ]'
check "the officer used its token too" "$(awk '$1 == "feeder" {print ($4 != "-")}' "$TMP/list")" 1
HASH=$(printf %s "$TOKEN90" | sha256sum | cut -d' ' -f1)
check_true "the list shows neither a secret nor its hash" \
	'! grep -q -e "$TOKEN90" -e "$HASH" -e "pb_" "$TMP/list"'
"$POSBON" token revoke "$DB" --name wall
"$POSBON" token list "$DB" >"$TMP/list"
check "a revoked token is listed as revoked" "$(awk '$1 == "wall" {print $6}' "$TMP/list")" revoked

# --- the log file: JSON lines, reopened on SIGHUP after logrotate moved it
LOG="$TMP/log/posbon.log"
mkdir "$TMP/log"
: >"$LOG" # wait_port reads it from the start
"$POSBON" init "$TMP/old2.sqlite" --schema $((LATEST - 1)) >/dev/null
"$POSBON" serve "$TMP/old2.sqlite" --listen 127.0.0.1:0 --cache-dir none --log-file "$LOG" \
	--log-format json >"$TMP/stdout" 2>"$TMP/stderr" &
PID=$!
wait_port "$LOG"
check_true "the daemon logs to the file" '[ -n "$port" ]'
URL="http://127.0.0.1:$port"
check_true "the copy before the migration is logged" \
	'grep -q "copied to $TMP/old2.sqlite.bak-v$((LATEST - 1)) before migrating it" "$LOG"'
curl -s "$URL/healthz" >/dev/null
check_true "access lines go to the file" 'wait_file "\"path\":\"/healthz\"" "$LOG"'
mv "$LOG" "$LOG.1"
kill -HUP "$PID"
check_true "SIGHUP opens a new file by the name" 'wait_file "log file $LOG reopened" "$LOG"'
curl -s "$URL/healthz?after" >/dev/null
check_true "which gets the next lines" 'wait_until "[ \$(grep -c /healthz \"\$LOG\") -ge 1 ]"'
check "and the moved file none" "$(grep -c "reopened\|SIGTERM" "$LOG.1")" 0
serve_stop
check_true "the stop is logged in the new file" 'grep -q "\"message\":\"stopped\"" "$LOG"'
check "every line of both files is a JSON object with time, level and message" \
	"$(cat "$LOG.1" "$LOG" | python3 -c '
import json, sys
bad = [l for l in sys.stdin if not {"time", "level", "message"} <= set(json.loads(l))]
print(len(bad))')" 0
check "access lines have the request fields" "$(grep /healthz "$LOG" | head -1 | python3 -c '
import json, sys
print(sorted(json.loads(sys.stdin.readline())))')" \
	"['bytes', 'client', 'level', 'message', 'method', 'ms', 'path', 'req', 'status', 'time']"
check "nothing went to stdout or stderr" "$(cat "$TMP/stdout" "$TMP/stderr")" ""
set +e
"$POSBON" serve "$DB" --log-file "$TMP/no/such/dir.log" 2>"$TMP/err"
rc=$?
set -e
check "a log file that cannot be opened stops the daemon" "$rc" 1
check_true "naming it" 'grep -q "no/such/dir.log: cannot open the log file" "$TMP/err"'

# --- check-config: the serve option table, without starting
"$POSBON" serve --print-config >"$TMP/annotated.conf"
check "the annotated configuration is good as it is" "$("$POSBON" check-config "$TMP/annotated.conf")" ok
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
cat >"$TMP/good.conf" <<CONF
listen = 0.0.0.0:8443
threads = 2
style = $POSBON_SOURCE_DIR/styles/default.json
tz = Asia/Tashkent
cache-dir = $TMP/tiles
log-file = $TMP/log/posbon.log
log-format = json
tls-cert = $TMP/cert.pem
tls-key = $TMP/key.pem
verbose = false
CONF
check "a good configuration: ok" "$("$POSBON" check-config "$TMP/good.conf")" ok
check_true "and nothing made" '[ ! -e "$TMP/tiles" ]'
echo '{"version": 1, "layers": {' >"$TMP/broken.json"
cat >"$TMP/bad.conf" <<CONF
# every line a problem but this one
listen = 127.0.0.1:99999
threeds = 2
style = $TMP/broken.json
tz = Mars/Olympus
cache-mb = 0
log-format = xml
log-file = $TMP/no/such/dir.log
tls-cert = $TMP/absent.pem
verbose = yes
CONF
set +e
"$POSBON" check-config "$TMP/bad.conf" >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
check "a bad configuration: exit 2" "$rc" 2
check "and no ok" "$(cat "$TMP/out")" ""
B="$TMP/bad.conf"
# (the style's own message, line and column are jansson's)
check "every problem named with file and line" \
	"$(sed -e "s|$TMP/||g" -e 's/\(style: broken.json\):.*/\1/' "$TMP/err" | cut -c1-60)" \
	"$(printf '%s\n' \
		"bad.conf:2: --listen '127.0.0.1:99999': the port must be 0 to 65" \
		"bad.conf:3: unknown option 'threeds'" \
		"bad.conf:4: style: broken.json" \
		"bad.conf:5: tz: unknown time zone 'Mars/Olympus'" \
		"bad.conf:6: --cache-mb: '0' is not a whole number from 1 to 655" \
		"bad.conf:7: --log-format 'xml': use text or json" \
		"bad.conf:8: log-file: no/such/dir.log cannot be made: its folder" \
		"bad.conf:9: tls-cert: absent.pem: cannot read: No such file or d" \
		"bad.conf:10: verbose takes true or false" \
		"bad.conf:9: --tls-cert and --tls-key go together" \
		"posbon check-config: bad.conf: 10 problems" | cut -c1-60)"
set +e
"$POSBON" check-config "$TMP/absent.conf" 2>"$TMP/err"
rc=$?
set -e
check "a file that cannot be read: exit 1" "$rc" 1
finish

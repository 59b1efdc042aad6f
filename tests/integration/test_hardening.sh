# posbon serve under hostile clients: refusals answered from the headers
# before any of a body is read, connection and event-stream limits.
. "$(dirname "$0")/common.sh"
DB="$TMP/h.sqlite"
sample_db "$DB"
VIEWER=$("$POSBON" token add "$DB" --role viewer --name wall)
OFFICER=$("$POSBON" token add "$DB" --role officer --name desk)
V="Authorization: Bearer $VIEWER"
O="Authorization: Bearer $OFFICER"
CLIENT="python3 $(dirname "$0")/hardening_client.py"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }

serve_start "$DB" --threads 2 --cache-dir none --max-body-kb 64 --timeout 30 \
	--max-connections-per-ip 6 --max-event-streams 2

# Refusals come from the headers alone: the client sends none of the body
# and still gets the JSON answer (the server would otherwise wait for it).
check "no credentials: 401 before the body" \
	"$($CLIENT headers "$port" POST /api/offences "Content-Type: application/json" "Content-Length: 1048576")" \
	"401 authorization"
check "a role that may not: 403 before the body" \
	"$($CLIENT headers "$port" POST /api/offences "$V" "Content-Type: application/json" "Content-Length: 1048576")" \
	"403 authorization"
check "a body announced over the limit: 413 before it" \
	"$($CLIENT headers "$port" PATCH /api/offences/x "$O" "Content-Type: application/json" "Content-Length: 1073741824")" \
	"413 body"
check "a method the path does not take: 405 before the body" \
	"$($CLIENT headers "$port" PUT /api/nothing "Content-Length: 1048576")" "405 None"
head -c 2097152 /dev/zero | tr '\0' 'x' >"$TMP/big"
check "curl sending 2 MB without credentials gets the 401" \
	"$(curl -s -w " %{http_code}" -H "Content-Type: application/json" --data-binary @"$TMP/big" "$URL/api/offences" | sed 's/.*"field":"\([a-z]*\)".* \([0-9]*\)$/\1 \2/')" \
	"authorization 401"
check "an officer's body within the limit is still read" \
	"$(code -H "$O" -H "Content-Type: application/json" -d '{"type":"Feature","properties":{"id":"h-1","time":"2026-06-01T10:00","category":"theft","mahalla":"M01"},"geometry":null}' "$URL/api/offences")" 201

# Writes authorized by the session cookie come only from the server's own
# pages, with JSON; a Bearer token is no browser's ambient credential.
curl -s -c "$TMP/jar" -H "Content-Type: application/json" -d "{\"token\":\"$OFFICER\"}" "$URL/api/login" >/dev/null
J="Content-Type: application/json"
feature() { echo "{\"type\":\"Feature\",\"properties\":{\"id\":\"$1\",\"time\":\"2026-06-01T10:00\",\"category\":\"theft\",\"mahalla\":\"M01\"},\"geometry\":null}"; }
refusal() { curl -s -w " %{http_code}" -b "$TMP/jar" "$@" | sed 's/.*"field":"\([a-z-]*\)".* \([0-9]*\)$/\1 \2/'; }
check "a cookie write without Origin is refused" "$(refusal -H "$J" -d "$(feature c-1)" "$URL/api/offences")" "origin 403"
check "from another site" "$(refusal -H "Origin: https://evil.example" -H "$J" -d "$(feature c-1)" "$URL/api/offences")" "origin 403"
check "from another port of the host" "$(refusal -H "Origin: http://127.0.0.1:$((port + 1))" -H "$J" -d "$(feature c-1)" "$URL/api/offences")" "origin 403"
check "from a sibling subdomain (Sec-Fetch-Site)" "$(refusal -H "Sec-Fetch-Site: same-site" -H "$J" -d "$(feature c-1)" "$URL/api/offences")" "origin 403"
check "a form's body is refused" "$(refusal -H "Origin: $URL" -d "$(feature c-1)" "$URL/api/offences")" "content-type 403"
check "text/plain too" "$(refusal -H "Origin: $URL" -H "Content-Type: text/plain" -d "$(feature c-1)" "$URL/api/offences")" "content-type 403"
check "an empty form too" "$(refusal -X DELETE -H "Origin: $URL" -H "Content-Type: application/x-www-form-urlencoded" "$URL/api/offences/h-1")" "content-type 403"
check "nothing of them was stored" "$(sql "$DB" "SELECT count(*) FROM offences WHERE external_id = 'c-1'")" 0
check "the viewer's own JSON write is taken" "$(code -b "$TMP/jar" -H "Origin: $URL" -H "$J" -d "$(feature c-1)" "$URL/api/offences")" 201
check "so is one with Sec-Fetch-Site: same-origin and no Origin" \
	"$(code -b "$TMP/jar" -H "Sec-Fetch-Site: same-origin" -H "$J;charset=utf-8" -d "$(feature c-2)" "$URL/api/offences")" 201
check "and a bodiless DELETE from the viewer" "$(code -b "$TMP/jar" -X DELETE -H "Origin: $URL" "$URL/api/offences/c-2")" 200
check "reads with the cookie are not concerned" "$(code -b "$TMP/jar" -H "Origin: https://evil.example" "$URL/api/me")" 200
check "a Bearer token writes from anywhere" "$(code -H "$O" -H "Origin: https://evil.example" -d "$(feature c-3)" "$URL/api/offences")" 201
# A cross-site form could log the victim in as someone else: a browser's
# login comes from the server's pages with JSON; a script's (no Origin) is
# taken as before.
check "a login from another site is refused" \
	"$(curl -s -w " %{http_code}" -H "Origin: https://evil.example" -H "$J" -d "{\"token\":\"$OFFICER\"}" "$URL/api/login" | sed 's/.*"field":"\([a-z-]*\)".* \([0-9]*\)$/\1 \2/')" "origin 403"
check "a form's login from this server's page too" \
	"$(curl -s -w " %{http_code}" -H "Origin: $URL" -H "Content-Type: text/plain" -d "{\"token\":\"$OFFICER\"}" "$URL/api/login" | sed 's/.*"field":"\([a-z-]*\)".* \([0-9]*\)$/\1 \2/')" "content-type 403"
check "the viewer's login is taken" "$(code -H "Origin: $URL" -H "$J" -d "{\"token\":\"$OFFICER\"}" "$URL/api/login")" 200

# Revocation and expiry take effect at the very next request, though the
# credentials were just used (no cache of answers).
GONE=$("$POSBON" token add "$DB" --role officer --name leaving)
curl -s -c "$TMP/gone.jar" -H "$J" -d "{\"token\":\"$GONE\"}" "$URL/api/login" >/dev/null
check "the token works" "$(code -H "Authorization: Bearer $GONE" "$URL/api/me")" 200
check "its session works" "$(code -b "$TMP/gone.jar" "$URL/api/me")" 200
"$POSBON" token revoke "$DB" --name leaving
check "the next request with the revoked token is a 401" "$(code -H "Authorization: Bearer $GONE" "$URL/api/me")" 401
check "so is its session's" "$(code -b "$TMP/gone.jar" "$URL/api/me")" 401
check "and a write" "$(code -H "Authorization: Bearer $GONE" -H "$J" -d "$(feature r-1)" "$URL/api/offences")" 401
check "the others' credentials still work" "$(code -b "$TMP/jar" "$URL/api/me")" 200
# A session ended in the database, which is then touched (as posbon's own
# commands do), is refused at the very next request, though it was just used
# (so that its answer is cached).
curl -s -c "$TMP/wall.jar" -H "$J" -d "{\"token\":\"$VIEWER\"}" "$URL/api/login" >/dev/null
check "a session works" "$(code -b "$TMP/wall.jar" "$URL/api/me")" 200
sql "$DB" "UPDATE sessions SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) - 1
	WHERE token_id = (SELECT id FROM tokens WHERE name = 'wall')" >/dev/null
touch "$DB"
check "the next request once it has ended is a 401" "$(code -b "$TMP/wall.jar" "$URL/api/me")" 401
# With the file untouched, a cached answer holds no longer than its session:
# one used before its end is refused at the first request after it. Which
# second it ends on is chosen again, further off, until a request is seen to
# finish before it, so a slow machine only takes longer.
CLOCK=$("$POSBON" token add "$DB" --role viewer --name clock)
curl -s -c "$TMP/clock.jar" -H "$J" -d "{\"token\":\"$CLOCK\"}" "$URL/api/login" >/dev/null
margin=1
while :; do
	END=$(($(date +%s) + margin))
	sql "$DB" "UPDATE sessions SET expires_at = $END
		WHERE token_id = (SELECT id FROM tokens WHERE name = 'clock')" >/dev/null
	answer=$(code -b "$TMP/clock.jar" "$URL/api/me")
	[ "$(date +%s)" -lt "$END" ] || [ "$margin" -ge 64 ] || {
		margin=$((margin * 2))
		continue
	}
	break
done
check "a session works before its end" "$answer" 200
check_true "its end comes" 'wait_until "[ \$(date +%s) -ge $END ]" $((margin + 10))'
check "the first request after it is a 401" "$(code -b "$TMP/clock.jar" "$URL/api/me")" 401

# Names are written as JSON by jansson, whatever they hold.
ODD=$("$POSBON" token add "$DB" --role viewer --name 'ops "night" \desk')
check "/api/me of a name with quotes and a backslash is JSON" \
	"$(curl -s -H "Authorization: Bearer $ODD" "$URL/api/me" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["name"], d["role"])')" \
	'ops "night" \desk viewer'
check "so is the login's answer" \
	"$(curl -s -H "$J" -d "{\"token\":\"$ODD\"}" "$URL/api/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')" \
	'ops "night" \desk'
LONG=$(python3 -c 'print("\"" * 127)')
LONGTOKEN=$("$POSBON" token add "$DB" --role viewer --name "$LONG")
check "a name of 127 quotes too" \
	"$(curl -s -H "Authorization: Bearer $LONGTOKEN" "$URL/api/me" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["name"]))')" 127
set +e
"$POSBON" token add "$DB" --role viewer --name "$(printf 'two\nlines')" >/dev/null 2>"$TMP/err"
rc=$?
set -e
check_true "a name with a control character is refused" '[ "$rc" -ne 0 ] && grep -q "name: .*without control characters" "$TMP/err"'

# /healthz tells anyone the status and schema only; figures with credentials.
check "/healthz without credentials" "$(curl -s "$URL/healthz" | sed 's/"schema":[0-9]*/"schema":N/')" '{"status":"ok","schema":N}'
health_keys() { curl -s "$@" "$URL/healthz" | python3 -c 'import json,sys; print(*sorted(json.load(sys.stdin)))'; }
check "/healthz with a token has the figures" "$(health_keys -H "$V")" "data_version offences schema status"
curl -s -c "$TMP/v.jar" -H "$J" -d "{\"token\":\"$VIEWER\"}" "$URL/api/login" >/dev/null
check "/healthz with a live session has them" "$(health_keys -b "$TMP/v.jar")" "data_version offences schema status"
check "a wrong token gets the open answer" "$(health_keys -H "Authorization: Bearer pb_nothing")" "schema status"
check "so does an ended session" "$(health_keys -b "$TMP/wall.jar")" "schema status"
curl -s -D "$TMP/login.h" -o /dev/null -H "$J" -d "{\"token\":\"$VIEWER\"}" "$URL/api/login"
check_true "over plain HTTP the cookie is not Secure" 'grep -i "^Set-Cookie: posbon_session=" "$TMP/login.h" | grep -qv "Secure"'

# One address may hold 6 connections; of 8 opened at once, whichever two the
# daemon's threads take last are closed unanswered.
check "connections from one address are capped" "$($CLIENT per-address "$port" 6)" \
	"2 closed, 6 served, then served"

# Event streams: two may be open, a third is told the limit, and the
# places of streams whose clients went are given again.
curl -s -N -H "$V" "$URL/api/events" >/dev/null &
S1=$!
curl -s -N -H "$V" "$URL/api/events" >/dev/null &
S2=$!
subscribers() { curl -s -H "$V" "$URL/metrics" | sed -n 's/^posbon_event_subscribers //p'; }
for _ in $(seq 1 100); do
	[ "$(subscribers)" = 2 ] && break
	sleep 0.1
done
check "two event streams are open" "$(subscribers)" 2
body=$(curl -s -w " %{http_code}" -H "$V" "$URL/api/events")
check_true "a third is a 503 naming the limit" \
	'echo "$body" | grep -q "\"error\":\"2 event streams are open.*--max-event-streams.*\"field\":\"events\".* 503$"'
# Opens a stream, prints its status once the headers are in, and closes it.
stream_status() {
	: >"$TMP/sse.h"
	curl -s -N -D "$TMP/sse.h" -H "$V" "$URL/api/events" >/dev/null &
	c=$!
	for _ in $(seq 1 100); do
		grep -q "^HTTP/" "$TMP/sse.h" && break
		sleep 0.1
	done
	kill "$c" 2>/dev/null || true
	wait "$c" 2>/dev/null || true
	sed -n 's|^HTTP/1.1 \([0-9]*\).*|\1|p' "$TMP/sse.h"
}
# The 503's error line names the path: a decoded newline stays in it.
code -H "$V" "$URL/api/events/x%0A2026-01-01T00:00:00.000Z%20error%20fake%22%5C" >/dev/null
kill "$S1" "$S2"
for _ in $(seq 1 100); do
	status=$(stream_status)
	[ "$status" = 200 ] && break
	sleep 0.1
done
check "once their clients close, a new stream opens" "$status" 200

# Logs: one line per event, whatever the path holds once decoded.
code -H "$V" "$URL/api/me/x%0A2026-01-01T00:00:00.000Z%20req=1%20127.0.0.1%20%22GET%20/forged%22%20200%0D%09%01%5C%22" >/dev/null
serve_stop
check "no forged access line" "$(grep -c "^2026-01-01T" "$TMP/access.log" || true)" 0
check "the path's controls, backslash and quotes are escaped" \
	"$(grep "forged" "$TMP/access.log" | sed 's/^[^"]*"GET \(.*\)" 200 .*/\1/')" \
	'/api/me/x\n2026-01-01T00:00:00.000Z req=1 127.0.0.1 \"GET /forged\" 200\r\t\x01\\\"'
check "no forged error line" "$(grep -c "^2026-01-01T" "$TMP/error.log" || true)" 0
WANT='GET /api/events/x\n2026-01-01T00:00:00.000Z error fake\"\\: 2 event streams'
check_true "the error line has it escaped" 'grep -qF -- "$WANT" "$TMP/error.log"'

# In all: past 2 connections a new one waits until one closes.
serve_start "$DB" --threads 1 --cache-dir none --timeout 30 --max-connections 2 \
	--max-connections-per-ip 0
check "connections in all are capped" "$($CLIENT total "$port" 2)" "waits, then served"
serve_stop

# Under TLS the session cookie is Secure, and only an https Origin is this
# server's.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
serve_start "$DB" --cache-dir none --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
URL="https://127.0.0.1:$port"
curl -s --cacert "$TMP/cert.pem" -c "$TMP/tls.jar" -D "$TMP/login.h" -o /dev/null -H "$J" \
	-d "{\"token\":\"$OFFICER\"}" "$URL/api/login"
check_true "over TLS the session cookie is Secure" 'grep -qi "^Set-Cookie: posbon_session=.*; Secure" "$TMP/login.h"'
tls_write() { curl -s -o /dev/null -w "%{http_code}" --cacert "$TMP/cert.pem" -b "$TMP/tls.jar" -H "$J" "$@" "$URL/api/offences"; }
check "an http Origin is another site's" "$(tls_write -H "Origin: http://127.0.0.1:$port" -d "$(feature t-1)")" 403
check "the https one is this server's" "$(tls_write -H "Origin: $URL" -d "$(feature t-1)")" 201
curl -s --cacert "$TMP/cert.pem" -b "$TMP/tls.jar" -D "$TMP/logout.h" -o /dev/null -X POST "$URL/api/logout"
check_true "logging out clears it as Secure" 'grep -qi "^Set-Cookie: posbon_session=;.*Max-Age=0; Secure" "$TMP/logout.h"'
serve_stop
finish

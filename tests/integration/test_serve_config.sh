# posbon serve's config file (one option table with the command line) and
# SIGHUP style reloads: a bad style is refused and the old one kept.
. "$(dirname "$0")/common.sh"
DB="$TMP/c.sqlite"
sample_db "$DB"
TOKEN=$("$POSBON" token add "$DB" --role viewer --name t)
"$POSBON" serve --print-config >"$TMP/annotated.conf"
check_true "annotated config lists every option with its default" \
	'grep -q "^#listen = 127.0.0.1:8080$" "$TMP/annotated.conf" && grep -q "^# tile cache folder" "$TMP/annotated.conf"'

printf 'listen = 127.0.0.1:0\nthreeds = 2\n' >"$TMP/bad.conf"
set +e
"$POSBON" serve "$DB" --config "$TMP/bad.conf" 2>"$TMP/err"
rc=$?
set -e
check "a misspelt option stops the server" "$rc" 2
check_true "naming file and line" 'grep -q "bad.conf:2: unknown option .threeds." "$TMP/err"'

cp "$POSBON_SOURCE_DIR/styles/default.json" "$TMP/style.json"
cat >"$TMP/good.conf" <<CONF
# the test's server
listen = 127.0.0.1:0
threads = 1
cache-dir = $TMP/tiles
style = $TMP/style.json
CONF
: >"$TMP/log"
"$POSBON" serve "$DB" --config "$TMP/good.conf" --threads 2 >/dev/null 2>"$TMP/log" &
PID=$!
wait_port "$TMP/log"
check_true "the config file's listen address is used" '[ -n "$port" ]'
TILE="http://127.0.0.1:$port/tiles/heatmap/13/5769/3012.png"
etag() { curl -s -D - -o /dev/null -H "Authorization: Bearer $TOKEN" "$TILE" | sed -n 's/^ETag: \(.*\)\r$/\1/Ip'; }
e1=$(etag)
echo '{"version": 1, "layers": {' >"$TMP/style.json"
kill -HUP "$PID"
check_true "a broken style is refused on SIGHUP" 'wait_file "SIGHUP: style kept" "$TMP/log"'
check "and the old one still serves" "$(etag)" "$e1"
sed 's/"bandwidth": 300/"bandwidth": 250/' "$POSBON_SOURCE_DIR/styles/default.json" >"$TMP/style.json"
kill -HUP "$PID"
check_true "a good style is taken" 'wait_until "grep -q \"SIGHUP: style .* reloaded\" \"\$TMP/log\""'
check_true "and tiles change their ETag" '[ "$(etag)" != "$e1" ]'
SERVE_LOG=$TMP/log serve_stop

# HTTPS straight from the daemon with a self-signed certificate
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
: >"$TMP/tls.log"
"$POSBON" serve "$DB" --listen 127.0.0.1:0 --cache-dir none --tls-cert "$TMP/cert.pem" \
	--tls-key "$TMP/key.pem" >/dev/null 2>"$TMP/tls.log" &
PID=$!
wait_port "$TMP/tls.log"
check "HTTPS answers" "$(curl -s -k -o /dev/null -w "%{http_code}" "https://127.0.0.1:$port/healthz")" 200
check "with the given certificate" "$(curl -s --cacert "$TMP/cert.pem" -o /dev/null -w "%{http_code}" "https://127.0.0.1:$port/healthz")" 200
SERVE_LOG=$TMP/tls.log serve_stop
set +e
"$POSBON" serve "$DB" --tls-cert "$TMP/cert.pem" 2>"$TMP/err"
rc=$?
set -e
check "a certificate without its key is refused" "$rc" 2
finish

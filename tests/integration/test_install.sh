# The Debian package, as a district's IT officer would install it: built by
# CPack from the build folder of $POSBON, unpacked into a fresh root
# (dpkg-deb -x: nothing of this machine is touched), and the daemon started
# from that root alone, from /, without POSBON_SOURCE_DIR, serving the
# viewer, a tile and /vendor/... from the unpacked files. Also the units of
# the daemon and of the daily standing and its timer (systemd-analyze, when
# present) and the manual page (groff).
# cpack leaves its install_manifest.txt in the build folder; everything else
# goes to $TMP.
. "$(dirname "$0")/common.sh"
for tool in cpack dpkg-deb dpkg-shlibdeps file; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool is missing (scripts/install-deps.sh package)"
		exit 77
	fi
done
BUILD=$(dirname "$POSBON")
ROOT="$TMP/root"

cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$TMP/pkg" >"$TMP/cpack.log" 2>&1 ||
	{ cat "$TMP/cpack.log"; exit 1; }
DEB=$(ls "$TMP"/pkg/posbon_*.deb)
check_true "cpack made one .deb" '[ -f "$DEB" ]'
dpkg-deb -f "$DEB" Depends >"$TMP/depends"
check_true "it depends on the libraries it links (dpkg-shlibdeps)" \
	'grep -q "libmicrohttpd" "$TMP/depends" && grep -q "libspatialite" "$TMP/depends" && grep -q "libcurl3-gnutls" "$TMP/depends"'
check_true "and on the data files it reads" \
	'grep -q "tzdata" "$TMP/depends" && grep -q "proj-data" "$TMP/depends" && grep -q "fonts-noto-core | fonts-dejavu-core" "$TMP/depends"'
dpkg-deb -e "$DEB" "$TMP/control"
check_true "the configuration is a conffile" 'grep -qx /etc/posbon/posbon.conf "$TMP/control/conffiles"'
check_true "postinst makes the posbon user and its folders" \
	'grep -q "adduser .*--system" "$TMP/control/postinst" && grep -q "/var/cache/posbon" "$TMP/control/postinst"'
check_true "postrm purge deletes the data folders" 'grep -q "rm -rf /var/lib/posbon" "$TMP/control/postrm"'
check_true "the maintainer scripts parse" \
	'sh -n "$TMP/control/postinst" && sh -n "$TMP/control/prerm" && sh -n "$TMP/control/postrm"'

dpkg-deb -x "$DEB" "$ROOT"
BIN="$ROOT/usr/bin/posbon"
SHARE="$ROOT/usr/share/posbon"
UNIT="$ROOT/usr/lib/systemd/system/posbon.service"
STANDING="$ROOT/usr/lib/systemd/system/posbon-standing.service"
TIMER="$ROOT/usr/lib/systemd/system/posbon-standing.timer"
check_true "the binary, the viewer, Leaflet, Geoman and the style are unpacked" \
	'[ -x "$BIN" ] && [ -f "$SHARE/web/index.html" ] && [ -f "$SHARE/vendor/leaflet/leaflet.js" ] && [ -f "$SHARE/vendor/geoman/leaflet-geoman.js" ] && [ -f "$SHARE/styles/default.json" ]'
check_true "no posbon-source-dir beside the binary: no way back to the checkout" \
	'[ ! -e "$ROOT/usr/bin/posbon-source-dir" ]'
# (The sanitizers keep source file names for their reports: only the
# folders of the run-time files count.)
check_true "the binary holds no path of the checkout's run-time files" \
	'! grep -qF -e "$POSBON_SOURCE_DIR/web" -e "$POSBON_SOURCE_DIR/styles" -e "$POSBON_SOURCE_DIR/node_modules" "$BIN"'
check_true "the configuration sets the installed tile cache" \
	'grep -qx "cache-dir = /var/cache/posbon/tiles" "$ROOT/etc/posbon/posbon.conf"'
check_true "the unit runs the installed binary as posbon, hardened" \
	'grep -qx "ExecStart=/usr/bin/posbon serve --config /etc/posbon/posbon.conf /var/lib/posbon/posbon.sqlite" "$UNIT" && grep -qx "User=posbon" "$UNIT" && grep -qx "ProtectSystem=strict" "$UNIT" && grep -qx "NoNewPrivileges=yes" "$UNIT"'

check_true "the daily standing's unit records it as posbon, without network" \
	'grep -qx "ExecStart=/usr/bin/posbon standing /var/lib/posbon/posbon.sqlite --record" "$STANDING" && grep -qx "Type=oneshot" "$STANDING" && grep -qx "User=posbon" "$STANDING" && grep -qx "PrivateNetwork=yes" "$STANDING"'
check_true "its timer runs it daily, catching up a missed day" \
	'grep -qx "OnCalendar=\*-\*-\* 00:15:00" "$TIMER" && grep -qx "Persistent=true" "$TIMER" && grep -qx "WantedBy=timers.target" "$TIMER"'
check_true "postinst enables and starts the timer, prerm stops it, postrm masks it" \
	'grep -q "for unit in posbon.service posbon-standing.timer" "$TMP/control/postinst" && grep -q "stop posbon-standing.timer" "$TMP/control/prerm" && grep -q "for unit in posbon.service posbon-standing.timer" "$TMP/control/postrm"'

# What is served must come from the unpacked tree: marks only it holds.
MARK="installed-tree-$$"
printf '<!-- %s -->\n' "$MARK" >>"$SHARE/web/index.html"
printf '/* %s */\n' "$MARK" >>"$SHARE/vendor/leaflet/leaflet.js"

# The installed binary alone: from /, no source tree in the environment.
run_installed() { (cd / && env -u POSBON_SOURCE_DIR -u POSBON_SAMPLE_DB "$BIN" "$@"); }
DB="$TMP/var/lib/posbon/posbon.sqlite"
mkdir -p "$(dirname "$DB")"
run_installed sample "$DB" --offences 2000 --mahallas 12 --end 2026-06-30 >/dev/null
TOKEN=$(run_installed token add "$DB" --role admin --name it-officer)
check_true "the installed binary makes a database and an admin token" '[ -n "$TOKEN" ]'
run_installed standing "$DB" --record >/dev/null 2>"$TMP/standing.err"
check_true "the daily standing's command records a category per mahalla" \
	'[ "$(sql "$DB" "SELECT count(DISTINCT mahalla_code) FROM standing")" = 12 ]'

# The packaged configuration, with the listen address, the cache folder and
# the log file of this test on the command line, which overrides the file.
CACHE="$TMP/var/cache/posbon/tiles"
check_true "the packaged configuration logs to /var/log/posbon" \
	'grep -qx "log-file = /var/log/posbon/posbon.log" "$ROOT/etc/posbon/posbon.conf"'
: >"$TMP/error.log"
(cd / && exec env -u POSBON_SOURCE_DIR -u POSBON_SAMPLE_DB "$BIN" serve \
	--config "$ROOT/etc/posbon/posbon.conf" --listen 127.0.0.1:0 --cache-dir "$CACHE" \
	--log-file "$TMP/error.log" "$DB" >"$TMP/stdout.log" 2>"$TMP/stderr.log") &
PID=$!
wait_port "$TMP/error.log"
check_true "the installed daemon announced its port" '[ -n "$port" ]'
URL="http://127.0.0.1:$port"
check_true "it reads the style, viewer, Leaflet and Geoman of the unpacked tree" \
	'grep -q "style $SHARE/styles/default.json, viewer $SHARE/web, Leaflet $SHARE/vendor/leaflet, Geoman $SHARE/vendor/geoman" "$TMP/error.log"'
check "healthz" "$(curl -s -o /dev/null -w "%{http_code}" "$URL/healthz")" 200
curl -s -H "Authorization: Bearer $TOKEN" -o "$TMP/tile.png" -w "%{http_code}" \
	"$URL/tiles/heatmap/13/5769/3012.png" >"$TMP/code"
check "a tile" "$(cat "$TMP/code")" 200
check "is a PNG" "$(head -c 8 "$TMP/tile.png" | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a
check_true "the tile cache folder was made with its parents, 0750" \
	'[ "$(stat -c %a "$CACHE")" = 750 ] && [ "$(stat -c %a "$TMP/var/cache/posbon")" = 750 ]'
check_true "the viewer's index is the unpacked one" 'curl -s "$URL/" | grep -qF "$MARK"'
check_true "/vendor/leaflet/leaflet.js is the unpacked one" \
	'curl -s "$URL/vendor/leaflet/leaflet.js" | grep -qF "$MARK"'
check "/vendor/geoman/ answers" \
	"$(curl -s -o /dev/null -w "%{http_code}" "$URL/vendor/geoman/leaflet-geoman.css")" 200
serve_stop "the installed daemon stops cleanly"

# Without its share folder the installed binary says what is missing and
# which option gives it; it does not reach for the checkout.
mv "$SHARE/web" "$TMP/web-away"
set +e
run_installed serve "$DB" --listen 127.0.0.1:0 --cache-dir none 2>"$TMP/err"
rc=$?
set -e
check "a missing viewer folder stops the daemon" "$rc" 1
check_true "naming where it looked and --web" \
	'grep -q "no web in $ROOT/usr/share/posbon: give --web DIR" "$TMP/err"'

if command -v systemd-analyze >/dev/null 2>&1; then
	# verify checks that ExecStart's binary exists: this machine has none at
	# /usr/bin/posbon, so the copy points at the unpacked one.
	mkdir "$TMP/units"
	for unit in "$UNIT" "$STANDING" "$TIMER"; do
		sed "s|/usr/bin/posbon|$BIN|" "$unit" >"$TMP/units/$(basename "$unit")"
	done
	check_true "systemd-analyze verify accepts the units and the timer" \
		'systemd-analyze verify --man=no "$TMP"/units/* >"$TMP/verify" 2>&1 || { cat "$TMP/verify"; false; }'
else
	echo "ok - systemd-analyze verify # SKIP no systemd-analyze"
fi

MAN="$ROOT/usr/share/man/man1/posbon.1"
if command -v groff >/dev/null 2>&1; then
	groff -man -Tascii -P-cbou -ww "$MAN" 2>"$TMP/groff.err" >"$TMP/man.txt"
	check "the manual page renders without a warning" "$(cat "$TMP/groff.err")" ""
	check_true "with every command and serve's options" \
		'grep -q "posbon serve DB" "$TMP/man.txt" && grep -q "token add|list|revoke" "$TMP/man.txt" && grep -q -- "--share-dir" "$TMP/man.txt"'
else
	echo "ok - the manual page renders # SKIP no groff"
fi
finish

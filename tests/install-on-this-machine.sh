#!/bin/sh
# The Debian package installed for real on this machine, maintainer scripts
# and all, as `apt install ./posbon_*.deb` does on a district's server; then
# the daemon run as the posbon user from the installed files alone, and the
# package purged again. Not part of `make test`, which must not change the
# machine it runs on (test_install.sh unpacks the package into a temporary
# root instead): run it as root on a Debian 12 machine where posbon is not
# installed, from a checkout after `make package`.
#
# Usage: tests/install-on-this-machine.sh [build/posbon_VERSION_amd64.deb]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls "$src"/build/posbon_*_amd64.deb)}
[ "$(id -u)" = 0 ] || { echo "run as root"; exit 2; }
if dpkg-query -W -f='${Status}' posbon 2>/dev/null | grep -q "ok installed"; then
	echo "posbon is installed on this machine already: not touching it"
	exit 2
fi
fails=0
check() { # description, shell condition
	if eval "$2"; then echo "ok - $1"; else echo "FAIL - $1: ($2) is false"; fails=$((fails + 1)); fi
}
as_posbon() { (cd / && runuser -u posbon -- env -i PATH=/usr/bin:/bin "$@"); }
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill -- "-$pid" 2>/dev/null || true
	apt-get purge -y -q posbon >"$tmp/purge.log" 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

apt-get install -y -q --no-install-recommends "$deb" >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; exit 1; }
check "postinst made the posbon system user" 'getent passwd posbon | grep -q "^posbon:.*:/var/lib/posbon:"'
for dir in /var/lib/posbon /var/cache/posbon /var/log/posbon; do
	check "$dir is posbon's, 0750" '[ "$(stat -c "%U:%G %a" "$dir")" = "posbon:posbon 750" ]'
done
check "and an empty database for the unit to serve" \
	'[ "$(stat -c %U /var/lib/posbon/posbon.sqlite)" = posbon ] && as_posbon /usr/bin/posbon info /var/lib/posbon/posbon.sqlite >/dev/null'
check "the configuration is a conffile" 'dpkg-query -W -f="\${Conffiles}" posbon | grep -q /etc/posbon/posbon.conf'
check "man posbon is installed" '[ -f /usr/share/man/man1/posbon.1.gz ] || [ -f /usr/share/man/man1/posbon.1 ]'
check "the unit is installed" '[ -f /usr/lib/systemd/system/posbon.service ] || [ -f /lib/systemd/system/posbon.service ]'

# The daemon as the unit runs it, but on a free port (systemd may run the
# unit on 8080 meanwhile), with nothing of the checkout in reach.
as_posbon /usr/bin/posbon sample /var/lib/posbon/try.sqlite --offences 2000 --mahallas 6 >/dev/null
token=$(as_posbon /usr/bin/posbon token add /var/lib/posbon/try.sqlite --role viewer --name install-check)
: >"$tmp/none"
# In a session of its own, so that stopping it stops runuser and the daemon.
setsid sh -c 'cd / && exec runuser -u posbon -- env -i PATH=/usr/bin:/bin /usr/bin/posbon serve \
	--config /etc/posbon/posbon.conf --listen 127.0.0.1:0 --log-file /var/log/posbon/try.log \
	/var/lib/posbon/try.sqlite' >/dev/null 2>&1 &
pid=$!
port=""
for _ in $(seq 1 300); do
	port=$(sed -n 's|.*on http://127.0.0.1:\([0-9]*\)/.*|\1|p' /var/log/posbon/try.log 2>/dev/null || true)
	[ -n "$port" ] && break
	sleep 0.1
done
check "the installed daemon started as posbon" '[ -n "$port" ]'
url="http://127.0.0.1:$port"
check "it reads the installed style, viewer, Leaflet and Geoman" \
	'grep -q "style /usr/share/posbon/styles/default.json, viewer /usr/share/posbon/web, Leaflet /usr/share/posbon/vendor/leaflet, Geoman /usr/share/posbon/vendor/geoman" /var/log/posbon/try.log'
check "/healthz" '[ "$(curl -s -o /dev/null -w "%{http_code}" "$url/healthz")" = 200 ]'
check "the viewer" 'curl -s "$url/" | grep -q "<html"'
check "/vendor/leaflet/leaflet.js" '[ "$(curl -s -o /dev/null -w "%{http_code}" "$url/vendor/leaflet/leaflet.js")" = 200 ]'
curl -s -H "Authorization: Bearer $token" "$url/tiles/mahallas/12/2843/1516.png" >"$tmp/tile.png"
check "a tile, as a PNG" '[ "$(head -c 8 "$tmp/tile.png" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a ]'
check "the tile cache is where the configuration says" '[ -d /var/cache/posbon/tiles ]'
kill -- "-$pid"
wait "$pid" || true
pid=""
check "the daemon stopped with its session" '! pgrep -u posbon -f "posbon serve" >/dev/null' 

apt-get purge -y -q posbon >"$tmp/purge.log" 2>&1
check "purge removes the binary and the data folders" \
	'[ ! -e /usr/bin/posbon ] && [ ! -e /var/lib/posbon ] && [ ! -e /var/cache/posbon ] && [ ! -e /var/log/posbon ]'
echo "$fails failed"
[ "$fails" -eq 0 ]

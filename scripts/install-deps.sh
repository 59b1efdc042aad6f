#!/bin/sh
# Installs the Debian packages that posbon needs to build, test and run.
# Usage: scripts/install-deps.sh [build|test|hours|bench|package]
# Only missing packages are installed, so a second run touches no network.
set -eu

build_pkgs="gcc make cmake pkg-config libc6-dev tzdata ca-certificates
 libgdal-dev gdal-data libproj-dev proj-data libspatialite-dev libsqlite3-dev
 libsqlite3-mod-spatialite libgeos-dev libmicrohttpd-dev libcairo2-dev
 libpango1.0-dev libjansson-dev libcmocka-dev libgnutls28-dev libpng-dev libbz2-dev
 libcurl4-gnutls-dev
 fonts-noto-core fonts-dejavu-core
 nodejs npm"
# package: CPack's DEB generator reads the libraries' dependencies through
# dpkg-shlibdeps (dpkg-dev) and finds the binaries with file.
package_pkgs="dpkg-dev file"
# The package is built and unpacked by a test (test_install.sh), which reads
# the man page with groff.
test_pkgs="poppler-utils sqlite3 curl python3 openssl chromium gdal-bin clang libclang-rt-14-dev
 $package_pkgs groff-base python-osmnx-doc"
bench_pkgs="gdal-bin sqlite3 time hyperfine mapserver-bin qgis wrk nginx glpk-utils r-cran-spdep python3-mapnik mapnik-utils"

want="$build_pkgs"
case "${1:-build}" in
build) ;;
test) want="$want $test_pkgs" ;;
hours) want="$want $test_pkgs faketime" ;; # tests/at-any-hour.sh
bench) want="$want $test_pkgs $bench_pkgs" ;;
package) want="$want $package_pkgs" ;;
*) echo "usage: $0 [build|test|hours|bench|package]" >&2; exit 2 ;;
esac

# nodejs and npm: the viewer's Leaflet and the browser test come from npm
# (package-lock.json). A nodejs from NodeSource bundles npm and conflicts with
# Debian's npm package, so working node and npm commands count as installed.
have() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed" && return 0
	case $1 in
	nodejs) command -v node >/dev/null 2>&1 ;;
	npm) command -v npm >/dev/null 2>&1 ;;
	*) return 1 ;;
	esac
}

missing=""
for p in $want; do
	have "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "posbon: missing Debian packages. As root, run:" >&2
	echo "  $line" >&2
	exit 1
fi
echo "posbon: installing$missing"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing

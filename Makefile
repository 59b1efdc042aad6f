# Thin wrapper for the two commands of README.md; CMake does the building.
JOBS    ?= $(shell nproc)
BUILD   ?= build
TESTBLD ?= build-test
FUZZBLD ?= build-fuzz
# Seconds each fuzz target runs in `make fuzz` (`make test` gives each 20).
FUZZ_SECONDS ?= 300
DB      ?= var/posbon.sqlite
PORT    ?= 8080
# make install: the prefix and the staging root (docs/install.md).
PREFIX  ?= /usr/local
DESTDIR ?=
# npm ci writes this file last, so it is as new as the installed packages.
NPM_STAMP = node_modules/.package-lock.json

# The sanitizers' options for ctest in $(TESTBLD).
SANITIZERS = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: run test test-quick fuzz deps deps-test build build-test sample bench install package clean

# The officer token of make run is made once per database and kept beside
# it (0600, in the ignored var/), so that a restart keeps the browsers'
# sessions; a new database (a new sample) gets a new one.
run: build $(NPM_STAMP) $(DB)
	$(BUILD)/posbon info $(DB)
	@if [ ! -s $(DB).token ] || ! $(BUILD)/posbon token list $(DB) | grep -q '^make-run .* active'; then \
		$(BUILD)/posbon token revoke $(DB) --name make-run >/dev/null 2>&1 || true; \
		(umask 077; $(BUILD)/posbon token add $(DB) --role officer --name make-run | tail -n 1 >$(DB).token); \
	fi
	@echo "Viewer: http://127.0.0.1:$(PORT)/#token=$$(cat $(DB).token)"
	@echo "(the officer token make-run, kept in $(DB).token)"
	$(BUILD)/posbon serve $(DB) --listen 127.0.0.1:$(PORT)

test: deps-test build-test $(NPM_STAMP)
	cd $(TESTBLD) && $(SANITIZERS) ctest --output-on-failure -j $(JOBS)
	FUZZ_SECONDS=20 FUZZ_BUILD=$(FUZZBLD) JOBS=$(JOBS) tests/fuzz/run.sh

# The unit tests and the integration tests labelled neither slow, browser
# nor data (CMakeLists.txt): under 3 minutes, for while working; `make test`
# before a merge.
test-quick: deps-test build-test
	cd $(TESTBLD) && $(SANITIZERS) ctest --output-on-failure -j $(JOBS) -LE 'slow|browser|data'

# The fuzz targets of tests/fuzz for longer (FUZZ_SECONDS each); fails
# without clang and libFuzzer.
fuzz: deps-test
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(FUZZBLD) JOBS=$(JOBS) FUZZ_REQUIRED=1 \
		FUZZ_KEEP=1 tests/fuzz/run.sh

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-test:
	@cmake -S . -B $(TESTBLD) -DCMAKE_BUILD_TYPE=Debug -DPOSBON_SANITIZE=ON >/dev/null
	@cmake --build $(TESTBLD) -j $(JOBS)

# The viewer's Leaflet (served from node_modules/leaflet/dist) and the browser
# test's playwright-core, exactly as package-lock.json says; only when
# node_modules is missing or the lock file is newer.
$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Options of the sample make run generates: "--districts 4" makes a city.
SAMPLE_ARGS ?=

$(DB):
	@mkdir -p $(dir $(DB))
	$(BUILD)/posbon sample $(DB) $(SAMPLE_ARGS)

sample: build
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(MAKE) $(DB)

bench: build
	@scripts/install-deps.sh bench
	bench/run.sh $(BUILD)

# The binary, the viewer, the styles, the man page, the example
# configuration and the systemd unit under PREFIX (etc and the unit under
# /etc and /usr/lib/systemd when PREFIX is /usr), staged under DESTDIR.
install: build $(NPM_STAMP)
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix $(PREFIX)

# The Debian package of the release build: $(BUILD)/posbon_VERSION_ARCH.deb
# (CPack; docs/install.md).
package: build $(NPM_STAMP)
	@scripts/install-deps.sh package
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(TESTBLD) $(FUZZBLD)

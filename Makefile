# Thin wrapper for the two commands of README.md; CMake does the building.
JOBS    ?= $(shell nproc)
BUILD   ?= build
TESTBLD ?= build-test
DB      ?= var/posbon.sqlite

.PHONY: run test deps deps-test build build-test sample bench clean

run: build $(DB)
	$(BUILD)/posbon info $(DB)

test: deps-test build-test
	cd $(TESTBLD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS)

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

$(DB):
	@mkdir -p $(dir $(DB))
	$(BUILD)/posbon sample $(DB)

sample: build
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(MAKE) $(DB)

bench: build
	@scripts/install-deps.sh bench
	bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(TESTBLD)

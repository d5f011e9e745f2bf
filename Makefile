# mapgen build, test data and CI entry points.
#
#   make example   run mapgen on a built-in example and print the Go it writes
#   make test      install what is missing, then run every test, printing each
#                  package and its slow tests as they finish (internal/testrun)
#   make fuzz      run every fuzz target in turn for FUZZTIME (default 10m)
#   make testdata  rebuild the compiled eBPF objects under testdata/obj and examples/
#   make layout-png  draw `mapgen layout --format svg` and render it to layout.png
#                  with headless Chromium, to look at (LAYOUT_OBJ, LAYOUT_TYPES,
#                  LAYOUT_ROW, LAYOUT_PNG choose what)
#   make bench     the Go benchmarks, then mapgen against bpftool as whole
#                  processes and a cold go build of mapgen's vmlinux output
#                  (internal/benchcmp); takes a few minutes
#   make difftest  the differential test over thousands of random C programs
#                  (DIFF_SEEDS=1-2000 by default; internal/difftest)

GO ?= go
APT_PACKAGES := clang-19 clang-14 llvm-19 libbpf-dev linux-libc-dev qemu-user dwarves
# Commands whose absence means the Debian packages above must be installed.
# qemu-i386 runs the 386 test binaries where the kernel cannot (no 32-bit
# support); see internal/gentest/run.go. pahole (dwarves) is the reference
# layout/report's tests compare holes and padding with.
NEEDED_COMMANDS := clang-19 clang-14 qemu-s390x qemu-arm qemu-aarch64 qemu-i386 pahole
MISSING := $(strip $(foreach c,$(NEEDED_COMMANDS),$(if $(shell command -v $(c)),,$(c))) \
	$(if $(wildcard /usr/include/bpf/bpf_helpers.h),,bpf_helpers.h))

# What `make bench` needs besides make deps: bpftool to compare with, and
# GNU time for whole-process CPU time and peak memory.
BENCH_PACKAGES := bpftool time
BENCH_MISSING := $(strip $(if $(shell command -v bpftool),,bpftool) $(if $(wildcard /usr/bin/time),,time))

.PHONY: all deps bench-deps test testdata example golden bench fuzz vet clean layout-png difftest

all: test

deps:
ifneq ($(MISSING),)
	@echo "installing: missing $(MISSING)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES)
endif

# Examples whose objects `make testdata` rebuilds (each has its own Makefile).
EXAMPLES := counter packetcount tracer dispatcher

bench-deps:
ifneq ($(BENCH_MISSING),)
	@echo "installing: missing $(BENCH_MISSING)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BENCH_PACKAGES)
endif

testdata: deps
	$(MAKE) -C testdata
	$(foreach e,$(EXAMPLES),$(MAKE) -C examples/$(e) &&) true

example:
	@echo "make example: building mapgen (the first build compiles its dependencies and can take a minute), then printing the Go it writes for examples/counter/counter_bpfel.o" >&2
	$(GO) run ./cmd/mapgen -p example -o - --event events=flow_event examples/counter/counter_bpfel.o

# go test's exit status is make's; testrun prints each package and its
# slow tests as they finish, every skip with its reason, every failure with
# its full output, and a summary of the slowest tests and the CPU time.
test: deps
	$(GO) vet ./...
	@tmp=$$(mktemp -d) && $(GO) build -o $$tmp/testrun ./internal/testrun && \
	echo "$(GO) test -count=1 -timeout 30m -json ./..." && \
	{ $$tmp/testrun -- $(GO) test -count=1 -timeout 30m -json ./...; status=$$?; rm -rf $$tmp; exit $$status; }

# The differential test (internal/difftest) over many seeds: random C
# programs through clang, mapgen, every GOARCH's type check, the layout
# oracle, byte images on amd64 and s390x (qemu-user) and the kernel.
# `make test` runs a bounded set of seeds; this runs DIFF_SEEDS, in batches
# of DIFF_BATCH seeds per generated module. A failing seed names its C file
# and the first field that differs.
DIFF_SEEDS ?= 1-2000
DIFF_BATCH ?= 200
difftest: deps
	MAPGEN_DIFF_SEEDS=$(DIFF_SEEDS) MAPGEN_DIFF_BATCH=$(DIFF_BATCH) $(GO) test -count=1 -timeout 0 -v -run '^TestDifferential$$' ./internal/difftest

golden:
	$(GO) test ./gen -run TestGolden -update
	$(GO) test ./layout/report -run TestGolden -update

# Not part of `make test` (Chromium is not needed in CI):
# apt-get install chromium first.
LAYOUT_OBJ ?= testdata/obj/layout_bpfel.o
LAYOUT_TYPES ?= holes bitfields unions
LAYOUT_ROW ?= 16
LAYOUT_PNG ?= layout.png
CHROMIUM ?= chromium

layout-png:
	@tmp=$$(mktemp -d) && \
	$(GO) run ./cmd/mapgen layout --format svg --row $(LAYOUT_ROW) $(LAYOUT_OBJ) $(LAYOUT_TYPES) > $$tmp/layout.svg && \
	size=$$(sed -n '1s/^<svg[^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' $$tmp/layout.svg) && \
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir=$$tmp/profile --screenshot=$(abspath $(LAYOUT_PNG)) --window-size=$$size \
		file://$$tmp/layout.svg >$$tmp/chromium.log 2>&1; \
	status=$$?; [ $$status = 0 ] || cat $$tmp/chromium.log; rm -rf $$tmp; \
	[ $$status = 0 ] && echo "wrote $(LAYOUT_PNG) ($$size)"; exit $$status

# The benchmark packages run one after the other (-p 1), so that they do
# not compete for the cores; then benchcmp prints the whole-process table
# the README shows.
bench: bench-deps
	$(GO) test -run '^$$' -bench . -benchmem -count 1 -p 1 ./gen ./templates
	$(GO) run ./internal/benchcmp

# Go native fuzzing, one target at a time with one worker (the machines
# have 2 cores). A finding stops the run and is written to the package's
# testdata/fuzz/FuzzX/; commit it with its fix, and go test replays it.
# The last line of each target's output gives its execs. Minimizing each
# new interesting input is bounded by FUZZMINIMIZETIME: go's default of 60 s
# on inputs of 10 KiB objects left the one worker minimizing most of the run.
FUZZTIME ?= 10m
FUZZMINIMIZETIME ?= 5s
FUZZ_TARGETS ?= ./btfread:FuzzOpen ./btfread:FuzzObjectBTF ./btfread:FuzzComparePair \
	./gen:FuzzPipeline ./gen:FuzzRawBTF ./cmd/mapgen:FuzzArgs ./internal/udiff:FuzzUnified \
	./layout/report:FuzzReport ./internal/verify:FuzzCTypeSpelling
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$name ($$pkg) for $(FUZZTIME)"; \
		nice $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) -parallel 1 $$pkg; \
	done

clean:
	$(MAKE) -C testdata clean

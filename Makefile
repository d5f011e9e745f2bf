# mapgen build, test data and CI entry points.
#
#   make example   run mapgen on a built-in example and print the Go it writes
#   make test      install what is missing, then run every test, printing each
#                  package and its slow tests as they finish (internal/testrun)
#   make testdata  rebuild the compiled eBPF objects under testdata/obj and examples/

GO ?= go
APT_PACKAGES := clang-19 clang-14 llvm-19 libbpf-dev linux-libc-dev qemu-user
# Commands whose absence means the Debian packages above must be installed.
# qemu-i386 runs the 386 test binaries where the kernel cannot (no 32-bit
# support); see internal/gentest/run.go.
NEEDED_COMMANDS := clang-19 clang-14 qemu-s390x qemu-arm qemu-aarch64 qemu-i386
MISSING := $(strip $(foreach c,$(NEEDED_COMMANDS),$(if $(shell command -v $(c)),,$(c))) \
	$(if $(wildcard /usr/include/bpf/bpf_helpers.h),,bpf_helpers.h))

.PHONY: all deps test testdata example golden bench vet clean

all: test

deps:
ifneq ($(MISSING),)
	@echo "installing: missing $(MISSING)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES)
endif

# Examples whose objects `make testdata` rebuilds (each has its own Makefile).
EXAMPLES := counter packetcount tracer dispatcher

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

golden:
	$(GO) test ./gen -run TestGolden -update

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	$(MAKE) -C testdata clean

# mapgen build, test data and CI entry points.
#
#   make example   run mapgen on a built-in example and print the Go it writes
#   make test      install what is missing, then run every test
#   make testdata  rebuild the compiled eBPF objects under testdata/obj and examples/

GO ?= go
APT_PACKAGES := clang-19 clang-14 llvm-19 libbpf-dev linux-libc-dev qemu-user
# Commands whose absence means the Debian packages above must be installed.
NEEDED_COMMANDS := clang-19 clang-14 qemu-s390x qemu-arm qemu-aarch64
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

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 45m ./...

golden:
	$(GO) test ./gen -run TestGolden -update

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	$(MAKE) -C testdata clean

# nsbox: one static binary (musl), plus a glibc build against the system's
# libmnl that the test suite also runs against.
#
#   make            build/nsbox (static, musl, stripped)
#   make check      install what is missing, build, run every test
#   make demo       install what is missing, build, show the seed topology
#   make bench      side-by-side benchmark against iproute2 + iptables
#   make vmcheck    the VM stage alone: build/nsbox under Debian's 6.1 kernel in qemu
#   make LIBMNL_A=/path/libmnl.a   link a real static libmnl instead of static/mnl.c

CC_MUSL  ?= musl-gcc
CC_GLIBC ?= gcc
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -Oz
# DNS=1: host names fall back to getaddrinfo (DNS) after /etc/hosts (+20 KiB static)
# one set of flags: DEVFLAGS for every compile (tests, fuzzers, sanitizers),
# BASEFLAGS adds the size options of the two shipped builds
DEVFLAGS := -std=gnu11 $(WARN) $(if $(DNS),-DNSB_DNS) -Iinclude -Ibuild
BASEFLAGS := $(DEVFLAGS) -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-stack-protector
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
# the static build is not position-independent (it never was: musl-gcc links
# it at a fixed address), so its code need not be either (-1.6 KiB); musl
# applies no RELRO to a static binary, and without it the data segment need
# not start on a fresh page in the file (-3.6 KiB of padding); link-time
# optimisation, and no jump tables or caller-saves spills: -2.1 KiB more;
# arrays aligned as the ABI asks, not to 32 bytes for vector loads: -0.4 KiB;
# passes that -Oz still runs and that grow this code (sibling calls copy
# the epilogue to every tail call; the dominator pass threads jumps by
# copying blocks), found by building with each one off, then kept one by
# one only while the sum still shrank: -2.3 KiB
STATICFLAGS := -fno-pie -flto=auto -fno-jump-tables -fno-caller-saves -malign-data=abi \
	-fno-expensive-optimizations -fno-optimize-sibling-calls -fno-tree-dominator-opts \
	-fno-tree-loop-im -fno-move-loop-invariants -fno-ipa-sra -fno-shrink-wrap \
	-fno-if-conversion -fno-forward-propagate
LDSTATIC := -static -s -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noseparate-code \
	-Wl,-z,norelro -Wl,-z,common-page-size=64

APPLETS  := $(sort $(wildcard applets/*.c))
# the tree is the architecture: lib/ talks to the kernel and never prints,
# cli/ is the command-line runtime, static/ only goes into the static build
LIB      := $(sort $(wildcard lib/*.c))
CLI      := $(sort $(wildcard cli/*.c))
CORE     := $(LIB) $(CLI)
STATIC_SRC := $(sort $(wildcard static/*.c))
HDRS     := $(wildcard include/*.h include/compat/libmnl/*.h) build/usage.h build/applets.h \
	Makefile

# musl-gcc hides /usr/include: reach the kernel uapi headers through build/kinc
KINC     := build/kinc
ARCH_INC := $(firstword $(wildcard /usr/include/$(shell $(CC_GLIBC) -dumpmachine 2>/dev/null)/asm/..))

ifdef LIBMNL_A
STATIC_SRC := $(filter-out static/mnl.c,$(STATIC_SRC))
MNL_LIB  := $(LIBMNL_A)
MNL_INC  := -I$(KINC)
else
MNL_LIB  :=
MNL_INC  := -Iinclude/compat
endif

all: build/nsbox

build/kinc/.stamp:
	@mkdir -p $(KINC)
	ln -sfn /usr/include/linux $(KINC)/linux
	ln -sfn /usr/include/asm-generic $(KINC)/asm-generic
	ln -sfn $(ARCH_INC)/asm $(KINC)/asm
	ln -sfn /usr/include/libmnl $(KINC)/libmnl
	@touch $@

# jsmn (libjsmn-dev) is one header: the CNI plugins' JSON parser
build/kinc/jsmn.h: build/kinc/.stamp
	ln -sfn /usr/include/jsmn.h $@

# each applet's --help text is the comment at the top of its file, and the
# applet list is the files in applets/
build/usage-plain.h: $(APPLETS) scripts/usage.awk
	@mkdir -p build
	awk -v list=build/applets.h.tmp -f scripts/usage.awk $(APPLETS) > $@.tmp && \
		mv build/applets.h.tmp build/applets.h && mv $@.tmp $@
build/applets.h: build/usage-plain.h
# the texts are packed (byte pairs, as busybox packs its own): -3.5 KiB
build/usagepack: scripts/usagepack.c build/usage-plain.h
	$(CC_GLIBC) -O1 $(DEVFLAGS) $< -o $@
build/usage.h: build/usagepack
	build/usagepack > $@.tmp && mv $@.tmp $@

# what the kernel's loader never reads (section headers, .comment) goes
# after the link: -1.1 KiB (scripts/elftrim.c)
build/elftrim: scripts/elftrim.c
	@mkdir -p build
	$(CC_GLIBC) -O1 $(DEVFLAGS) $< -o $@

build/nsbox: $(CORE) $(APPLETS) $(STATIC_SRC) $(HDRS) build/kinc/.stamp build/kinc/jsmn.h build/elftrim
	$(CC_MUSL) $(CFLAGS) $(STATICFLAGS) $(BASEFLAGS) $(MNL_INC) -isystem $(KINC) \
		$(CORE) $(APPLETS) $(STATIC_SRC) $(MNL_LIB) $(LDSTATIC) -o $@.tmp
	build/elftrim $@.tmp && mv $@.tmp $@

# dynamically linked glibc build against the system's real libmnl
build/nsbox-libmnl: $(CORE) $(APPLETS) $(HDRS)
	$(CC_GLIBC) $(CFLAGS) $(BASEFLAGS) $(CORE) $(APPLETS) -lmnl -o $@

# the same code under ASan + UBSan (make check SAN=1)
build/nsbox-san: $(CORE) $(APPLETS) $(HDRS)
	clang -O1 -g $(SANFLAGS) -fno-omit-frame-pointer $(DEVFLAGS) \
		$(CORE) $(APPLETS) -lmnl -o $@

# lib/ never prints and never exits: linked alone, it must not reference
# the C library's output functions, exit or the standard streams
build/lib-alone.o: $(LIB) $(HDRS)
	@mkdir -p build
	$(CC_GLIBC) -O1 $(DEVFLAGS) -fno-builtin -r -nostdlib $(LIB) -o $@

UNIT := $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/*.c))
UNIT_SRC := lib/addr.c lib/cniconf.c lib/nftplan.c cli/opt.c cli/err.c cli/json.c
build/unit/%: tests/unit/%.c $(UNIT_SRC) $(HDRS)
	@mkdir -p build/unit
	$(CC_GLIBC) -O1 -g $(BASEFLAGS) $< $(UNIT_SRC) -lcmocka -o $@

# libFuzzer targets (tests/fuzz/fuzz_NAME.c, seeds in tests/fuzz/corpus/NAME)
FUZZ_SECONDS ?= 5
FUZZERS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
# fuzz_NAME.c may #include lib/NAME.c (or static/NAME.c) to reach its static
# reply callbacks; the rest (with static/mnl.c, without main) is linked beside
# it, each file compiled once for all the fuzzers (build/fuzzobj/)
FUZZ_CC := clang -g -O1 $(SANFLAGS) $(DEVFLAGS) -Iinclude/compat
FUZZ_OBJ = $(patsubst %.c,build/fuzzobj/%.o,$(filter-out cli/main.c \
	$(addsuffix /$(patsubst fuzz_%,%,$*).c,lib static),$(CORE) $(APPLETS) static/mnl.c))
.PRECIOUS: build/fuzzobj/%.o
build/fuzzobj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer-no-link -c $< -o $@
.SECONDEXPANSION:
build/fuzz/%: tests/fuzz/%.c $$(FUZZ_OBJ) $(HDRS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) -fsanitize=fuzzer $< $(FUZZ_OBJ) -o $@

fuzz: deps $(FUZZERS)
	@for f in $(FUZZERS); do n=$${f##*/fuzz_}; mkdir -p build/fuzz/work-$$n; \
		echo "== $$f ($(FUZZ_SECONDS) s)"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build/fuzz/work-$$n \
			tests/fuzz/corpus/$$n 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' || exit 1; done

# static/fmt.c is tested against the C library's own printf, under other names
FMT_RENAME := -Dvfprintf=fmt_vfprintf -Dvsnprintf=fmt_vsnprintf -Dfprintf=fmt_fprintf \
	-Dprintf=fmt_printf -Dsnprintf=fmt_snprintf -Dsprintf=fmt_sprintf
build/unit/test_fmt: tests/unit/test_fmt.c static/fmt.c
	@mkdir -p build/unit
	$(CC_GLIBC) -O1 -g $(DEVFLAGS) -Wno-format -c static/fmt.c $(FMT_RENAME) -o build/unit/fmt.o
	$(CC_GLIBC) -O1 -g $(DEVFLAGS) -Wno-format -Wno-format-truncation $< build/unit/fmt.o -lcmocka -o $@

build/unit/test_alloc: tests/unit/test_alloc.c static/alloc.c
	@mkdir -p build/unit
	$(CC_GLIBC) -O1 -g $(DEVFLAGS) -c static/alloc.c -Dmalloc=a_malloc -Dfree=a_free \
		-Dcalloc=a_calloc -Drealloc=a_realloc -o build/unit/alloc.o
	$(CC_GLIBC) -O1 -g $(DEVFLAGS) $< build/unit/alloc.o -lcmocka -o $@

# the libcni runtime the CNI tests drive the plugins with: Debian's libcni
# source (golang-github-appc-cni-dev), built offline
build/cni-runtime: tests/cni/runtime.go
	@mkdir -p build
	GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE=$(CURDIR)/build/gocache \
		go build -o $@ $<

deps:
	@scripts/deps

check: deps
	@$(MAKE) --no-print-directory build/nsbox build/nsbox-libmnl build/lib-alone.o build/cni-runtime $(UNIT) $(FUZZERS) $(if $(SAN),build/nsbox-san)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/check $(if $(SAN),build/nsbox-san,build/nsbox build/nsbox-libmnl)

demo: deps
	@$(MAKE) --no-print-directory build/nsbox
	@scripts/sandbox scripts/demo

# the kernel floor the batch benchmark is compared with (not part of nsbox)
build/floor: bench/floor.c bench/nlraw.h
	$(CC_GLIBC) -O2 $(WARN) $< -o $@

# static, as nsbox: its six execs a cycle pay no dynamic loader
build/cnifloor: bench/cnifloor.c bench/nlraw.h
	$(CC_GLIBC) -O2 -static $(WARN) $< -o $@

bench: deps
	@$(MAKE) --no-print-directory build/nsbox build/floor build/cnifloor
	@bench/run

install: build/nsbox
	install -D -m 0755 build/nsbox $(DESTDIR)$(PREFIX)/bin/nsbox

# the VM stage (also part of make check): build/nsbox, busybox-static and
# Debian's 6.1 kernel booted in qemu; TAP out, fails on any "not ok"
vmcheck: deps
	@$(MAKE) --no-print-directory build/nsbox
	@scripts/vmcheck build/nsbox | awk '{ print } /^not ok/ { f = 1 } END { exit f }'
.PHONY: vmcheck

clean:
	rm -rf build

.PHONY: all deps check demo bench fuzz install clean
PREFIX ?= /usr/local

# nsbox: one static binary (musl), plus a glibc build against the system's
# libmnl that the test suite also runs against.
#
#   make            build/nsbox (static, musl, stripped)
#   make check      install what is missing, build, run every test
#   make demo       install what is missing, build, show the seed topology
#   make bench      side-by-side benchmark against iproute2 + iptables
#   make vmcheck    the VM stage alone: build/nsbox under Debian's 6.1 kernel in qemu
#   make ARCH=aarch64  build/aarch64/nsbox (also ARCH=i386; vmcheck ARCH=... boots it)
#   make LIBMNL_A=/path/libmnl.a   link a real static libmnl instead of static/mnl.c

# ARCH: what the static build runs on; x86_64 (the default) gives build/nsbox,
# another gives build/ARCH/nsbox with Debian's cross musl-gcc for it
# (scripts/deps ARCH installs it): make ARCH=aarch64, make ARCH=i386
ARCH     ?= x86_64
ifeq ($(ARCH),x86_64)
CC_MUSL  ?= musl-gcc
OUT      := build
else
CC_MUSL  ?= $(ARCH)-linux-musl-gcc
OUT      := build/$(ARCH)
endif
CC_GLIBC ?= gcc
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -Oz
# DNS=1: host names fall back to getaddrinfo (DNS) after /etc/hosts (+20 KiB static)
# one set of flags: DEVFLAGS for every compile (tests, fuzzers, sanitizers),
# BASEFLAGS adds the size options of the two shipped builds
DEVFLAGS := -std=gnu11 $(WARN) $(if $(DNS),-DNSB_DNS) -Iinclude -Ibuild
BASEFLAGS := $(DEVFLAGS) -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fstack-protector-strong
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
# the static build: -Oz, link-time optimisation and section GC for size;
# not position-independent, as musl-gcc links it at a fixed address anyway
# (-fno-pie: -2.7 KiB of PC-relative addressing it never needs); symbols
# stripped (-s); no build id (nothing looks it up in a static binary); no
# RELRO segment: musl's static start code never write-protects it, and
# asking for it only pads the file to put it on a page of its own (-51 KiB
# on aarch64, whose pages may be 64 KiB; +0.2 KiB of alignment on x86_64)
# The text is not put on pages of its own (-z noseparate-code): that layout
# keeps the ELF header and read-only data out of executable pages at the
# price of padding each segment to a page in the file (-4 KiB on x86_64);
# and segments are packed in the file at 64-byte steps (common-page-size):
# the kernel maps them by offset modulo the real page size all the same
# (-3 KiB).  Both are layout, not code: the same instructions run.
STATICFLAGS := -fno-pie -flto=auto
LDSTATIC := -static -s -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,norelro \
	-Wl,-z,noseparate-code -Wl,-z,common-page-size=64

APPLETS  := $(sort $(wildcard applets/*.c))
# the tree is the architecture: lib/ talks to the kernel and never prints,
# cli/ is the command-line runtime and what the products share, each
# product has its room (applets/, the personalities ip/, iptables/,
# sysctl/, and the CNI plugins cni/), static/ only goes into the static build
LIB      := $(sort $(wildcard lib/*.c))
CLI      := $(sort $(wildcard cli/*.c))
ROOMS    := ip iptables sysctl cni
PRODUCTS := $(sort $(foreach d,$(ROOMS),$(wildcard $(d)/*.c)))
CORE     := $(LIB) $(CLI) $(PRODUCTS)
STATIC_SRC := $(sort $(wildcard static/*.c))
HDRS     := $(wildcard include/*.h include/compat/libmnl/*.h lib/*.h $(addsuffix /*.h,$(ROOMS))) \
	build/usage.h build/applets.h \
	Makefile

# musl-gcc hides /usr/include: reach the kernel uapi headers through
# OUT/kinc; ARCH's asm/ is the multiarch one (linux-libc-dev:ARCH) or the
# cross one (linux-libc-dev-ARCH-cross, which scripts/deps installs: it
# need not match the host's linux-libc-dev version)
KINC     := $(OUT)/kinc
ARCH_INC := $(firstword $(wildcard /usr/include/$(ARCH)-linux-gnu/asm/.. \
	/usr/$(subst i386,i686,$(ARCH))-linux-gnu/include/asm/..))

ifdef LIBMNL_A
STATIC_SRC := $(filter-out static/mnl.c,$(STATIC_SRC))
MNL_LIB  := $(LIBMNL_A)
MNL_INC  := -I$(KINC)
else
MNL_LIB  :=
MNL_INC  := -Iinclude/compat
endif

all: $(OUT)/nsbox

$(KINC)/.stamp:
	@test -n "$(ARCH_INC)" || { echo "no kernel headers for $(ARCH): run scripts/deps"; exit 1; }
	@mkdir -p $(KINC)
	ln -sfn /usr/include/linux $(KINC)/linux
	ln -sfn /usr/include/asm-generic $(KINC)/asm-generic
	ln -sfn $(ARCH_INC)/asm $(KINC)/asm
	ln -sfn /usr/include/libmnl $(KINC)/libmnl
	@touch $@

# jsmn (libjsmn-dev) is one header: the CNI plugins' JSON parser
$(KINC)/jsmn.h: $(KINC)/.stamp
	ln -sfn /usr/include/jsmn.h $@

# each applet's --help text is the comment at the top of its file, and the
# applet list is the files in applets/
build/usage-plain.h: $(APPLETS) scripts/usage.awk
	@mkdir -p build
	awk -v list=build/applets.h.tmp -f scripts/usage.awk $(APPLETS) > $@.tmp && \
		mv build/applets.h.tmp build/applets.h && mv $@.tmp $@
build/applets.h: build/usage-plain.h
# the texts are packed by byte-pair encoding (scripts/usagepack.c; not
# busybox's way, which is bzip2): 8,847 bytes of text kept as 4,918 of tables
# and codes, expanded by a 10-line recursive function as they print
build/usagepack: scripts/usagepack.c build/usage-plain.h
	$(CC_GLIBC) -O1 $(DEVFLAGS) $< -o $@
build/usage.h: build/usagepack
	build/usagepack > $@.tmp && mv $@.tmp $@

$(OUT)/nsbox: $(CORE) $(APPLETS) $(STATIC_SRC) $(HDRS) $(KINC)/.stamp $(KINC)/jsmn.h
	$(CC_MUSL) $(CFLAGS) $(STATICFLAGS) $(BASEFLAGS) $(MNL_INC) -isystem $(KINC) \
		$(CORE) $(APPLETS) $(STATIC_SRC) $(MNL_LIB) $(LDSTATIC) -o $@

# dynamically linked glibc build against the system's real libmnl
build/nsbox-libmnl: $(CORE) $(APPLETS) $(HDRS)
	$(CC_GLIBC) $(CFLAGS) $(BASEFLAGS) $(CORE) $(APPLETS) -lmnl -o $@

# the same code under ASan + UBSan (make check SAN=1)
build/nsbox-san: $(CORE) $(APPLETS) $(HDRS)
	clang -O1 -g $(SANFLAGS) -fno-omit-frame-pointer $(DEVFLAGS) \
		$(CORE) $(APPLETS) -lmnl -o $@

# each layer linked alone, for scripts/layercheck: lib/ never prints and
# never exits, and no layer calls one above it or a product beside it
LAYERS := lib cli applets $(ROOMS)
LAYER_OBJ := $(addprefix build/layers/,$(addsuffix .o,$(LAYERS)))
.SECONDEXPANSION:
build/layers/%.o: $$(filter-out cli/main.c,$$(wildcard $$*/*.c)) $(HDRS)
	@mkdir -p build/layers
	$(CC_GLIBC) -O1 $(DEVFLAGS) -fno-builtin -r -nostdlib $(filter %.c,$^) -o $@

UNIT := $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/*.c))
UNIT_SRC := lib/addr.c lib/fmt.c lib/cjson.c lib/cniconf.c lib/nftid.c lib/nftplan.c cli/opt.c cli/err.c cli/json.c cli/out.c
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
build/fuzz/%: tests/fuzz/%.c $$(FUZZ_OBJ) $(HDRS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) -fsanitize=fuzzer $< $(FUZZ_OBJ) -o $@

# each fuzzer's output to a file, not a pipe: an input may name
# /proc/self/fd/2 as a file to read, and a pipe it writes itself never ends
fuzz: deps $(FUZZERS)
	@for f in $(FUZZERS); do n=$${f##*/fuzz_}; mkdir -p build/fuzz/work-$$n; \
		echo "== $$f ($(FUZZ_SECONDS) s)"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build/fuzz/$$n- \
			build/fuzz/work-$$n tests/fuzz/corpus/$$n </dev/null >build/fuzz/$$n.log 2>&1; \
		e=$$?; grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' build/fuzz/$$n.log; \
		[ $$e = 0 ] || exit 1; done

# the libcni runtime the CNI tests drive the plugins with: Debian's libcni
# source (golang-github-appc-cni-dev), built offline
build/cni-runtime: tests/cni/runtime.go
	@mkdir -p build
	GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE=$(CURDIR)/build/gocache \
		go build -o $@ $<

deps:
	@scripts/deps

# the other architectures' static builds (make check sizes them and boots
# each in its own VM): make ARCH=aarch64, make ARCH=i386
CROSS := aarch64 i386

check: deps
	@$(MAKE) --no-print-directory build/nsbox build/nsbox-libmnl $(LAYER_OBJ) build/cni-runtime $(UNIT) $(FUZZERS) $(if $(SAN),build/nsbox-san)
	@for a in $(CROSS); do $(MAKE) --no-print-directory ARCH=$$a build/$$a/nsbox || exit 1; done
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

install: $(OUT)/nsbox
	install -D -m 0755 $(OUT)/nsbox $(DESTDIR)$(PREFIX)/bin/nsbox

# the VM stage (also part of make check): build/nsbox, busybox-static and
# Debian's 6.1 kernel booted in qemu; TAP out, fails on any "not ok".
# make vmcheck ARCH=aarch64 (or i386): the same in that architecture's VM
vmcheck: deps
	@$(MAKE) --no-print-directory $(OUT)/nsbox
	@scripts/vmcheck $(OUT)/nsbox | awk '{ print } /^not ok/ { f = 1 } END { exit f }'
.PHONY: vmcheck

clean:
	rm -rf build

.PHONY: all deps check demo bench fuzz install clean
PREFIX ?= /usr/local

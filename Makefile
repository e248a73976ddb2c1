# rkval — top-level build.  GNU make, no autotools.
#
#   make                  build lib, tests, tools and self-test binaries for the host
#   make ARCH=arm64       cross-build with aarch64-linux-gnu-gcc (Debian multiarch libdrm)
#   make check            the project's own tests (see selftests/check.sh)
#   make SANITIZE=1       ASan + UBSan + LSan build in build/<arch>-san
#   make check SANITIZE=1 the sanitizer pass only (selftests/sanitize.sh)
#   make run              the suite through the runner (real NPU if present, else vnpu)
#   make install DESTDIR=D PREFIX=/usr
#   make dist             build/rkval-VERSION-arm64.tar.gz: the arm64 install tree
#   make install-kselftest INSTALL_PATH=D   a kselftest tree (run D/run_kselftest.sh)
#   make bench            benchmarks that print figures
#   make coverage         the suite's own line/function coverage (scripts/coverage.sh)
#
# Sources are picked up by directory so that adding a file needs no Makefile edit:
#   lib/**/*.c            -> librkval.a, layer by layer (LIB_LAYERS)
#   tests/<topic>/*.c     -> one test binary per file
#   tools/*.c             -> one host tool per file
#   selftests/bin/*.c     -> harness self-test binaries (IGT protocol checks)
#   selftests/unit/*.c    -> unit-test programs for lib/ and vnpu
#   bench/*.c             -> benchmark programs
#   selftests/fuzz/*.c    -> bounded fuzzers (selftests/fuzz.sh runs them)

HOST_ARCH := $(shell uname -m | sed -e 's/aarch64/arm64/')
ARCH ?= $(HOST_ARCH)
ifeq ($(ARCH),aarch64)
override ARCH := arm64
endif

ifeq ($(ARCH),$(HOST_ARCH))
CC ?= cc
PKG_CONFIG ?= pkg-config
else ifeq ($(ARCH),arm64)
CC := aarch64-linux-gnu-gcc
# Debian multiarch: libdrm-dev:arm64 installs its .pc file here.
PKG_CONFIG := PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig pkg-config
else
$(error unsupported ARCH=$(ARCH): use the host architecture or arm64)
endif
ifeq ($(origin CC),default)
CC := cc
endif

# Quiet by default; V=1 shows full commands.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-6s %s\n'
endif

PREFIX ?= /usr/local
DESTDIR ?=
BUILD := build/$(ARCH)
# SANITIZE=1: AddressSanitizer (with LeakSanitizer) and UBSan, every
# error fatal, in its own build directory beside the normal one.
ifeq ($(SANITIZE),1)
BUILD := build/$(ARCH)-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
endif
# COVERAGE=1: the suite's own coverage (make coverage), in a build
# directory of its own so that it never mixes with the normal build.
ifeq ($(COVERAGE),1)
BUILD := build/$(ARCH)-cov
# atomic counters: vnpu's worker threads run the same pipeline code at once,
# and racing increments leave counts gcovr refuses ("branch taken -1")
CFLAGS_COVERAGE := --coverage -fprofile-update=atomic
endif
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0)
GIT_SHA := $(shell git rev-parse --short=8 HEAD 2>/dev/null || echo NO-GIT)

DRM_CFLAGS := $(shell $(PKG_CONFIG) --cflags libdrm 2>/dev/null)
DRM_LIBS := $(shell $(PKG_CONFIG) --libs libdrm 2>/dev/null || echo -ldrm)

WERROR ?=
CFLAGS ?= -O2 -g
# -Wno-clobbered: the harness's subtests are sigsetjmp() blocks, as in IGT
# (which builds with the same flag); -fno-builtin-malloc/calloc likewise,
# so allocation is not moved across a longjmp.  "override": a CFLAGS or
# LDFLAGS given on the command line replaces the defaults above, never
# the flags the build needs (include paths, -pthread, sanitizers).
override CFLAGS += $(SAN_FLAGS) -std=gnu11 -Wall -Wextra -Wno-clobbered $(WERROR) -pthread -MMD -MP \
	  -fno-builtin-malloc -fno-builtin-calloc \
	  -Ilib -Ilib/uapi -I$(BUILD) $(DRM_CFLAGS) \
	  -DRKVAL_ARCH='"$(ARCH)"' $(CFLAGS_COVERAGE)
override LDFLAGS += $(SAN_FLAGS)
override LDLIBS += $(DRM_LIBS) -pthread -lm $(CFLAGS_COVERAGE)

# lib/ is a stack of layers, bottom first; a "+" joins directories of one
# layer.  Nothing includes or calls upward (docs/layers.md), and
# selftests/layers.sh reads this line to check it.  A directory missing
# here is still built, last, and that check fails until it is placed.
LIB_LAYERS := util+uapi+hw npu platform+vnpu harness board rocket runner
LIB_LAYER_DIRS := $(addprefix lib/,$(subst +, ,$(LIB_LAYERS)))
LIB_SRCS := $(foreach d,$(LIB_LAYER_DIRS),$(shell find $(d) -name '*.c' 2>/dev/null | sort)) \
	    $(shell find lib -name '*.c' $(foreach d,$(LIB_LAYER_DIRS),-not -path '$(d)/*') | sort)
TEST_SRCS := $(sort $(wildcard tests/*/*.c))
TOOL_SRCS := $(sort $(wildcard tools/*.c))
RUNNER_SRCS := $(sort $(wildcard runner/*.c))
SELFTEST_SRCS := $(sort $(wildcard selftests/bin/*.c))
UNIT_SRCS := $(sort $(wildcard selftests/unit/*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
FUZZ_SRCS := $(sort $(wildcard selftests/fuzz/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJS := $(call obj,$(LIB_SRCS))
LIBRKVAL := $(BUILD)/librkval.a

TEST_BINS := $(patsubst %.c,$(BUILD)/tests/%,$(notdir $(TEST_SRCS)))
TOOL_BINS := $(patsubst %.c,$(BUILD)/tools/%,$(notdir $(TOOL_SRCS)))
RUNNER_BINS := $(patsubst %.c,$(BUILD)/runner/%,$(notdir $(RUNNER_SRCS)))
SELFTEST_BINS := $(patsubst %.c,$(BUILD)/selftests/%,$(notdir $(SELFTEST_SRCS)))
UNIT_BINS := $(patsubst %.c,$(BUILD)/unit/%,$(notdir $(UNIT_SRCS)))
BENCH_BINS := $(patsubst %.c,$(BUILD)/bench/%,$(notdir $(BENCH_SRCS)))
FUZZ_BINS := $(patsubst %.c,$(BUILD)/fuzz/%,$(notdir $(FUZZ_SRCS)))

# Every test binary's name, in build order: igt_runner needs test-list.txt.
TEST_NAMES := $(notdir $(basename $(TEST_SRCS)))

all: $(TEST_BINS) $(TOOL_BINS) $(RUNNER_BINS) $(SELFTEST_BINS) $(UNIT_BINS) $(BENCH_BINS) $(FUZZ_BINS) \
	$(BUILD)/tests/test-list.txt

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

# The version string lives in a generated header rewritten only when it
# changes, so the IGT-Version line follows the commit without rebuilding
# everything at each commit.
$(BUILD)/rkval_version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define RKVAL_VERSION "%s"\n#define RKVAL_GIT_SHA "%s"\n' \
		'$(VERSION)' '$(GIT_SHA)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/obj/lib/harness/igt_options.o: $(BUILD)/rkval_version.h

$(LIBRKVAL): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

define link_rule
$(BUILD)/$(1)/%: $(BUILD)/obj/$(2)/%.o $(LIBRKVAL)
	@mkdir -p $$(dir $$@)
	$$(quiet) LD $$@
	$$(Q)$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$< $(LIBRKVAL) $$(LDLIBS)
endef
$(foreach d,$(sort $(dir $(TEST_SRCS))),$(eval $(call link_rule,tests,$(patsubst %/,%,$(d)))))
$(eval $(call link_rule,tools,tools))
$(eval $(call link_rule,runner,runner))
$(eval $(call link_rule,selftests,selftests/bin))
$(eval $(call link_rule,unit,selftests/unit))
$(eval $(call link_rule,bench,bench))
$(eval $(call link_rule,fuzz,selftests/fuzz))

$(BUILD)/tests/test-list.txt: Makefile $(TEST_SRCS)
	@mkdir -p $(dir $@)
	$(Q){ echo TESTLIST; echo $(TEST_NAMES); echo END TESTLIST; } > $@

# The project's own tests: one script drives every check and prints the
# closing "N passed, N failed, N skipped" line.
check:
	@sh scripts/deps.sh check
ifeq ($(SANITIZE),1)
	@sh selftests/sanitize.sh
else
	@sh selftests/check.sh
endif

run:
	@sh scripts/deps.sh run
	@$(MAKE) --no-print-directory all
	@sh runner/rkval-run --bin-dir $(BUILD)/tests --list testlists/all.testlist $(RUN_ARGS)

# Line and function coverage of rkval itself under make check's tests;
# fails below the floor in scripts/coverage-floor.txt.
coverage:
	@sh scripts/deps.sh check
	@sh scripts/coverage.sh

bench:
	@sh scripts/deps.sh run
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh $(BUILD)

# Board-side scripts, installed to PREFIX/bin under their own names: a
# script meant for a board (a LAVA test-definition helper, a gcov
# collector, ...) is installed by adding its path here, one word.
BOARD_SCRIPTS = tools/rkval-gcov-collect lava-jobs/rkval-lava
# Host-side scripts, the same way; make dist leaves them out of the
# board's tarball.
HOST_SCRIPTS = tools/rkval-patch-cov

# Every user-facing command lands in PREFIX/bin: the runner (pointed at
# the installed binaries and lists), the tools and the scripts above.
# Test binaries sit in PREFIX/libexec/rkval with igt_runner's test-list.txt.
# selftest.testlist names the harness's own self-test binaries, which are
# not installed, so it is not either.
INSTALL_LISTS := $(filter-out testlists/selftest.testlist,$(wildcard testlists/*.testlist))
BINDIR := $(DESTDIR)$(PREFIX)/bin
LIBEXEC := $(DESTDIR)$(PREFIX)/libexec/rkval
LISTDIR := $(DESTDIR)$(PREFIX)/share/rkval/testlists
install: all
	install -d $(LIBEXEC) $(BINDIR) $(LISTDIR)
	install -m 0755 $(TEST_BINS) $(LIBEXEC)/
	install -m 0644 $(BUILD)/tests/test-list.txt $(LIBEXEC)/test-list.txt
	install -m 0755 $(RUNNER_BINS) $(LIBEXEC)/
	sed -e 's|^RKVAL_DEFAULT_BIN_DIR=.*|RKVAL_DEFAULT_BIN_DIR=$(PREFIX)/libexec/rkval|' \
	    -e 's|^RKVAL_DEFAULT_LIST_DIR=.*|RKVAL_DEFAULT_LIST_DIR=$(PREFIX)/share/rkval/testlists|' \
	    -e 's|^RKVAL_DEFAULT_EXEC=.*|RKVAL_DEFAULT_EXEC=$(PREFIX)/libexec/rkval/rkval-exec|' \
	    runner/rkval-run > $(BINDIR)/rkval-run
	chmod 0755 $(BINDIR)/rkval-run
	install -m 0755 runner/rkval-export $(BINDIR)/rkval-export
	install -m 0755 $(TOOL_BINS) $(BINDIR)/
	$(if $(strip $(BOARD_SCRIPTS) $(HOST_SCRIPTS)),install -m 0755 $(BOARD_SCRIPTS) $(HOST_SCRIPTS) $(BINDIR)/)
	install -m 0644 $(INSTALL_LISTS) $(LISTDIR)/
	install -m 0644 testlists/*.settings $(LISTDIR)/
	install -d $(DESTDIR)$(PREFIX)/share/rkval/results-lib
	install -m 0644 tools/results-lib/* $(DESTDIR)$(PREFIX)/share/rkval/results-lib/
	sed -e 's|^RKVAL_RESULTS_LIB_DIR=.*|RKVAL_RESULTS_LIB_DIR=$(PREFIX)/share/rkval/results-lib|' \
	    tools/rkval-results > $(BINDIR)/rkval-results
	chmod 0755 $(BINDIR)/rkval-results

# make dist: the arm64 install tree (PREFIX=/usr) as one tarball, so that
# putting rkval on a board is one copy and `tar -xzf ... -C /`.  Owners,
# order and times are fixed (times: the commit's) so that the same commit
# gives the same tarball.
DIST_NAME := rkval-$(VERSION)-arm64
DIST_STAGE := build/dist/$(DIST_NAME)
DIST_TARBALL := build/$(DIST_NAME).tar.gz
DIST_MTIME := $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
dist:
	rm -rf $(DIST_STAGE)
	$(MAKE) --no-print-directory ARCH=arm64 PREFIX=/usr DESTDIR=$(CURDIR)/$(DIST_STAGE) \
		HOST_SCRIPTS= install
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@$(DIST_MTIME) \
	    -C $(DIST_STAGE) -cf - usr | gzip -n -9 > $(DIST_TARBALL).tmp
	mv $(DIST_TARBALL).tmp $(DIST_TARBALL)
	@echo "$(DIST_TARBALL)"

# A kselftest install tree, laid out as the kernel's tools/testing/selftests
# `make install INSTALL_PATH=D` does: D/run_kselftest.sh, D/kselftest/,
# D/kselftest-list.txt (collection rkval) and D/rkval/ with the binaries
# and settings.  The runner files are rkval's own (kselftest/).
KSELFTEST_COLLECTION := rkval
install-kselftest: all
	@test -n "$(INSTALL_PATH)" || { echo "install-kselftest: set INSTALL_PATH=DIR" >&2; exit 2; }
	install -d $(INSTALL_PATH)/kselftest $(INSTALL_PATH)/$(KSELFTEST_COLLECTION)
	install -m 0755 kselftest/run_kselftest.sh $(INSTALL_PATH)/
	install -m 0644 kselftest/runner.sh kselftest/ktap_helpers.sh $(INSTALL_PATH)/kselftest/
	install -m 0755 $(TEST_BINS) $(INSTALL_PATH)/$(KSELFTEST_COLLECTION)/
	install -m 0644 kselftest/settings $(INSTALL_PATH)/$(KSELFTEST_COLLECTION)/
	$(Q)for t in $(TEST_NAMES); do echo "$(KSELFTEST_COLLECTION):$$t"; done \
		> $(INSTALL_PATH)/kselftest-list.txt

clean:
	rm -rf build

.PHONY: all check run bench coverage install install-kselftest dist clean FORCE
.SECONDARY:

-include $(shell find build -name '*.d' 2>/dev/null)

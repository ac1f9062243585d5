# ferry: top-level build. `make`, `make check`, `make demo`, `make bench`,
# `make fuzz`, `make install PREFIX=/usr/local DESTDIR=`, `make clean`.

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
PKGS    := libsodium zlib libqrencode libpng zbar libseccomp libjpeg

# Read when make starts. The targets that install packages first (demo,
# check, bench, fuzz) run deps, then a second make that starts after it,
# so a fresh machine builds the first time.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla
HARDEN   := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE -pthread $(WARN) $(HARDEN) $(CFLAGS) $(PKG_CFLAGS)
LDFLAGS_H := -pie -pthread -Wl,-z,relro,-z,now

ifeq ($(SAN),1)
ALL_CFLAGS := $(filter-out -D_FORTIFY_SOURCE=2,$(ALL_CFLAGS)) -O1 -fno-omit-frame-pointer \
              -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS_H  += -fsanitize=address,undefined
endif
# ThreadSanitizer, for the worker pool (common/pool.c) that seals and opens.
ifeq ($(SAN),thread)
ALL_CFLAGS := $(filter-out -D_FORTIFY_SOURCE=2,$(ALL_CFLAGS)) -O1 -fno-omit-frame-pointer \
              -fsanitize=thread
LDFLAGS_H  += -fsanitize=thread
endif

LIB_DIRS := common crypto container pages trust seal forms relay store opening desk
LIB_SRCS := $(wildcard $(LIB_DIRS:%=%/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libferry.a
TOOLS    := ferry-seal ferry-relay ferry-desk
TOOL_BINS := $(TOOLS:%=$(BUILD)/%)
CLI_OBJ  := $(BUILD)/tools/cli.o
# ferry-seal's catalogs (po/), built beside it
PO_LANGS := ko zh_CN
MO_FILES := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/ferry.mo)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(patsubst tests/support/%.c,$(BUILD)/tests/support/%.o,$(wildcard tests/support/*.c))
HELPERS  := $(BUILD)/tests/ferry-testtool $(BUILD)/tests/ferry-adversary \
            $(BUILD)/tests/ferry-desk-clock $(BUILD)/tests/ferry-seal-hook \
            $(BUILD)/tests/faultinj.so

# Keep objects make would otherwise treat as intermediate and delete.
.SECONDARY:

.PHONY: all check check-run demo demo-run bench bench-run fuzz install clean deps format \
        web web-run deps-web static static-run

all: $(TOOL_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@pkg-config --exists $(PKGS) && [ -f /usr/include/zxcvbn.h ] || { echo "ferry: the libraries $(PKGS) zxcvbn are missing: run 'make deps' as root, or see README.md" >&2; exit 1; }
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/ferry-%: $(BUILD)/tools/ferry-%.o $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS_H) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(PKG_LIBS) $(DESK_LIBS)

# ferry-seal speaks the contact's language (common/i18n.h): its link map
# says which library files it carries, whose messages po/POTFILES must
# list (tests/e2e/i18n.sh), and its catalogs are built beside it.
$(BUILD)/ferry-seal: $(BUILD)/tools/ferry-seal.o $(CLI_OBJ) $(LIB) $(MO_FILES)
	$(CC) $(LDFLAGS_H) -Wl,-Map,$@.map -o $@ $(filter %.o,$^) $(filter %.a,$^) $(PKG_LIBS)
$(BUILD)/tools/ferry-seal.o: ALL_CFLAGS += -DFERRY_LOCALEDIR='"$(PREFIX)/share/locale"'

# The catalogs: po/LANG.po compiled, checked (format strings against the
# English) and counted; the template made from po/POTFILES, which the
# tests compare with each .po. xgettext takes one argument of a keyword,
# so ferry_fail_hint's hint (3) and message (4) take two passes.
XGETTEXT := xgettext --from-code=UTF-8 --add-comments=TRANSLATORS: --no-location \
            --package-name=ferry -k -kferry_tr -kferry_trn:1,2 -kN_ -kferry_fail:3 \
            -kferry_hint:2 -kferry_err_prefix:2 -kcli_error:1 -kcli_hint:1 -kcli_warn:1 \
            -kcli_report_ctx:2 -kfail:2 -ktr
POT      := $(BUILD)/po/ferry.pot

$(BUILD)/locale/%/LC_MESSAGES/ferry.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c --statistics -o $@ $<

$(POT): po/POTFILES $(shell cat po/POTFILES 2>/dev/null)
	@mkdir -p $(dir $@)
	$(XGETTEXT) -kferry_fail_hint:4 -o $@ $$(cat po/POTFILES)
	$(XGETTEXT) -kferry_fail_hint:3 -j -o $@ $$(cat po/POTFILES)

# ferry-desk's pack and case commands are a file of their own; it alone
# estimates passphrases (libzxcvbn has no pkg-config file).
DESK_TOOL_OBJS := $(addprefix $(BUILD)/tools/ferry-desk-,cases.o help.o keys.o open.o)
$(BUILD)/ferry-desk: $(DESK_TOOL_OBJS)
$(BUILD)/ferry-desk $(BUILD)/tests/ferry-desk-clock: DESK_LIBS := -lzxcvbn -lm

$(BUILD)/tests/support/%.o: tests/support/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/test_%.o: tests/unit/test_%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_SUPPORT) $(LIB)
	$(CC) $(LDFLAGS_H) -o $@ $^ $(PKG_LIBS) -lcmocka -lm

# The fault-injection shim (LD_PRELOAD) for the fault tests; never installed.
# Built without sanitizers: the ASan runtime must come first in a process.
$(BUILD)/tests/faultinj.so: tests/faultinj/faultinj.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -D_GNU_SOURCE -O1 -g -fPIC -shared -Wall -Wextra -Werror -o $@ $< -ldl

# ferry-desk with the test clock (FERRY_TEST_NOW), for the grace and
# expiry tests; never installed.
$(BUILD)/tests/ferry-desk-clock: $(BUILD)/tools/ferry-desk.o $(DESK_TOOL_OBJS) $(CLI_OBJ) $(BUILD)/tests/support/testclock.o $(LIB)
	$(CC) $(LDFLAGS_H) -o $@ $^ $(PKG_LIBS) $(DESK_LIBS)

# ferry-seal whose QR decoder child misbehaves on request
# (tests/support/qrhook.c), for the sandbox tests; never installed.
$(BUILD)/tests/ferry-seal-hook: $(BUILD)/tools/ferry-seal.o $(CLI_OBJ) \
    $(BUILD)/tests/support/qrhook.o $(LIB)
	$(CC) $(LDFLAGS_H) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/ferry-%: $(BUILD)/tests/helpers/%.o $(TEST_SUPPORT) $(LIB)
	$(CC) $(LDFLAGS_H) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/helpers/%.o: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The offline page (web/): the sealer's C compiled to wasm with Debian's
# emscripten, against libsodium, zlib, libpng and zbar compiled to wasm
# from Debian's source packages (srclibs/build.sh), all in one HTML file.
WEB      := $(BUILD)/web
WASM     := $(WEB)/wasm
# What the page seals with: ferry-seal's side of the library (nothing that
# opens or peels a bundle: tests/e2e/links.sh holds these objects to
# ferry-seal's rules), without the command line's QR sandbox
# (pages/qrfind.c, pages/qrdecode.c and seal/formscan.c: the browser
# decodes the photo, wasm confines zbar).
WEB_SRCS := $(filter-out pages/qrfind.c pages/qrdecode.c seal/formscan.c \
              crypto/bundle_open.c crypto/peel.c common/i18n.c common/lang.c, \
              $(wildcard common/*.c crypto/*.c pages/*.c trust/*.c seal/*.c)) \
            container/container_write.c web/ferry_web.c
WEB_OBJS := $(WEB_SRCS:%.c=$(WEB)/obj/%.o)
WEB_LIBS := $(addprefix $(WASM)/lib/,libsodium.a libpng1.6.a zlib.a zbar.a)
WEB_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) -O2 -I$(WASM)/include-sodium \
              -I$(WASM)/include-zlib -I$(WASM)/include-png -I$(WASM)/include-zbar
WEB_FUNCS := fw_init fw_reset fw_find_page fw_find_end fw_use_pack fw_set_word \
             fw_seal fw_message fw_report malloc free
comma    := ,
WEB_EXPORTS := $(subst $() ,$(comma),$(WEB_FUNCS:%=_%))
# No eval in the loader (the page's CSP forbids it); the wasm is a file of
# its own, which web/assemble.js inlines; memory grows with the
# photos; the module is a factory the page calls once.
WEB_LDFLAGS := -O2 -sENVIRONMENT=web -sMODULARIZE=1 -sEXPORT_NAME=FerrySealModule \
               -sDYNAMIC_EXECUTION=0 -sALLOW_MEMORY_GROWTH=1 \
               -sINITIAL_MEMORY=33554432 -sMAXIMUM_MEMORY=1073741824 -sFILESYSTEM=1 \
               -sEXPORTED_FUNCTIONS=$(WEB_EXPORTS) \
               -sEXPORTED_RUNTIME_METHODS=FS,UTF8ToString,stringToUTF8,lengthBytesUTF8,HEAPU8,HEAPU32
# Debian's emscripten finds its JavaScript modules (acorn) in Debian's
# node folder, which a Node.js from elsewhere does not search.
EMENV    := NODE_PATH=/usr/share/nodejs

web: deps-web
	@$(MAKE) --no-print-directory web-run

deps-web:
	@sh tests/install-deps.sh web

web-run: $(WEB)/ferry-seal.html

$(WASM)/VERSIONS:
	@$(EMENV) sh srclibs/build.sh $(WASM)

$(WEB_LIBS): $(WASM)/VERSIONS

$(WEB)/obj/%.o: %.c $(WASM)/VERSIONS
	@mkdir -p $(dir $@)
	$(EMENV) emcc $(WEB_CFLAGS) -MMD -MP -c $< -o $@

$(WEB)/ferry-seal.js: $(WEB_OBJS) $(WEB_LIBS)
	$(EMENV) emcc $(WEB_LDFLAGS) -o $@ $(WEB_OBJS) $(WEB_LIBS)

# puppeteer-core, at the version tests/web/package-lock.json pins, for the
# page's tests and bench in Debian's Chromium.
$(WEB)/npm/.installed: tests/web/package.json tests/web/package-lock.json
	@mkdir -p $(dir $@)
	cp tests/web/package.json tests/web/package-lock.json $(dir $@)
	cd $(dir $@) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB)/ferry-seal.html: $(WEB)/ferry-seal.js web/page.html web/page.css web/page.js \
    web/strings.js web/assemble.js $(PO_LANGS:%=po/%.po)
	$(EMENV) node web/assemble.js $(WEB)/ferry-seal.js $(WASM)/VERSIONS $@

deps:
	@sh tests/install-deps.sh

# The whole suite, then all of it again under ASan+UBSan.
check: deps
	@$(MAKE) --no-print-directory check-run BUILD=build
	@$(MAKE) --no-print-directory check-run BUILD=build-asan SAN=1 \
	    FERRY_SUITE=asan FERRY_E2E_SKIP="web static layout report_web readfaults"
	@$(MAKE) --no-print-directory check-run BUILD=build-tsan SAN=thread \
	    FERRY_SUITE=tsan FERRY_UNITS="test_pool test_bundle test_vectors test_openpipe test_spool" \
	    FERRY_E2E="chain openpar hops"
	@sh tests/summary.sh build/results build-asan/results build-tsan/results

# Statically linked ferry-seal for x86_64 and aarch64 (static/build.sh),
# for contacts who cannot install or build anything.
STATIC_BINS := build/static/ferry-seal-x86_64 build/static/ferry-seal-aarch64

static: deps
	@$(MAKE) --no-print-directory static-run

static-run: $(STATIC_BINS)

build/static/ferry-seal-%: $(LIB_SRCS) $(wildcard $(LIB_DIRS:%=%/*.h)) tools/ferry-seal.c \
    tools/cli.c tools/cli.h static/build.sh srclibs/build.sh
	sh static/build.sh $* build/static

# The plain suite also tests the offline page (tests/e2e/web.sh) and the
# static builds (tests/e2e/static.sh); the sanitizer builds build neither.
CHECK_EXTRA := $(POT) $(if $(SAN),,$(BUILD)/web/ferry-seal.html $(BUILD)/web/npm/.installed \
                 $(STATIC_BINS))

check-run: $(TOOL_BINS) $(UNIT_BINS) $(HELPERS) $(CHECK_EXTRA)
	@BUILD=$(BUILD) FERRY_SUITE=$(or $(FERRY_SUITE),plain) sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory demo-run

demo-run: $(TOOL_BINS)
	@BUILD=$(BUILD) sh tests/demo.sh

bench: deps
	@$(MAKE) --no-print-directory bench-run

bench-run: $(TOOL_BINS) $(HELPERS) $(BUILD)/web/ferry-seal.html $(BUILD)/web/npm/.installed
	@BUILD=$(BUILD) sh tests/bench.sh

fuzz: deps
	@sh tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

install: $(TOOL_BINS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(TOOL_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 docs/ferry-seal.1 docs/ferry-relay.1 docs/ferry-desk.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/
	for l in $(PO_LANGS); do \
	    install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	    install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/ferry.mo \
	        $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; done
	@# The offline page, when make web has built it (ferry-desk issue --web).
	if [ -f $(BUILD)/web/ferry-seal.html ]; then \
	    install -d $(DESTDIR)$(PREFIX)/share/ferry && \
	    install -m 0644 $(BUILD)/web/ferry-seal.html $(DESTDIR)$(PREFIX)/share/ferry/; fi

format:
	clang-format -i $(LIB_SRCS) $(wildcard $(LIB_DIRS:%=%/*.h) tools/*.[ch] tests/*/*.[ch] web/*.c)

clean:
	rm -rf build build-asan build-tsan build-fuzz

-include $(LIB_OBJS:.o=.d) $(wildcard $(BUILD)/tools/*.d $(BUILD)/tests/*.d $(BUILD)/tests/*/*.d) \
         $(wildcard $(WEB)/obj/*/*.d)

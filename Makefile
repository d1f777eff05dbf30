# ircase: incident-response case manager for the terminal.
#
#   make          build ./ircase
#   make run      install missing packages (as root), build, open the demo
#   make test     build with ASan and UBSan and run every test
#   make bench    run the benchmarks in tests/bench
#   make install  PREFIX=/usr/local DESTDIR=

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
SHAREDIR  = $(PREFIX)/share/ircase
MANDIR    = $(PREFIX)/share/man

CC       ?= cc
PKGS      = ncursesw sqlite3 jansson libcmark-gfm yaml-0.1 libcrypto xlsxwriter libcurl
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lncursesw -ltinfo -lsqlite3 -ljansson -lcmark-gfm -lcmark-gfm-extensions -lyaml -lcrypto -lxlsxwriter -lcurl)

WARN      = -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter
ifdef CI
WARN     += -Werror
endif
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
            -DIRC_VERSION='"$(VERSION)"' -DIRC_SHAREDIR='"$(SHAREDIR)"' -Icore
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 $(WARN)
SANITIZE  = -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined

CORE_SRC  = $(sort $(wildcard core/*.c))
APP_SRC   = $(sort $(wildcard tui/*.c cli/*.c))
UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))

REL      ?= build/rel
TST      ?= build/test
PROG     ?= ircase
CORE_REL  = $(CORE_SRC:%.c=$(REL)/%.o)
APP_REL   = $(APP_SRC:%.c=$(REL)/%.o)
CORE_TST  = $(CORE_SRC:%.c=$(TST)/%.o)
APP_TST   = $(APP_SRC:%.c=$(TST)/%.o)
UNITS     = $(UNIT_SRC:tests/unit/%.c=$(TST)/unit/%)
DEMO_DB   = build/demo/ircase.db

.PHONY: all run test deps deps-test install uninstall clean bench bench-sync stress fuzz test-build

all: $(PROG)

$(PROG): $(APP_REL) $(REL)/libircase.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(APP_REL) $(REL)/libircase.a $(LIBS)

$(REL)/libircase.a: $(CORE_REL)
	rm -f $@ && ar rcs $@ $^

$(REL)/%.o: %.c $(wildcard core/*.h tui/*.h cli/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The test build: same sources, sanitizers on, separate objects.
$(TST)/%.o: %.c $(wildcard core/*.h tui/*.h cli/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DIRC_TEST_BUILD $(CFLAGS) -O1 $(SANITIZE) -c -o $@ $<

$(TST)/libircase.a: $(CORE_TST)
	rm -f $@ && ar rcs $@ $^

$(TST)/ircase: $(APP_TST) $(TST)/libircase.a
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $(APP_TST) $(TST)/libircase.a $(LIBS)

$(TST)/unit/%: tests/unit/%.c $(TST)/libircase.a $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DIRC_TEST_BUILD $(CFLAGS) -O1 $(SANITIZE) -o $@ $< \
	    $(TST)/libircase.a $(LIBS) -lcmocka

# libFuzzer targets need clang; the runner skips them when clang is absent.
FUZZ_SRC  = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS   = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
build/fuzz/%: tests/fuzz/%.c $(CORE_SRC) $(wildcard core/*.h)
	@mkdir -p $(@D)
	clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	    -o $@ $< $(CORE_SRC) $(LIBS)

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

run: deps
	@$(MAKE) --no-print-directory ircase
	@mkdir -p $(dir $(DEMO_DB)) && chmod 700 $(dir $(DEMO_DB))
	@test -f $(DEMO_DB) || scripts/demo.sh ./ircase $(DEMO_DB)
	IRCASE_PLAYBOOK_PATH=$(CURDIR)/playbooks ./ircase --db $(DEMO_DB)

test: deps-test
	@$(MAKE) --no-print-directory test-build
	@tests/run.sh

test-build: $(PROG) $(TST)/ircase $(UNITS)
	@if command -v clang >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory $(FUZZERS); fi

fuzz: $(FUZZERS)

# Benchmarks run against the optimised build; results go in docs/benchmarks.md.
build/bench/bench_%: tests/bench/bench_%.c tests/bench/bench.h $(REL)/libircase.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(REL)/libircase.a $(LIBS)

# The TUI benchmark needs the test hooks (tui/tui.c) without sanitizers.
HOOK_OBJ  = $(APP_SRC:%.c=build/bench/hooks/%.o) $(CORE_SRC:%.c=build/bench/hooks/%.o)
build/bench/hooks/%.o: %.c $(wildcard core/*.h tui/*.h cli/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DIRC_TEST_BUILD $(CFLAGS) -c -o $@ $<

build/bench/ircase-hooks: $(HOOK_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(HOOK_OBJ) $(LIBS)

build/bench/bench_tui: tests/bench/bench_tui.c tests/bench/bench.h $(REL)/libircase.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(REL)/libircase.a $(LIBS) -lutil

bench: build/bench/bench_append build/bench/bench_export \
    build/bench/bench_playbook build/bench/bench_evidence $(PROG) \
    build/bench/bench_tui build/bench/ircase-hooks
	build/bench/bench_append 500 build/bench
	build/bench/bench_export ./$(PROG) build/bench 1000000 5
	build/bench/bench_evidence ./$(PROG) build/bench 1024 3
	build/bench/bench_playbook $${IRCASE_SHARED:-../shared}/playbooks-real 50
	build/bench/bench_tui build/bench/ircase-hooks build/bench 1000000 10000 21

# The sync benchmark takes minutes (10,000 requests with 2 ms added each).
bench-sync: build/bench/bench_sync_setup $(PROG)
	python3 tests/bench/bench_sync.py ./$(PROG) build/bench/bench_sync_setup \
	    playbooks/phishing.md build/bench 10000 2

# The crash and concurrency suites at full size, against the optimised
# build: 200 kill -9 rounds of the CLI and of the TUI, and 8 writers of
# 500 notes each.
stress: $(PROG)
	IRCASE=$(CURDIR)/$(PROG) CRASH_ROUNDS=200 sh tests/cli/crash.sh
	IRCASE=$(CURDIR)/$(PROG) WRITERS_ACTIONS=500 sh tests/cli/writers.sh
	IRCASE=$(CURDIR)/$(PROG) TUI_CRASH_ROUNDS=200 sh tests/tui/crash.sh

install: ircase
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/playbooks/scenarios \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 755 ircase $(DESTDIR)$(BINDIR)/ircase
	install -m 644 playbooks/*.md $(DESTDIR)$(SHAREDIR)/playbooks/
	install -m 644 playbooks/scenarios/*.md \
	    $(DESTDIR)$(SHAREDIR)/playbooks/scenarios/
	install -m 644 man/ircase.1 $(DESTDIR)$(MANDIR)/man1/
	install -D -m 644 man/ircase.conf.5 $(DESTDIR)$(MANDIR)/man5/ircase.conf.5

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ircase $(DESTDIR)$(MANDIR)/man1/ircase.1 \
	    $(DESTDIR)$(MANDIR)/man5/ircase.conf.5
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf build $(PROG)

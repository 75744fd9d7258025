# gradscope: a live terminal microscope for signal propagation in deep
# networks. `make` builds ./gradscope; `make check` runs the tests; `make
# run`, `make check` and `make bench` first install missing Debian packages
# (`make deps`). Paths are relative to this file, so `make -C DIR` works.

PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man
# Where presets and themes are installed, and where gradscope looks for
# them after ./presets and ./themes (compiled into src/datadir.c).
DATADIR ?= $(PREFIX)/share/gradscope
PKG_CONFIG ?= pkg-config
INSTALL ?= install
BENCH_PYTHON ?= /usr/bin/python3

# -O3 lets GCC vectorise the engine's and the random draws' kernels; no
# trapping math and no errno from sqrt let it if-convert their clamps and
# calls. None of these changes a computed number.
CFLAGS ?= -O3 -g -fno-trapping-math -fno-math-errno

# Always on, whatever CFLAGS the user passes.
GS_CPPFLAGS = -iquote include -D_POSIX_C_SOURCE=200809L -MMD -MP
GS_CFLAGS = -std=c11 -Wall -Wextra -Wswitch-enum -Werror -ffp-contract=off

# Recursive (=) on purpose: pkg-config is asked when a recipe runs, not when
# this file is read, so that `make deps` can install it and the libraries
# before anything needs them.
APP_CFLAGS = $(shell $(PKG_CONFIG) --cflags ncursesw libcjson)
APP_LIBS = $(shell $(PKG_CONFIG) --libs ncursesw libcjson) -lm
# OpenBLAS and LAPACKE: only matrix.c, spectrum.c and train.c use them (the
# engine stays BLAS-free); Debian 12's modules are `openblas` and `lapacke`.
LA_CFLAGS = $(shell $(PKG_CONFIG) --cflags openblas lapacke)
LA_LIBS = $(shell $(PKG_CONFIG) --libs openblas lapacke)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)

# procps: pgrep and ps, which tests/e2e/hostile.sh uses to find the view
# on a pane's terminal (a minimal Debian image has neither); python3:
# tests/e2e/csv.sh reads --train and --spectrum as a user's script would.
DEB_PACKAGES = gcc make pkg-config libncurses-dev libcjson-dev check \
	libsubunit-dev tmux libxml2-utils cppcheck clang-format procps \
	libopenblas-dev liblapacke-dev python3
# Only the benchmark needs these: numpy with an optimised BLAS is what a
# course notebook would run.
BENCH_PACKAGES = python3-numpy libopenblas0
# Only `make fuzz` needs clang and its libFuzzer runtime (not a hard
# dependency of clang, so not installed without recommends), and only
# `make valgrind` valgrind.
FUZZ_PACKAGES = clang libclang-rt-dev
VALGRIND_PACKAGES = valgrind

BIN = gradscope
TEST_BIN = build/check_gradscope
BENCH_BIN = build/gradscope_bench

SRC = $(wildcard src/*.c)
OBJ = $(SRC:src/%.c=build/%.o)
# Everything but main(): what the test runner and the benchmark link.
LIB_OBJ = $(filter-out build/main.o,$(OBJ))
TEST_OBJ = $(patsubst tests/%.c,build/tests/%.o,$(wildcard tests/check_*.c))
BENCH_OBJ = build/tests/bench/bench.o

all: $(BIN)

$(BIN): $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $(OBJ) $(LA_LIBS) $(APP_LIBS)

$(TEST_BIN): $(LIB_OBJ) $(TEST_OBJ)
	$(CC) $(LDFLAGS) -o $@ $(LIB_OBJ) $(TEST_OBJ) $(LA_LIBS) $(APP_LIBS) $(CHECK_LIBS)

$(BENCH_BIN): $(LIB_OBJ) $(BENCH_OBJ)
	$(CC) $(LDFLAGS) -o $@ $(LIB_OBJ) $(BENCH_OBJ) $(LA_LIBS) $(APP_LIBS)

build/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(GS_CPPFLAGS) $(CPPFLAGS) $(APP_CFLAGS) $(LA_CFLAGS) $(GS_CFLAGS) $(CFLAGS) -c -o $@ $<

build/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(GS_CPPFLAGS) -iquote tests $(CPPFLAGS) $(APP_CFLAGS) $(LA_CFLAGS) $(CHECK_CFLAGS) $(GS_CFLAGS) $(CFLAGS) -c -o $@ $<

# Only datadir.c needs the data directory; build/datadir.flags changes
# (and so rebuilds it) only when DATADIR does.
build/datadir.o: GS_CPPFLAGS += -DGRADSCOPE_DATADIR=\"$(DATADIR)\"
build/datadir.o: build/datadir.flags
build/datadir.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@

-include $(OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BENCH_OBJ:.o=.d)

# Installs only what is missing; no apt call at all when nothing is.
# bench-deps, fuzz-deps and valgrind-deps add their target's own list.
bench-deps: EXTRA_PACKAGES = $(BENCH_PACKAGES)
fuzz-deps: EXTRA_PACKAGES = $(FUZZ_PACKAGES)
valgrind-deps: EXTRA_PACKAGES = $(VALGRIND_PACKAGES)
deps bench-deps fuzz-deps valgrind-deps:
	@missing=; \
	for p in $(DEB_PACKAGES) $(EXTRA_PACKAGES); do \
		dpkg -s $$p 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" -ne 0 ]; then \
		echo "make deps: missing Debian packages:$$missing (run 'make deps' as root)" >&2; \
		exit 1; \
	fi; \
	echo "make deps: installing$$missing"; \
	apt-get update && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

# The targets below build in a sub-make so that, even under -j, nothing is
# compiled before deps has finished.
run: deps
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN)

check: deps
	@$(MAKE) --no-print-directory lint $(BIN) $(TEST_BIN)
	./$(TEST_BIN)
	tests/e2e/run.sh
	tests/e2e/hostile.sh
	tests/e2e/signals.sh
	tests/e2e/files.sh
	tests/e2e/saverace.sh
	tests/e2e/svg.sh
	tests/e2e/inspect.sh
	tests/e2e/csv.sh
	tests/e2e/extremes.sh
	tests/e2e/install.sh
	tests/golden/golden.sh

bench: bench-deps
	@$(MAKE) --no-print-directory $(BIN) $(BENCH_BIN)
	@echo "build: $(CC) $(CFLAGS)"
	./$(BENCH_BIN) --gradscope ./$(BIN) --python $(BENCH_PYTHON) \
		--numpy-ref tests/bench/numpy_ref.py

# The whole suite (unit and end-to-end) on a build with AddressSanitizer and
# UndefinedBehaviorSanitizer, any report fatal. A separate build in
# build/sanitize, so it never mixes with the normal objects.
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
SAN_DIR = build/sanitize

sanitize: deps
	@mkdir -p $(SAN_DIR)
	$(CC) $(filter-out -MMD -MP,$(GS_CPPFLAGS)) $(APP_CFLAGS) $(LA_CFLAGS) \
		$(GS_CFLAGS) $(SAN_FLAGS) -o $(SAN_DIR)/gradscope $(SRC) \
		$(LA_LIBS) $(APP_LIBS)
	$(CC) $(filter-out -MMD -MP,$(GS_CPPFLAGS)) -iquote tests $(APP_CFLAGS) \
		$(LA_CFLAGS) $(CHECK_CFLAGS) $(GS_CFLAGS) $(SAN_FLAGS) \
		-o $(SAN_DIR)/check_gradscope $(filter-out src/main.c,$(SRC)) \
		$(wildcard tests/check_*.c) $(LA_LIBS) $(APP_LIBS) $(CHECK_LIBS)
	@# The shipped data beside the executable, as ./gradscope has it
	@# (run.sh starts it from a directory without presets).
	ln -sfn ../../presets $(SAN_DIR)/presets
	ln -sfn ../../themes $(SAN_DIR)/themes
	ASAN_OPTIONS=detect_leaks=1 ./$(SAN_DIR)/check_gradscope
	E2E_BIN=./$(SAN_DIR)/gradscope E2E_BURST_MS=300 E2E_TRAIN_QUIT_MS=1000 \
		tests/e2e/run.sh
	E2E_BIN=./$(SAN_DIR)/gradscope tests/e2e/hostile.sh
	E2E_BIN=./$(SAN_DIR)/gradscope tests/e2e/signals.sh
	E2E_BIN=./$(SAN_DIR)/gradscope tests/e2e/files.sh
	E2E_BIN=./$(SAN_DIR)/gradscope tests/e2e/saverace.sh
	E2E_BIN=./$(SAN_DIR)/gradscope tests/e2e/svg.sh
	E2E_BIN=./$(SAN_DIR)/gradscope tests/e2e/inspect.sh
	E2E_BIN=./$(SAN_DIR)/gradscope tests/e2e/csv.sh
	E2E_BIN=./$(SAN_DIR)/gradscope EXTREMES_S=60 EXTREMES_SLOW_S=600 \
		tests/e2e/extremes.sh

# Static analysis of src/ with cppcheck: the warning, portability and
# performance checks (style would ask for declarations in inner scopes,
# which the house style does not use). Each suppression is a false
# positive, named by check and file:
#  - fileio.c: cppcheck misses that buf == NULL always takes the realloc
#    branch, which sets buf or leaves the function, so buf + used is never
#    NULL + used.
#  - view.c: items[n].text is written by snprintf, not read; cppcheck
#    takes the array argument for a use of uninitialised memory.
CPPCHECK = cppcheck
CPPCHECK_FLAGS = -q --std=c11 --enable=warning,portability,performance \
	--error-exitcode=1 --inline-suppr -I include \
	-D_POSIX_C_SOURCE=200809L \
	--suppress=nullPointerArithmeticRedundantCheck:src/fileio.c \
	--suppress=legacyUninitvar:src/view.c
FORMAT_FILES = $(wildcard src/*.c include/*.h tests/*.c tests/fuzz/*.c \
	tests/bench/*.c)

# The engine is pure C: no BLAS, LAPACK, curses or cJSON header (the fuzz
# build also links its objects without those libraries).
lint: format-check
	$(CPPCHECK) $(CPPCHECK_FLAGS) src/
	@if grep -nE '^#include <(cblas|lapacke|n?curses|cjson/)' \
		src/engine*.c include/engine*.h; then \
		echo "lint: the engine includes a library header" >&2; exit 1; fi

# Whether the sources are as clang-format (with .clang-format) would lay
# them out; `make lint`, and so `make check`, runs the same dry run.
format-check: deps
	clang-format --dry-run --Werror $(FORMAT_FILES)

# The headless paths under valgrind: any memory error or definitely lost
# block fails the run (exit 99, told apart from the program's own 0 and
# 2). On the normal -O3 -g build, which is what users run. One run per
# quoted line: the exit status it must end with, then its arguments,
# which may name the fixtures the recipe writes into $(VG_DIR). Standard
# input is /dev/null, so a live view (--theme light) loads its theme and
# stops at "not a terminal".
VG_DIR = build/valgrind
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
VALGRIND_RUNS = \
	"0 --dump" \
	"0 --dump --lambda 0 --depth 2000 --width 64 --init gaussian --act tanh --precision float32" \
	"0 --preset lesson --step 3 --dump" \
	"0 --preset critical --svg $(VG_DIR)/out.svg --force" \
	"0 --preset he-relu --save-preset $(VG_DIR)/saved.json --force" \
	"0 --preset $(VG_DIR)/saved.json --dump" \
	"0 --list-presets" \
	"0 --list-themes" \
	"0 --help" \
	"0 --sweep 0.5:1.5:0.25 --depth 100 --width 64 --init gaussian --act tanh" \
	"0 --train 20 --depth 30 --width 16 --init orthogonal --lambda 1" \
	"0 --train 20 --depth 30 --width 16 --lambda 1.5" \
	"2 --train 5 --width 513" \
	"0 --spectrum --depth 30 --width 16 --init gaussian --act tanh" \
	"2 --spectrum --depth 1001" \
	"2 --sweep 1:0:1" \
	"2 --theme light" \
	"2 --theme $(VG_DIR)/not-json.json" \
	"2 --preset $(VG_DIR)/not-json.json --dump" \
	"2 --preset $(VG_DIR)/wrong-type.json --dump" \
	"2 --preset $(VG_DIR)/bad-step.json --dump" \
	"2 --preset lesson --step 99 --dump" \
	"2 --preset no-such-preset --dump" \
	"2 --preset presets/ --dump" \
	"2 --lambda 1e9 --dump" \
	"2 --dump --svg x.svg" \
	"1 --preset critical --save-preset $(VG_DIR)/saved.json"

valgrind: valgrind-deps
	@$(MAKE) --no-print-directory $(BIN)
	@mkdir -p $(VG_DIR)
	@printf '{"lambda": 1.5,\n  "depth": oops}\n' >$(VG_DIR)/not-json.json
	@printf '{"depth": "deep"}\n' >$(VG_DIR)/wrong-type.json
	@printf '{"title": "t", "steps": [{"depth": 3}, {"width": 5000}]}\n' \
		>$(VG_DIR)/bad-step.json
	@failed=0; start=$$(date +%s); for run in $(VALGRIND_RUNS); do \
		set -- $$run; want=$$1; shift; \
		$(VALGRIND) ./$(BIN) "$$@" </dev/null >/dev/null 2>$(VG_DIR)/log; \
		rc=$$?; \
		if [ $$rc -eq $$want ]; then echo "ok - exit $$rc: $$*"; \
		else echo "not ok - exit $$rc, not $$want: $$*"; \
			sed 's/^/# /' $(VG_DIR)/log; failed=$$((failed + 1)); fi; \
	done; \
	echo "valgrind: $$failed failed, in $$(($$(date +%s) - start)) s"; \
	[ $$failed -eq 0 ]

# libFuzzer harnesses (tests/fuzz): the loaders and the command line on
# arbitrary bytes, under AddressSanitizer and UndefinedBehaviorSanitizer,
# for FUZZ_SECONDS each. The corpus grows in build/fuzz/corpus from seeds
# rebuilt each run (the shipped presets, lessons and themes, the lines of
# tests/fuzz/seeds/cli.txt) and the kept regressions; a crash or a broken
# contract leaves its input in build/fuzz/ and fails the target once
# every harness has run. A fixed crash's input goes in
# tests/fuzz/regress/HARNESS/, which check_fuzzregress replays.
FUZZ_SECONDS ?= 10
# More libFuzzer options for every harness, e.g. FUZZ_ARGS=-max_len=65536.
FUZZ_ARGS ?=
FUZZ_CC ?= clang
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
FUZZ_DIR = build/fuzz
FUZZ_HARNESSES = preset lesson theme cli
# What the loaders and cli_parse link, and no more.
FUZZ_LIB_OBJ = $(patsubst %,$(FUZZ_DIR)/obj/%.o,scenario theme jsonload param \
	fileio datadir cli keymap engine engine_vec engine_draw engine_act \
	engine_weights engine_pass engine_block act rng xmag grid utf8 outtext sweep theory \
	errmsg)
FUZZ_BIN = $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/fuzz_%)

$(FUZZ_DIR)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(GS_CPPFLAGS) $(APP_CFLAGS) $(GS_CFLAGS) $(FUZZ_FLAGS) \
		-fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(GS_CPPFLAGS) $(APP_CFLAGS) $(GS_CFLAGS) $(FUZZ_FLAGS) \
		-fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(APP_LIBS)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BIN:=.d)
.SECONDARY: $(FUZZ_LIB_OBJ)

# The seeds each harness starts from.
fuzz-seeds:
	@rm -rf $(FUZZ_DIR)/seed
	@mkdir -p $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/seed/%)
	cp $(filter-out presets/lesson.json,$(PRESET_FILES)) $(FUZZ_DIR)/seed/preset
	cp presets/lesson.json tests/fuzz/seeds/lesson/*.json $(FUZZ_DIR)/seed/lesson
	cp $(THEME_FILES) $(FUZZ_DIR)/seed/theme
	@n=0; while IFS= read -r line; do \
		n=$$((n + 1)); printf '%s' "$$line" >$(FUZZ_DIR)/seed/cli/line-$$n; \
	done <tests/fuzz/seeds/cli.txt
	@for h in $(FUZZ_HARNESSES); do \
		[ ! -d tests/fuzz/regress/$$h ] || \
		cp tests/fuzz/regress/$$h/* $(FUZZ_DIR)/seed/$$h/ 2>/dev/null || true; \
	done

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BIN) fuzz-seeds
	@failed=; for h in $(FUZZ_HARNESSES); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$h; \
		dict=; [ $$h = cli ] || dict=-dict=tests/fuzz/json.dict; \
		echo "fuzz: $$h for $(FUZZ_SECONDS) s"; \
		$(FUZZ_DIR)/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-print_final_stats=1 $$dict $(FUZZ_ARGS) \
			-artifact_prefix=$(FUZZ_DIR)/$$h- \
			$(FUZZ_DIR)/corpus/$$h $(FUZZ_DIR)/seed/$$h \
			2>$(FUZZ_DIR)/$$h.log || failed="$$failed $$h"; \
		grep -E '^stat::number_of_executed_units|^stat::new_units_added' \
			$(FUZZ_DIR)/$$h.log | sed "s/^/fuzz: $$h: /"; \
	done; \
	[ -z "$$failed" ] && exit 0; \
	for h in $$failed; do \
		echo "fuzz: $$h FAILED; see $(FUZZ_DIR)/$$h.log:"; \
		grep -E 'ERROR|contract broken|Test unit written' $(FUZZ_DIR)/$$h.log; \
	done; exit 1

clean:
	rm -rf build $(BIN)

PRESET_FILES = $(wildcard presets/*.json)
THEME_FILES = $(wildcard themes/*.json)

install: $(BIN)
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/presets $(DESTDIR)$(DATADIR)/themes
	$(INSTALL) -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/$(BIN)
	$(INSTALL) -m 0644 doc/gradscope.1 $(DESTDIR)$(MANDIR)/man1/gradscope.1
	$(if $(PRESET_FILES),$(INSTALL) -m 0644 $(PRESET_FILES) $(DESTDIR)$(DATADIR)/presets)
	$(if $(THEME_FILES),$(INSTALL) -m 0644 $(THEME_FILES) $(DESTDIR)$(DATADIR)/themes)

# Removes what install put there, by name, and the data directories only
# when that leaves them empty: files a user added stay.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/$(BIN) $(DESTDIR)$(MANDIR)/man1/gradscope.1 \
		$(addprefix $(DESTDIR)$(DATADIR)/,$(PRESET_FILES) $(THEME_FILES))
	rmdir $(DESTDIR)$(DATADIR)/presets $(DESTDIR)$(DATADIR)/themes \
		$(DESTDIR)$(DATADIR) 2>/dev/null || true

.PHONY: all deps bench-deps fuzz-deps valgrind-deps run check bench sanitize \
	fuzz fuzz-seeds valgrind lint format-check clean install uninstall FORCE

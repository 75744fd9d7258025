#!/usr/bin/env bash
# install: `make install` and `make uninstall` in a copy of the tree, so
# the build here keeps its own data directory. Checks that the installed
# program finds presets and themes by name from another directory, that
# the man page is installed, that DESTDIR stages under its root, and that
# uninstall removes what install put there and only that. Reports as the
# other e2e scripts do (report.sh); `make check` runs it.
set -u

cd "$(dirname "$0")/../.." || exit 1
TMPD=$(mktemp -d) || exit 1
trap 'rm -rf "$TMPD"' EXIT
# shellcheck source=tests/e2e/report.sh
. tests/e2e/report.sh

SRC=$TMPD/src
PREFIX=$TMPD/prefix
mkdir -p "$SRC" "$TMPD/elsewhere" || exit 1
cp -r Makefile src include presets themes doc "$SRC"/ || exit 1
# A user's own file in the data directory must survive uninstall.
mkdir -p "$PREFIX/share/gradscope/presets"
echo '{"title": "mine"}' >"$PREFIX/share/gradscope/presets/mine.json"

if make -s -C "$SRC" install PREFIX="$PREFIX" >"$TMPD/log" 2>&1; then
	ok "make install PREFIX=... succeeds"
else
	not_ok "make install PREFIX=... succeeds" "$(tail -5 "$TMPD/log")"
	summary
fi

bin=$PREFIX/bin/gradscope
check "the binary is installed" test -x "$bin"
check "the man page is installed" \
    test -s "$PREFIX/share/man/man1/gradscope.1"
(
	cd "$TMPD/elsewhere" || exit 1
	"$bin" --list-presets >"$TMPD/list" 2>&1 &&
	    "$bin" --preset critical --dump >"$TMPD/dump" 2>&1 &&
	    "$bin" --list-themes >"$TMPD/themes" 2>&1
)
check "from another directory --list-presets finds the shipped presets" \
    grep -q '^critical' "$TMPD/list"
check "from another directory --preset critical loads by name" \
    grep -q '^layer,activation_rms' "$TMPD/dump"
check "from another directory --list-themes finds the shipped themes" \
    grep -q '^light' "$TMPD/themes"
# The built tree's binary, run from elsewhere, finds the presets and
# themes beside it.
(
	cd "$TMPD/elsewhere" || exit 1
	"$SRC/gradscope" --list-presets >"$TMPD/list2" 2>&1 &&
	    "$SRC/gradscope" --list-themes >"$TMPD/themes2" 2>&1
)
check "run from another directory, ./gradscope --list-presets finds the presets beside it" \
    grep -q '^lesson ' "$TMPD/list2"
check "... and --list-themes the themes beside it" \
    grep -q '^light' "$TMPD/themes2"

if make -s -C "$SRC" uninstall PREFIX="$PREFIX" >"$TMPD/log" 2>&1 &&
    [[ ! -e $bin && ! -e $PREFIX/share/man/man1/gradscope.1 &&
    ! -e $PREFIX/share/gradscope/presets/critical.json &&
    ! -e $PREFIX/share/gradscope/themes ]]; then
	ok "make uninstall removes the binary, the man page and the data"
else
	not_ok "make uninstall removes what install put there" \
	    "$(find "$PREFIX" -type f | head -5)"
fi
check "make uninstall keeps a file the user added" \
    test -f "$PREFIX/share/gradscope/presets/mine.json"

# A binary with no themes anywhere says where it looked, exit 1, rather
# than list nothing with exit 0.
mkdir -p "$TMPD/lone" && cp "$SRC/gradscope" "$TMPD/lone/" &&
    (cd "$TMPD/elsewhere" && HOME=$TMPD/nohome XDG_CONFIG_HOME= \
        "$TMPD/lone/gradscope" --list-themes >"$TMPD/out" 2>"$TMPD/err")
rc=$?
if ((rc == 1)) && [[ ! -s $TMPD/out && $(wc -l <"$TMPD/err") == 1 ]] &&
    grep -q "^gradscope: no themes found in ./themes, $PREFIX/share/gradscope/themes, $TMPD/nohome/.config/gradscope/themes\$" "$TMPD/err"; then
	ok "with no themes anywhere --list-themes says where it looked, exit 1"
else
	not_ok "with no themes anywhere --list-themes says where it looked" \
	    "exit $rc" "$(cat "$TMPD/err")"
fi

# DESTDIR: everything under the staging root, nothing outside it.
stage=$TMPD/stage
if make -s -C "$SRC" install DESTDIR="$stage" PREFIX=/opt/gs \
    >"$TMPD/log" 2>&1 && [[ -x $stage/opt/gs/bin/gradscope &&
    -s $stage/opt/gs/share/man/man1/gradscope.1 &&
    -s $stage/opt/gs/share/gradscope/presets/lesson.json &&
    -s $stage/opt/gs/share/gradscope/themes/dark.json && ! -e /opt/gs ]]; then
	ok "make install DESTDIR=... stages under DESTDIR"
else
	not_ok "make install DESTDIR=... stages under DESTDIR" \
	    "$(tail -5 "$TMPD/log")"
fi
make -s -C "$SRC" uninstall DESTDIR="$stage" PREFIX=/opt/gs \
    >"$TMPD/log" 2>&1
left=$(find "$stage" -type f | wc -l)
if ((left == 0)); then
	ok "make uninstall DESTDIR=... leaves no file"
else
	not_ok "make uninstall DESTDIR=... leaves no file" \
	    "$(find "$stage" -type f | head -5)"
fi

summary

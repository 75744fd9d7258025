#!/usr/bin/env bash
# e2e/svg: the headless SVG export (`gradscope --svg FILE`) from the real
# ./gradscope. Builds nothing.
#
# For a few scenarios it writes an SVG into a temporary directory and
# checks it with xmllint (Debian's libxml2-utils, from `make deps`): the
# document parses, holds one bar per layer (2000 per chart past 2000
# layers), marks inf where float32 overflows, escapes the title; then
# that an existing file is kept without --force and a failed write says
# so. Each check prints "ok - name" or "not ok - name" (with "# ..." lines
# saying why); the run ends with "N passed, M failed" and exits 1 if any
# check failed. While ./gradscope has no --svg option it prints one
# "skip - ..." line and passes.
set -u

cd "$(dirname "$0")/../.." || exit 1
# E2E_BIN tries another build of the same tree.
BIN=${E2E_BIN:-./gradscope}
TMPD=$(mktemp -d) || exit 1
trap 'rm -rf "$TMPD"' EXIT

# shellcheck source=tests/e2e/report.sh
. tests/e2e/report.sh

if [[ ! -x $BIN ]]; then
	not_ok "$BIN is built" "run 'make'"
	summary
fi
if ! "$BIN" --help | grep -q -- '--svg'; then
	echo "skip - $BIN has no --svg option yet"
	summary
fi
if ! command -v xmllint >/dev/null; then
	not_ok "xmllint is installed" "run 'make deps' (libxml2-utils)"
	summary
fi

# Microseconds since the epoch, without a fork (bash 5).
now_us() {
	local t=${EPOCHREALTIME//[!0-9]/}
	echo "$((10#$t))"
}

# xpath FILE EXPR: the value of an XPath expression over the document.
# SVG elements are in the SVG namespace, hence local-name().
xpath() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}

# count FILE CHART SHAPE: the shapes in one chart ("activation",
# "gradient") whose class starts with SHAPE ("bar ", "mark inf").
count() {
	xpath "$1" "count(//*[local-name()='g' and @class='chart $2']\
//*[starts-with(@class,'$3')])"
}

# export NAME OPTIONS...: writes $TMPD/NAME.svg and checks that gradscope
# succeeded and xmllint accepts the file. Sets SVG and MS (the time it
# took, in milliseconds). Returns 1 when either check failed.
export_svg() {
	local name=$1 t0 rc
	shift
	SVG=$TMPD/$name.svg
	t0=$(now_us)
	"$BIN" "$@" --svg "$SVG" >"$TMPD/$name.out" 2>"$TMPD/$name.err"
	rc=$?
	MS=$((($(now_us) - t0) / 1000))
	if ((rc != 0)) || [[ ! -s $SVG ]]; then
		not_ok "$name: gradscope $* --svg FILE" "exit $rc" \
		    "stderr: $(cat "$TMPD/$name.err")"
		return 1
	fi
	if ! xmllint --noout "$SVG" 2>"$TMPD/$name.xml"; then
		not_ok "$name: xmllint --noout accepts it" \
		    "$(head -5 "$TMPD/$name.xml")"
		return 1
	fi
	ok "$name: xmllint --noout accepts it ($(stat -c %s "$SVG") bytes, \
${MS} ms)"
}

# expect NAME WHAT GOT WANT
expect() {
	if [[ $3 == "$4" ]]; then
		ok "$1: $2 ($3)"
	else
		not_ok "$1: $2" "got '$3', want '$4'"
	fi
}

# 1. The lesson's exploding case: one bar per layer in each chart, all
# above 1 but the two that are exactly 1.
if export_svg exploding --lambda 1.5 --depth 150 --init identity \
    --act linear; then
	expect exploding "activation bars" \
	    "$(count "$SVG" activation 'bar ')" 151
	expect exploding "gradient bars" "$(count "$SVG" gradient 'bar ')" 151
	expect exploding "bars above 1" \
	    "$(count "$SVG" activation 'bar up')" 150
	expect exploding "the verdict" "$(xpath "$SVG" \
	    "string(//*[local-name()='text' and @class='verdict'])")" \
	    "exploding: output ×2.59e+26, first-layer gradient ×2.59e+26"
fi

# 2. Vanishing: bars below 1, hatched.
if export_svg vanishing --lambda 0.5 --depth 150; then
	expect vanishing "bars below 1" \
	    "$(count "$SVG" activation 'bar down')" 150
	expect vanishing "the hatch pattern" "$(xpath "$SVG" \
	    "count(//*[local-name()='pattern' and @id='hatch'])")" 1
fi

# 3. float32 overflows: inf marks from layer 219 on, never bars.
if export_svg float32 --lambda 1.5 --depth 300 --precision float32; then
	expect float32 "inf marks" "$(count "$SVG" activation 'mark inf')" 82
	expect float32 "bars" "$(count "$SVG" activation 'bar ')" 219
fi

# 4. float64 underflows to 0: zero marks at the bottom edge.
if export_svg float64 --lambda 0.5 --depth 1200 --precision float64; then
	expect float64 "zero marks" \
	    "$(count "$SVG" activation 'mark zero')" 126
fi

# 5. Random weights, a nonlinearity, a wider layer.
export_svg gaussian --init gaussian --act tanh --width 64 --lambda 1.1 \
    --depth 500 --seed 7

# 6. The deepest network: 2000 bars a chart, a small file, quickly.
if export_svg deepest --lambda 1.5 --depth 100000; then
	expect deepest "activation bars" \
	    "$(count "$SVG" activation 'bar ')" 2000
	expect deepest "gradient bars" "$(count "$SVG" gradient 'bar ')" 2000
	size=$(stat -c %s "$SVG")
	if ((size < 500000 && MS < 5000)); then
		ok "deepest: under 500 kB and 5 s ($size bytes, $MS ms)"
	else
		not_ok "deepest: under 500 kB and 5 s" "$size bytes, $MS ms"
	fi
fi

# 7. A title with markup characters, from a preset file.
if "$BIN" --help | grep -q -- '--preset'; then
	cat >"$TMPD/odd.json" <<'EOF'
{"title": "Tom & Jerry's <b>\"loud\"</b> net", "lambda": 1.2, "depth": 20}
EOF
	if export_svg title --preset "$TMPD/odd.json"; then
		expect title "the title, escaped and read back" \
		    "$(xpath "$SVG" "string(//*[local-name()='title'])")" \
		    "Tom & Jerry's <b>\"loud\"</b> net"
	fi
	# An option that changes the preset's network: the title says what
	# is drawn, not the preset's words.
	if export_svg retitled --preset "$TMPD/odd.json" --depth 30; then
		expect retitled "the title after --depth" \
		    "$(xpath "$SVG" "string(//*[local-name()='title'])")" \
		    "Signal propagation: λ=1.2, 30 layers, identity init, linear activation"
	fi
else
	echo "skip - title from a preset: $BIN has no --preset option yet"
fi

# 8. An existing file stays as it was without --force, and is replaced
# with it.
FILE=$TMPD/exploding.svg
if [[ -s $FILE ]]; then
	cp "$FILE" "$TMPD/before.svg"
	if "$BIN" --lambda 0.5 --svg "$FILE" 2>"$TMPD/refuse.err"; then
		not_ok "an existing file is refused without --force" "exit 0"
	elif ! cmp -s "$FILE" "$TMPD/before.svg"; then
		not_ok "an existing file is refused without --force" \
		    "the file changed"
	else
		ok "an existing file is refused without --force \
($(head -1 "$TMPD/refuse.err"))"
	fi
	if "$BIN" --lambda 0.5 --svg "$FILE" --force 2>"$TMPD/force.err" &&
	    ! cmp -s "$FILE" "$TMPD/before.svg" &&
	    xmllint --noout "$FILE" 2>/dev/null; then
		ok "--force replaces it"
	else
		not_ok "--force replaces it" "$(cat "$TMPD/force.err")"
	fi
fi

# 9. A write that cannot happen fails, and says why.
"$BIN" --svg "$TMPD/no-such-dir/x.svg" 2>"$TMPD/fail.err"
rc=$?
if ((rc != 0)) && [[ -s $TMPD/fail.err ]]; then
	ok "an unwritable path fails (exit $rc: $(head -1 "$TMPD/fail.err"))"
else
	not_ok "an unwritable path fails" "exit $rc" \
	    "stderr: $(cat "$TMPD/fail.err")"
fi

summary

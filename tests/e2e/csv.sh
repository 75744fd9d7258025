#!/usr/bin/env bash
# e2e/csv: --train and --spectrum from the real ./gradscope, read as a
# user's script reads them (Python's csv.DictReader, float and
# decimal.Decimal; python3 from `make deps`). Builds nothing.
#
# Their numbers go through OpenBLAS and LAPACK, which choose kernels by
# processor, so they are held here by value with tolerances (and by the
# rules the README states), never by digest (tests/golden/golden.sh
# leaves them out). Each check prints "ok - name" or "not ok - name"
# (with "# ..." lines saying why); the run ends with "N passed, M
# failed" and exits 1 if any check failed.
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
if ! command -v python3 >/dev/null; then
	not_ok "python3 is installed" "run 'make deps'"
	summary
fi

# py NAME SCRIPT ARGS...: ok when the Python check exits 0; its output
# is the reason otherwise.
py() {
	local name=$1 out
	shift
	if out=$(python3 - "$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "$out"
	fi
}

# --train: pure CSV on stdout, the verdict and the time on stderr, the
# verdict the README's rule applied to the CSV.
train() {
	local tag=$1
	shift
	"$BIN" --train "$@" >"$TMPD/$tag.csv" 2>"$TMPD/$tag.err"
	echo $? >"$TMPD/$tag.rc"
}
train orth 300 --init orthogonal --act linear --depth 30 --width 16 --lambda 1 --seed 3
train up 300 --init identity --act linear --depth 30 --width 16 --lambda 1.5
train down 300 --init identity --act linear --depth 30 --width 16 --lambda 0.5
train wide 3 --init gaussian --act relu --depth 200 --width 256 --lambda 1.4142135623730951

py "--train: csv.DictReader loads it; the verdict on stderr follows the README's rule" \
	"$TMPD" <<'EOF'
import csv, math, re, sys
d = sys.argv[1]
want = {"orth": ("converged", 300), "up": ("diverged", None),
        "down": ("plateaued", 300), "wide": (None, 3)}
for tag, (verdict, steps) in want.items():
    assert open(f"{d}/{tag}.rc").read().strip() == "0", tag
    rows = list(csv.DictReader(open(f"{d}/{tag}.csv", newline="")))
    assert rows and list(rows[0]) == ["step", "loss"], (tag, rows[:1])
    assert [int(r["step"]) for r in rows] == list(range(len(rows))), tag
    loss = [float(r["loss"]) for r in rows]
    err = open(f"{d}/{tag}.err").read()
    m = re.fullmatch(r"(converged|plateaued|diverged at step (\d+)); "
                     r"(\d+) steps at ([0-9.e+-]+) ms per step\n", err)
    assert m, (tag, err)
    assert int(m.group(3)) == len(rows) - 1, (tag, err)
    assert float(m.group(4)) > 0, (tag, err)
    l0, last = loss[0], loss[-1]
    if m.group(2) is not None:
        k = int(m.group(2))
        assert k == len(rows) - 1, (tag, k)
        assert not math.isfinite(last) or last > 100 * l0, (tag, last, l0)
        got = "diverged"
    else:
        assert all(math.isfinite(x) and x > 0 for x in loss), tag
        got = "converged" if min(loss) <= 0.1 * l0 else "plateaued"
        assert m.group(1) == got, (tag, m.group(1), got)
    if verdict is not None:
        assert got == verdict, (tag, got, verdict)
    if steps is not None:
        assert len(rows) == steps + 1, (tag, len(rows))
# The identity 0.5 net's gradients are ~1e-9: its loss does not move.
loss = [float(r["loss"]) for r in csv.DictReader(open(f"{d}/down.csv"))]
assert max(loss) - min(loss) <= 1e-6 * loss[0], (min(loss), max(loss))
EOF

# --spectrum: index,singular_value, descending, against closed forms.
"$BIN" --spectrum --init orthogonal --act linear --lambda 0.9 --depth 200 --width 16 >"$TMPD/orth.csv"
"$BIN" --spectrum --init identity --act linear --lambda 100 --depth 200 --width 3 >"$TMPD/huge.csv"
"$BIN" --spectrum --init gaussian --act tanh --lambda 1 --depth 200 --width 64 >"$TMPD/tanh.csv"
"$BIN" --spectrum --init gaussian --act relu --lambda 1 --depth 30 --width 16 --seed 2 >"$TMPD/relu.csv"

py "--spectrum: orthogonal 0.9^200 as printed, 100^200 read past double range, all n values descending" \
	"$TMPD" <<'EOF'
import csv, math, sys
from decimal import Decimal
d = sys.argv[1]
def load(tag):
    rows = list(csv.DictReader(open(f"{d}/{tag}.csv", newline="")))
    assert rows and list(rows[0]) == ["index", "singular_value"], tag
    assert [int(r["index"]) for r in rows] == list(range(1, len(rows) + 1))
    return [r["singular_value"] for r in rows]
# Printed with 7 digits (%.6e): equal to 0.9^200 so printed. (The 1e-12
# relative accuracy itself is tests/check_spectrum.c's.)
v = load("orth")
assert len(v) == 16
for s in v:
    assert s == "%.6e" % 0.9 ** 200, s
# 100^200 = 1e400: past double range, where float() says inf; the
# README's way, Decimal, reads it (the --dump format keeps 7 digits).
v = load("huge")
assert len(v) == 3 and all(math.isinf(float(s)) for s in v), v
for s in v:
    assert abs(Decimal(s).log10() - 400) < Decimal("1e-6"), s
for tag, n in (("tanh", 64), ("relu", 16)):
    v = [Decimal(s) for s in load(tag)]
    assert len(v) == n, (tag, len(v))
    assert all(a >= b for a, b in zip(v, v[1:])), tag
    assert all(x >= 0 for x in v), tag
# gaussian tanh 64 x 200 spans far more than 16 decades, all resolved.
v = [Decimal(s) for s in load("tanh")]
assert v[-1] > 0 and (v[0] / v[-1]).log10() > 30, (v[0], v[-1])
EOF

summary

#!/usr/bin/env bash
# extremes: the corners of every range, through the headless modes. Each
# run must exit 0 within its time bound, print the whole table, and in
# exact precision never print inf or nan. Prints ok / not ok lines and a
# summary (tests/e2e/report.sh); `make check` runs it.
#
# Corners: lambda 0 and 100; depth 1 and 100000 with width 1, and depth 1
# with width 4096; every init, activation and precision. Then the largest
# network of all (depth 100000, width 4096) once, and --sweep and --train
# at their corners. EXTREMES_S bounds each corner run (default 10 s) and
# EXTREMES_SLOW_S the largest one (default 60 s); make sanitize raises
# both for its slower build.
set -u

cd "$(dirname "$0")/../.." || exit 1
BIN=${E2E_BIN:-./gradscope}
TMPD=$(mktemp -d) || exit 1
trap 'rm -rf "$TMPD"' EXIT
# shellcheck source=tests/e2e/report.sh
. tests/e2e/report.sh

# run_dump NAME BOUND_S ROWS ARGS...: --dump ARGS within BOUND_S seconds,
# exit 0, ROWS lines, and no inf or nan when the precision is exact.
run_dump() {
	local name=$1 bound=$2 rows=$3 t0 t1 rc lines ms cols=1-
	shift 3
	# No theory is derived for residual blocks or a norm: its columns
	# are nan there by design, and the engine's four are checked.
	[[ " $* " == *" --arch "* || " $* " == *" --norm "* ]] && cols=1-4
	t0=${EPOCHREALTIME/./}
	timeout "$bound" "$BIN" --dump "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	t1=${EPOCHREALTIME/./}
	ms=$(((t1 - t0) / 1000))
	lines=$(wc -l <"$TMPD/out")
	if ((rc != 0)); then
		not_ok "$name" "exit $rc after $ms ms" "$(cat "$TMPD/err")"
	elif [[ -s $TMPD/err ]]; then
		# Standard error is a file here: no progress line, no warning.
		not_ok "$name" "wrote to standard error: $(head -2 "$TMPD/err")"
	elif ((lines != rows)); then
		not_ok "$name" "$lines lines, wanted $rows"
	elif [[ " $* " == *" exact "* ]] &&
	    tail -n +2 "$TMPD/out" | cut -d, -f"$cols" | grep -Eq 'inf|nan'; then
		not_ok "$name" "exact printed inf or nan:" \
		    "$(grep -Em3 'inf|nan' "$TMPD/out")"
	else
		ok "$name ($ms ms)"
	fi
}

if [[ ! -x $BIN ]]; then
	not_ok "$BIN is built" "run 'make'"
	summary
fi

for init in identity gaussian orthogonal; do
	for act in linear tanh relu sigmoid; do
		for prec in exact float64 float32; do
			for lambda in 0 100; do
				for size in "1 1" "100000 1" "1 4096"; do
					set -- $size
					run_dump "--dump $init $act $prec λ=$lambda L=$1 n=$2" \
					    "${EXTREMES_S:-10}" $(($1 + 2)) \
					    --init "$init" \
					    --act "$act" --precision "$prec" \
					    --lambda "$lambda" --depth "$1" \
					    --width "$2" --input random
				done
			done
		done
	done
done

# Residual blocks and the norms (issue 11), exact precision: the same
# corners, the residual ones at the largest branch scale (lambda 100,
# alpha 10: a[l] grows 1001-fold a layer) and at 1/sqrt(L).
for block in "plain layer 1" "plain rms 1" "residual none 10" \
    "residual layer 10" "residual rms 1/sqrt(L)" "residual none 0"; do
	set -- $block
	arch=$1 norm=$2 alpha=$3
	for init in identity gaussian orthogonal; do
		for act in linear tanh relu sigmoid; do
			for lambda in 0 100; do
				for size in "1 1" "100000 1" "1 4096"; do
					set -- $size
					run_dump "--dump $arch $norm α=$alpha $init $act exact λ=$lambda L=$1 n=$2" \
					    "${EXTREMES_S:-10}" $(($1 + 2)) \
					    --arch "$arch" --norm "$norm" \
					    --branch-scale "$alpha" \
					    --init "$init" \
					    --act "$act" --precision exact \
					    --lambda "$lambda" --depth "$1" \
					    --width "$2" --input random
				done
			done
		done
	done
done
for size in "100000 2" "3000 64"; do
	set -- $size
	for norm in none layer rms; do
		run_dump "--dump residual $norm He relu exact L=$1 n=$2 bias 1e-300" \
		    "${EXTREMES_S:-10}" $(($1 + 2)) --arch residual \
		    --norm "$norm" --init gaussian --act relu \
		    --lambda 1.4142135623730951 --depth "$1" --width "$2" \
		    --bias-std 1e-300 --precision exact
	done
done

run_dump "--dump the largest network, L=100000 n=4096 gaussian tanh" \
    "${EXTREMES_SLOW_S:-60}" 100002 --init gaussian --act tanh \
    --depth 100000 --width 4096 --precision exact

# --sweep over the whole lambda range at the deepest narrow network.
if timeout 30 "$BIN" --sweep 0:100:12.5 --depth 100000 --width 1 \
    --act tanh >"$TMPD/sweep" 2>"$TMPD/err" &&
    (($(wc -l <"$TMPD/sweep") == 10)) &&
    ! tail -n +2 "$TMPD/sweep" | grep -Eq 'inf|nan'; then
	ok "--sweep 0:100:12.5 at L=100000: 9 rows, no inf or nan"
else
	not_ok "--sweep 0:100:12.5 at L=100000" "$(cat "$TMPD/err")" \
	    "$(head -3 "$TMPD/sweep")"
fi

# --train at the largest sizes it accepts (width^2 x depth up to 2^28,
# width 1024, depth 10000): lambda 100 diverges and stops, lambda 0
# cannot learn. The verdict is on standard error, the CSV on standard
# output.
for pair in "100 512 1000 diverged at step" "0 1024 256 plateaued" \
	"0 2 10000 plateaued"; do
	set -- $pair
	lambda=$1 width=$2 depth=$3
	shift 3
	want="$*"
	if timeout 120 "$BIN" --train 3 --width "$width" --depth "$depth" \
	    --init gaussian --lambda "$lambda" >"$TMPD/train" \
	    2>"$TMPD/err" && [[ $(cat "$TMPD/err") == "$want"* ]] &&
	    [[ $(head -1 "$TMPD/train") == step,loss ]]; then
		ok "--train at width $width, depth $depth, λ=$lambda: $(cat "$TMPD/err")"
	else
		not_ok "--train at width $width, depth $depth, λ=$lambda" \
		    "$(tail -2 "$TMPD/train")" "$(cat "$TMPD/err")"
	fi
done

summary

#!/usr/bin/env bash
# golden.sh: holds the headless outputs byte for byte. For a corpus of
# command lines (every init x activation x precision x input at a few
# shapes and lambdas, the lambda sweep, every shipped preset and every
# lesson step) it runs the binary and compares a digest of what it
# printed (stdout, stderr, exit status, and the file --svg or
# --save-preset wrote) with tests/golden/expected.txt.
#
# Not --train nor --spectrum output: those go through OpenBLAS and
# LAPACK, which choose their kernels by processor, so their last bits are
# not the same on every machine. tests/e2e/csv.sh holds them by value,
# with tolerances; only their error lines are here.
#
# A refactor must leave every line as it is. A change that means to alter
# an output regenerates the file with --update and says why in its commit.
#
#   tests/golden/golden.sh [--update]      (E2E_BIN picks the binary)
set -u
cd "$(dirname "$0")/../.." || exit 2
BIN=${E2E_BIN:-./gradscope}
EXPECTED=tests/golden/expected.txt
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT

# One corpus line per command: the options, space-separated (no option
# value in the corpus has a space).
corpus() {
	local init act prec input shape lam
	for init in identity gaussian orthogonal; do
		for act in linear tanh relu sigmoid; do
			for prec in exact float64 float32; do
				for input in ones random; do
					for shape in "12 1" "40 8" "200 64"; do
						set -- $shape
						for lam in 0.5 1 1.3; do
							echo "--dump --init $init --act $act --precision $prec --input $input --depth $1 --width $2 --lambda $lam"
						done
					done
					echo "--dump --init $init --act $act --precision $prec --input $input --depth 1000 --width 3 --lambda 4 --seed 7"
					echo "--sweep 0.25:2:0.25 --init $init --act $act --precision $prec --input $input --depth 30 --width 16"
				done
				echo "--svg @ --init $init --act $act --precision $prec --depth 60 --width 8 --lambda 1.2"
			done
			echo "--save-preset @ --init $init --act $act --depth 77 --width 5 --lambda 0.95 --seed 12345678901234567890"
		done
	done
	echo "--dump"
	# The texts and the one-line errors the option table gives.
	local bad
	for bad in "--help" "--version" "-h" "-V" "--lambda 1e9" "--lambda -1" \
		"--lambda abc" "--depth 0" "--depth 100001" "--depth 1.5" \
		"--width 0" "--width 4097" "--init bogus" "--act bogus" \
		"--precision bogus" "--input bogus" "--seed -1" "--seed x" \
		"--seed 18446744073709551616" "--bogus" "--lambda" "--step 2" \
		"--dump --svg x.svg" "--dump --preset nosuch" \
		"--dump --preset lesson --step 99" "--train 0" "--train 100001" \
		"--train 5 --width 1025" "--train 5 --width 600 --depth 1000" \
		"--spectrum --depth 10001" "--spectrum --width 1025" \
		"--spectrum --train 5" "--sweep 1:0:0.1" "--sweep 0:1:0" \
		"--sweep x" "--dump extra" "--list-presets" "--list-themes" \
		"--dump --lambda=0.7 --depth=9 --width=3 --init=orthogonal"; do
		echo "$bad"
	done
	echo "--dump --depth 100000 --width 1 --lambda 100"
	echo "--dump --depth 1 --width 4096 --init gaussian --act relu --lambda 0"
	# The upstream gradient and the biases (issue 11), with their bad
	# values.
	local up bias
	for up in random ones; do
		for bias in 0 0.3 10; do
			for init in identity gaussian; do
				for act in tanh relu; do
					for prec in exact float32; do
						echo "--dump --init $init --act $act --precision $prec --upstream $up --bias-std $bias --depth 40 --width 8 --lambda 1.2"
					done
				done
			done
			echo "--save-preset @ --init gaussian --act tanh --upstream $up --bias-std $bias"
		done
	done
	echo "--sweep 0.5:2:0.25 --init gaussian --act tanh --bias-std 0.3 --depth 30 --width 16"
	echo "--svg @ --init gaussian --act relu --upstream ones --bias-std 0.1 --depth 60 --width 8"
	echo "--dump --depth 3000 --width 2 --lambda 100 --act relu --input random --bias-std 1e-300"
	for bad in "--bias-std nan" "--bias-std -1" "--bias-std 10.5" \
		"--upstream x" "--upstream"; do
		echo "$bad"
	done
	# float16 and bfloat16 (issue 11): every init x activation x input at
	# two shapes, the identity overflow and underflow cases, biases.
	for prec in float16 bfloat16; do
		for init in identity gaussian orthogonal; do
			for act in linear tanh relu sigmoid; do
				for input in ones random; do
					for shape in "40 8" "200 64"; do
						set -- $shape
						for lam in 0.5 1.3; do
							echo "--dump --init $init --act $act --precision $prec --input $input --depth $1 --width $2 --lambda $lam"
						done
					done
				done
				echo "--sweep 0.25:2:0.25 --init $init --act $act --precision $prec --depth 30 --width 16"
			done
		done
		for up in random ones; do
			echo "--dump --precision $prec --upstream $up --lambda 1.5 --depth 300 --width 2"
			echo "--dump --precision $prec --upstream $up --lambda 0.5 --depth 200 --width 2"
		done
		echo "--dump --init gaussian --act tanh --precision $prec --bias-std 0.3 --depth 40 --width 8 --lambda 1.2"
		echo "--svg @ --init gaussian --act relu --precision $prec --depth 60 --width 8 --lambda 1.2"
	done
	echo "--precision float8"
	echo "--sweep 0:100:12.5 --depth 150"
	# Residual blocks and the norms (issue 11).
	local arch norm
	for arch in plain residual; do
		for norm in none layer rms; do
			[[ $arch$norm == plainnone ]] && continue
			for init in identity gaussian orthogonal; do
				for act in linear tanh relu sigmoid; do
					for prec in exact float32 float16; do
						echo "--dump --arch $arch --norm $norm --init $init --act $act --precision $prec --depth 40 --width 8 --lambda 1.2 --bias-std 0.1"
					done
				done
			done
			echo "--sweep 0.25:2:0.25 --arch $arch --norm $norm --init gaussian --act tanh --depth 30 --width 16"
			echo "--svg @ --arch $arch --norm $norm --init gaussian --act relu --depth 60 --width 8"
			echo "--save-preset @ --arch $arch --norm $norm --branch-scale 0.5"
		done
	done
	for a in 0 0.1 "1/sqrt(L)" 10; do
		echo "--dump --arch residual --init gaussian --act relu --lambda 1.4142135623730951 --depth 152 --width 64 --branch-scale $a"
		echo "--dump --arch residual --lambda 100 --depth 2000 --width 2 --branch-scale $a"
	done
	echo "--save-preset @ --arch residual --branch-scale 1/sqrt(L)"
	echo "--dump --arch residual --norm layer --lambda 100 --depth 3000 --width 4 --input random"
	echo "--dump --norm rms --lambda 0.001 --depth 3000 --width 4 --input random"
	for bad in "--norm batch" "--arch resnet" "--branch-scale -1" \
	    "--branch-scale 10.5" "--branch-scale nan" "--branch-scale 1/sqrt(n)"; do
		echo "--dump $bad"
	done
	local p steps k
	for p in presets/*.json; do
		p=$(basename "$p" .json)
		steps=$(grep -c '"caption"' "presets/$p.json")
		[[ $steps -lt 1 ]] && steps=1
		[[ $p != lesson ]] && steps=1
		for ((k = 1; k <= steps; k++)); do
			echo "--dump --preset $p --step $k"
			echo "--svg @ --preset $p --step $k"
			echo "--save-preset @ --preset $p --step $k"
			echo "--sweep 0.5:1.5:0.125 --preset $p --step $k"
		done
	done
}

digest() {
	local line=$1 out=$TMPD/out.file args rc
	rm -f "$out"
	# shellcheck disable=SC2086
	set -- ${line//@/$out}
	# A fixed HOME: the messages name the user preset directory.
	HOME=/nonexistent-golden XDG_CONFIG_HOME= "$BIN" "$@" >"$TMPD/stdout" 2>"$TMPD/stderr"
	rc=$?
	{
		echo "rc=$rc"
		cat "$TMPD/stdout"
		echo "--stderr--"
		cat "$TMPD/stderr"
		echo "--file--"
		[[ -f $out ]] && cat "$out"
	} | sed "s|$out|FILE|g" | sha256sum | cut -c1-16
}

if [[ ${1:-} == --update ]]; then
	corpus | while IFS= read -r line; do
		echo "$(digest "$line") $line"
	done >"$EXPECTED.new" && mv "$EXPECTED.new" "$EXPECTED"
	echo "golden.sh: wrote $(wc -l <"$EXPECTED") lines to $EXPECTED"
	exit 0
fi

if ! diff -q <(corpus) <(cut -d' ' -f2- "$EXPECTED") >/dev/null; then
	echo "not ok - the corpus in golden.sh differs from $EXPECTED's (run --update and say why)"
	echo "0 passed, 1 failed"
	exit 1
fi
pass=0 fail=0
while IFS= read -r row; do
	want=${row%% *} line=${row#* }
	got=$(digest "$line")
	if [[ $got == "$want" ]]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "not ok - output changed: gradscope $line"
	fi
done <"$EXPECTED"
echo "ok - $pass of $((pass + fail)) golden outputs byte-identical"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]

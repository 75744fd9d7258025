#!/usr/bin/env bash
# e2e: drives the real ./gradscope inside tmux and checks what a user sees.
#
# Each check prints "ok - name" or "not ok - name" (with "# ..." lines
# saying why), and the run ends with "N passed, M failed"; the exit status
# is 1 if any check failed. Nothing here sleeps to synchronise: wait_for
# polls the pane until what is expected shows or a timeout passes. The
# only sleep is the idle-CPU measurement's window. Needs bash 5 (for
# EPOCHREALTIME) and tmux; `make check` runs it after the unit tests.
set -u

cd "$(dirname "$0")/../.." || exit 1
# Run from inside tmux too: our server is our own.
unset TMUX
# E2E_BIN tries another build of the same tree.
BIN=${E2E_BIN:-./gradscope}
WRAP=tests/e2e/stty-check.sh
SOCKET=gradscope-e2e-$$
TMPD=$(mktemp -d) || exit 1
# shellcheck source=tests/e2e/report.sh
. tests/e2e/report.sh

# The view under test, as a class would start it.
START="--lambda 1.5 --depth 150 --width 2 --init identity --act linear"
# The environment of every program in a pane: a known terminal type and a
# UTF-8 locale, whatever the caller's.
PANE_ENV="env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8"

# shellcheck source=tests/e2e/panes.sh
. tests/e2e/panes.sh
keep_server

# status_line: the line of SCREEN with the status ("λ=..."), or "".
status_line() {
	local line
	while IFS= read -r line; do
		if [[ $line == *"λ="* ]]; then
			echo "$line"
			return
		fi
	done <<<"$SCREEN"
}

# gradscope_pid ROOT: ROOT if it is gradscope, else its gradscope child.
gradscope_pid() {
	local root=$1 dir stat comm rest fields
	[[ $(cat "/proc/$root/comm" 2>/dev/null) == gradscope ]] &&
	    { echo "$root"; return 0; }
	for dir in /proc/[0-9]*; do
		{ stat=$(<"$dir/stat"); } 2>/dev/null || continue
		comm=${stat#*(}
		comm=${comm%)*}
		rest=${stat##*) }
		read -r -a fields <<<"$rest"
		# fields[1] is the parent pid (field 4 of stat).
		if [[ $comm == gradscope && ${fields[1]} == "$root" ]]; then
			echo "${dir#/proc/}"
			return 0
		fi
	done
	return 1
}

pane_pid() {
	tm display-message -p -t "$1" '#{pane_pid}'
}

# cpu_ticks PID: utime + stime of PID, in clock ticks.
cpu_ticks() {
	local stat fields
	stat=$(<"/proc/$1/stat") || return 1
	read -r -a fields <<<"${stat##*) }"
	# utime and stime are fields 14 and 15; fields[0] is field 3.
	echo "$((fields[11] + fields[12]))"
}

# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

if ! command -v tmux >/dev/null; then
	not_ok "tmux is installed" "run 'make deps'"
	summary
fi
if [[ ! -x $BIN ]]; then
	not_ok "$BIN is built" "run 'make'"
	summary
fi

# 1-2. The status line at start and after keys. "exec" makes the pane's
# process gradscope itself, which the idle check below measures.
session main "exec $PANE_ENV $BIN $START"
if wait_for main "λ=1.5000  L=150  n=2" 5; then
	ok "status line at start shows λ=1.5000  L=150  n=2"
else
	not_ok "status line at start shows λ=1.5000  L=150  n=2" \
	    "screen: $(status_line)"
fi

# key_shows NAME KEYS TEXT: after sending KEYS, the status shows TEXT.
key_shows() {
	local name=$1 keys=$2 text=$3
	# shellcheck disable=SC2086 # KEYS is a list of key names
	tm send-keys -t main $keys
	if wait_for main "$text" 3; then
		ok "$name"
	else
		not_ok "$name" "wanted '$text'; status: $(status_line)"
	fi
}
key_shows "+ raises λ by the step" "+" "λ=1.5100"
key_shows "] then + raises λ by 0.1" "] +" "λ=1.6100"
key_shows "1 sets λ to 1" "1" "λ=1.0000  L=150  n=2"
key_shows "k adds a layer" "k" "λ=1.0000  L=151  n=2"
key_shows "w widens the layers" "w" "λ=1.0000  L=151  n=3"
before=$(status_line)
tm send-keys -t main a
if wait_for main "  tanh  " 3 && [[ $before == *"  linear  "* ]]; then
	ok "a changes the activation (linear to tanh)"
else
	not_ok "a changes the activation (linear to tanh)" \
	    "before: $before" "after: $(status_line)"
fi

# 3. The help overlay, from the key table's own wording.
tm send-keys -t main "?"
check "? shows the help overlay" wait_for main "step ×10 (up to 0.1)" 3
tm send-keys -t main Escape
check "Esc closes the help overlay" wait_gone main "step ×10 (up to 0.1)" 3
check "the view is back after help" wait_for main "λ=1.0000  L=151  n=3" 3

# 4. Too small a terminal, and back.
tm resize-window -t main -x 40 -y 12
check "at 40x12 a notice asks for a larger terminal" \
    wait_for main "need 60x16, have 40x12" 3
tm resize-window -t main -x 100 -y 30
check "back at 100x30 the status line shows again" \
    wait_for main "λ=1.0000  L=151  n=3" 3

# 6. Idle CPU: the loop must sleep, not poll. Measured over ~3 s.
pid=$(pane_pid main)
if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == gradscope ]]; then
	hz=$(getconf CLK_TCK)
	t0=$(now_us)
	c0=$(cpu_ticks "$pid")
	sleep 3
	c1=$(cpu_ticks "$pid")
	t1=$(now_us)
	# Percent of a core, two decimals, in integer arithmetic.
	pct100=$(((c1 - c0) * 1000000 * 10000 / hz / (t1 - t0)))
	idle=$(printf '%d.%02d%%' $((pct100 / 100)) $((pct100 % 100)))
	echo "# idle CPU: $((c1 - c0)) ticks in $(((t1 - t0) / 1000)) ms" \
	    "= $idle of a core"
	if ((pct100 < 100)); then
		ok "idle CPU below 1% of a core ($idle)"
	else
		not_ok "idle CPU below 1% of a core ($idle)"
	fi
else
	not_ok "idle CPU below 1% of a core" "no gradscope process in pane"
fi
tm kill-session -t main

# 5. A burst of twenty + at a size where one compute is noticeable: the
# keys must not queue up behind one compute each.
session burst "exec $PANE_ENV $BIN --lambda 1.5 --depth 1000 --width 1024 \
--init gaussian --act tanh"
if wait_for burst "λ=1.5000  L=1000  n=1024" 10; then
	t0=$(now_us)
	tm send-keys -t burst + + + + + + + + + + + + + + + + + + + +
	t1=$(now_us)
	if wait_for burst "λ=1.7000" 5 0.005; then
		t2=$(now_us)
		ms=$(((t2 - t1) / 1000))
		echo "# burst: 20 keys sent in $(((t1 - t0) / 1000)) ms;" \
		    "final λ shown $ms ms after the last"
		# The issue's bound; E2E_BURST_MS loosens it on a slow host.
		name="after 20 fast + the final λ shows within"
		name+=" ${E2E_BURST_MS:-100} ms ($ms ms)"
		if ((ms <= ${E2E_BURST_MS:-100})); then
			ok "$name"
		else
			not_ok "$name"
		fi
	else
		not_ok "after 20 fast + the final λ shows" \
		    "status: $(status_line)"
	fi
else
	not_ok "the view opens at depth 1000, width 1024" \
	    "status: $(status_line)"
fi
tm kill-session -t burst

# 7, 8, 10. Ways out, each through stty-check, which compares the
# terminal's settings before and after.
# way_out NAME HOW WANT_EXIT: HOW is "q" or a signal name.
way_out() {
	local name=$1 how=$2 want=$3 s=out-$2 pid
	session "$s" "$PANE_ENV $WRAP $BIN --depth 40"
	if ! wait_for "$s" "λ=1.5000  L=40  n=2" 5; then
		not_ok "$name" "the view did not open: $(screen "$s")"
		return
	fi
	if [[ $how == q ]]; then
		tm send-keys -t "$s" q
	else
		pid=$(gradscope_pid "$(pane_pid "$s")")
		kill -s "$how" "$pid"
	fi
	if wait_for "$s" "stty-check:" 5 && wait_dead "$s" 5; then
		if [[ $SCREEN == *"stty-check: RESTORED, exit $want"* ]]; then
			ok "$name"
		else
			not_ok "$name" "wanted RESTORED, exit $want:" \
			    "$(grep 'stty-check:' <<<"$SCREEN")"
		fi
	else
		not_ok "$name" "the program did not end"
	fi
	tm kill-session -t "$s"
}
way_out "q exits and the terminal settings are restored" q 0
way_out "SIGTERM exits and the terminal settings are restored" TERM 0
way_out "SIGINT exits and the terminal settings are restored" INT 0
way_out "SIGHUP exits and the terminal settings are restored" HUP 0
# A crash restores the terminal and still dies of its signal (128 + 11).
way_out "SIGSEGV restores the terminal and still crashes" SEGV 139

# 9. No terminal, or one curses cannot drive: exit 2, one line on
# standard error, nothing on standard output.
# one_line_refusal FILE: FILE holds one "gradscope: " line, no escape.
one_line_refusal() {
	[[ $(wc -l <"$1") == 1 && $(head -c 11 "$1") == "gradscope: " ]] &&
	    ! grep -q $'\e' "$1"
}

$BIN </dev/null >"$TMPD/nt.out" 2>"$TMPD/nt.err"
rc=$?
if [[ $rc == 2 && ! -s $TMPD/nt.out ]] &&
    one_line_refusal "$TMPD/nt.err"; then
	ok "not a terminal: exit 2 and one line ($(cat "$TMPD/nt.err"))"
else
	not_ok "not a terminal: exit 2 and one line" "exit $rc" \
	    "stderr: $(cat "$TMPD/nt.err")" "stdout: $(cat "$TMPD/nt.out")"
fi

# refusal NAME TERMVALUE: in a pane, standard output is the terminal;
# pipe-pane records every byte written to it (set in the same tmux command
# as the session, so before tmux reads any of the pane's output).
refusal() {
	local name=$1 term=$2 s=refuse-$3 rc
	tm new-session -d -s "$s" -x 100 -y 30 \
	    "env -u LC_ALL $term LANG=C.UTF-8 $BIN 2>$TMPD/$s.err; \
echo \$? >$TMPD/$s.rc" \; \
	    set-option -w -t "$s" remain-on-exit on \; \
	    pipe-pane -t "$s" "cat >$TMPD/$s.tty"
	if ! wait_dead "$s" 5; then
		not_ok "$name" "gradscope did not exit"
		return
	fi
	rc=$(cat "$TMPD/$s.rc" 2>/dev/null)
	if [[ $rc == 2 && ! -s $TMPD/$s.tty ]] &&
	    one_line_refusal "$TMPD/$s.err"; then
		ok "$name ($(cat "$TMPD/$s.err"))"
	else
		not_ok "$name" "exit $rc" "stderr: $(cat "$TMPD/$s.err")" \
		    "terminal: $(od -c "$TMPD/$s.tty" | head -5)"
	fi
	tm kill-session -t "$s"
}
refusal "TERM=dumb: exit 2 and one line" "TERM=dumb" dumb
refusal "TERM unset: exit 2 and one line" "-u TERM" unset
refusal "unknown TERM: exit 2 and one line" "TERM=no-such-terminal" unknown

# 11. The lesson, presenter mode, the picker, save and export. The view
# runs in a directory of its own (with the tree's presets and themes), so
# that what S and e write lands there and nowhere else.
lesson_checks() {
	local dir=$TMPD/lesson bin s=lesson file f1 f2 stem
	bin=$(realpath "$BIN")
	mkdir -p "$dir" || return
	ln -s "$PWD/presets" "$dir/presets"
	[[ -d themes ]] && ln -s "$PWD/themes" "$dir/themes"
	# Options that describe no network keep the lesson; run from a
	# directory without presets, the binary finds those beside it.
	mkdir -p "$TMPD/bare"
	session opt "cd $TMPD/bare && exec $PANE_ENV $bin --theme light --ascii"
	check "--theme and --ascii keep the lesson open, from a directory without presets" \
	    wait_for opt "step 1/" 5
	tm kill-session -t opt
	session "$s" "cd $dir && XDG_CONFIG_HOME=$dir/config exec $PANE_ENV $bin"
	check "started with no options, the lesson opens at step 1" \
	    wait_for "$s" "step 1/" 5
	tm send-keys -t "$s" n
	check "n moves to step 2" wait_for "$s" "step 2/" 3
	tm send-keys -t "$s" N
	check "N moves back to step 1" wait_for "$s" "step 1/" 3

	# Presenter digits, each under its label (the output's says what
	# it is), which no chart draws.
	tm send-keys -t "$s" P
	check "P shows λ, L and the output in big digits, labelled" \
	    wait_for "$s" "output: activation rms" 3
	tm send-keys -t "$s" P
	check "P again hides them" wait_gone "$s" "output: activation rms" 3

	tm send-keys -t "$s" p
	check "p opens the picker" wait_for "$s" "presets and lessons" 3
	tm send-keys -t "$s" Escape
	check "Esc closes the picker" wait_gone "$s" "presets and lessons" 3

	# S: a preset that gives the step's numbers, never overwritten, in
	# the user's preset directory, where --preset NAME finds it.
	local udir=$dir/config/gradscope/presets
	tm send-keys -t "$s" S
	if wait_for "$s" "saved gradscope-" 3; then
		file=$(grep -o 'gradscope-[^ /]*-seed1\.json' <<<"$SCREEN")
		if [[ -f $udir/$file ]] && cmp -s \
		    <("$BIN" --preset lesson --dump 2>&1) \
		    <(XDG_CONFIG_HOME=$dir/config "$BIN" \
		    --preset "${file%.json}" --dump 2>&1); then
			ok "S saves $file where --preset NAME finds it, with step 1's numbers"
		else
			not_ok "S saves a preset with step 1's numbers" \
			    "file: $udir/$file" "$(ls "$udir")"
		fi
		tm send-keys -t "$s" S
		if wait_for "$s" "${file%.json}-2.json" 3; then
			ok "S again picks a new name (${file%.json}-2.json)"
		else
			not_ok "S again picks a new name" "$(ls "$udir")"
		fi
		rm -f "$udir/$file" "$udir/${file%.json}-2.json"
	else
		not_ok "S saves a preset" "screen: $(status_line)"
	fi

	# e: the table as CSV and the chart as SVG, side by side.
	tm send-keys -t "$s" e
	if wait_for "$s" "and .svg" 3; then
		stem=$(grep -o 'wrote gradscope-[^ ]*\.csv' <<<"$SCREEN")
		stem=${stem#wrote }
		stem=${stem%.csv}
		f1=$dir/$stem.csv
		f2=$dir/$stem.svg
		if [[ $(head -1 "$f1" 2>/dev/null) == layer,activation_rms,\
gradient_rms,weight_gradient_rms,theory_activation_rms,theory_gradient_rms &&
		    -s $f2 ]] && { ! command -v xmllint >/dev/null ||
		    xmllint --noout "$f2"; }; then
			ok "e writes $stem.csv and $stem.svg"
		else
			not_ok "e writes the table and the chart" "$(ls "$dir")"
		fi
		rm -f "$f1" "$f2"
	else
		not_ok "e writes the table and the chart" \
		    "screen: $(status_line)"
	fi

	if compgen -G "themes/*.json" >/dev/null; then
		tm send-keys -t "$s" t
		check "t changes the theme" wait_for "$s" "theme: " 3
	fi
	tm kill-session -t "$s"
}
if "$BIN" --help 2>/dev/null | grep -q -- --preset; then
	lesson_checks
else
	echo "# skip: lesson checks ($BIN has no --preset yet)"
fi

# 12. The other views: v cycles them and each keeps the status line; o
# overlays the theory; the training view ends in a verdict; q works while
# a view's background work runs.
session views "exec $PANE_ENV $BIN --lambda 1.5 --depth 30 --width 16"
if wait_for views "λ=1.5000  L=30  n=16" 5; then
	tm send-keys -t views o
	check "o overlays the theory's markers" wait_for views "◆" 3
	for title in "λ sweep" "depth × λ" "Jacobian singular values" \
	    "training"; do
		tm send-keys -t views v
		# The status line's double spaces: not a plot's λ label.
		if wait_for views "$title" 5 &&
		    [[ $SCREEN == *"λ=1.5000  L=30  n=16"* ]]; then
			ok "v shows the $title view, status line kept"
		else
			not_ok "v shows the $title view" \
			    "status: $(status_line)"
		fi
	done
	# W = 1.5 I over 30 layers: the loss explodes within a few steps.
	check "training at λ=1.5 ends: diverged at step K" \
	    wait_for views "diverged at step" 10
	tm send-keys -t views v
	check "v comes back to the bars" \
	    wait_for views "activation rms per layer" 3
else
	not_ok "the views session opens" "status: $(status_line)"
fi
tm kill-session -t views

# A map whose every cell is a long compute: q must still quit at once.
session busy "$PANE_ENV $BIN --init gaussian --act tanh --depth 3000 \
--width 4096"
if wait_for busy "L=3000  n=4096" 20; then
	tm send-keys -t busy v v
	if wait_for busy " cells" 20; then
		t0=$(now_us)
		tm send-keys -t busy q
		if wait_dead busy 5; then
			ms=$((($(now_us) - t0) / 1000))
			name="q quits within 1 s while the map computes ($ms ms)"
			if ((ms <= ${E2E_QUIT_MS:-1000})); then
				ok "$name"
			else
				not_ok "$name"
			fi
		else
			not_ok "q quits while the map computes" \
			    "screen: $(status_line)"
		fi
	else
		not_ok "v v opens the map" "screen: $(screen busy | head -3)"
	fi
else
	not_ok "the view opens at depth 3000, width 4096" \
	    "status: $(status_line)"
fi
tm kill-session -t busy

# Training at 256 x 1000, where one step takes 0.4-0.9 s: the step goes
# in pieces with the keys read between them, so q quits at once (issue
# 14), and * takes effect on the run under way.
session deep "$PANE_ENV $BIN --init gaussian --act relu --lambda 1.4142135623730951 \
--depth 1000 --width 256"
if wait_for deep "L=1000  n=256" 20; then
	tm send-keys -t deep v v v v
	if wait_for deep " of 500" 30; then
		tm send-keys -t deep '*'
		check "* raises the rate of the run under way" \
		    wait_for deep "rate 0.0019" 10
		t0=$(now_us)
		tm send-keys -t deep q
		if wait_dead deep 5; then
			ms=$((($(now_us) - t0) / 1000))
			name="q quits within 0.3 s during a 256 x 1000 training step ($ms ms)"
			if ((ms <= ${E2E_TRAIN_QUIT_MS:-300})); then
				ok "$name"
			else
				not_ok "$name"
			fi
		else
			not_ok "q quits during training" "screen: $(status_line)"
		fi
	else
		not_ok "v v v v opens training at 256 x 1000" \
		    "screen: $(screen deep | tail -3)"
	fi
else
	not_ok "the view opens at depth 1000, width 256" \
	    "status: $(status_line)"
fi
tm kill-session -t deep 2>/dev/null

summary

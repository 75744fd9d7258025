#!/usr/bin/env bash
# hostile: the live view under the things a terminal does to a program
# that run.sh does not: Ctrl-Z and fg (from a shell that leaves the
# terminal's modes as the program left them, and one that resets them
# behind its back), a SIGSTOP it cannot catch, a storm of resizes, a
# signal in the middle of one or while stopped, the largest sizes, a
# lesson step that is not there, and standard input or output alone not
# being a terminal. The ways out by q, SIGINT, SIGTERM, SIGHUP and
# SIGSEGV, and TERM dumb, unset or unknown, are run.sh's; every other
# signal, Ctrl-\, Ctrl-S, Alt+key and a huge LINES x COLUMNS are
# signals.sh's, and special files in the headless modes files.sh's.
#
# Reports as run.sh does (report.sh), drives the real binary in tmux and
# polls with timeouts; `make check` and `make sanitize` run it.
set -u

cd "$(dirname "$0")/../.." || exit 1
unset TMUX
BIN=${E2E_BIN:-./gradscope}
WRAP=tests/e2e/stty-check.sh
SOCKET=gradscope-hostile-$$
TMPD=$(mktemp -d) || exit 1
# shellcheck source=tests/e2e/report.sh
. tests/e2e/report.sh

PANE_ENV="env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8"
# The prompt of the interactive shells (a pane's capture drops its
# trailing space), and the view they start.
PROMPT='hostile$'
VIEW="$WRAP $BIN --depth 40"
STATUS="λ=1.5000  L=40  n=2"

# shellcheck source=tests/e2e/panes.sh
. tests/e2e/panes.sh

# shell NAME SHELL...: an interactive shell with job control in a pane,
# ready for a command.
shell() {
	local name=$1
	shift
	session "$name" "$PANE_ENV PS1='$PROMPT ' $*"
	wait_for "$name" "$PROMPT" 5
}

# view_pid TARGET: the gradscope running on the pane's terminal (others
# may be running on the machine).
view_pid() {
	local tty
	tty=$(tm display-message -p -t "$1" '#{pane_tty}') &&
	    pgrep -n -x -t "${tty#/dev/}" gradscope
}

# MODES_CMD: a command that prints "modes: SANE-echo-icanon" when the
# terminal echoes and is line-buffered again, as a shell wants it (the
# text typed does not itself contain the answer).
MODES_CMD="stty -a | grep -qwe -echo -e -icanon && m=RAW || m=SANE; \
echo \"modes: \$m-echo-icanon\""

# restored NAME TARGET: the view ended through stty-check with the
# terminal's settings as they were, exit 0.
restored() {
	if wait_for "$2" "stty-check:" 5; then
		if [[ $SCREEN == *"stty-check: RESTORED, exit 0"* ]]; then
			ok "$1"
		else
			not_ok "$1" "$(grep 'stty-check:' <<<"$SCREEN")"
		fi
	else
		not_ok "$1" "the view did not end"
	fi
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
keep_server

# 1. Ctrl-Z and fg, three times, from dash: dash leaves the terminal's
# modes as a stopped job left them, so a sane prompt is the view's doing.
# The view is the job's only process, as when a user starts it (behind
# stty-check, dash would take the terminal back as soon as the script
# stopped, before the view had left the alternate screen); the modes
# are compared by the shell instead, before and after.
if shell ctrlz dash -i; then
	tm send-keys -t ctrlz 'g0=$(stty -g)' Enter
	tm send-keys -t ctrlz "$BIN --depth 40" Enter
	check "the view opens from dash" wait_for ctrlz "$STATUS" 5
	for round in 1 2 3; do
		tm send-keys -t ctrlz C-z
		check "Ctrl-Z ($round) gives the shell back" \
		    wait_for ctrlz "Stopped" 5
		tm send-keys -t ctrlz "$MODES_CMD" Enter
		if wait_for ctrlz "modes: SANE-echo-icanon" 5; then
			ok "stopped ($round), echo and icanon are back on"
		else
			not_ok "stopped ($round), echo and icanon are back on" \
			    "$(grep 'modes: ' <<<"$SCREEN")"
		fi
		# clear: whatever shows after fg, the view drew it again.
		tm send-keys -t ctrlz "clear; fg" Enter
		check "fg ($round) redraws the chart" \
		    wait_for ctrlz "activation rms per layer" 5
		want=1.5${round}00
		tm send-keys -t ctrlz +
		check "after fg ($round) a key works at once (λ=$want)" \
		    wait_for ctrlz "λ=$want" 5
		# The next round must not find this round's text.
		tm clear-history -t ctrlz
	done
	tm send-keys -t ctrlz q
	# (S""AME: the line typed must not itself show the answer.)
	tm send-keys -t ctrlz '[ "$(stty -g)" = "$g0" ] && echo "after: S""AME"' \
	    ' || echo "after: CHANGED"' Enter
	check "after three Ctrl-Z and fg, q leaves the terminal restored" \
	    wait_for ctrlz "after: SAME" 5
else
	not_ok "dash starts in a pane" "$(screen ctrlz)"
fi
tm kill-session -t ctrlz 2>/dev/null

# 2. SIGSTOP, which nothing can catch, then fg from bash: bash resets the
# terminal to its own cooked modes while the job is stopped, so the view
# must put its modes back when continued, or keys wait for Enter.
if shell sigstop bash --norc --noprofile -i; then
	tm send-keys -t sigstop "$VIEW" Enter
	if wait_for sigstop "$STATUS" 5 && pid=$(view_pid sigstop); then
		# The whole job, as the shell sees it: the view and stty-check.
		kill -STOP -- "-$(ps -o pgid= -p "$pid" | tr -d " ")"
		check "SIGSTOP gives bash the terminal" \
		    wait_for sigstop "Stopped" 5
		tm send-keys -t sigstop "clear; fg" Enter
		check "fg after SIGSTOP redraws the chart" \
		    wait_for sigstop "activation rms per layer" 5
		tm send-keys -t sigstop +
		check "after SIGSTOP and fg a key works without Enter" \
		    wait_for sigstop "λ=1.5100" 5
		tm send-keys -t sigstop q
		restored "after SIGSTOP and fg, q leaves the terminal restored" \
		    sigstop
	else
		not_ok "the view opens from bash" "$(screen sigstop)"
	fi
else
	not_ok "bash starts in a pane" "$(screen sigstop)"
fi
tm kill-session -t sigstop 2>/dev/null

# 3. SIGTERM while stopped: it waits for the job to go on, then ends the
# view as it would have at once.
if shell stopterm dash -i; then
	tm send-keys -t stopterm "$VIEW" Enter
	if wait_for stopterm "$STATUS" 5 && pid=$(view_pid stopterm); then
		tm send-keys -t stopterm C-z
		wait_for stopterm "Stopped" 5
		kill -TERM "$pid"
		tm send-keys -t stopterm "fg" Enter
		restored "SIGTERM while stopped, then fg: the view ends restored" \
		    stopterm
	else
		not_ok "the view opens from dash" "$(screen stopterm)"
	fi
else
	not_ok "dash starts in a pane" "$(screen stopterm)"
fi
tm kill-session -t stopterm 2>/dev/null

# resize_storm TARGET N: N batches of 50 resizes, each batch one tmux
# command, from 1x1 to 250x80.
resize_storm() {
	local target=$1 batch i args
	for ((batch = 0; batch < $2; batch++)); do
		args=()
		for ((i = 0; i < 50; i++)); do
			args+=(resize-window -t "$target" -x $((1 + RANDOM % 250)) \
			    -y $((1 + RANDOM % 80)) \;)
		done
		tm "${args[@]}" 2>/dev/null
	done
}

# 4. A resize storm: 1000 sizes as fast as tmux sends them, then the
# view still takes keys and ends cleanly.
session storm "$PANE_ENV $VIEW"
if wait_for storm "$STATUS" 5; then
	t0=$(now_us)
	resize_storm storm 20
	echo "# storm: 1000 resizes in $((($(now_us) - t0) / 1000)) ms"
	tm resize-window -t storm -x 100 -y 30
	check "after a resize storm the view shows at 100x30" \
	    wait_for storm "$STATUS" 5
	tm send-keys -t storm +
	check "after a resize storm a key still works" \
	    wait_for storm "λ=1.5100" 5
	tm send-keys -t storm q
	restored "after a resize storm q leaves the terminal restored" storm
else
	not_ok "the view opens for the resize storm" "$(screen storm)"
fi
tm kill-session -t storm 2>/dev/null

# 5. SIGTERM in the middle of a resize storm.
session stormterm "$PANE_ENV $VIEW"
if wait_for stormterm "$STATUS" 5 && pid=$(view_pid stormterm); then
	resize_storm stormterm 10 &
	storm_pid=$!
	sleep 0.2
	kill -TERM "$pid"
	wait "$storm_pid"
	tm resize-window -t stormterm -x 100 -y 30
	restored "SIGTERM during a resize storm: the view ends restored" \
	    stormterm
else
	not_ok "the view opens for the storm and SIGTERM" \
	    "$(screen stormterm)"
fi
tm kill-session -t stormterm 2>/dev/null

# 6. The largest network: its first compute takes tens of seconds
# (tests/e2e/extremes.sh times the table), but the view reads keys while
# it runs, so q ends it at once, and so does SIGINT, the terminal
# restored, exit 0.
long_compute_exit() {
	local name=$1 how=$2 s=long-$2 pid t0 ms
	session "$s" "$PANE_ENV $WRAP $BIN --depth 100000 --width 4096 \
--init gaussian --act tanh"
	if ! wait_for "$s" "computing L=100000 n=4096" 20; then
		not_ok "$name" "no computing notice: $(screen "$s")"
		tm kill-session -t "$s" 2>/dev/null
		return
	fi
	t0=$(now_us)
	if [[ $how == q ]]; then
		tm send-keys -t "$s" q
	else
		pid=$(view_pid "$s") && kill -s "$how" "$pid"
	fi
	if wait_for "$s" "stty-check:" 5; then
		ms=$((($(now_us) - t0) / 1000))
		if [[ $SCREEN == *"stty-check: RESTORED, exit 0"* ]]; then
			ok "$name ($ms ms)"
		else
			not_ok "$name" "$(grep 'stty-check:' <<<"$SCREEN")"
		fi
	else
		not_ok "$name" "still running 5 s later"
	fi
	tm kill-session -t "$s" 2>/dev/null
}
long_compute_exit "q ends the view during a long first compute, restored" q
long_compute_exit "SIGINT ends the view during a long first compute, restored" INT

# The same network headless, from a terminal: a line on standard error
# says it is working (after 2 s), so the wait does not look like a hang.
session busydump "$PANE_ENV $BIN --dump --depth 100000 --width 4096 \
--init gaussian --act tanh >/dev/null"
check "a long --dump at a terminal says it is computing" \
    wait_for busydump "gradscope: computing depth 100000 x width 4096" 10
tm kill-session -t busydump 2>/dev/null

# 7. A step the lesson does not have: only main can tell, once it has
# loaded the lesson. Exit 2 and one line.
step_refusal() {
	local name=$1 want=$2 rc
	shift 2
	"$BIN" "$@" >"$TMPD/step.out" 2>"$TMPD/step.err"
	rc=$?
	if [[ $rc == 2 && ! -s $TMPD/step.out &&
	    $(cat "$TMPD/step.err") == "gradscope: $want" ]]; then
		ok "$name ($want)"
	else
		not_ok "$name" "exit $rc" "stderr: $(cat "$TMPD/step.err")"
	fi
}
step_refusal "--step past the lesson's last step: exit 2 and one line" \
    "--step 40: lesson 'lesson' has 20 steps" --preset lesson --step 40 --dump
step_refusal "--step 2 of a preset: exit 2 and one line" \
    "--step 2: preset 'critical' has 1 step" --preset critical --step 2 --dump

# 8. Only one of standard input and output a terminal: exit 2, one line
# on standard error, and not a byte to the terminal (pipe-pane records
# every byte written to it).
# half_tty NAME REDIRECT: REDIRECT takes stdin or stdout off the pane.
half_tty() {
	local name=$1 redirect=$2 s=half-$3
	tm new-session -d -s "$s" -x 100 -y 30 \
	    "$PANE_ENV $BIN $redirect 2>$TMPD/$s.err; echo \$? >$TMPD/$s.rc" \; \
	    set-option -w -t "$s" remain-on-exit on \; \
	    pipe-pane -t "$s" "cat >$TMPD/$s.tty"
	if ! wait_dead "$s" 5; then
		not_ok "$name" "gradscope did not exit"
		return
	fi
	if [[ $(cat "$TMPD/$s.rc") == 2 && ! -s $TMPD/$s.tty &&
	    $(wc -l <"$TMPD/$s.err") == 1 &&
	    $(head -c 11 "$TMPD/$s.err") == "gradscope: " ]]; then
		ok "$name ($(cat "$TMPD/$s.err"))"
	else
		not_ok "$name" "exit $(cat "$TMPD/$s.rc")" \
		    "stderr: $(cat "$TMPD/$s.err")" \
		    "terminal: $(od -c "$TMPD/$s.tty" | head -5)"
	fi
	tm kill-session -t "$s"
}
half_tty "stdout not a terminal: exit 2 and one line" ">$TMPD/out" out
half_tty "stdin not a terminal: exit 2 and one line" "</dev/null" in

summary

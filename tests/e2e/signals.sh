#!/usr/bin/env bash
# signals: the live view ended by every signal whose default action ends
# a program, each through stty-check (the terminal's settings compared
# before and after) in its own tmux pane: those that would only end it
# end the view as q does (exit 0), those that would also dump core
# restore the terminal and still die of the signal (exit 128 + N); a
# signal ignored when the view starts stays ignored. Then the keys a
# terminal sends that are not what they look like: Ctrl-\ (SIGQUIT from
# the terminal), Ctrl-S (flow control, off in the view), Alt+key (ESC
# then the key), and a LINES x COLUMNS no screen has.
#
# Reports as run.sh does (report.sh), drives the real binary in tmux on
# a server of its own (-L, one per run) and polls with timeouts; `make
# check` and `make sanitize` run it.
set -u

cd "$(dirname "$0")/../.." || exit 1
unset TMUX
BIN=${E2E_BIN:-./gradscope}
WRAP=tests/e2e/stty-check.sh
SOCKET=gradscope-signals-$$
TMPD=$(mktemp -d) || exit 1
# shellcheck source=tests/e2e/report.sh
. tests/e2e/report.sh
# shellcheck source=tests/e2e/panes.sh
. tests/e2e/panes.sh

PANE_ENV="env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8"
VIEW="$WRAP $BIN --depth 40"
STATUS="λ=1.5000  L=40  n=2"

# view_pid TARGET: the gradscope running on the pane's terminal.
view_pid() {
	local tty
	tty=$(tm display-message -p -t "$1" '#{pane_tty}') &&
	    pgrep -n -x -t "${tty#/dev/}" gradscope
}

# ended NAME TARGET WANT_EXIT: the view ended through stty-check with the
# terminal's settings as they were, off the alternate screen, exit
# WANT_EXIT.
ended() {
	local alt
	if ! wait_for "$2" "stty-check:" 5 || ! wait_dead "$2" 5; then
		not_ok "$1" "the view did not end: $(screen "$2" | tail -3)"
		return
	fi
	alt=$(tm display-message -p -t "$2" '#{alternate_on}')
	if [[ $SCREEN == *"stty-check: RESTORED, exit $3"* && $alt == 0 ]]; then
		ok "$1"
	else
		not_ok "$1" "wanted RESTORED, exit $3, off the alternate screen:" \
		    "$(grep 'stty-check:' <<<"$SCREEN")" "alternate_on=$alt"
	fi
}

# open_view NAME [ENV [TEXT]]: a pane running the view through
# stty-check, showing TEXT (the status line).
open_view() {
	session "$1" "$PANE_ENV ${2:-} $VIEW"
	wait_for "$1" "${3:-$STATUS}" 10
}

if ! command -v tmux >/dev/null; then
	not_ok "tmux is installed" "run 'make deps'"
	summary
fi
if [[ ! -x $BIN ]]; then
	not_ok "$BIN is built" "run 'make'"
	summary
fi
keep_server

# 1. Each signal, sent to the view alone.
# by_signal SIG WANT_EXIT
by_signal() {
	local sig=$1 want=$2 s=sig-$1 pid
	if ! open_view "$s" || ! pid=$(view_pid "$s"); then
		not_ok "SIG$sig: the view opens" "$(screen "$s" | tail -3)"
		tm kill-session -t "$s" 2>/dev/null
		return
	fi
	kill -s "$sig" "$pid"
	ended "SIG$sig ends the view restored, exit $want" "$s" "$want"
	tm kill-session -t "$s" 2>/dev/null
}
for sig in INT TERM HUP PIPE ALRM USR1 USR2 VTALRM PROF; do
	by_signal "$sig" 0
done
for sig in SEGV BUS FPE ILL ABRT TRAP SYS QUIT XCPU XFSZ; do
	by_signal "$sig" $((128 + $(kill -l "$sig")))
done

# 2. A signal ignored by whoever started the view stays ignored (nohup).
session ignored "$PANE_ENV sh -c 'trap \"\" USR1 HUP; exec $VIEW'"
if wait_for ignored "$STATUS" 10 && pid=$(view_pid ignored); then
	kill -USR1 "$pid"
	kill -HUP "$pid"
	sleep 0.5
	tm send-keys -t ignored +
	check "SIGUSR1 and SIGHUP ignored at the start stay ignored" \
	    wait_for ignored "λ=1.5100" 5
	tm send-keys -t ignored q
	ended "then q ends it restored, exit 0" ignored 0
else
	not_ok "the view opens with SIGUSR1 ignored" "$(screen ignored)"
fi
tm kill-session -t ignored 2>/dev/null

# 3. Ctrl-\ at the keyboard: the terminal sends SIGQUIT, which restores
# the terminal and still quits as Ctrl-\ does (131).
if open_view ctrlq; then
	tm send-keys -t ctrlq 'C-\'
	ended "Ctrl-\\ (SIGQUIT) restores the terminal, exit 131" ctrlq 131
else
	not_ok "the view opens for Ctrl-\\" "$(screen ctrlq)"
fi
tm kill-session -t ctrlq 2>/dev/null

# 4. Ctrl-S does not freeze the view: a key after it is drawn at once,
# and q leaves flow control as it was (stty -g compares it).
if open_view ctrls; then
	tm send-keys -t ctrls C-s
	tm send-keys -t ctrls +
	check "after Ctrl-S a key is still drawn (no flow control)" \
	    wait_for ctrls "λ=1.5100" 5
	tm send-keys -t ctrls q
	ended "after Ctrl-S, q restores the terminal, IXON included" ctrls 0
else
	not_ok "the view opens for Ctrl-S" "$(screen ctrls)"
fi
tm kill-session -t ctrls 2>/dev/null

# 5. Alt+key is the key, not Esc (which quits) and the key.
if open_view alt; then
	tm send-keys -t alt M-+
	check "Alt++ is read as +" wait_for alt "λ=1.5100" 5
	sleep 0.3
	if [[ $(tm display-message -p -t alt '#{pane_dead}') == 0 ]]; then
		ok "Alt++ does not quit"
	else
		not_ok "Alt++ does not quit" "$(screen alt | tail -3)"
	fi
	tm send-keys -t alt Escape
	ended "Esc alone still quits, restored" alt 0
else
	not_ok "the view opens for Alt+key" "$(screen alt)"
fi
tm kill-session -t alt 2>/dev/null

# 6. LINES and COLUMNS no screen has: the screen is capped (1000 x 500),
# so the view opens and quits at once, in little memory. (Its last rows
# are on rows 498-500, out of the pane, which keeps the last one drawn:
# the key hint bar.)
if open_view huge "LINES=5000 COLUMNS=10000" "? help  q quit" &&
    pid=$(view_pid huge); then
	rss=$(ps -o rss= -p "$pid" | tr -d ' ')
	if ((rss < 400000)); then
		ok "COLUMNS=10000 LINES=5000: the view uses $((rss / 1024)) MiB"
	else
		not_ok "COLUMNS=10000 LINES=5000: the view uses under 400 MiB" \
		    "$((rss / 1024)) MiB"
	fi
	t0=$(now_us)
	tm send-keys -t huge q
	ended "COLUMNS=10000 LINES=5000: q ends it restored" huge 0
	echo "# huge: q took $((($(now_us) - t0) / 1000)) ms"
else
	not_ok "the view opens with COLUMNS=10000 LINES=5000" \
	    "$(screen huge | tail -3)"
fi
tm kill-session -t huge 2>/dev/null

summary

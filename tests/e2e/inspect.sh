#!/usr/bin/env bash
# e2e/inspect: the layer cursor, the mouse and the baseline (issue 13) in
# the real ./gradscope, driven in tmux: the cursor's readout equals
# --dump's row for its layer (at End, Home and where a click put it); an
# SGR (1006) mouse click on the depth x lambda map changes λ= and L= on
# the status line and shows the bars; the wheel moves λ by the step; a
# click outside does nothing; --no-mouse and GRADSCOPE_NO_MOUSE=1 leave
# clicks alone; mouse reporting is off again after q and after SIGTERM;
# b shows the baseline's legend and the readout compares with it. The
# mouse is driven both where curses decodes SGR itself
# (TERM=xterm-256color) and where term.c does (TERM=screen). Each check
# prints "ok - name" or "not ok - name"; the run ends with "N passed, M
# failed" and exits 1 if any check failed.
set -u

cd "$(dirname "$0")/../.." || exit 1
unset TMUX
BIN=${E2E_BIN:-./gradscope}
SOCKET=gradscope-inspect-$$
TMPD=$(mktemp -d) || exit 1
. tests/e2e/report.sh
. tests/e2e/panes.sh

START="--lambda 1.5 --depth 150 --width 2 --init identity --act linear"
PANE_ENV="env -u LC_ALL -u NO_COLOR -u GRADSCOPE_NO_MOUSE LANG=C.UTF-8"

if ! command -v tmux >/dev/null; then
	not_ok "tmux is installed" "run 'make deps'"
	summary
fi
if [[ ! -x $BIN ]]; then
	not_ok "$BIN is built" "run 'make'"
	summary
fi
keep_server

# line_with TEXT: the first line of $SCREEN holding TEXT, trailing
# blanks cut.
line_with() {
	local line
	while IFS= read -r line; do
		if [[ $line == *"$1"* ]]; then
			echo "${line%"${line##*[! ]}"}"
			return
		fi
	done <<<"$SCREEN"
}

# dump_readout LAYER: the readout line --dump's row for LAYER makes.
dump_readout() {
	local row
	row=$("$BIN" --dump $START | sed -n "$(($1 + 2))p")
	IFS=, read -r l act grad wgrad _ <<<"$row"
	if [[ -z $wgrad ]]; then
		echo "layer $l: activation $act  gradient $grad"
	else
		echo "layer $l: activation $act  gradient $grad  weight gradient $wgrad"
	fi
}

# readout_line: the readout's line in $SCREEN ("layer 50: ...",
# "layers 48–50: ...").
readout_line() {
	local line
	while IFS= read -r line; do
		if [[ $line =~ ^layers?\ [0-9]+(–[0-9]+)?: ]]; then
			echo "${line%"${line##*[! ]}"}"
			return
		fi
	done <<<"$SCREEN"
}

# click TARGET COL ROW [BUTTON]: an SGR press and release at 1-based
# (COL, ROW), as a terminal writes them.
click() {
	local b=${4:-0}
	tm send-keys -t "$1" -l $'\e'"[<$b;$2;$3M"
	tm send-keys -t "$1" -l $'\e'"[<$b;$2;$3m"
}

# readout_is NAME TARGET LAYER: the readout equals --dump's row.
readout_is() {
	local want
	want=$(dump_readout "$3")
	if wait_for "$2" "$want" 3; then
		ok "$1"
	else
		not_ok "$1" "wanted: $want" "shown: $(readout_line)"
	fi
}

for term in xterm-256color screen; do
	s=cur-${term%%-*}
	# 200 columns: 151 layers spread, one a column.
	session "$s" "exec $PANE_ENV TERM=$term $BIN $START"
	tm resize-window -t "$s" -x 200 -y 50
	wait_for "$s" "λ=1.5000  L=150  n=2" 5
	tm send-keys -t "$s" x End
	readout_is "[$term] x, End: the readout is --dump's row 150" "$s" 150
	tm send-keys -t "$s" Home
	readout_is "[$term] Home: the readout is --dump's row 0" "$s" 0
	# A click on the activation chart's plot, 40 columns in.
	click "$s" 47 6
	if wait_gone "$s" "layer 0: activation" 3; then
		l=$(readout_line)
		l=${l#layer }
		l=${l%%[:–]*}
		readout_is "[$term] a click moves the cursor; its readout is --dump's row $l" \
		    "$s" "$l"
	else
		not_ok "[$term] a click on a bar column moves the cursor" \
		    "shown: $(readout_line)"
	fi
	click "$s" 47 6 64
	check "[$term] the wheel up over the charts raises λ by the step" \
	    wait_for "$s" "λ=1.5100  L=150" 3
	click "$s" 47 6 65
	click "$s" 47 6 65
	check "[$term] the wheel down lowers it" wait_for "$s" "λ=1.4900  L=150" 3
	# The status line (row 49 of 50) is not a chart: nothing happens.
	before=$(screen "$s")
	click "$s" 10 49
	click "$s" 10 49 64
	sleep 0.3
	if [[ $(screen "$s") == "$before" ]]; then
		ok "[$term] a click and the wheel on the status line do nothing"
	else
		not_ok "[$term] a click and the wheel on the status line do nothing"
	fi
	mouse=$(tm display-message -p -t "$s" '#{mouse_any_flag}')
	check "[$term] mouse reporting is on in the view" test "$mouse" = 1
	tm send-keys -t "$s" q
	wait_dead "$s" 3
	mouse=$(tm display-message -p -t "$s" '#{mouse_any_flag}#{mouse_sgr_flag}')
	check "[$term] after q mouse reporting is off" test "$mouse" = 00
done

# The cursor in the sweep and the map: the point at λ as --sweep prints
# it, the map's cell under its cursor.
session sw "exec $PANE_ENV TERM=xterm-256color $BIN $START"
wait_for sw "λ=1.5000  L=150  n=2" 5
tm send-keys -t sw x v
IFS=, read -r _ out grad _ < <("$BIN" --sweep 1.5:1.5:1 $START | sed -n 2p)
check "x in the sweep reads the point at λ as --sweep prints it" \
    wait_for sw "λ=1.5000: output $out  gradient $grad" 10
tm send-keys -t sw v
check "x in the map reads the cell under its cursor" \
    wait_for sw "λ=1.5000 L=150: first-layer gradient $grad" 20
tm kill-session -t sw

# The map: a click on a cell loads its lambda and depth and shows bars.
session map "exec $PANE_ENV TERM=xterm-256color $BIN $START"
wait_for map "λ=1.5000  L=150  n=2" 5
tm send-keys -t map v v
if wait_for map "depth × λ" 5 && wait_gone map " cells" 20; then
	click map 21 11
	if wait_for map "activation rms per layer" 3 &&
	    ! wait_for map "λ=1.5000  L=150" 0.3; then
		st=$(line_with "λ=")
		ok "a click on the map changes λ= and L= and shows the bars (${st%%  n=*})"
	else
		not_ok "a click on the map changes λ= and L= and shows the bars" \
		    "status: $(line_with "λ=")"
	fi
else
	not_ok "the map view finishes" "screen: $(line_with "depth")"
fi
tm kill-session -t map

# Off: --no-mouse and the environment switch.
for how in "--no-mouse" "GRADSCOPE_NO_MOUSE=1"; do
	if [[ $how == --* ]]; then
		cmd="exec $PANE_ENV TERM=xterm-256color $BIN $START $how"
	else
		cmd="exec $PANE_ENV TERM=xterm-256color $how $BIN $START"
	fi
	session off "$cmd"
	wait_for off "λ=1.5000  L=150  n=2" 5
	mouse=$(tm display-message -p -t off '#{mouse_any_flag}')
	click off 47 6
	click off 47 6 64
	sleep 0.3
	SCREEN=$(screen off)
	if [[ $mouse == 0 && $SCREEN != *"layer "*": activation"* &&
		$SCREEN == *"λ=1.5000  L=150"* ]]; then
		ok "$how: no mouse reporting, clicks and the wheel do nothing"
	else
		not_ok "$how: no mouse reporting, clicks and the wheel do nothing" \
		    "mouse_any_flag=$mouse" "status: $(line_with "λ=")"
	fi
	tm kill-session -t off
done

# A stop (SIGTSTP) switches mouse reporting off with the other modes, and
# going on (SIGCONT) back on.
session stop "exec $PANE_ENV TERM=xterm-256color $BIN $START"
wait_for stop "λ=1.5000  L=150  n=2" 5
pid=$(tm display-message -p -t stop '#{pane_pid}')
kill -TSTP "$pid"
sleep 0.5
off=$(tm display-message -p -t stop '#{mouse_any_flag}')
kill -CONT "$pid"
sleep 0.5
on=$(tm display-message -p -t stop '#{mouse_any_flag}#{mouse_sgr_flag}')
check "a stop switches mouse reporting off, going on back on" \
    test "$off$on" = 011
tm kill-session -t stop

# SIGTERM: the view closes as on q, mouse reporting off.
session sig "exec $PANE_ENV TERM=xterm-256color $BIN $START"
wait_for sig "λ=1.5000  L=150  n=2" 5
kill -TERM "$(tm display-message -p -t sig '#{pane_pid}')"
wait_dead sig 3
mouse=$(tm display-message -p -t sig '#{mouse_any_flag}#{mouse_sgr_flag}')
check "after SIGTERM mouse reporting is off" test "$mouse" = 00

# The baseline: its legend by the status line's own words, and the
# readout's comparison after a change.
session base "exec $PANE_ENV TERM=xterm-256color $BIN $START"
tm resize-window -t base -x 200 -y 50
wait_for base "λ=1.5000  L=150  n=2" 5
tm send-keys -t base b
check "b shows the baseline's legend" wait_for base \
    "baseline: λ=1.5000  L=150  n=2  identity  linear  exact  seed=1" 3
tm send-keys -t base 1 x End
check "after λ=1 the readout compares with the baseline" \
    wait_for base "vs baseline" 3
tm send-keys -t base B
check "B clears it" wait_gone base "baseline: λ=" 3

# A preset that opens with a baseline: its legend at once.
cat >"$TMPD/cmp.json" <<'EOF2'
{"title": "compare", "lambda": 0.9, "depth": 100, "width": 64,
 "init": "gaussian", "activation": "tanh", "baseline": {"lambda": 1}}
EOF2
session pre "exec $PANE_ENV TERM=xterm-256color $BIN --preset $TMPD/cmp.json"
check "a preset's \"baseline\" is pinned when it opens" wait_for pre \
    "baseline: λ=1.0000  L=100  n=64  gaussian  tanh" 5

summary

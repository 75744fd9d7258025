# shellcheck shell=bash
# panes.sh: the tmux plumbing the end-to-end scripts share. Sourced, not
# run, after setting SOCKET (the tmux server's name, one per script run)
# and TMPD (a scratch directory, removed on exit with the server).

tm() {
	tmux -u -L "$SOCKET" -f /dev/null "$@"
}

cleanup() {
	tm kill-server 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# keep_server: a session that lives as long as the script. Killing the
# last session ends the tmux server, and the next new-session could find
# it exiting ("server exited unexpectedly", an empty first capture); with
# this one alive the server never exits before cleanup.
keep_server() {
	tm new-session -d -s keep -x 100 -y 30 "sleep 3600"
}

# Microseconds since the epoch, without a fork.
now_us() {
	local t=${EPOCHREALTIME//[!0-9]/}
	echo "$((10#$t))"
}

# Seconds ("2", "0.5") to microseconds.
to_us() {
	local whole=${1%%.*} frac=
	[[ $1 == *.* ]] && frac=${1#*.}
	frac=${frac}000000
	echo "$((10#${whole:-0} * 1000000 + 10#${frac:0:6}))"
}

# screen TARGET: what the pane shows, as text, with the scrollback: when
# a pane dies, tmux scrolls its last screen up a line to say so.
screen() {
	tm capture-pane -p -S - -t "$1" 2>/dev/null
}

# wait_for TARGET TEXT TIMEOUT [INTERVAL]: polls the pane every INTERVAL
# seconds (0.05) until it shows TEXT (a fixed string), for at most TIMEOUT
# seconds. Returns 0 when it showed; SCREEN holds the last capture.
wait_for() {
	local target=$1 text=$2 interval=${4:-0.05} deadline
	deadline=$(($(now_us) + $(to_us "$3")))
	while :; do
		SCREEN=$(screen "$target")
		[[ $SCREEN == *"$text"* ]] && return 0
		(($(now_us) > deadline)) && return 1
		sleep "$interval"
	done
}

# wait_gone TARGET TEXT TIMEOUT: the opposite of wait_for.
wait_gone() {
	local target=$1 text=$2 deadline
	deadline=$(($(now_us) + $(to_us "$3")))
	while :; do
		SCREEN=$(screen "$target")
		[[ $SCREEN != *"$text"* ]] && return 0
		(($(now_us) > deadline)) && return 1
		sleep 0.05
	done
}

# wait_dead TARGET TIMEOUT: the pane's process has ended (panes stay, dead,
# thanks to remain-on-exit).
wait_dead() {
	local deadline
	deadline=$(($(now_us) + $(to_us "$2")))
	while [[ $(tm display-message -p -t "$1" '#{pane_dead}') != 1 ]]; do
		(($(now_us) > deadline)) && return 1
		sleep 0.05
	done
}

# session NAME COMMAND: a detached 100x30 session running COMMAND, whose
# pane stays after COMMAND ends so that its last words can be read.
session() {
	tm new-session -d -s "$1" -x 100 -y 30 "$2" \; \
	    set-option -w -t "$1" remain-on-exit on
}


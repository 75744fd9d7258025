#!/usr/bin/env bash
# saverace: two live views in one directory press S (save) 50 times each,
# interleaved as fast as tmux sends keys, and e (export) 20 times each:
# every press lands under a name of its own (README: "...-2.json if
# taken"), none is lost and none told to use --force, which the view does
# not have. Needs the view's S and e on scenario_save_free and
# fileio_write_free (issue 15).
#
# Reports as run.sh does (report.sh), drives the real binary in tmux and
# polls with timeouts.
set -u

cd "$(dirname "$0")/../.." || exit 1
unset TMUX
BIN=${E2E_BIN:-./gradscope}
[[ $BIN == /* ]] || BIN=$PWD/$BIN
SOCKET=gradscope-saverace-$$
TMPD=$(mktemp -d) || exit 1
# shellcheck source=tests/e2e/report.sh
. tests/e2e/report.sh
# shellcheck source=tests/e2e/panes.sh
. tests/e2e/panes.sh
keep_server

PANE_ENV="env -u LC_ALL -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8"
STATUS="λ=1.5000  L=40  n=2"
W=$TMPD/w
mkdir "$W"
for v in a b; do
	session "$v" "cd '$W' && XDG_CONFIG_HOME='$W/none' $PANE_ENV $BIN --depth 40"
	wait_for "$v" "$STATUS" 10 || not_ok "view $v starts" "$SCREEN"
done

# count GLOB: how many files in W, or in the user's preset directory
# where S saves, match.
count() {
	find "$W" "$W/none/gradscope/presets" -maxdepth 1 -name "$1" \
	    2>/dev/null | wc -l
}

# presses KEY N GLOB WANT NAME: N presses of KEY in each view,
# interleaved; then WANT files matching GLOB within 20 s.
presses() {
	local key=$1 n=$2 glob=$3 want=$4 name=$5 i deadline
	for ((i = 0; i < n; i++)); do
		tm send-keys -t a "$key" \; send-keys -t b "$key"
	done
	deadline=$(($(now_us) + 20000000))
	while (($(count "$glob") < want && $(now_us) < deadline)); do
		sleep 0.1
	done
	if (($(count "$glob") == want)) && (($(count '.gradscope-*') == 0)); then
		ok "$name: $want files under distinct names, none lost"
	else
		not_ok "$name: $want files under distinct names, none lost" \
		    "found $(count "$glob")" "$(screen a | tail -2)" \
		    "$(screen b | tail -2)"
	fi
}
presses S 50 'gradscope-*.json' 100 "two views pressing S 50 times each"
presses e 20 'gradscope-*.csv' 40 "two views pressing e 20 times each (CSV)"
presses '' 0 'gradscope-*.svg' 40 "... each CSV with its SVG"
# Each CSV has the SVG of its own stem.
bad=0
for f in "$W"/gradscope-*.csv; do
	[[ -f ${f%.csv}.svg ]] || bad=$((bad + 1))
done
((bad == 0)) && ok "every export's CSV and SVG share a stem" ||
    not_ok "every export's CSV and SVG share a stem" "$bad without"
for v in a b; do
	tm send-keys -t "$v" q
done
summary

#!/usr/bin/env bash
# files: the headless modes given files that are not what a file usually
# is. Writes replace only a regular file (FIFOs, devices and "-" are
# written into, sockets and directories refused, nothing renamed over
# them); reads never wait on a FIFO; a write over `ulimit -f` says so and
# leaves nothing behind; the longest legal name works; a path of any
# length keeps its reason; JSON nested past cJSON's limit says so; names
# and environment values with every control class reach the terminal as
# '?'; output into a pipe its reader closes ends quietly with exit 0;
# options the mode does not use are said to be so.
#
# Every special file lives in a scratch directory: a broken build would
# rename over a link there, never over /dev/null or /dev/stdout.
# Reports as run.sh does (report.sh); `make check` and `make sanitize`
# run it.
set -u

cd "$(dirname "$0")/../.." || exit 1
BIN=${E2E_BIN:-./gradscope}
[[ $BIN == /* ]] || BIN=$PWD/$BIN
TMPD=$(mktemp -d) || exit 1
trap 'rm -rf "$TMPD"' EXIT
# shellcheck source=tests/e2e/report.sh
. tests/e2e/report.sh

if [[ ! -x $BIN ]]; then
	not_ok "$BIN is built" "run 'make'"
	summary
fi

# run WANT_RC ARGS...: runs gradscope for at most 5 s (standard input
# /dev/null); OUT and ERR hold what it printed, RC its exit status.
run() {
	local want=$1
	shift
	timeout 5 "$BIN" "$@" </dev/null >"$TMPD/out" 2>"$TMPD/err"
	RC=$?
	OUT=$(cat "$TMPD/out")
	ERR=$(cat "$TMPD/err")
	[[ $RC == "$want" ]]
}

# expect NAME WANT_RC WANT_ERR ARGS...: exit WANT_RC with exactly the
# line WANT_ERR on standard error ("" for none).
expect() {
	local name=$1 want=$2 line=$3
	shift 3
	if run "$want" "$@" && [[ $ERR == "$line" ]]; then
		ok "$name"
	else
		not_ok "$name" "exit $RC (wanted $want)" "stderr: $ERR" \
		    "wanted: $line"
	fi
}

# hidden DIR: the temporary files left in DIR (none, after any write).
hidden() {
	find "$1" -maxdepth 1 -name '.gradscope-*' | wc -l
}

D=$TMPD/d
mkdir "$D"

# 1. A character device through a link: written into, force or not; the
# link and the device stay.
ln -s /dev/null "$D/null"
expect "--svg LINK-TO-/dev/null: written into" 0 "" \
    --preset critical --svg "$D/null"
expect "--svg LINK-TO-/dev/null --force: written into" 0 "" \
    --preset critical --svg "$D/null" --force
if [[ -L $D/null && -c /dev/null ]]; then
	ok "the link and /dev/null are still a link and a device"
else
	not_ok "the link and /dev/null are still a link and a device" \
	    "$(ls -la "$D/null" /dev/null)"
fi

# 2. Standard output: "-", and a link to /proc/self/fd/1 (what
# /dev/stdout is) into a pipe.
"$BIN" --preset critical --save-preset - </dev/null >"$TMPD/saved.json"
"$BIN" --preset critical --save-preset "$D/null" --force </dev/null
if "$BIN" --preset - --dump <"$TMPD/saved.json" >"$TMPD/a" &&
    "$BIN" --preset critical --dump >"$TMPD/b" && cmp -s "$TMPD/a" "$TMPD/b"; then
	ok "--save-preset - prints the preset; --preset - reads it back"
else
	not_ok "--save-preset - prints the preset; --preset - reads it back" \
	    "$(head -3 "$TMPD/saved.json")"
fi
ln -s /proc/self/fd/1 "$D/stdout"
n=$("$BIN" --preset critical --svg "$D/stdout" --force </dev/null | wc -c)
if [[ -L $D/stdout ]] && ((n > 1000)); then
	ok "--svg LINK-TO-/proc/self/fd/1 --force writes $n bytes into the pipe"
else
	not_ok "--svg LINK-TO-/proc/self/fd/1 --force writes into the pipe" \
	    "$n bytes; $(ls -la "$D/stdout")"
fi

# 3. A FIFO: written into when something reads it; refused at once when
# nothing does.
mkfifo "$D/f.svg"
expect "--svg FIFO with no reader: refused at once" 1 \
    "gradscope: $D/f.svg: a FIFO that nothing reads; start its reader first" \
    --preset critical --svg "$D/f.svg" --force
exec 3<>"$D/f.svg"
run 0 --preset critical --svg "$D/f.svg"
timeout 1 cat <&3 >"$TMPD/fifo.svg"
exec 3<&-
if [[ $RC == 0 && -p $D/f.svg ]] &&
    grep -q '</svg>' "$TMPD/fifo.svg"; then
	ok "--svg FIFO with a reader: the SVG goes through, the FIFO stays"
else
	not_ok "--svg FIFO with a reader: the SVG goes through, the FIFO stays" \
	    "exit $RC: $ERR"
fi

# 4. A directory and a socket: refused with one line, left as they were.
mkdir "$D/dir.svg"
expect "--svg DIRECTORY --force: refused" 1 \
    "gradscope: $D/dir.svg: cannot write: Is a directory" \
    --preset critical --svg "$D/dir.svg" --force
if command -v python3 >/dev/null &&
    python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
        "$D/sock.json"; then
	expect "--save-preset SOCKET --force: refused" 1 \
	    "gradscope: $D/sock.json: not a regular file (a socket); not replaced" \
	    --preset critical --save-preset "$D/sock.json" --force
	[[ -S $D/sock.json ]] && ok "the socket is still a socket" ||
	    not_ok "the socket is still a socket"
	expect "--preset SOCKET: not a regular file" 2 \
	    "gradscope: $D/sock.json: not a regular file" \
	    --preset "$D/sock.json" --dump
fi
[[ $(hidden "$D") == 0 ]] && ok "no temporary file is left" ||
    not_ok "no temporary file is left" "$(ls -la "$D")"

# 5. Reading a FIFO never waits: --preset, --theme, a lesson.json at
# start-up, and a FIFO among the listed presets and themes.
expect "--preset FIFO: refused at once" 2 \
    "gradscope: $D/f.svg: not a regular file" --preset "$D/f.svg" --dump
expect "--theme FIFO: refused at once" 2 \
    "gradscope: $D/f.svg: not a regular file" --theme "$D/f.svg"
mkdir -p "$TMPD/cwd/presets" "$TMPD/cwd/themes"
cp presets/critical.json "$TMPD/cwd/presets/"
mkfifo "$TMPD/cwd/presets/lesson.json" "$TMPD/cwd/presets/zz.json" \
    "$TMPD/cwd/themes/zz.json"
(
	cd "$TMPD/cwd" || exit 1
	HOME=$TMPD XDG_CONFIG_HOME=$TMPD/xdg timeout 5 "$BIN" </dev/null \
	    >/dev/null 2>"$TMPD/err"
	echo "$?" >"$TMPD/rc.start"
	for kind in presets themes; do
		HOME=$TMPD XDG_CONFIG_HOME=$TMPD/xdg timeout 5 "$BIN" \
		    "--list-$kind" </dev/null >"$TMPD/list.$kind" \
		    2>"$TMPD/err.$kind"
		echo "$?" >"$TMPD/rc.$kind"
	done
)
# (A lesson that does not load is a warning: the view starts without it,
# and here stops at standard input not being a terminal.)
if [[ $(cat "$TMPD/rc.start") == 2 ]] &&
    grep -qx "gradscope: warning: ./presets/lesson.json: not a regular file" \
        "$TMPD/err"; then
	ok "a FIFO presets/lesson.json at start-up: refused at once"
else
	not_ok "a FIFO presets/lesson.json at start-up: refused at once" \
	    "exit $(cat "$TMPD/rc.start")" "stderr: $(cat "$TMPD/err")"
fi
for kind in presets themes; do
	if [[ $(cat "$TMPD/rc.$kind") == 2 ]] &&
	    grep -qx "gradscope: ./$kind/zz.json: not a regular file" \
	        "$TMPD/err.$kind"; then
		ok "--list-$kind with a FIFO among them ends, naming it"
	else
		not_ok "--list-$kind with a FIFO among them ends, naming it" \
		    "exit $(cat "$TMPD/rc.$kind")" "$(cat "$TMPD/err.$kind")"
	fi
done

# 6. Over `ulimit -f`: no SIGXFSZ death, one line, the old file kept and
# no temporary file left.
echo old >"$D/big.svg"
(
	ulimit -f 8
	"$BIN" --preset critical --svg "$D/big.svg" --force </dev/null \
	    2>"$TMPD/err"
	echo "$?" >"$TMPD/rc"
)
if [[ $(cat "$TMPD/rc") == 1 && $(cat "$D/big.svg") == old &&
    $(hidden "$D") == 0 &&
    $(cat "$TMPD/err") == "gradscope: $D/big.svg: cannot write: File too large (a limit on file size?); the partial file was removed" ]]; then
	ok "over ulimit -f: exit 1, one line, the old file kept, nothing left"
else
	not_ok "over ulimit -f: exit 1, one line, the old file kept, nothing left" \
	    "exit $(cat "$TMPD/rc")" "stderr: $(cat "$TMPD/err")" \
	    "$(ls -la "$D")"
fi

# 7. The longest legal name (255 bytes).
long=$(printf 'n%.0s' {1..250}).json
expect "--save-preset with a 255-byte name" 0 "" \
    --preset critical --save-preset "$D/$long"
[[ -f $D/$long ]] && ok "the 255-byte name is written" ||
    not_ok "the 255-byte name is written"

# 8. A long path keeps its reason: 100,000 bytes (refused by the lookup)
# and 3,000 (by the file system).
# long_path NAME LENGTH REASON
long_path() {
	local path
	path=/$(printf 'a%.0s' $(seq 2 "$2"))
	run 2 --preset "$path" --dump
	if [[ $ERR == "gradscope: /aaa"*"..."*"aaa: $3" ]] && ((${#ERR} < 300)); then
		ok "$1: cut, the reason kept (${#ERR} bytes)"
	else
		not_ok "$1: cut, the reason kept" "exit $RC" \
		    "stderr: ${ERR:0:100}... ${ERR: -100}"
	fi
}
long_path "a 100,000-byte path" 100000 "file name too long"
long_path "a 3,000-byte path" 3000 "cannot read: File name too long"

# 9. A theme nested past cJSON's limit says so.
printf '%*s' 1001 '' | tr ' ' '[' >"$D/deep.json"
printf '%*s' 1001 '' | tr ' ' ']' >>"$D/deep.json"
expect "a theme nested 1001 deep: 'nested deeper than 1000 levels'" 2 \
    "gradscope: $D/deep.json: JSON nested deeper than 1000 levels at line 1, column 1001" \
    --theme "$D/deep.json"

# 10. Names with every control class reach the terminal as '?': C0 (ESC
# [2J, OSC 52 ending in BEL, a tab, a newline), DEL, C1 as the raw byte
# 0x9b (an 8-bit CSI) and as UTF-8 (U+009B), and bytes that are not
# UTF-8; printable UTF-8 is kept. Listed by --list-presets and
# --list-themes, quoted by a loader's message and by --step's.
# raw FILE: FILE holds no byte a terminal obeys and is valid UTF-8.
raw() {
	LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$1" && return 1
	LC_ALL=C grep -q $'\x9b\|\xc2[\x80-\x9f]' "$1" && return 1
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}
N=$TMPD/names
mkdir -p "$N/presets" "$N/themes"
names=($'esc\e[2J' $'osc\e]52;c;aGVsbG8=\a' $'tab\tnl\nx' $'del\x7f'
	$'csi\x9b2J' $'c1\xc2\x9b2J' $'bad\xff\xfe' 'ok-λ')
for n in "${names[@]}"; do
	cp presets/critical.json "$N/presets/$n.json"
	cp themes/dark.json "$N/themes/$n.json"
done
for mode in --list-presets --list-themes; do
	(cd "$N" && XDG_CONFIG_HOME=$N/none timeout 5 "$BIN" $mode \
	    </dev/null >"$TMPD/out" 2>"$TMPD/err")
	rc=$?
	cat "$TMPD/out" "$TMPD/err" >"$TMPD/both"
	if [[ $rc == 0 ]] && raw "$TMPD/both" &&
	    grep -q '^esc?\[2J ' "$TMPD/out" &&
	    grep -q '^osc?\]52;c;aGVsbG8=? ' "$TMPD/out" &&
	    grep -q '^tab?nl?x ' "$TMPD/out" && grep -q '^del? ' "$TMPD/out" &&
	    grep -q '^csi?2J ' "$TMPD/out" && grep -q '^c1??2J ' "$TMPD/out" &&
	    grep -q '^bad?? ' "$TMPD/out" && grep -q '^ok-λ ' "$TMPD/out"; then
		ok "$mode: every control class and bad UTF-8 in a name shown as '?'"
	else
		not_ok "$mode: every control class and bad UTF-8 in a name shown as '?'" \
		    "exit $rc" "$(od -c "$TMPD/both" | head -20)"
	fi
done
# A name in a loader's message (a file that is no preset), and in --step's.
for n in "${names[@]}"; do
	printf '[1' >"$N/broken-$n.json"
	run 2 --preset "$N/broken-$n.json" --dump
	printf '%s' "$ERR" >"$TMPD/both"
	if raw "$TMPD/both" && [[ $ERR == "gradscope: $N/broken-"*".json: JSON"* ]]; then
		ok "a loader's message quoting 'broken-${n//[^a-z]/}': no control byte"
	else
		not_ok "a loader's message quoting 'broken-${n//[^a-z]/}': no control byte" \
		    "$(od -c "$TMPD/both" | head -5)"
	fi
done
run 2 --preset "$N/presets/esc"$'\e[2J'.json --step 2 --dump
printf '%s' "$ERR" >"$TMPD/both"
if raw "$TMPD/both" && [[ $ERR == *"esc?[2J"*"has 1 step" ]]; then
	ok "--step's message quoting a preset's name: no control byte"
else
	not_ok "--step's message quoting a preset's name: no control byte" "$ERR"
fi

# 11. Output into a pipe its reader closes ("| head -1") ends quietly:
# exit 0, nothing on standard error, and at once, whatever the mode.
for args in "--dump --depth 100000 --width 1" "--train 100000 --depth 3 --width 2" \
	"--sweep 0:100:0.001 --depth 10" "--svg - --depth 2000" \
	"--save-preset -" "--help" "--list-presets"; do
	# shellcheck disable=SC2086
	timeout 10 "$BIN" $args </dev/null 2>"$TMPD/err" | head -c 1 >/dev/null
	rc=${PIPESTATUS[0]}
	if [[ $rc == 0 && ! -s $TMPD/err ]]; then
		ok "$args | head -c 1: exit 0, quiet"
	else
		not_ok "$args | head -c 1: exit 0, quiet" "exit $rc" \
		    "stderr: $(cat "$TMPD/err")"
	fi
done

# 12. Options the mode does not use are said to be so, and the mode runs.
run 0 --dump --depth 2 --theme nosuch --force
if [[ $ERR == "gradscope: warning: --theme has no effect with --dump (it colours the live view)
gradscope: warning: --force has no effect with --dump (it lets --svg and --save-preset replace a file)" &&
	$(printf '%s\n' "$OUT" | wc -l) == 4 ]]; then
	ok "--dump --theme nosuch --force: two warnings, the table"
else
	not_ok "--dump --theme nosuch --force: two warnings, the table" \
	    "exit $RC" "stderr: $ERR"
fi

# 13. An environment value in a message (the data directories a lookup
# names) reaches the terminal as '?' too.
XDG_CONFIG_HOME=$'/tmp/x\e]52;c;aGk=\a\x9b2J' HOME=$'/tmp/h\e[2J' \
    timeout 5 "$BIN" --preset nosuch --dump </dev/null >/dev/null 2>"$TMPD/both"
rc=$?
if [[ $rc == 2 ]] && raw "$TMPD/both" && grep -q "x?]52;c;aGk=??2J" "$TMPD/both"; then
	ok "XDG_CONFIG_HOME with OSC 52 and CSI in a message: shown as '?'"
else
	not_ok "XDG_CONFIG_HOME with OSC 52 and CSI in a message: shown as '?'" \
	    "exit $rc" "$(od -c "$TMPD/both" | head -8)"
fi

summary

#!/usr/bin/env bash
# stty-check: runs a command on this terminal and reports, in one line,
# whether it left the terminal's settings as it found them:
#   stty-check: RESTORED, exit 0
#   stty-check: CHANGED, exit 139
# The end-to-end suite runs gradscope through it inside tmux.
ulimit -c 0 # the crash test must not leave a core file behind
before=$(stty -g)
"$@"
rc=$?
after=$(stty -g)
if [ "$before" = "$after" ]; then
	verdict=RESTORED
else
	verdict=CHANGED
fi
printf 'stty-check: %s, exit %d\n' "$verdict" "$rc"

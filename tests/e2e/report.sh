# shellcheck shell=bash
# report.sh: the reporting both end-to-end scripts share. Sourced, not run.
# Each check prints "ok - NAME" or "not ok - NAME" (with "# ..." lines
# saying why); summary prints "N passed, M failed" and exits 1 if any
# check failed.

PASSED=0
FAILED=0

ok() {
	echo "ok - $1"
	PASSED=$((PASSED + 1))
}

# not_ok NAME [WHY...]
not_ok() {
	local line
	echo "not ok - $1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
	FAILED=$((FAILED + 1))
}

# check NAME COMMAND...: ok when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name" "failed: $*"
	fi
}

summary() {
	echo "$PASSED passed, $FAILED failed"
	((FAILED == 0))
	exit
}

#!/bin/sh
# compare_selftest.sh — integ_compare accepts the right sequences and rejects each kind of wrong
# one (final state, skipped state, initial state, missing endpoint, broken from/to chain).
# usage: compare_selftest.sh INTEG_COMPARE FIXTURES_DIR
cmp=$1 fx=$2 bad=0
check() { # fixture, expected exit status
	"$cmp" "$fx/expected.jsonl" "$fx/$1" >/dev/null 2>&1
	rc=$?
	if [ $rc -ne "$2" ]; then
		echo "integ_compare on $1: exit $rc, expected $2"
		bad=1
	fi
}
check good.jsonl 0
for f in bad_final bad_skip bad_initial bad_missing bad_chain; do check $f.jsonl 1; done
"$cmp" "$fx/expected.jsonl" /nonexistent >/dev/null 2>&1
[ $? -eq 2 ] || { echo "integ_compare on a missing file: expected exit 2"; bad=1; }
[ $bad -eq 0 ] && echo "integ_compare self-test ok"
exit $bad

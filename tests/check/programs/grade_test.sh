#!/bin/sh
# grade_test.sh — docs/instructor/grade.sh grades three sample submissions as the guide says.
# usage: grade_test.sh CHECKER PYTHON SOURCE_ROOT WORK_DIR
set -u
checker=$1 py=$2 root=$3 work=$4
rm -rf "$work" && mkdir -p "$work/subs/alice" "$work/subs/bob" "$work/subs/carol" || exit 1
# alice: the reference echo server; bob: the lab 07 skeleton, TODOs left (never accepts);
# carol: does not compile.
cp "$root/docs/instructor/solutions/echo_server.c" "$work/subs/alice/server.c"
cp "$root/labs/07-echo/exercise/server.c" "$work/subs/bob/server.c"
printf 'int main(void) { return missing; }\n' >"$work/subs/carol/server.c"

csv=$(SOCKLAB_CHECK="$checker" PYTHON="$py" sh "$root/docs/instructor/grade.sh" \
	echo-server server.c "$work/subs" "$work/grades")
rc=$?
echo "$csv"
fail=0
expect() { # description, extended regex the CSV must contain on a line of its own
	if echo "$csv" | grep -Eqx "$2"; then echo "ok: $1"; else echo "FAIL: $1 ($2)"; fail=1; fi
}
[ $rc -eq 0 ] || { echo "FAIL: grade.sh exited $rc"; fail=1; }
expect "header" 'student,passed,failed,skipped,failed_checks'
expect "alice passes every check" 'alice,[1-9][0-9]*,0,0,'
expect "bob fails reply" 'bob,[0-9]+,[1-9][0-9]*,[0-9]+,(.* )?reply( .*)?'
expect "carol does not compile" 'carol,0,0,0,compile-error'
[ -s "$work/grades/alice/echo-server.jsonl" ] || { echo "FAIL: no JSONL kept for alice"; fail=1; }
exit $fail

#!/bin/sh
# grade.sh — grade a folder of submissions with socklab-check's JSONL output, one CSV line each.
#
# usage: grade.sh TASK FILE SUBMISSIONS [OUT]
#   TASK         a socklab-check task (socklab-check --list), e.g. echo-server
#   FILE         the file every submission holds, e.g. server.c or server.py
#   SUBMISSIONS  one folder per student: SUBMISSIONS/alice/server.c, SUBMISSIONS/bob/server.c
#   OUT          where each student's build and JSONL verdicts go (default: ./grades)
# Prints `student,passed,failed,skipped,failed_checks` (CSV) per student: a C file that does not
# compile is graded `compile-error`; a program the checker could not run, `no-result`.
# Environment: SOCKLAB_CHECK (default: socklab-check on the PATH), CC (default: cc),
# PYTHON (default: python3), CHECK_TIMEOUT (the checker's --timeout, default 10).
set -u
[ $# -eq 3 ] || [ $# -eq 4 ] || {
	echo "usage: grade.sh TASK FILE SUBMISSIONS [OUT]" >&2
	exit 2
}
task=$1 file=$2 subs=$3 out=${4:-grades}
check=${SOCKLAB_CHECK:-socklab-check} cc=${CC:-cc} py=${PYTHON:-python3}
[ -d "$subs" ] || { echo "grade.sh: no such folder: $subs" >&2; exit 2; }
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
# The checker starts the program as nobody when run as root: builds must be readable by it.
chmod a+rx "$out"

echo "student,passed,failed,skipped,failed_checks"
for dir in "$subs"/*/; do
	[ -d "$dir" ] || continue
	student=$(basename "$dir")
	src="$dir$file"
	mkdir -p "$out/$student" && chmod a+rx "$out/$student"
	jsonl="$out/$student/$task.jsonl"
	case "$file" in
	*.c)
		if ! "$cc" -Wall -pthread -o "$out/$student/prog" "$src" \
			>"$out/$student/compile.log" 2>&1; then
			echo "$student,0,0,0,compile-error"
			continue
		fi
		set -- "$out/$student/prog" ;;
	*.py) cp "$src" "$out/$student/" && chmod a+r "$out/$student/$file"
		set -- "$py" "$out/$student/$file" ;;
	*) echo "grade.sh: FILE must end in .c or .py" >&2; exit 2 ;;
	esac
	"$check" "$task" --format=jsonl --timeout "${CHECK_TIMEOUT:-10}" -- "$@" '{port}' \
		>"$jsonl" 2>"$out/$student/check.log"
	# The last line is {"type":"result",...}; every failed check has "ok":false.
	"$py" - "$student" "$jsonl" <<'PY'
import json, sys
student, path = sys.argv[1], sys.argv[2]
failed, result = [], None
for line in open(path):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get('type') == 'check' and o.get('ok') is False:
        failed.append(o['check'])
    elif o.get('type') == 'result':
        result = o
if result is None:
    print('%s,0,0,0,no-result' % student)
else:
    print('%s,%d,%d,%d,%s' % (student, result['passed'], result['failed'],
                              result.get('skipped', 0), ' '.join(failed)))
PY
done

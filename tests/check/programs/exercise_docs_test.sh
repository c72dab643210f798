#!/bin/sh
# exercise_docs_test.sh — every labs/*/exercise/EXERCISE.md's commands work as written: each
# `cc ...` line of its sh blocks builds the skeleton in a copy of the folder, and each
# `socklab-check TASK -- ./PROG {port}` line names a task of `socklab-check --list` and a
# program one of those `cc` lines built. (The skeletons' runs are check.exercise.*.)
# usage: exercise_docs_test.sh CHECKER LABS_DIR WORK_DIR
set -u
checker=$1 labs=$2 work=$3
tasks=$("$checker" --list | awk '/^[a-z]/ {print $1}')
fail=0 n=0
for doc in "$labs"/*/exercise/EXERCISE.md; do
	lab=$(basename "$(dirname "$(dirname "$doc")")")
	dir="$work/$lab"
	rm -rf "$dir" && mkdir -p "$dir" && cp "$(dirname "$doc")"/*.c "$dir"/ || exit 1
	# The lines of the ```sh blocks only.
	lines=$(awk '/^```sh$/ {on=1; next} /^```$/ {on=0} on' "$doc")
	printf '%s\n' "$lines" | grep '^cc ' >"$dir/cc.txt"
	printf '%s\n' "$lines" | grep '^socklab-check ' >"$dir/check.txt"
	[ -s "$dir/cc.txt" ] || { echo "FAIL: $lab: no cc line"; fail=1; }
	[ -s "$dir/check.txt" ] || { echo "FAIL: $lab: no socklab-check line"; fail=1; }
	while read -r line; do
		n=$((n + 1))
		if (cd "$dir" && sh -c "$line -Werror") >"$dir/cc.log" 2>&1; then
			echo "ok: $lab: $line"
		else
			echo "FAIL: $lab: $line"; cat "$dir/cc.log"; fail=1
		fi
	done <"$dir/cc.txt"
	while read -r line; do
		n=$((n + 1))
		task=$(echo "$line" | awk '{print $2}')
		prog=$(echo "$line" | sed -n 's/.* -- \(\.\/[a-z_]*\) {port}$/\1/p')
		if ! echo "$tasks" | grep -qx "$task"; then
			echo "FAIL: $lab: $line: no task $task in --list"; fail=1
		elif [ -z "$prog" ] || [ ! -x "$dir/$prog" ]; then
			echo "FAIL: $lab: $line: the program is not one the cc lines built"; fail=1
		else
			echo "ok: $lab: $line"
		fi
	done <"$dir/check.txt"
done
echo "$n commands checked"
exit $fail

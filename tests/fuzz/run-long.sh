#!/bin/sh
# Longer fuzzing for humans: builds the libFuzzer targets (clang, SOCKLAB_FUZZ=ON) and runs each
# for SECONDS (default 300), one process at a time. New inputs go to BUILD/fuzz-corpus/<target>
# and crashes to BUILD/fuzz-artifacts/; the source tree is not touched.
# usage: ./tests/fuzz/run-long.sh [seconds]     (BUILD defaults to build-fuzz; set FUZZ_BUILD)
set -eu
secs="${1:-300}"
case "$secs" in '' | *[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
build="${FUZZ_BUILD:-$root/build-fuzz}"
command -v clang >/dev/null || { echo "run-long.sh: clang is needed for libFuzzer" >&2; exit 1; }
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DSOCKLAB_FUZZ=ON >/dev/null
targets="fuzz_decode"
[ -f "$root/src/track/track_table.c" ] && targets="$targets fuzz_decode_track"
[ -d "$root/src/out" ] && targets="$targets fuzz_pipeline"
cmake --build "$build" -j2 --target $targets
status=0
for t in $targets; do
	corpus="$build/fuzz-corpus/$t"
	arts="$build/fuzz-artifacts/$t"
	mkdir -p "$corpus" "$arts"
	echo "== $t for ${secs}s (corpus $corpus)"
	if ! "$build/tests/fuzz/$t" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$arts/" \
		"$corpus" "$root/tests/fuzz/corpus/$t" "$root/tests/fuzz/regressions" 2>"$build/fuzz-$t.log"; then
		status=1
		echo "!! $t found a problem; see $build/fuzz-$t.log and $arts/"
		echo "   keep the input: cp $arts/crash-* $root/tests/fuzz/regressions/"
	fi
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' \
		"$build/fuzz-$t.log" || true
	grep -E '^#[0-9]+.*(DONE|cov:)' "$build/fuzz-$t.log" | tail -1 || true
done
echo "to grow the committed seeds: $build/tests/fuzz/<target> -merge=1 tests/fuzz/corpus/<target> $build/fuzz-corpus/<target>"
exit $status

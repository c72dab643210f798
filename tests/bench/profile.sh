#!/bin/bash
# profile.sh — where the instructions go, per packet and per module, counted by callgrind.
# Instruction counts do not depend on what else the machine is doing, so two versions of a
# module can be compared on a busy shared machine where wall-clock timings are noise. (They do
# not show cache misses: for those, use `perf record` on bench_track, see README.md.)
#
# Usage: tests/bench/profile.sh BUILD_DIR [PACKETS]     default 200000 packets
set -u
if [[ $# -lt 1 || ! -d $1 ]]; then
	echo "usage: profile.sh BUILD_DIR [PACKETS]" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
n=${2:-200000}
command -v valgrind >/dev/null || { echo "profile.sh: valgrind is not installed" >&2; exit 1; }
gencap=$build/tests/bench/bench_gencap
bare=$build/tests/bench/bench_bareloop
track=$build/tests/bench/bench_track
scope=$build/src/tcpscope
for p in "$gencap" "$bare" "$track"; do
	[[ -x $p ]] || { echo "profile.sh: $p is not built" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/socklab-profile.XXXXXX") || exit 1
chmod 755 "$tmp" # tcpscope gives up root before callgrind writes its profile
trap 'rm -rf "$tmp"' EXIT
conns=$((n * 13 / 200))
concurrent=5000
((concurrent > conns)) && concurrent=$conns
"$gencap" -p "$n" -c "$conns" -k "$concurrent" -o "$tmp/cap.pcap" >/dev/null || exit 1

# run LABEL CMD...: callgrind profile, one file per thread ($tmp/LABEL.cg-NN), self costs per
# function of all threads into $tmp/LABEL.txt and each thread's total into $tmp/LABEL.threads
# (a file read ahead is read on a second thread, which also decodes the blocks it has time
# for: wall time goes with the busier).
run() {
	local label=$1 f
	shift
	valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$tmp/$label.cg" "$@" \
		>/dev/null 2>"$tmp/$label.err" ||
		{ echo "profile.sh: $label failed under valgrind" >&2; tail -3 "$tmp/$label.err" >&2; exit 1; }
	: >"$tmp/$label.txt"
	: >"$tmp/$label.threads"
	for f in "$tmp/$label.cg"-*; do
		chmod 644 "$f" 2>/dev/null
		callgrind_annotate --auto=no --threshold=100 "$f" 2>/dev/null >"$tmp/$label.one"
		cat "$tmp/$label.one" >>"$tmp/$label.txt"
		awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }' "$tmp/$label.one" >>"$tmp/$label.threads"
	done
}

# Self costs summed by module. A function belongs to the module its name says (decode_*,
# track_*, out_*: code inlined from a header still counts for the function it is in), else to
# the module of its source file; libpcap, libc and the loader are "read" (libpcap reading the
# file with stdio, plus libc calls made from anywhere: memcpy, memset). Prints
# "total read decode track out capture other" as instruction counts.
modules() {
	awk '
	/PROGRAM TOTALS/ { gsub(",", "", $1); total += $1; next }
	/^ *[0-9,]+ +\(/ {
		c = $1; gsub(",", "", c)
		line = $0; sub(/^ *[0-9,]+ +\([^)]*\) +/, "", line)
		obj = ""; if (match(line, / \[[^]]*\]$/)) { obj = substr(line, RSTART + 2, RLENGTH - 3); line = substr(line, 1, RSTART - 1) }
		fn = line; sub(/.*:/, "", fn); file = line; sub(/:[^:]*$/, "", file)
		if (obj ~ /libpcap|libc\.so|ld-linux/ || file ~ /^\.\// || file == "???") m = "read"
		else if (fn ~ /^decode_/) m = "decode"
		else if (fn ~ /^track_/) m = "track"
		else if (fn ~ /^out_/) m = "out"
		else if (file ~ /(^|\/)src\/decode\//) m = "decode"
		else if (file ~ /(^|\/)src\/track\//) m = "track"
		else if (file ~ /(^|\/)src\/out\//) m = "out"
		else if (file ~ /(^|\/)src\/capture\//) m = "capture"
		else m = "other"
		sum[m] += c
	}
	END { printf "%d %d %d %d %d %d %d\n", total, sum["read"], sum["decode"], sum["track"],
		sum["out"], sum["capture"], sum["other"] }' "$tmp/$1.txt"
}
per() { awk -v a="$1" -v n="$n" 'BEGIN { printf "%8.0f", a / n }'; }
line() { printf '  %-42s %8s\n' "$1" "$(per "$2")"; }

run bare "$bare" "$tmp/cap.pcap"
run track "$track" "$tmp/cap.pcap"
have_scope=0
if [[ -x $scope ]]; then
	run jsonl "$scope" -Z root -r "$tmp/cap.pcap" --format=jsonl
	have_scope=1
fi

echo "instructions per packet ($n packets, $conns connections, $concurrent open at once)"
echo
read -r b_total _ <<<"$(modules bare)"
printf '%-44s %8s\n' "bench_bareloop (pcap_next_ex loop)" "$(per "$b_total")"
echo
for label in track jsonl; do
	[[ $label == jsonl && $have_scope == 0 ]] && continue
	read -r t rd dec trk out cap other <<<"$(modules $label)"
	if [[ $label == track ]]; then
		echo "bench_track (capture + decode + track, no output)"
	else
		echo "tcpscope -r --format=jsonl (lines: $("$scope" -Z root -r "$tmp/cap.pcap" --format=jsonl | wc -l))"
	fi
	line "total" "$t"
	line "libpcap + libc (file reading, stdio, memcpy)" "$rd"
	line "decode (src/decode)" "$dec"
	line "track (src/track)" "$trk"
	[[ $label == jsonl ]] && line "out (src/out)" "$out"
	line "capture glue (src/capture)" "$cap"
	if [[ $label == jsonl ]]; then
		line "cli loop, start-up, summary" "$other"
	else
		line "bench callback, start-up" "$other"
	fi
	if (($(wc -l <"$tmp/$label.threads") > 1)); then
		# The thread that started first is the main one (tracking, output); the other
		# read the file and decoded what it had time for (callgrind runs one thread at a
		# time, so that share is not what a real run gives).
		read -r main_t <"$tmp/$label.threads"
		line "of the total, the main (tracking) thread" "$main_t"
		line "of the total, the reader thread" "$((t - main_t))"
	fi
	echo
done

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

# run LABEL CMD...: callgrind profile into $tmp/LABEL.cg, inclusive costs into $tmp/LABEL.txt
run() {
	local label=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file="$tmp/$label.cg" "$@" >/dev/null 2>"$tmp/$label.err" ||
		{ echo "profile.sh: $label failed under valgrind" >&2; tail -3 "$tmp/$label.err" >&2; exit 1; }
	chmod 644 "$tmp/$label.cg" 2>/dev/null
	callgrind_annotate --inclusive=yes --threshold=100 "$tmp/$label.cg" 2>/dev/null |
		grep -v '=>' >"$tmp/$label.txt"
}
# cost LABEL FUNC: inclusive instructions of FUNC (0 if it never ran)
cost() {
	awk -v f=":$2 [" 'index($0, f) { gsub(",", "", $1); print $1; found = 1; exit }
		END { if (!found) print 0 }' "$tmp/$1.txt"
}
total() { awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' "$tmp/$1.txt"; }
per() { awk -v a="$1" -v n="$n" 'BEGIN { printf "%8.0f", a / n }'; }

run bare "$bare" "$tmp/cap.pcap"
run track "$track" "$tmp/cap.pcap"
have_scope=0
if [[ -x $scope ]]; then
	run jsonl "$scope" -Z root -r "$tmp/cap.pcap" --format=jsonl
	have_scope=1
fi

echo "instructions per packet ($n packets, $conns connections, $concurrent open at once)"
echo
b_total=$(total bare)
printf '%-44s %8s\n' "bench_bareloop (pcap_next_ex loop)" "$(per "$b_total")"
echo
for label in track jsonl; do
	[[ $label == jsonl && $have_scope == 0 ]] && continue
	t=$(total $label)
	disp=$(cost $label pcap_dispatch)
	frame=$(cost $label on_pcap_frame)
	dec=$(cost $label decode_frame)
	seg=$(cost $label track_segment)
	adv=$(cost $label track_advance)
	fin=$(cost $label track_finish)
	ev=$(cost $label out_event)
	of=$(cost $label out_frame)
	why=$(cost $label vsnprintf)
	cb=$((frame - dec))
	if [[ $label == track ]]; then
		echo "bench_track (capture + decode + track, no output)"
	else
		echo "tcpscope -r --format=jsonl (lines: $("$scope" -Z root -r "$tmp/cap.pcap" --format=jsonl | wc -l))"
	fi
	printf '  %-42s %8s\n' "total" "$(per "$t")"
	printf '  %-42s %8s\n' "libpcap + libc reading the file" "$(per $((disp - frame)))"
	printf '  %-42s %8s\n' "decode (decode_frame)" "$(per "$dec")"
	printf '  %-42s %8s\n' "track (segment+advance+finish, minus out)" "$(per $((seg + adv + fin - ev)))"
	printf '  %-42s %8s\n' "  of which libc vsnprintf" "$(per "$why")"
	if [[ $label == jsonl ]]; then
		glue=$((cb - seg - adv - of))
		printf '  %-42s %8s\n' "out (out_event + out_frame)" "$(per $((ev + of)))"
		printf '  %-42s %8s\n' "cli loop + capture glue" "$(per $glue)"
		rest=$((t - (disp - frame) - dec - (seg + adv + fin - ev) - (ev + of) - glue))
	else
		glue=$((cb - seg - adv))
		printf '  %-42s %8s\n' "capture glue + bench callback" "$(per $glue)"
		rest=$((t - (disp - frame) - dec - (seg + adv + fin - ev) - glue))
	fi
	printf '  %-42s %8s\n' "rest (start-up, table setup, summary)" "$(per $rest)"
	echo
done

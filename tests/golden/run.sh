#!/bin/sh
# run.sh — one golden test: tcpscope -r INPUT in FORMAT must print exactly EXPECTED.
# usage: run.sh TCPSCOPE PCAPGEN INPUT FORMAT EXPECTED WORKDIR
#   INPUT is a recorded .pcap, or a pcapgen script (.txt) turned into a capture first.
#   FORMAT is text (run with --summary) or jsonl.
set -eu
tcpscope=$1 pcapgen=$2 input=$3 format=$4 expected=$5 work=$6
name=$(basename "$input")
name=${name%.*}
mkdir -p "$work"
case "$input" in
*.txt)
	# one capture per format: the .text and .jsonl tests of a case run in parallel
	capture="$work/$name.$format.pcap"
	"$pcapgen" "$input" "$capture"
	;;
*) capture=$input ;;
esac
actual="$work/$name.$format"
case "$format" in
text) set -- --format=text --summary ;;
jsonl) set -- --format=jsonl ;;
*) echo "run.sh: unknown format $format" >&2; exit 2 ;;
esac
rc=0
timeout 20 "$tcpscope" -r "$capture" "$@" >"$actual" || rc=$?
if [ "$rc" -ne 0 ]; then
	echo "tcpscope exited $rc for $name" >&2
	exit 1
fi
diff -u "$expected" "$actual"

#!/bin/sh
# svg_test.sh — one golden figure: tcpscope -r INPUT --format=svg (VARIANT) must be well-formed
# XML, draw the state changes tcpscope --format=jsonl reports for the same capture, and equal
# EXPECTED byte for byte.
# usage: svg_test.sh TCPSCOPE PCAPGEN INPUT VARIANT EXPECTED WORKDIR
set -eu
tcpscope=$1 pcapgen=$2 input=$3 variant=$4 expected=$5 work=$6
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$input")
name=${name%.*}
mkdir -p "$work"
case "$input" in
*.txt)
	# one capture per test (they run in parallel), under the script's name: the figure's
	# title names it
	mkdir -p "$work/$variant"
	capture="$work/$variant/$name.pcap"
	"$pcapgen" "$input" "$capture"
	;;
*) capture=$input ;;
esac
. "$here/figure_args.sh"
actual="$work/$name.$variant.svg"
# shellcheck disable=SC2086 # args are words
timeout 20 "$tcpscope" -r "$capture" $args >"$actual"
timeout 20 "$tcpscope" -r "$capture" --format=jsonl >"$work/$name.$variant.jsonl"
python3 "$here/check_svg.py" "$actual" "$work/$name.$variant.jsonl" "$variant"
diff -u "$expected" "$actual"

#!/bin/sh
# check.sh — one kernel-truth golden test: tcpscope -r CAPTURE must give each endpoint the
# sequence of states the kernel reported for its socket (TRUTH, recorded by make.py), with only
# the allowances compare.py prints.
# usage: check.sh TCPSCOPE CAPTURE TRUTH WORKDIR
set -eu
tcpscope=$1 capture=$2 truth=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v python3 >/dev/null; then
	# ./kit test installs python3; only a hand-made build without it skips (never CI)
	[ -n "${CI:-}" ] && { echo "check.sh: python3 is missing (./kit deps installs it)" >&2; exit 1; }
	echo "python3 missing: skipped"
	exit 77
fi
name=$(basename "$capture" .pcap)
mkdir -p "$work"
rc=0
timeout 20 "$tcpscope" -r "$capture" --format=jsonl >"$work/$name.kernel.jsonl" || rc=$?
[ "$rc" -eq 0 ] || { echo "tcpscope exited $rc for $name" >&2; exit 1; }
python3 "$here/compare.py" "$truth" "$work/$name.kernel.jsonl"

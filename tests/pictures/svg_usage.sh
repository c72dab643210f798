#!/bin/sh
# svg_usage.sh — the figure options used wrongly: exactly one line on stderr, nothing on
# stdout, exit 2.
set -u
tcpscope=$1
here=$(cd "$(dirname "$0")" && pwd)
pcap="$here/../golden/pcap/handshake-close.pcap"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL (svg_usage): $*" >&2; exit 1; }
expect_usage() {
	rc=0
	timeout 10 "$tcpscope" "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
	[ "$rc" -eq 2 ] || fail "tcpscope $* exited $rc, want 2"
	[ "$(wc -l <"$work/err")" -eq 1 ] || fail "tcpscope $*: stderr not one line: $(cat "$work/err")"
	[ ! -s "$work/out" ] || fail "tcpscope $*: wrote to stdout"
}
expect_usage --format=svg
expect_usage --format=svg -i lo
expect_usage --format=svg --diagram
expect_usage -r "$pcap" --diagram
expect_usage -r "$pcap" --blank --format=text
expect_usage -r "$pcap" --format=svg --conn 0
expect_usage -r "$pcap" --format=svg --conn x
expect_usage -r "$pcap" --format=svg --conn 1,
expect_usage -r "$pcap" --format=svg --conn 2
expect_usage -r "$pcap" --format=svg --summary
expect_usage --format=html
expect_usage -r "$pcap" --format=html --diagram
expect_usage -r "$pcap" --format=html --blank
expect_usage -r "$pcap" --format=html --conn 7
# --conn picks: 1 is the only connection, so "1" and the default draw the same
"$tcpscope" -r "$pcap" --format=svg --conn 1 >"$work/one.svg" || fail "--conn 1"
"$tcpscope" -r "$pcap" --format=svg >"$work/all.svg" || fail "default"
cmp -s "$work/one.svg" "$work/all.svg" || fail "--conn 1 differs from the default"
echo "ok: svg_usage"

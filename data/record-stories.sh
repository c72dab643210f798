#!/bin/sh
# record-stories.sh — re-record data/demo-stories.pcap: the five stories of the kit demo's
# traffic generator (client closes, server closes, refused, abort, half-close), 1.5 s apart,
# captured live on lo. Needs root (or CAP_NET_RAW), tcpdump, and a built tree.
# Usage: data/record-stories.sh BUILD_DIR [output.pcap]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: record-stories.sh BUILD_DIR [output.pcap]}
out=${2:-$here/demo-stories.pcap}
gen="$build/bin/socklab-demo-traffic"
[ -x "$gen" ] || { echo "record-stories: $gen is not built" >&2; exit 1; }
tmp=$(mktemp -d)
dump=
trap '[ -n "$dump" ] && kill "$dump" 2>/dev/null || true; rm -rf "$tmp"' EXIT
tcpdump -i lo -n -U --immediate-mode -s 256 --time-stamp-precision=nano -w "$tmp/s.pcap" \
	'tcp and (port 9998 or port 9999)' 2>"$tmp/err" &
dump=$!
i=0
until grep -q 'listening on' "$tmp/err"; do
	i=$((i + 1)); [ "$i" -le 50 ] || { cat "$tmp/err" >&2; exit 1; }
	sleep 0.1
done
"$gen" --every 1.5 --count 5 >/dev/null
sleep 1.5 # let tcpdump drain its buffer
kill -INT "$dump"; wait "$dump" || true; dump=
n=$(tcpdump -n -r "$tmp/s.pcap" 2>/dev/null | wc -l)
[ "$n" -ge 35 ] && [ "$n" -le 60 ] || { echo "record-stories: unexpected $n packets" >&2; exit 1; }
cp "$tmp/s.pcap" "$out"
echo "record-stories: wrote $out ($n packets)"

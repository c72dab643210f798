#!/bin/sh
# record-demo.sh — re-record data/demo-loopback.pcap: runs demo_session on loopback while
# tcpdump captures ports 9998 and 9997. Needs root (or CAP_NET_RAW), cc and tcpdump.
# Usage: data/record-demo.sh [output.pcap]   (default: data/demo-loopback.pcap)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/demo-loopback.pcap}
tmp=$(mktemp -d)
dump=
trap '[ -n "$dump" ] && kill "$dump" 2>/dev/null || true; rm -rf "$tmp"' EXIT

cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$tmp/demo_session" "$here/demo_session.c"

# TIME-WAIT leftovers from an earlier run do not matter; a live socket on the ports does.
if ss -Htan exclude time-wait '( sport = :9998 or dport = :9998 or sport = :9997 or dport = :9997 )' | grep -q .; then
	echo "record-demo: ports 9998/9997 are in use; try again when they are free" >&2
	exit 1
fi

# Nanosecond stamps keep the loopback steps (microseconds apart) distinct.
tcpdump -i lo -n -U --immediate-mode -s 262144 --time-stamp-precision=nano -w "$tmp/demo.pcap" \
	'tcp and (port 9998 or port 9997)' 2>"$tmp/tcpdump.err" &
dump=$!
# Wait until tcpdump says it is listening, so the first SYN is not missed.
i=0
until grep -q 'listening on' "$tmp/tcpdump.err"; do
	i=$((i + 1))
	if [ "$i" -gt 50 ]; then
		cat "$tmp/tcpdump.err" >&2
		exit 1
	fi
	sleep 0.1
done

"$tmp/demo_session"
sleep 1.5  # let tcpdump drain its ring buffer before it is told to stop
kill -INT "$dump"
wait "$dump" || true
dump=

count=$(tcpdump -n -r "$tmp/demo.pcap" 2>/dev/null | wc -l)
# A handshake, two data segments with their ACKs, two FINs with ACKs, then SYN and RST.
if [ "$count" -lt 9 ] || [ "$count" -gt 14 ]; then
	echo "record-demo: expected about 11 packets, got $count (other traffic on the ports?)" >&2
	tcpdump -nn -S -r "$tmp/demo.pcap" >&2
	exit 1
fi
cp "$tmp/demo.pcap" "$out"
echo "record-demo: wrote $out ($count packets)"
tcpdump -nn -S -r "$out" 2>/dev/null

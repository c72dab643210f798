#!/bin/sh
# `./kit demo` without a terminal: tcpscope streams text while the demo generator plays its five
# stories on loopback. Each story must end in the states RFC 9293 and Linux give it.
# Needs root (live capture); CI runs as root, so this is never skipped there.
scope="$1" traffic="$2"
port=26001 refused=26002
[ "$(id -u)" -eq 0 ] || { echo "demo_live_text: needs root for live capture (CI is root)"; exit 1; }
out=$(mktemp) && trap 'rm -f "$out"' EXIT
"$scope" -i lo --format=text --summary --no-drop "tcp port $port or tcp port $refused" >"$out" 2>&1 &
pid=$!
# Wait until the capture is open: one of tcpscope's sockets is listed in /proc/net/packet.
# (Any line in /proc/PID/net/packet, its header included, proved nothing: under load the
# stories could start before the capture did.)
. "$(dirname "$0")/../integration/capture_open.sh"
n=0
until capture_open $pid; do
	kill -0 $pid 2>/dev/null || { echo "tcpscope exited before capturing"; cat "$out"; exit 1; }
	n=$((n + 1))
	[ $n -lt 100 ] || { echo "tcpscope did not open a capture within 5 s"; kill $pid; exit 1; }
	sleep 0.05
done
sleep 0.3
"$traffic" --port $port --refused-port $refused --every 0.2 --count 5 >/dev/null || { echo "generator failed"; kill $pid; exit 1; }
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || { echo "tcpscope exited $rc"; cat "$out"; exit 1; }
grep -q ' 0 dropped' "$out" || { echo "kernel dropped packets"; cat "$out"; exit 1; }
"$(dirname "$0")/check_stories.sh" "$out" $refused

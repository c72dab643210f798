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
# Wait until the capture is open: its packet socket appears in /proc/net/packet.
n=0
while [ $n -lt 50 ] && ! grep -q . "/proc/$pid/net/packet" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
sleep 0.3
"$traffic" --port $port --refused-port $refused --every 0.2 --count 5 >/dev/null || { echo "generator failed"; kill $pid; exit 1; }
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
fail=0
expect() { # description, pattern
	if ! grep -Eq "$2" "$out"; then echo "missing: $1  (pattern: $2)"; fail=1; fi
}
[ $rc -eq 0 ] || { echo "tcpscope exited $rc"; fail=1; }
expect "5 connections" '; 5 connections'
expect "handshake: server LISTEN -> SYN_RECEIVED" 'server: LISTEN -> SYN_RECEIVED'
expect "client closes first: client ends in TIME_WAIT" '^ +1 .* TIME_WAIT +CLOSED '
expect "server closes first: server ends in TIME_WAIT" '^ +2 .* CLOSED +TIME_WAIT '
expect "refused: both CLOSED after SYN, RST" '^ +3 .*:'$refused' +CLOSED +CLOSED .* Sr$'
expect "abort: RST closes both" '^ +4 .* CLOSED +CLOSED .*R$'
expect "half-close: server sends data after the client's FIN, client ends in TIME_WAIT" '^ +5 .* TIME_WAIT +CLOSED .* SsADdFd+fA$'
expect "no decode problems" '0 truncated, 0 malformed'
expect "no kernel drops" ' 0 dropped'
if [ $fail -ne 0 ]; then echo "--- tcpscope output:"; cat "$out"; exit 1; fi
echo "demo stories traced: $(grep -c 'new connection' "$out") connections, states as expected"

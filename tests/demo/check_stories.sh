#!/bin/sh
# check_stories.sh OUT REFUSED_PORT — the five stories of socklab-demo-traffic, as tcpscope
# traced them in text with --summary (live or replayed), must end in the states RFC 9293 and
# Linux give them. Prints what is missing and the trace on failure.
out="$1" refused="$2"
fail=0
expect() { # description, pattern
	if ! grep -Eq "$2" "$out"; then echo "missing: $1  (pattern: $2)"; fail=1; fi
}
expect "5 connections" '; 5 connections'
expect "handshake: server LISTEN -> SYN_RECEIVED" 'server: LISTEN -> SYN_RECEIVED'
expect "client closes first: client ends in TIME_WAIT" '^ +1 .* TIME_WAIT +CLOSED '
expect "server closes first: server ends in TIME_WAIT" '^ +2 .* CLOSED +TIME_WAIT '
expect "refused: both CLOSED after SYN, RST" '^ +3 .*:'"$refused"' +CLOSED +CLOSED .* Sr$'
expect "abort: RST closes both" '^ +4 .* CLOSED +CLOSED .*R$'
expect "half-close: server sends data after the client's FIN, client ends in TIME_WAIT" \
	'^ +5 .* TIME_WAIT +CLOSED .* SsADdFd+fA$'
expect "no decode problems" '0 truncated, 0 malformed'
if [ $fail -ne 0 ]; then echo "--- tcpscope output:"; cat "$out"; exit 1; fi
echo "demo stories traced: $(grep -c 'new connection' "$out") connections, states as expected"

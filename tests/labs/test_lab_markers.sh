#!/bin/bash
# Syscall markers, live on loopback: tcpscope (text, then JSONL) beside lab04-connect shows
# each call where it belongs: client: connect() right before the client's SYN, client: close()
# right before the client's FIN, server: close() right before the server's FIN. Needs root
# (live capture); skipped (77) without it.
. "$(dirname "$0")/lab_helpers.sh" "$@"
TCPSCOPE=${TCPSCOPE:-$BIN/../src/tcpscope}
[ "$(id -u)" = 0 ] || { echo "SKIP: live capture needs root"; exit 77; }
[ -x "$TCPSCOPE" ] || fail "no tcpscope at $TCPSCOPE"
PORT=$((20000 + $$ % 7000)) # outside the ephemeral range 32768-60999
export SOCKLAB_PORT=$PORT SOCKLAB_MARKER_SOCKET=socklab-test-$$
unset SOCKLAB_MARKERS

# one run of the lab beside a tcpscope writing FORMAT to OUT
traced_run() {
	local format=$1 out=$2
	timeout -k 2 30 "$TCPSCOPE" -p "$PORT" --format="$format" >"$out" 2>"$out.err" &
	local tpid=$!
	BGPIDS="$BGPIDS $tpid"
	# ready once its marker socket is bound (it is bound just before the capture starts)
	for _ in $(seq 100); do
		grep -q "@$SOCKLAB_MARKER_SOCKET\$" /proc/net/unix && break
		sleep 0.05
	done
	grep -q "@$SOCKLAB_MARKER_SOCKET\$" /proc/net/unix || fail "tcpscope did not bind @$SOCKLAB_MARKER_SOCKET"
	sleep 0.3 # the capture opens before the socket is bound; let it settle
	bg_lab 20 "$T/server.$format" -- "$BIN/lab04-connect" server
	local spid=$BGPID
	wait_for "$T/server.$format" 'accept\(' 10
	run_lab 20 "$T/client.$format" -- "$BIN/lab04-connect" client --hold 0
	expect_rc 0 "lab04-connect client beside tcpscope"
	wait "$spid"
	sleep 0.8 # past the marker hold time, so nothing is still pending
	kill -INT "$tpid"
	wait "$tpid"
	[ -s "$out" ] || fail "tcpscope wrote nothing ($(cat "$out.err"))"
}

# --- text: the marker line, then (new connection line aside) the segment it caused
traced_run text "$T/trace.txt"
T_OUT=$T/trace.txt
cport=$(port_of "$T/client.text" '^\[client\] <- connect\(' local)
[ -n "$cport" ] || { cat "$T/client.text"; fail "no client port in the lab's narration"; }
# prints the first segment line after the marker line MARK (skipping "new connection")
after_marker() {
	awk -v mark="$1" 'found && / > / { print; exit } index($0, mark) { found = 1 }' "$T_OUT"
}
has "$T_OUT" '#1   syscall client: connect\(\)  pid=[0-9]+  peer=127\.0\.0\.1:'"$PORT"'$' "connect() marker"
after_marker 'syscall client: connect()' | grep -Eq "127\.0\.0\.1:$cport > 127\.0\.0\.1:$PORT +SYN " ||
	{ cat "$T_OUT"; fail "client: connect() is not right before the client's SYN"; }
has "$T_OUT" "#1   syscall client: close\(\)  pid=[0-9]+  local=127\.0\.0\.1:$cport  peer=127\.0\.0\.1:$PORT\$" "client close() marker"
after_marker 'syscall client: close()' | grep -Eq "127\.0\.0\.1:$cport > 127\.0\.0\.1:$PORT +FIN,ACK" ||
	{ cat "$T_OUT"; fail "client: close() is not right before the client's FIN"; }
# the server's two close() calls: the connection's (at its FIN), then the listener's (alone)
has "$T_OUT" "#1   syscall server: close\(\)  pid=[0-9]+  local=127\.0\.0\.1:$PORT  peer=127\.0\.0\.1:$cport\$" "server close() marker"
awk -v m="#1   syscall server: close()" 'found && / > / { print; exit } index($0, m) { found = 1 }' "$T_OUT" |
	grep -Eq "127\.0\.0\.1:$PORT > 127\.0\.0\.1:$cport +FIN,ACK" ||
	{ cat "$T_OUT"; fail "server: close() is not right before the server's FIN"; }
has "$T_OUT" "--   syscall server: listen\(\)  pid=[0-9]+  local=127\.0\.0\.1:$PORT  \(a socket without a peer" "listen() on its own"
hasnt "$T_OUT" 'syscall.*close.*within 0\.5 s' "a close() left without its FIN"

# --- JSONL: the marker object, then (the states it caused aside) the packet
traced_run jsonl "$T/trace.jsonl"
grep -q '"type":"marker"' "$T/trace.jsonl" || { cat "$T/trace.jsonl"; fail "no marker objects"; }
cport=$(port_of "$T/client.jsonl" '^\[client\] <- connect\(' local)
next_packet() { # the first packet after the marker line matching $1
	awk -v mark="$1" 'found && /"type":"packet"/ { print; exit } index($0, mark) { found = 1 }' "$T/trace.jsonl"
}
m='"type":"marker","t":'
grep -E "^\{$m[0-9.]+,\"conn\":1,\"role\":\"client\",\"call\":\"close\",\"pid\":[0-9]+,\"local\":\"127\.0\.0\.1:$cport\",\"peer\":\"127\.0\.0\.1:$PORT\",\"placed\":true\}\$" \
	"$T/trace.jsonl" >/dev/null || { cat "$T/trace.jsonl"; fail "no placed client close() marker object"; }
next_packet "\"role\":\"client\",\"call\":\"close\"" | grep -q "\"src\":\"127.0.0.1:$cport\",\"dst\":\"127.0.0.1:$PORT\",\"flags\":\[\"FIN\",\"ACK\"\]" ||
	{ cat "$T/trace.jsonl"; fail "JSONL: client close() is not right before the client's FIN"; }
next_packet "\"role\":\"client\",\"call\":\"connect\"" | grep -q "\"src\":\"127.0.0.1:$cport\",\"dst\":\"127.0.0.1:$PORT\",\"flags\":\[\"SYN\"\]" ||
	{ cat "$T/trace.jsonl"; fail "JSONL: client connect() is not right before the SYN"; }
grep -q '"role":"server","call":"listen","pid":[0-9]*,"local":"127.0.0.1:'"$PORT"'","placed":false}' "$T/trace.jsonl" ||
	{ cat "$T/trace.jsonl"; fail "JSONL: no listen() marker on its own"; }

# --- --no-markers: none at all
timeout -k 2 30 "$TCPSCOPE" -p "$PORT" --format=text --no-markers >"$T/off.txt" 2>&1 &
tpid=$!
BGPIDS="$BGPIDS $tpid"
sleep 0.5
grep -q "@$SOCKLAB_MARKER_SOCKET\$" /proc/net/unix && fail "--no-markers still bound the socket"
bg_lab 20 "$T/server.off" -- "$BIN/lab04-connect" server
wait_for "$T/server.off" 'accept\(' 10
run_lab 20 "$T/client.off" -- "$BIN/lab04-connect" client --hold 0
sleep 0.3
kill -INT "$tpid"
wait "$tpid"
has "$T/off.txt" 'FIN' "the trace without markers"
hasnt "$T/off.txt" 'syscall' "markers with --no-markers"
echo "markers ok"

#!/usr/bin/env bash
# lab03-listen: LISTEN as the kernel sees it, queued connections without accept(), RST on close.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab03-listen
P=22200

run_lab 10 "$T/a" -- "$L" --host localhost --port $P --backlog 7
expect_rc 0
has "$T/a" "^<- listen\([0-9]+, 7\) = 0  state=LISTEN  local=127\.0\.0\.1:$P\$"
has "$T/a" 'accept queue of fd [0-9]+: 0 connection\(s\) waiting, backlog 7'
has "$T/a" "run with --hold S" "ss advice only where a student can act on it"
has "$T/a" '^   listen\(\) sends no segment'

# While it holds, the kernel shows what the narration said: one listener, three queued.
bg_lab 30 "$T/b" -- "$L" --port $((P + 1)) --no-accept --clients 3 --hold 3
wait_for "$T/b" 'listening for 3 s' 10
[ "$(proc_state $((P + 1)))" = LISTEN ] || fail "kernel: no LISTEN on :$((P + 1))"
[ "$(proc_count $((P + 1)) 01)" -eq 3 ] || fail "kernel: want 3 ESTABLISHED (queued) on :$((P + 1))"
has "$T/b" 'accept queue of fd [0-9]+: 3 connection\(s\) waiting, backlog 5'
n=$(grep -cE "^\[client\] <- connect\([0-9]+, 127\.0\.0\.1:$((P + 1))\) = 0  state=ESTABLISHED" "$T/b")
[ "$n" -eq 3 ] || fail "want 3 connects ESTABLISHED, got $n"
for cport in $(grep -oE "^\[client\] <- connect.*local=127\.0\.0\.1:[0-9]+" "$T/b" | sed 's/.*://'); do
	[ "$(proc_state "$cport" $((P + 1)))" = ESTABLISHED ] || fail "kernel: client :$cport not ESTABLISHED"
	[ "$(proc_state $((P + 1)) "$cport")" = ESTABLISHED ] || fail "kernel: server side of :$cport not queued"
done
if command -v ss >/dev/null; then
	ss -ltn "sport = :$((P + 1))" | awk 'NR == 2 { exit !($2 == 3) }' || fail "ss -ltn Recv-Q is not 3"
	[ "$(ss -tnH state established "sport = :$((P + 1))" | wc -l)" -eq 3 ] || fail "ss -tn does not list the 3 queued server sides the lab points to"
fi
has "$T/b" "/proc/net/tcp\{,6\}: 3 server-side connection\(s\) on port $((P + 1)) in ESTABLISHED"
has "$T/b" "during the --hold below, ss -tn 'sport = :$((P + 1))' lists them too"
wait "$BGPID"
RC=$?
expect_rc 0
has "$T/b" '^\[client\] <- recv\([0-9]+, &c, 1, 0\) = -1 ECONNRESET' "queued connections reset when the listener closes"
has "$T/b" '^\[client\]    why: the peer reset the connection'
has "$T/b" 'now has 0 of their server-side ends in ESTABLISHED'
has "$T/b" '^\[client\]    ECONNRESET: a RST reached this client when the listener closed'

# --no-accept without --hold: the lab does not send the student to ss for sockets it closes.
run_lab 20 "$T/n" -- "$L" --port $((P + 3)) --no-accept --clients 2
expect_rc 0
has "$T/n" "run again with --hold S: without it this program closes them now"
hasnt "$T/n" "lists them too"

# Try breaking it: backlog 1, three clients. While the third connect() waits, the kernel shows
# it in SYN_SENT and the listener's queue at 2 (= backlog + 1); the lab's explanation must
# match what the kernel showed, with a retransmission count from TCP_INFO.
bg_lab 30 "$T/q" -- "$L" --port $((P + 4)) --no-accept --clients 3 --backlog 1 --timeout 3
wait_for "$T/q" '^\[client\] -> connect\(6, ' 10
sleep 0.5
third=$(awk 'FNR > 1 && $3 ~ /:'"$(printf '%04X' $((P + 4)))"'$/ && $4 == "02" { split($2, l, ":"); print l[2] }' /proc/net/tcp | head -1)
[ -n "$third" ] || fail "kernel: no client in SYN_SENT to :$((P + 4)) while connect() waits"
if command -v ss >/dev/null; then
	ss -ltn "sport = :$((P + 4))" | awk 'NR == 2 { exit !($2 == 2 && $3 == 1) }' || fail "ss -ltn: queue not 2 with backlog 1"
fi
wait "$BGPID"
RC=$?
expect_rc 0
has "$T/q" '^\[client\] <- connect\(6, 127\.0\.0\.1:[0-9]+\) = -1 EINPROGRESS  state=SYN_SENT'
has "$T/q" "local=127\.0\.0\.1:$((16#$third))\$" "the SYN_SENT client the kernel showed is the one narrated"
has "$T/q" 'the client is still SYN_SENT and the accept queue holds 2 with backlog 1: the queue is full'
rtx=$(grep -oE 'TCP_INFO counts [0-9]+ SYN retransmission' "$T/q" | grep -oE '[0-9]+')
[ "${rtx:-0}" -ge 1 ] || fail "no SYN retransmission counted in 3 s"
has "$T/q" '^\[client\] <- close\(6\) = 0' "the failed client closed, narrated"
has "$T/q" '^   2 connect\(\) call\(s\) returned 0; 2 client socket\(s\) are ESTABLISHED now'

# Try breaking it: a port another program listens on. bind() fails first (listen() is never
# called), and the holder the lab names is the one the kernel shows.
bg_lab 30 "$T/c" -- "$L" --port $((P + 2)) --hold 3
wait_for "$T/c" 'listening for' 10
run_lab 10 "$T/d" -- "$L" --port $((P + 2))
expect_rc 1
has "$T/d" "^<- bind\([0-9]+, 127\.0\.0\.1:$((P + 2))\) = -1 EADDRINUSE"
has "$T/d" "^   /proc/net/tcp\{,6\}: 127\.0\.0\.1:$((P + 2)) is held by a socket in LISTEN\. bind\(\) failed, so this program never reaches listen\(\)\$"
[ "$(proc_state $((P + 2)))" = LISTEN ] || fail "kernel: the holder is not LISTEN"
hasnt "$T/d" '^-> listen' "listen() called after a failed bind"
has "$T/d" '^<- close\(3\) = 0' "the failed socket closed, narrated"
sig_lab TERM
wait "$BGPID"
RC=$?
expect_rc 143 "SIGTERM exit code"
echo ok

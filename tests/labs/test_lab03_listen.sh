#!/usr/bin/env bash
# lab03-listen: LISTEN as the kernel sees it, queued connections without accept(), RST on close.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab03-listen
P=22200

run_lab 10 "$T/a" -- "$L" --port $P --backlog 7
expect_rc 0
has "$T/a" "^<- listen\([0-9]+, 7\) = 0  state=LISTEN  local=127\.0\.0\.1:$P\$"
has "$T/a" 'accept queue of fd [0-9]+: 0 connection\(s\) waiting, backlog 7'
has "$T/a" "ss -ltn 'sport = :$P'"

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
fi
wait "$BGPID"
RC=$?
expect_rc 0
has "$T/b" '^\[client\] <- recv\([0-9]+, buf, 1, 0\) = -1 ECONNRESET' "queued connections reset when the listener closes"
has "$T/b" '^\[client\]    why: the peer reset the connection'

# listen() on a port someone else listens on: bind fails first, with its explanation.
bg_lab 30 "$T/c" -- "$L" --port $((P + 2)) --hold 3
wait_for "$T/c" 'listening for' 10
run_lab 10 "$T/d" -- "$L" --port $((P + 2))
expect_rc 1
has "$T/d" "^<- bind\([0-9]+, 127\.0\.0\.1:$((P + 2))\) = -1 EADDRINUSE"
sig_lab TERM
wait "$BGPID"
RC=$?
expect_rc 143 "SIGTERM exit code"
echo ok

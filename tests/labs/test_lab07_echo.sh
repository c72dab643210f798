#!/usr/bin/env bash
# lab07-echo: the accept loop serves clients one after another, each line comes back unchanged,
# --framing shows glued / partial / half messages and the newline reader; states vs the kernel.
. "$(dirname "$0")/lab_helpers.sh" "$@"
. "$(dirname "$0")/lab09_step.sh"
L=$BIN/lab07-echo
P=23100

bg_lab 60 "$T/srv" -- "$L" server --port $P --count 3
SRV=$BGPID
wait_for "$T/srv" "^\[server\] <- listen\([0-9]+, 8\) = 0  state=LISTEN  local=127\.0\.0\.1:$P\$" 10

# 1. one line, back unchanged; the client closed first, so the kernel keeps its end in TIME_WAIT.
run_lab 20 "$T/c1" -- "$L" client --port $P --message 'hello there'
expect_rc 0 "client 1"
has "$T/c1" "^\[client\] <- connect\([0-9]+, 127\.0\.0\.1:$P\) = 0  state=ESTABLISHED  local=127\.0\.0\.1:[0-9]+  peer=127\.0\.0\.1:$P\$"
has "$T/c1" '^\[client\] <- send\([0-9]+, "hello there\\n", 12, 0\) = 12  state=ESTABLISHED'
has "$T/c1" '^\[client\]    line: "hello there"'
has "$T/c1" '^\[client\]    echo check: OK, the 12 bytes came back unchanged'
cport=$(port_of "$T/c1" '^\[client\] <- connect' local)
# Right after close() the server's FIN may not have come yet: FIN_WAIT_1/2, then TIME_WAIT.
has "$T/c1" "^\[client\] <- close\([0-9]+\) = 0  state=(FIN_WAIT_1|FIN_WAIT_2|TIME_WAIT)  local=127\.0\.0\.1:$cport"
wait_for "$T/srv" '^\[server\]    client #1 done; back to accept\(\) for the next one' 10
for i in $(seq 1 50); do [ "$(proc_state "$cport" $P)" = TIME_WAIT ] && break; sleep 0.02; done
[ "$(proc_state "$cport" $P)" = TIME_WAIT ] || fail "kernel: client :$cport is not in TIME_WAIT"
has "$T/srv" "^\[server\] <- accept\([0-9]+, &peer, &len\) = [0-9]+  state=ESTABLISHED  local=127\.0\.0\.1:$P  peer=127\.0\.0\.1:$cport\$"
has "$T/srv" '^\[server\]    got 12 bytes: "hello there\\n"; sending them back unchanged'
has "$T/srv" "^\[server\] <- recv\([0-9]+, buf, 1024, 0\) = 0  state=CLOSE_WAIT  local=127\.0\.0\.1:$P  peer=127\.0\.0\.1:$cport\$"

# 2. framing: one recv() = 3 glued lines, part of a long line, half a line; the reader fixes it.
run_lab 20 "$T/c2" -- "$L" client --framing --port $P
expect_rc 0 "framing client"
has "$T/c2" '^\[client\]    one recv\(\) returned 14 bytes holding 3 newlines: "one\\ntwo\\nthree\\n"$'
has "$T/c2" '^\[client\]    only 1024 of 3001 bytes: PART of the message'
has "$T/c2" '^\[client\]    one recv\(\) returned 3 bytes holding 0 newlines: "hel"$'
has "$T/c2" '^\[client\]    line: "hello"'
has "$T/c2" '^\[client\]    framing check: OK, the reader gave back exactly the 4 lines sent'

# 3. the third client; the server stops after --count 3, having served them in turn.
run_lab 20 "$T/c3" -- "$L" client --port $P
expect_rc 0 "client 3"
has "$T/c3" 'echo check: OK, the 13 bytes came back unchanged: "Hello, echo!\\n"'
wait "$SRV"
RC=$?
expect_rc 0 "server after --count 3"
has "$T/srv" '^\[server\]    served 3 clients$'
[ "$(grep -c '^\[server\]    client #[123] is ' "$T/srv")" -eq 3 ] || fail "server did not serve 3 clients"
grep -o 'client #[0-9] done' "$T/srv" | tr '\n' ' ' | grep -q 'client #1 done client #2 done client #3 done' ||
	fail "clients not served one after another"

# 4. IPv6, a refused connection, Ctrl-C, usage errors.
bg_lab 30 "$T/s6" -- "$L" server -6 --port $((P + 1)) --count 1
wait_for "$T/s6" 'state=LISTEN  local=\[::1\]' 10
run_lab 20 "$T/c6" -- "$L" client -6 --port $((P + 1)) --message v6
expect_rc 0 "IPv6 client"
has "$T/c6" "peer=\[::1\]:$((P + 1))"
has "$T/c6" 'echo check: OK'

run_lab 20 "$T/c7" -- "$L" client --port $((P + 9))
expect_rc 1 "client without a server"
has "$T/c7" '= -1 ECONNREFUSED  state=CLOSED'

bg_lab 30 "$T/s8" -- "$L" server --port $((P + 2))
wait_for "$T/s8" 'state=LISTEN' 10
kill -INT "$(pgrep -P "$BGPID")"
wait "$BGPID"
RC=$?
expect_rc 130 "server after Ctrl-C"
has "$T/s8" 'stopped by Ctrl-C'

# Try breaking it: a second client while the server serves a paused one. The kernel finishes
# its handshake and queues it (listener Recv-Q 1), its 13 bytes wait unread in the queued
# socket (Recv-Q 13), and the client reports a timeout, not an ended connection.
PB=$((P + 3))
bg_lab 60 "$T/sb" -- "$L" server --port $PB
SB=$BGPID
wait_for "$T/sb" 'state=LISTEN' 10
step_start "$T/cA" -- "$L" client --port $PB --step
step_to '^\[client\] -> send\(' 10
bg_lab 30 "$T/cB" -- "$L" client --port $PB --timeout 3
CB=$BGPID
wait_for "$T/cB" '<- send\(3, "Hello, echo!\\n", 13, 0\) = 13' 10
sleep 0.3
q=$(ss -Hltn "( sport = :$PB )" | awk '{print $2}')
[ "$q" = 1 ] || fail "ss: listener Recv-Q $q while client B waits, wanted 1"
cportB=$(port_of "$T/cB" '<- connect' local)
rq=$(ss -Htn "( sport = :$PB and dport = :$cportB )" | awk '{print $2}')
[ "$rq" = 13 ] || fail "ss: B's 13 bytes not waiting at the server (Recv-Q ${rq:-none})"
wait "$CB"
RC=$?
expect_rc 1 "client B after its timeout"
has "$T/cB" '^\[client\] !! echo check: FAILED, no echo came back within 3 s \(--timeout\)$'
hasnt "$T/cB" 'the connection ended'

# Try breaking it: the server stops while client A waits before send(): A sees CLOSE_WAIT, its
# send() returns 13, the RST comes back (the kernel forgets A's connection), then EPIPE.
kill -INT "$(pgrep -P "$SB")"
wait "$SB"
cportA=$(port_of "$T/cA" '<- connect' local)
for _ in $(seq 1 40); do [ "$(proc_state "$cportA" $PB)" = CLOSE_WAIT ] && break; sleep 0.05; done
[ "$(proc_state "$cportA" $PB)" = CLOSE_WAIT ] || fail "kernel: A not CLOSE_WAIT after the server stopped"
step_finish 20
expect_rc 1 "client A after the server stopped"
has "$T/cA" '^\[client\]    send\(\) returned 13 although the server had closed \(we were in CLOSE_WAIT'
has "$T/cA" '^\[client\] !! echo check: FAILED, the connection ended before the echo came back$'
has "$T/cA" '^\[client\] <- send\(3, "x", 1, 0\) = -1 EPIPE  state=CLOSED'
hasnt "$T/cA" 'we close first'
[ -z "$(proc_state "$cportA" $PB)" ] || fail "kernel still has A's connection after the RST"

run_lab 5 "$T/u1" -- "$L"
expect_rc 2 "no role"
run_lab 5 "$T/u2" -- "$L" server --count many
expect_rc 2 "bad --count"
run_lab 5 "$T/u3" -- "$L" --help
expect_rc 0 "--help"
has "$T/u3" -- '--framing'
echo ok

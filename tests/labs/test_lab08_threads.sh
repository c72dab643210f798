#!/usr/bin/env bash
# lab08-threads: 20 clients at once, one server thread each, every reply right; afterwards the
# server has given back every descriptor and thread (/proc/PID/fd and /proc/PID/task).
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab08-threads
P=23110

bg_lab 120 "$T/srv" -- "$L" server --port $P
SRV=$BGPID
wait_for "$T/srv" "^\[server\] <- listen\([0-9]+, 64\) = 0  state=LISTEN  local=127\.0\.0\.1:$P\$" 10
SPID=$(pgrep -P "$SRV")
[ -n "$SPID" ] || fail "no server process"
fds0=$(ls /proc/"$SPID"/fd | wc -l)
tasks0=$(ls /proc/"$SPID"/task | wc -l)
[ "$tasks0" -eq 1 ] || fail "server starts with $tasks0 threads"

bg_lab 100 "$T/cli" -- "$L" client --port $P --clients 20 --hold 4000
CLI=$BGPID
wait_for "$T/cli" '^\[client\]    20 of 20 connections are ESTABLISHED at the same time' 30
# While they are held: 20 connections ESTABLISHED on the server's port, one thread each.
n=$(proc_count $P 01)
[ "$n" -eq 20 ] || fail "kernel: $n ESTABLISHED sockets on :$P, wanted 20"
t=$(ls /proc/"$SPID"/task | wc -l)
[ "$t" -eq 21 ] || fail "server has $t threads while 20 clients are connected, wanted 21"
wait "$CLI"
RC=$?
expect_rc 0 "20 clients"
has "$T/cli" '^\[client\]    20 clients, 20 finished their session; 80 replies checked, 0 wrong$'
has "$T/cli" '^\[client\]    reply check: OK'
for i in $(seq 1 20); do
	for m in world TCP; do
		grep -q "^\[client $i\]    reply \"Hello, $m #$i!\": as expected" "$T/cli" ||
			fail "client $i: no correct reply to \"$m #$i\""
	done
	grep -q "^\[client $i\]    reply \"Welcome!\"" "$T/cli" || fail "client $i: no Welcome!"
	grep -q "^\[client $i\]    reply \"Goodbye!\"" "$T/cli" || fail "client $i: no Goodbye!"
done
hasnt "$T/cli" '^\[client [0-9]+\] !! '

# Every session ended and was joined; nothing leaked.
wait_for "$T/srv" '^\[server\]    sessions ended: 20, running: 0' 20
[ "$(grep -c '^\[server\] <- pthread_join(conn [0-9]*) = 0' "$T/srv")" -eq 20 ] || fail "not 20 joins"
[ "$(grep -c '^\[server\] <- pthread_create(' "$T/srv")" -eq 20 ] || fail "not 20 threads made"
fds1=$(ls /proc/"$SPID"/fd | wc -l)
# A joined thread can stay listed in /proc/PID/task for a moment (pthread_join returns when the
# kernel clears its tid, before the task is reaped): give it up to 2 s to go.
for _ in $(seq 1 40); do
	tasks1=$(ls /proc/"$SPID"/task | wc -l)
	[ "$tasks1" -eq 1 ] && break
	sleep 0.05
done
[ "$fds1" -eq "$fds0" ] || fail "server descriptors: $fds0 before the clients, $fds1 after"
[ "$tasks1" -eq 1 ] || fail "server threads after the clients: $tasks1"
[ "$(proc_count $P 01)" -eq 0 ] || fail "ESTABLISHED sockets left on :$P"
kill -INT "$SPID"
wait "$SRV"
RC=$?
expect_rc 130 "server after Ctrl-C"
has "$T/srv" '^\[server\]    no leak: every accepted descriptor was closed and every thread joined$'

# Ctrl-C while sessions are open: they are shut down and joined, still no leak.
bg_lab 60 "$T/srv2" -- "$L" server --port $((P + 1))
SRV2=$BGPID
wait_for "$T/srv2" 'state=LISTEN' 10
bg_lab 60 "$T/cli2" -- "$L" client --port $((P + 1)) --clients 3 --hold 30000
wait_for "$T/cli2" '3 of 3 connections are ESTABLISHED' 10
kill -INT "$(pgrep -P "$SRV2")"
wait "$SRV2"
RC=$?
expect_rc 130 "server stopped with 3 sessions open"
[ "$(grep -c '^\[server\] <- shutdown([0-9]*, SHUT_RDWR) = 0' "$T/srv2")" -eq 3 ] || fail "not 3 shutdowns"
has "$T/srv2" 'no leak'

# --count: the server ends by itself after two sessions; a single client talks alone.
bg_lab 60 "$T/srv3" -- "$L" server --port $((P + 2)) --count 2
SRV3=$BGPID
wait_for "$T/srv3" 'state=LISTEN' 10
for i in 1 2; do
	run_lab 20 "$T/one$i" -- "$L" client --port $((P + 2)) --messages 'Ada,Linus'
	expect_rc 0 "single client $i"
	has "$T/one$i" '^\[client 1\]    reply "Hello, Linus!": as expected'
done
wait "$SRV3"
RC=$?
expect_rc 0 "server with --count 2"

run_lab 20 "$T/refused" -- "$L" client --port $((P + 9)) --clients 2
expect_rc 1 "clients without a server"
has "$T/refused" 'ECONNREFUSED'
run_lab 5 "$T/u1" -- "$L" client --clients 0
expect_rc 2 "--clients 0"
echo ok

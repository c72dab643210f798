#!/usr/bin/env bash
# lab08-threads: 20 clients at once, one server thread each, every reply right; the counts the
# server narrates are the kernel's (/proc/PID/fd, /proc/PID/task); the tutorials' own Python
# client and server talk to the lab (unframed); --framing=newline; a session cap that refuses
# politely and an idle limit (no lock-out by idle clients); peer bytes escaped.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab08-threads
TUT=$(dirname "$0")/tutorial
P=23110
command -v python3 >/dev/null || fail "python3 is needed (kit: PKGS_TEST)"

bg_lab 120 "$T/srv" -- "$L" server --port $P
SRV=$BGPID
wait_for "$T/srv" "^\[server\] <- listen\([0-9]+, 64\) = 0  state=LISTEN  local=127\.0\.0\.1:$P\$" 10
# The counts below are narrated after listen(); this line comes after all of them (checking
# right after listen() raced the lab's next lines on a loaded CI machine).
wait_for "$T/srv" '^\[server\]    waiting for clients: ' 10
SPID=$(pgrep -P "$SRV")
[ -n "$SPID" ] || fail "no server process"
# The pid the worksheet tells students to use instead of pgrep -f (which matches its own shell).
has "$T/srv" "^\[server\]    this server is process $SPID \(ls /proc/$SPID/task lists its threads\)"
has "$T/srv" "^\[server\] <- socket\(AF_INET, SOCK_STREAM \| SOCK_CLOEXEC, 0\) = [0-9]+  state=CLOSED"
fds0=$(ls /proc/"$SPID"/fd | wc -l)
# At start: what the kernel lists now minus the pipe's two ends and the listener.
has "$T/srv" "at start /proc/self/fd has $((fds0 - 3)) descriptors"
tasks0=$(ls /proc/"$SPID"/task | wc -l)
[ "$tasks0" -eq 1 ] || fail "server starts with $tasks0 threads"
has "$T/srv" "^\[server\]    with the pipe and the listener: $fds0 descriptors, 1 thread\$"

bg_lab 100 "$T/cli" -- "$L" client --port $P --clients 20 --hold 4000
CLI=$BGPID
wait_for "$T/cli" '^\[client\]    20 of 20 clients got their Welcome!' 30
# While they are held: 20 connections ESTABLISHED on the server's port, one thread each; the
# client's count came from /proc/net/tcp too.
n=$(proc_count $P 01)
[ "$n" -eq 20 ] || fail "kernel: $n ESTABLISHED sockets on :$P, wanted 20"
has "$T/cli" "^\[client\]    20 of 20 clients got their Welcome!; /proc/net/tcp lists 20 ESTABLISHED connections to port $P"
t=$(ls /proc/"$SPID"/task | wc -l)
[ "$t" -eq 21 ] || fail "server has $t threads while 20 clients are connected, wanted 21"
wait "$CLI"
RC=$?
expect_rc 0 "20 clients"
has "$T/cli" '^\[client\]    20 clients, 20 finished their session; 80 replies checked, 0 wrong$'
has "$T/cli" '^\[client\]    reply check: OK'
for i in $(seq 1 20); do
	for m in mindthink 'code change the world' 'hello world'; do
		grep -q "^\[client $i\]    reply \"Hello, $m #$i!\": as expected" "$T/cli" ||
			fail "client $i: no correct reply to \"$m #$i\""
	done
	grep -q "^\[client $i\]    reply \"Welcome!\"" "$T/cli" || fail "client $i: no Welcome!"
	grep -q "^\[client $i\]    recv() returned 0: the server ended the session after our exit" "$T/cli" ||
		fail "client $i: the server's close after exit not seen"
done
hasnt "$T/cli" '^\[client [0-9]+\] !! '

# Every session ended and was joined; each count the server narrated was as predicted, and the
# last one is what the kernel shows now.
wait_for "$T/srv" '^\[server\]    sessions ended: 20, not joined yet: 0' 20
[ "$(grep -c '^\[server\] <- pthread_join(conn [0-9]*) = 0' "$T/srv")" -eq 20 ] || fail "not 20 joins"
[ "$(grep -c '^\[server\] <- pthread_create(' "$T/srv")" -eq 20 ] || fail "not 20 threads made"
wait_for "$T/srv" '^\[server\]    back to [0-9]+ descriptors and 1 thread, as before any session: nothing left behind$' 10
hasnt "$T/srv" '^\[server\] !! '
fds1=$(ls /proc/"$SPID"/fd | wc -l)
for _ in $(seq 1 40); do
	tasks1=$(ls /proc/"$SPID"/task | wc -l)
	[ "$tasks1" -eq 1 ] && break
	sleep 0.05
done
has "$T/srv" "^\[server\]    sessions ended: 20, not joined yet: 0; /proc/self/fd: $fds1 descriptors, /proc/self/task: $tasks1 thread\$"
[ "$fds1" -eq "$fds0" ] || fail "server descriptors: $fds0 before the clients, $fds1 after"
[ "$(proc_count $P 01)" -eq 0 ] || fail "ESTABLISHED sockets left on :$P"

# The tutorial's own client: unframed, one message per send(), each reply awaited, then exit.
timeout 20 python3 "$TUT/client.py" $P >"$T/py" 2>&1 || { cat "$T/py"; fail "tutorial client failed"; }
printf 'Welcome!\nHello, mindthink!\nHello, code change the world!\nHello, hello world!\n' | diff - "$T/py" ||
	fail "tutorial client: unexpected replies"
wait_for "$T/srv" '^\[conn 21\]    message: "code change the world" \(no framing: the 21 bytes this recv\(\) returned are taken as one message\)$' 10
wait_for "$T/srv" '^\[conn 21\]    the client said exit: this thread ends the session' 10

# Peer bytes reach the terminal escaped: no ESC or BEL byte in the server's output.
python3 - "$P" <<'EOF' || fail "evil client failed"
import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.recv(1024)
s.send(b'\x1b]0;PWNED\x07\x1b[2J\xff')
s.recv(1024)
s.send(b'exit')
s.close()
EOF
wait_for "$T/srv" '^\[conn 22\]    message: "\\x1b\]0;PWNED\\x07\\x1b\[2J\\xff"' 10
hasnt "$T/srv" $'[\x1b\x07]' "raw control bytes from a peer in the server's output"

kill -INT "$SPID"
wait "$SRV"
RC=$?
expect_rc 130 "server after Ctrl-C"
has "$T/srv" '^\[server\]    no leak: the counts are back to those at start'

# The lab's client against the tutorial's server.
timeout 30 python3 "$TUT/server.py" $((P + 3)) 1 &
BGPIDS="$BGPIDS $!"
for _ in $(seq 1 100); do [ "$(proc_state $((P + 3)))" = LISTEN ] && break; sleep 0.05; done
run_lab 20 "$T/vspy" -- "$L" client --port $((P + 3))
expect_rc 0 "lab client against the tutorial server"
has "$T/vspy" '^\[client 1\]    reply "Hello, code change the world!": as expected'
has "$T/vspy" '^\[client\]    reply check: OK'

# --framing=newline on both sides: one message per line.
bg_lab 60 "$T/srvn" -- "$L" server --port $((P + 4)) --framing=newline --count 1
wait_for "$T/srvn" 'state=LISTEN' 10
run_lab 20 "$T/clin" -- "$L" client --port $((P + 4)) --framing=newline --messages 'Ada,Linus'
expect_rc 0 "newline client"
has "$T/clin" '^\[client 1\] <- send\([0-9]+, "Ada\\n", 4, 0\) = 4'
has "$T/clin" '^\[client 1\]    reply "Hello, Linus!": as expected'
wait "$BGPID"
has "$T/srvn" '^\[conn 1\]    line: "Linus"$'
has "$T/srvn" 'messages: one per line \(--framing=newline\)'

# Ctrl-C while sessions are open: they are shut down and joined, still no leak.
bg_lab 60 "$T/srv2" -- "$L" server --port $((P + 1))
SRV2=$BGPID
wait_for "$T/srv2" 'state=LISTEN' 10
bg_lab 60 "$T/cli2" -- "$L" client --port $((P + 1)) --clients 3 --hold 30000
wait_for "$T/cli2" '3 of 3 clients got their Welcome!' 10
kill -INT "$(pgrep -P "$SRV2")"
wait "$SRV2"
RC=$?
expect_rc 130 "server stopped with 3 sessions open"
[ "$(grep -c '^\[server\] <- shutdown([0-9]*, SHUT_RDWR) = 0' "$T/srv2")" -eq 3 ] || fail "not 3 shutdowns"
has "$T/srv2" 'no leak'
wait "$(echo "$BGPIDS" | awk '{print $NF}')" 2>/dev/null
for i in 1 2 3; do
	has "$T/cli2" "^\[client $i\] !! expected \"Hello, mindthink #$i!\", but the connection ended\$"
done

# exit in the middle: the client stops at exit (two is never sent); the server closed first,
# so the kernel keeps the server's end in TIME_WAIT, as the client's recv() = 0 implies.
bg_lab 30 "$T/srv6" -- "$L" server --port $((P + 7)) --count 1
wait_for "$T/srv6" 'state=LISTEN' 10
run_lab 20 "$T/mid" -- "$L" client --port $((P + 7)) --messages 'one,exit,two'
expect_rc 0 "exit in the middle"
hasnt "$T/mid" '"two'
has "$T/mid" '^\[client 1\]    recv\(\) returned 0: the server ended the session after our exit$'
cport=$(port_of "$T/mid" '<- connect' local)
[ "$(proc_state $((P + 7)) "$cport")" = TIME_WAIT ] || fail "kernel: the server's end is not in TIME_WAIT"
[ -z "$(proc_state "$cport" $((P + 7)))" ] || fail "kernel: the client's end is still there"

# No lock-out by idle clients: beyond --max-sessions a client is told so and closed, and an
# idle session ends after --idle seconds, so a real client gets in.
bg_lab 60 "$T/srv4" -- "$L" server --port $((P + 5)) --max-sessions 2 --idle 2
SRV4=$BGPID
wait_for "$T/srv4" 'state=LISTEN' 10
# the limits are narrated after listen(); this line comes after them
wait_for "$T/srv4" '^\[server\]    waiting for clients: ' 10
has "$T/srv4" 'at most 2 sessions at once \(--max-sessions\), each ended after 2 s without a message \(--idle\)'
python3 - $((P + 5)) >"$T/idle" 2>&1 <<'EOF' || { cat "$T/idle"; fail "idle clients failed"; }
import socket, sys, time
port = int(sys.argv[1])
idle = [socket.create_connection(('127.0.0.1', port)) for _ in range(2)]
for s in idle:
    print(s.recv(1024).decode())
third = socket.create_connection(('127.0.0.1', port))
print(third.recv(1024).decode().strip())
print('third then:', repr(third.recv(1024)))
t0 = time.time()
for s in idle:
    print('idle end:', repr(s.recv(1024)))
print('idle ended after %.0f s' % (time.time() - t0))
EOF
has "$T/idle" '^Sorry, the server is busy \(2 sessions\): try again later$'
has "$T/idle" "^third then: b''$"
has "$T/idle" "^idle end: b''$"
has "$T/srv4" '!! conn 3: 2 sessions are running \(--max-sessions\): refusing this one politely'
has "$T/srv4" '^\[conn 1\]    no message for 2 s \(--idle\): this thread ends the session'
run_lab 20 "$T/after" -- "$L" client --port $((P + 5))
expect_rc 0 "a client after the idle sessions ended"
kill -INT "$(pgrep -P "$SRV4")"
wait "$SRV4"

# The default cap: 70 idle clients, 64 get Welcome!, 6 are told the server is busy.
bg_lab 60 "$T/srv5" -- "$L" server --port $((P + 6)) --idle 30
SRV5=$BGPID
wait_for "$T/srv5" 'state=LISTEN' 10
python3 - $((P + 6)) >"$T/many" 2>&1 <<'EOF' || { cat "$T/many"; fail "70 clients failed"; }
import socket, sys
port = int(sys.argv[1])
conns = [socket.create_connection(('127.0.0.1', port)) for _ in range(70)]
print('\n'.join(c.recv(1024).decode().strip() for c in conns))
EOF
[ "$(grep -c '^Welcome!$' "$T/many")" -eq 64 ] || fail "not 64 sessions under the default cap"
[ "$(grep -c '^Sorry, the server is busy (64 sessions)' "$T/many")" -eq 6 ] || fail "not 6 refused"
kill -INT "$(pgrep -P "$SRV5")"
wait "$SRV5"

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
has "$T/refused" 'hint: start the server first \(lab08-threads server\)'
hasnt "$T/refused" 'holding them'
run_lab 5 "$T/u1" -- "$L" client --clients 0
expect_rc 2 "--clients 0"
run_lab 5 "$T/u2" -- "$L" server --framing=json
expect_rc 2 "--framing=json"
run_lab 5 "$T/u3" -- "$L" server --max-sessions 0
expect_rc 2 "--max-sessions 0"
echo ok

#!/usr/bin/env bash
# lab04-connect: handshake states as the kernel reports them, accept's peer, ECONNREFUSED,
# timeouts, Ctrl-C, IPv6, roles.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab04-connect
P=22300

# Server driven step by step through a FIFO; at each pause the kernel must agree.
mkfifo "$T/in"
exec 7<>"$T/in"
bg_lab 40 "$T/s" -- "$L" server --port $P --step --timeout 20 <"$T/in"
SPID=$BGPID
step() { echo >&7; }
wait_for "$T/s" 'press Enter to run socket\(\)' 5
step; step; step; step # socket, setsockopt, bind, listen
wait_for "$T/s" 'press Enter to run accept\(\)' 5
has "$T/s" "^\[server\] <- listen\(3, 5\) = 0  state=LISTEN  local=127\.0\.0\.1:$P\$"
[ "$(proc_state $P)" = LISTEN ] || fail "kernel: :$P not LISTEN while the narration says so"

bg_lab 40 "$T/c" -- "$L" client --port $P --hold 3
CPID=$BGPID
wait_for "$T/c" '^\[client\] <- connect' 5
# The TCP_INFO counts and the ephemeral port checked below are narrated after connect(); this
# line comes after both (checking right after connect() could race the lab's next lines).
wait_for "$T/c" '^\[client\]    our ephemeral port: ' 5
has "$T/c" "^\[client\] <- connect\(3, 127\.0\.0\.1:$P\) = 0  state=ESTABLISHED  local=127\.0\.0\.1:[0-9]+  peer=127\.0\.0\.1:$P\$"
cport=$(port_of "$T/c" '<- connect' local)
# connect() returned before accept(): the server side is ESTABLISHED in the accept queue.
[ "$(proc_state $P "$cport")" = ESTABLISHED ] || fail "kernel: server side not ESTABLISHED before accept"
hasnt "$T/s" '<- accept'
has "$T/c" "TCP_INFO counts 2 segment\(s\) sent and 1 received on this socket: our SYN and ACK, their SYN\+ACK"
step # accept
wait_for "$T/s" '<- accept' 5
# What accept() filled in and both sockets' states are narrated after it; this line comes
# after all of them (the server then pauses before recv()).
wait_for "$T/s" '^\[server\]    now recv\(\) waits' 5
has "$T/s" "^\[server\] <- accept\(3, &peer, &len\) = 4  state=ESTABLISHED  local=127\.0\.0\.1:$P  peer=127\.0\.0\.1:$cport\$"
has "$T/s" "accept\(\) filled in the client's address: 127\.0\.0\.1:$cport"
has "$T/s" "^\[server\]    now: state=LISTEN  local=127\.0\.0\.1:$P\$" "listener still LISTEN"
has "$T/s" 'just after accept\(\) returned, the new socket is ESTABLISHED and TCP_INFO counts [0-9]+ segment'
has "$T/s" "start the client now \(lab04-connect client --port $P\)"
has "$T/c" "^\[client\]    our ephemeral port: 127\.0\.0\.1:$cport\$"
[ "$(proc_state "$cport" $P)" = ESTABLISHED ] || fail "kernel: client not ESTABLISHED"
exec 7>&- # no more pauses
wait "$CPID"
RC=$?
expect_rc 0 "client"
wait "$SPID"
RC=$?
expect_rc 0 "server"
has "$T/s" '^\[server\] <- recv\(4, &c, 1, 0\) = 0  state=CLOSE_WAIT'
st=$(state_of "$T/c" '<- close\(3\)')
case $st in FIN_WAIT_1 | FIN_WAIT_2 | TIME_WAIT) ;; *) fail "client close state $st" ;; esac
[ "$(proc_state "$cport" $P)" = TIME_WAIT ] || fail "kernel: the client (first to close) is not in TIME_WAIT"

has "$T/s" 'recv\(\) = 0 and CLOSE_WAIT: the client.s FIN arrived, it closed first'

# Try breaking it: nothing listens. ECONNREFUSED; the tracer port named is the one connected
# to; the kernel indeed has no listener there.
[ -z "$(proc_state $((P + 1)))" ] || fail "something listens on :$((P + 1))"
run_lab 10 "$T/r" -- "$L" client --port $((P + 1))
expect_rc 1
has "$T/r" "^\[client\] <- connect\(3, 127\.0\.0\.1:$((P + 1))\) = -1 ECONNREFUSED  state=CLOSED"
has "$T/r" '^\[client\]    why: nothing is listening .*RST'
has "$T/r" '^\[client\]    hint: start the server first'
has "$T/r" "if tcpscope watches port $((P + 1)) \(tcpscope -p $((P + 1))\), it shows two segments: our SYN, and the RST that refused it\. Start the server first: lab04-connect server --port $((P + 1))\$"
has "$T/r" '^\[client\] <- close\(3\) = 0'

# Try breaking it: server -6, client without -6: the server tells the client to use -6; a v4
# client is refused, and the kernel shows why (a listener on [::1] only).
bg_lab 20 "$T/m6" -- "$L" server -6 --port $((P + 5)) --timeout 3
wait_for "$T/m6" 'start the client now' 5
has "$T/m6" "start the client now \(lab04-connect client -6 --port $((P + 5))\)\$"
grep -qiE "^ *[0-9]+: 0{24}01000000:$(printf '%04X' $((P + 5))) .* 0A " /proc/net/tcp6 || fail "kernel: no listener on [::1]:$((P + 5))"
run_lab 10 "$T/m4" -- "$L" client --port $((P + 5))
expect_rc 1
has "$T/m4" "= -1 ECONNREFUSED"
wait "$BGPID"

# IPv6 both ways.
bg_lab 20 "$T/s6" -- "$L" server -6 --port $((P + 2)) --timeout 10
wait_for "$T/s6" 'start the client now' 5
run_lab 15 "$T/c6" -- "$L" client -6 --port $((P + 2)) --hold 0
expect_rc 0
has "$T/c6" "= 0  state=ESTABLISHED  local=\[::1\]:[0-9]+  peer=\[::1\]:$((P + 2))\$"
wait "$BGPID"

# localhost as the host on both sides (the tutorials' ('localhost', 8888)).
bg_lab 20 "$T/sl" -- "$L" server --host localhost --port $((P + 6)) --timeout 10
wait_for "$T/sl" 'start the client now' 5
has "$T/sl" "start the client now \(lab04-connect client --host localhost --port $((P + 6))\)\$"
run_lab 15 "$T/cl" -- "$L" client --host localhost --port $((P + 6)) --hold 0
expect_rc 0
has "$T/cl" "^\[client\] <- connect\(3, 127\.0\.0\.1:$((P + 6))\) = 0  state=ESTABLISHED"
wait "$BGPID"

# No client: accept gives up after --timeout with EAGAIN, it does not hang.
start=$(date +%s)
run_lab 15 "$T/t" -- "$L" server --port $((P + 3)) --timeout 1
expect_rc 1
has "$T/t" '^\[server\] <- accept\(3, &peer, &len\) = -1 EAGAIN  state=none'
has "$T/t" '^\[server\]    why: no connection arrived within the time limit'
[ $(($(date +%s) - start)) -le 5 ] || fail "timeout took too long"
has "$T/t" "^\[server\] <- close\(3\) = 0  state=CLOSED  local=127\.0\.0\.1:$((P + 3))  \(the kernel no longer has this socket\)\$"
[ -z "$(proc_state $((P + 3)))" ] || fail "kernel: the listener on :$((P + 3)) is still there"

# Ctrl-C while blocked in accept: EINTR, clean exit 130.
bg_lab 20 "$T/i" -- "$L" server --port $((P + 4))
wait_for "$T/i" 'start the client now' 5
sleep 0.2
sig_lab INT
wait "$BGPID"
RC=$?
expect_rc 130
has "$T/i" '= -1 EINTR'
has "$T/i" 'why: Ctrl-C'
has "$T/i" 'stopped by Ctrl-C'
[ -z "$(proc_state $((P + 4)))" ] || fail "listener left behind"

run_lab 5 "$T/u" -- "$L"
expect_rc 2
has "$T/u" 'say which role to play: server\|client'
echo ok

#!/usr/bin/env bash
# lab06-close: who closes first ends in TIME_WAIT, CLOSE_WAIT/FIN_WAIT_2 while the peer holds,
# half-close, RST by SO_LINGER 0 and by unread data -- each checked against /proc/net/tcp.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab06-close
P=22500

# pair PORT SCENARIO: run server + client, outputs in $T/s.PORT and $T/c.PORT.
pair() {
	bg_lab 30 "$T/s.$1" -- "$L" server --port "$1" --hold 2 --timeout 10
	SPID=$BGPID
	wait_for "$T/s.$1" 'accept\(' 5
	bg_lab 30 "$T/c.$1" -- "$L" client --port "$1" --scenario "$2" --hold 2 --timeout 10
	CPID=$BGPID
}
finish() {
	wait "$CPID"
	RC=$?
	expect_rc 0 "client ($1)"
	wait "$SPID"
	RC=$?
	expect_rc 0 "server ($1)"
}

# client-first: while the server holds in CLOSE_WAIT, the client waits in FIN_WAIT_2.
pair $P client-first
wait_for "$T/s.$P" '^\[server\]    now: state=CLOSE_WAIT' 5
cport=$(port_of "$T/c.$P" '<- connect' local)
[ "$(proc_state $P "$cport")" = CLOSE_WAIT ] || fail "kernel: server not CLOSE_WAIT"
[ "$(proc_state "$cport" $P)" = FIN_WAIT_2 ] || fail "kernel: client not FIN_WAIT_2"
has "$T/s.$P" '^\[server\] <- recv\(4, buf, 128, 0\) = 0  state=CLOSE_WAIT'
finish client-first
st=$(state_of "$T/c.$P" '<- close\(3\)')
case $st in FIN_WAIT_1 | FIN_WAIT_2) ;; *) fail "client state after close: $st" ;; esac
has "$T/c.$P" "^\[client\]    now: state=TIME_WAIT  local=127\.0\.0\.1:$cport  peer=127\.0\.0\.1:$P"
[ "$(proc_state "$cport" $P)" = TIME_WAIT ] || fail "kernel: client (first closer) not TIME_WAIT"
[ -z "$(proc_state $P "$cport")" ] || fail "kernel: server side still there"

# server-first: the server ends in TIME_WAIT, the client goes through CLOSE_WAIT.
P2=$((P + 1))
pair $P2 server-first
wait_for "$T/c.$P2" '^\[client\]    now: state=CLOSE_WAIT' 5
cport=$(port_of "$T/c.$P2" '<- connect' local)
[ "$(proc_state "$cport" $P2)" = CLOSE_WAIT ] || fail "kernel: client not CLOSE_WAIT"
[ "$(proc_state $P2 "$cport")" = FIN_WAIT_2 ] || fail "kernel: server not FIN_WAIT_2"
finish server-first
has "$T/s.$P2" "^\[server\]    now: state=TIME_WAIT  local=127\.0\.0\.1:$P2  peer=127\.0\.0\.1:$cport"
[ "$(proc_state $P2 "$cport")" = TIME_WAIT ] || fail "kernel: server (first closer) not TIME_WAIT"

# half-close: data flows to the client after its FIN.
P3=$((P + 2))
pair $P3 half-close
finish half-close
st=$(state_of "$T/c.$P3" '<- shutdown\(3, SHUT_WR\)')
case $st in FIN_WAIT_1 | FIN_WAIT_2) ;; *) fail "state after shutdown: $st" ;; esac
has "$T/c.$P3" '^\[client\]    got 28 bytes: "a reply sent after your FIN\\n"$'
has "$T/c.$P3" '^\[client\]    28 byte\(s\) arrived after our shutdown\(\), then the server.s FIN'
has "$T/c.$P3" '^\[client\]    the descriptor reports CLOSED while /proc/net/tcp has the connection in TIME_WAIT'
has "$T/c.$P3" '^\[client\] <- recv\(3, buf, 128, 0\) = 0'
has "$T/s.$P3" '^\[server\] <- send\(4, .*\) = 28  state=CLOSE_WAIT'
cport=$(port_of "$T/c.$P3" '<- connect' local)
[ "$(proc_state "$cport" $P3)" = TIME_WAIT ] || fail "kernel: half-closer not TIME_WAIT"

# linger0 and unread: RST, ECONNRESET on the server, no TIME_WAIT anywhere.
for sc in linger0 unread; do
	[ "$sc" = unread ] && P4=$((P + 4)) || P4=$((P + 3))
	pair $P4 $sc
	finish $sc
	cport=$(port_of "$T/c.$P4" '<- connect' local)
	has "$T/s.$P4" '^\[server\] <- recv\(4, buf, 1, 0\) = -1 ECONNRESET  state=CLOSED'
	has "$T/s.$P4" '^\[server\]    why: the peer reset the connection'
	has "$T/c.$P4" '^\[client\] <- close\(3\) = 0  state=CLOSED'
	[ -z "$(proc_state "$cport" $P4)" ] || fail "$sc: client side left in $(proc_state "$cport" $P4)"
	[ -z "$(proc_state $P4 "$cport")" ] || fail "$sc: server side left behind"
done
has "$T/c.$((P + 4))" '^\[client\]    32 byte\(s\) wait unread in our receive buffer'

# Try breaking it: the server holds longer than the client follows (--timeout 2): the client
# says "still FIN_WAIT_2" exactly while the kernel has it so, and never claims TIME_WAIT.
P5=$((P + 5))
bg_lab 30 "$T/s.$P5" -- "$L" server --port $P5 --hold 6 --timeout 10
S5=$BGPID
wait_for "$T/s.$P5" 'accept\(' 5
run_lab 20 "$T/c.$P5" -- "$L" client --port $P5 --timeout 2
expect_rc 0 "client, server holding"
cport=$(port_of "$T/c.$P5" '<- connect' local)
has "$T/c.$P5" '^\[client\]    still FIN_WAIT_2: our FIN was ACKed, the peer has not closed yet'
hasnt "$T/c.$P5" 'the peer.s FIN came'
[ "$(proc_state "$cport" $P5)" = FIN_WAIT_2 ] || fail "kernel: client not FIN_WAIT_2 as narrated"
[ "$(proc_state $P5 "$cport")" = CLOSE_WAIT ] || fail "kernel: server not CLOSE_WAIT"
has "$T/c.$P5" "^\[client\]    still FIN_WAIT_2: .*net\.ipv4\.tcp_fin_timeout \($(cat /proc/sys/net/ipv4/tcp_fin_timeout) s here\)"
wait "$S5"

# Try breaking it: no server: ECONNREFUSED, the hint names this lab, the kernel has nothing.
run_lab 10 "$T/nos" -- "$L" client --port $((P + 9))
expect_rc 1 "client without a server"
has "$T/nos" "^\[client\] <- connect\(3, 127\.0\.0\.1:$((P + 9))\) = -1 ECONNREFUSED  state=CLOSED"
has "$T/nos" 'hint: start the server first \(lab06-close server\)'
[ -z "$(proc_state "$(port_of "$T/nos" '<- close' local)" $((P + 9)))" ] || fail "kernel: refused socket left"

# Try breaking it: --names=linux spells the states as /proc/net/tcp's users do.
P6=$((P + 6))
bg_lab 30 "$T/s.$P6" -- "$L" server --port $P6 --names=linux --timeout 10
S6=$BGPID
wait_for "$T/s.$P6" 'accept\(' 5
run_lab 20 "$T/c.$P6" -- "$L" client --port $P6 --names=linux --timeout 10
expect_rc 0 "--names=linux"
wait "$S6"
has "$T/c.$P6" '^\[client\] <- close\(3\) = 0  state=FIN_WAIT[12]  '
has "$T/c.$P6" '^\[client\]    now: state=TIME_WAIT  '
has "$T/s.$P6" '^\[server\] <- recv\(4, buf, 128, 0\) = 0  state=CLOSE_WAIT'
has "$T/s.$P6" '^\[server\] <- close\(3\) = 0  state=CLOSE  '
hasnt "$T/c.$P6" 'FIN_WAIT_[12]|SYN_RECEIVED|state=CLOSED'

run_lab 5 "$T/u" -- "$L" client --scenario bogus
expect_rc 2
has "$T/u" "unknown --scenario 'bogus'"
echo ok

#!/usr/bin/env bash
# lab09-states reset and backlog: RST three ways (nothing left in the kernel afterwards), and a
# full accept queue (listen 0) that keeps a second client in SYN_SENT until accept() frees it.
. "$(dirname "$0")/lab_helpers.sh" "$@"
. "$(dirname "$0")/lab09_step.sh"
L=$BIN/lab09-states

# ---- reset
P=23150
run_lab 30 "$T/rst" -- "$L" reset --port $P
expect_rc 0 "reset"
has "$T/rst" '^\[client\] <- setsockopt\([0-9]+, SOL_SOCKET, SO_LINGER, \{l_onoff=1, l_linger=0\}\) = 0'
has "$T/rst" '^\[server\] <- recv\([0-9]+, buf, 64, 0\) = -1 ECONNRESET  state=CLOSED'
has "$T/rst" '^\[client\] <- recv\([0-9]+, buf, 64, 0\) = -1 ECONNRESET  state=CLOSED'
has "$T/rst" "^\[client\] <- connect\([0-9]+, 127\.0\.0\.1:$P\) = -1 ECONNREFUSED  state=CLOSED"
[ "$(grep -c '^\[[a-z]*\] <- close([0-9]*) = 0  state=CLOSED  local=.*peer=' "$T/rst")" -ge 2 ] ||
	fail "the aborted ends should be gone at once"
# The kernel keeps nothing of the aborted client nor of the server that reset (no TIME_WAIT).
c1=$(grep -E "^\[client\] <- connect\([0-9]+, 127\.0\.0\.1:$P\) = 0" "$T/rst" | sed -n 1p | grep -oE 'local=[^ ]*' | sed 's/.*://')
c2=$(grep -E "^\[client\] <- connect\([0-9]+, 127\.0\.0\.1:$P\) = 0" "$T/rst" | sed -n 2p | grep -oE 'local=[^ ]*' | sed 's/.*://')
[ -n "$c1" ] && [ -n "$c2" ] || fail "no client ports"
for c in "$c1" "$c2"; do
	[ -z "$(proc_state "$c" $P)" ] || fail "kernel still has client :$c"
	[ -z "$(proc_state $P "$c")" ] || fail "kernel still has server end for :$c"
done
has "$T/rst" 'scenario reset: OK'

# ---- backlog: paused before the server's first accept(), the kernel shows the story.
P=23151
step_start "$T/bl" -- "$L" backlog --port $P --step
step_to '^\[server\] -> accept\(' 30
has "$T/bl" "^\[server\] <- listen\([0-9]+, 0\) = 0  state=LISTEN"
has "$T/bl" '^\[server\]    accept queue: 1 waiting for accept\(\), backlog 0'
has "$T/bl" '^\[client 2\]    now: state=SYN_SENT'
has "$T/bl" '^\[client 2\]    1\.5 s later: still SYN_SENT, its SYN retransmitted [1-9]'
c2=$(port_of "$T/bl" '^\[client 2\] <- connect' local)
[ "$(proc_state "$c2" $P)" = SYN_SENT ] || fail "kernel: client 2 :$c2 not SYN_SENT"
q=$(ss -Hltn "( sport = :$P )" | awk '{print $2 "/" $3}')
[ "$q" = 1/0 ] || fail "ss: listener queue $q, wanted 1 waiting / backlog 0"
step_finish 30
expect_rc 0 "backlog"
has "$T/bl" '^\[client 2\] <- poll\(\[[0-9]+ POLLOUT\], 1, 8000\) = 1  state=ESTABLISHED'
has "$T/bl" '^\[client 2\]    SO_ERROR = 0; connected [0-9.]+ s after connect\(\), after [1-9][0-9]* SYN retransmission'
has "$T/bl" 'scenario backlog: OK'
echo ok

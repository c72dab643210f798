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
# A reset connection has no peer any more: its close() is never reported as the listener.
hasnt "$T/rst" '<- close\([0-9]+\) = 0  state=LISTEN'
[ "$(grep -c '^\[server\] <- close([0-9]*) = 0  state=CLOSED  local=127\.0\.0\.1:'"$P"'  (the kernel no longer has this socket)$' "$T/rst")" -ge 2 ] ||
	fail "reset ends and the listener: closes not narrated as CLOSED"
has "$T/rst" '^\[server\]    the server closes without reading the 22 bytes waiting in its receive buffer$'
has "$T/rst" 'scenario reset: OK'

# ---- backlog: paused before the server's first accept(), the kernel shows the story.
P=23151
step_start "$T/bl" -- "$L" backlog --port $P --step
step_to '^\[server\] -> accept\(' 30
has "$T/bl" "^\[server\] <- listen\([0-9]+, 0\) = 0  state=LISTEN"
has "$T/bl" '^\[server\]    accept queue: 1 waiting for accept\(\), backlog 0'
has "$T/bl" '^\[client 2\]    now: state=SYN_SENT'
c2=$(port_of "$T/bl" '^\[client 2\] <- connect' local)
[ "$(proc_state "$c2" $P)" = SYN_SENT ] || fail "kernel: client 2 :$c2 not SYN_SENT"
# The retransmissions narrated are the ones TCP_INFO counted, each with its time; ss shows the
# same count in its timer (on,...,N) and only this scenario's sockets.
line=$(grep -E '^\[client 2\]    [0-9.]+ s later: still SYN_SENT; TCP_INFO counted [1-9]' "$T/bl") ||
	{ cat "$T/bl"; fail "no SYN retransmission count"; }
n=$(echo "$line" | sed -E 's/.*counted ([0-9]+) SYN.*/\1/')
times=$(echo "$line" | grep -oE '[0-9.]+ s(,| after)' | wc -l)
[ "$n" -eq "$times" ] || fail "counted $n retransmissions but listed $times times: $line"
ssn=$(grep -E "^\[client 2\]    \| SYN-SENT .*127\.0\.0\.1:$c2 .*timer:\(on,[0-9.]+m?s,[0-9]+\)" "$T/bl" | sed -E 's/.*timer:\(on,[^,]*,([0-9]+)\).*/\1/')
[ "$ssn" = "$n" ] || fail "ss counted ${ssn:-no} retransmissions, the lab $n"
[ "$(grep -c '^\[client 2\]    | ' "$T/bl")" -eq 5 ] || fail "ss rows: wanted header + listener + 2 ESTAB + SYN-SENT"
retries=$(cat /proc/sys/net/ipv4/tcp_syn_retries)
has "$T/bl" "^\[client 2\]    this kernel: net\.ipv4\.tcp_syn_retries = $retries"
if [ -r /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]; then
	lin=$(cat /proc/sys/net/ipv4/tcp_syn_linear_timeouts)
	has "$T/bl" "net\.ipv4\.tcp_syn_linear_timeouts = $lin: "
fi
step_finish 30
expect_rc 0 "backlog"
has "$T/bl" '^\[client 2\] <- poll\(\[[0-9]+ POLLOUT\], 1, 8000\) = 1  state=ESTABLISHED'
has "$T/bl" '^\[client 2\]    SO_ERROR = 0, state ESTABLISHED: connected [0-9.]+ s after connect\(\), after [1-9][0-9]* SYN retransmission'
has "$T/bl" 'scenario backlog: OK'

# backlog --step, waiting long before the accept(): "connected" only once ESTABLISHED. The
# next SYN comes after the doubled wait, so poll() may time out first: then it says so.
P=23152
step_start "$T/bl2" -- "$L" backlog --port $P --step
step_to '^\[server\] -> accept\(' 30
sleep 6
step_finish 60
expect_rc 0 "backlog --step with a long pause"
if grep -q '^\[client 2\] <- poll(\[[0-9]* POLLOUT\], 1, 8000) = 0  state=SYN_SENT' "$T/bl2"; then
	has "$T/bl2" '^\[client 2\]    not connected within 8 s'
fi
has "$T/bl2" '^\[client 2\] <- poll\(\[[0-9]+ POLLOUT\], 1, 8000\) = 1  state=ESTABLISHED'
[ "$(grep -c 'connected [0-9.]* s after connect' "$T/bl2")" -eq 1 ] || fail "connected said more than once"
has "$T/bl2" '^\[client 2\]    SO_ERROR = 0, state ESTABLISHED: connected'
echo ok

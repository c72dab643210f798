#!/usr/bin/env bash
# lab09-states time-wait, close-wait, half-close: each run once plainly and once paused (--step)
# at the interesting moment, where ss and /proc/net/tcp must show the states the lab narrated.
. "$(dirname "$0")/lab_helpers.sh" "$@"
. "$(dirname "$0")/lab09_step.sh"
L=$BIN/lab09-states

# A port with nothing on it, not even a TIME_WAIT from an earlier run (--no-reuse needs that;
# each run leaves one for 60 s, hence the wide range).
free_port() {
	local p
	for p in $(seq "$1" "$2"); do
		[ -z "$(ss -Htan "( sport = :$p )")" ] && { echo "$p"; return; }
	done
	fail "no free port in $1-$2"
}

# ---- time-wait (its servers set SO_REUSEADDR, so a TIME_WAIT left by an earlier run is fine)
P=23120
run_lab 30 "$T/tw" -- "$L" time-wait --port "$P"
expect_rc 0 "time-wait"
cport=$(port_of "$T/tw" '^\[client\] <- connect' local)
has "$T/tw" "^\[server\]    kernel: server 127\.0\.0\.1:$P -> 127\.0\.0\.1:$cport  state=TIME_WAIT"
[ "$(proc_state "$P" "$cport")" = TIME_WAIT ] || fail "kernel: :$P <- :$cport not in TIME_WAIT"
has "$T/tw" "^\[client\] <- recv\([0-9]+, buf, 63, 0\) = 0  state=CLOSE_WAIT"
has "$T/tw" "^\[server\] <- bind\([0-9]+, 127\.0\.0\.1:$P\) = -1 EADDRINUSE"
has "$T/tw" "^\[server\] <- listen\([0-9]+, 4\) = 0  state=LISTEN  local=127\.0\.0\.1:$P\$"
has "$T/tw" 'scenario time-wait: OK'
# Run again on the same port: the first run's TIME_WAIT is still there, but ss shows only this
# run's connection (one TIME-WAIT row), and the lab says beforehand what it found.
run_lab 30 "$T/tw1" -- "$L" time-wait --port "$P"
expect_rc 0 "time-wait again"
has "$T/tw1" "^   before we start, /proc/net/tcp lists [1-9][0-9]* connections? in TIME_WAIT on port $P"
cport1=$(port_of "$T/tw1" '^\[client\] <- connect' local)
[ "$(grep -c '^\[client\]    | TIME-WAIT ' "$T/tw1")" -eq 1 ] || fail "ss rows of earlier runs shown"
has "$T/tw1" "^\[client\]    \| TIME-WAIT .* 127\.0\.0\.1:$P +127\.0\.0\.1:$cport1 "

P=$(free_port 23200 23299) || exit 1
run_lab 30 "$T/tw2" -- "$L" time-wait --no-reuse --port "$P"
expect_rc 0 "time-wait --no-reuse"
[ "$(grep -c "^\[server\] <- bind([0-9]*, 127\.0\.0\.1:$P) = -1 EADDRINUSE" "$T/tw2")" -eq 2 ] ||
	fail "--no-reuse: both restarts must fail"
# Again at once: the TIME_WAIT left without SO_REUSEADDR blocks even the first bind; the lab
# says so before it tries, and names the cause when it happens.
run_lab 30 "$T/tw2b" -- "$L" time-wait --no-reuse --port "$P"
expect_rc 1 "time-wait --no-reuse twice"
has "$T/tw2b" "^   before we start, /proc/net/tcp lists 1 connection in TIME_WAIT on port $P"
has "$T/tw2b" "^\[server\] <- bind\([0-9]+, 127\.0\.0\.1:$P\) = -1 EADDRINUSE"
has "$T/tw2b" '^\[server\]    that is the EADDRINUSE announced above'
[ "$(proc_state "$P" "$(port_of "$T/tw2" '^\[client\] <- connect' local)")" = TIME_WAIT ] ||
	fail "kernel: the first run's TIME_WAIT is not there"

# Paused before the restart's bind: the kernel's TIME_WAIT is there, as narrated.
P=23121
step_start "$T/tw3" -- "$L" time-wait --port "$P" --step
step_to '^\[server\] -> bind\(' 20 # the first server's bind
step_to '^\[server\] -> bind\(' 20 # the restart
cport=$(port_of "$T/tw3" '^\[client\] <- connect' local)
[ "$(proc_state "$P" "$cport")" = TIME_WAIT ] || fail "paused: kernel has no TIME_WAIT :$P <- :$cport"
ss -Htan state time-wait "( sport = :$P and dport = :$cport )" | grep -q . || fail "ss shows no TIME-WAIT"
[ -z "$(proc_state "$P")" ] || fail "paused: a listener on :$P still exists"
step_finish
expect_rc 0 "time-wait --step"

# ---- close-wait: paused before the server's (late) close.
P=23140
step_start "$T/cw" -- "$L" close-wait --port $P --step
step_to '^\[server\] -> close\(' 20
cport=$(port_of "$T/cw" '^\[client\] <- connect' local)
has "$T/cw" "^\[server\]    now: state=CLOSE_WAIT  local=127\.0\.0\.1:$P  peer=127\.0\.0\.1:$cport\$"
has "$T/cw" "^\[client\]    kernel: client 127\.0\.0\.1:$cport -> 127\.0\.0\.1:$P  state=FIN_WAIT_2"
[ "$(proc_state $P "$cport")" = CLOSE_WAIT ] || fail "kernel: server end not CLOSE_WAIT"
[ "$(proc_state "$cport" $P)" = FIN_WAIT_2 ] || fail "kernel: client end not FIN_WAIT_2"
ss -Htan state close-wait "( sport = :$P )" | grep -q ":$cport" || fail "ss shows no CLOSE-WAIT"
step_finish
expect_rc 0 "close-wait"
has "$T/cw" "^\[client\]    kernel: client 127\.0\.0\.1:$cport -> 127\.0\.0\.1:$P  state=TIME_WAIT"
[ "$(proc_state "$cport" $P)" = TIME_WAIT ] || fail "kernel: client end not TIME_WAIT after the fix"
[ -z "$(proc_state $P "$cport")" ] || fail "kernel: server end still there after the fix"
has "$T/cw" 'scenario close-wait: OK'

# ---- half-close: paused before the server's answer, after the client's shutdown(SHUT_WR).
P=23141
step_start "$T/hc" -- "$L" half-close --port $P --step
step_to '^\[server\] -> send\(' 20
cport=$(port_of "$T/hc" '^\[client\] <- connect' local)
has "$T/hc" "^\[client\]    now: state=FIN_WAIT_2  local=127\.0\.0\.1:$cport"
has "$T/hc" "^\[server\] <- recv\([0-9]+, buf, 63, 0\) = 0  state=CLOSE_WAIT"
[ "$(proc_state "$cport" $P)" = FIN_WAIT_2 ] || fail "kernel: client not FIN_WAIT_2"
[ "$(proc_state $P "$cport")" = CLOSE_WAIT ] || fail "kernel: server not CLOSE_WAIT"
step_finish
expect_rc 0 "half-close"
has "$T/hc" '^\[client\]    got 6 bytes: "answer"'
has "$T/hc" "^\[client\]    kernel: client 127\.0\.0\.1:$cport -> 127\.0\.0\.1:$P  state=TIME_WAIT"
[ "$(proc_state "$cport" $P)" = TIME_WAIT ] || fail "kernel: client not TIME_WAIT at the end"

run_lab 30 "$T/hc6" -- "$L" half-close -6 --port $((P + 1))
expect_rc 0 "half-close over IPv6"
has "$T/hc6" '^\[client\]    kernel: client \[::1\]:[0-9]+ -> \[::1\]:'"$((P + 1))"'  state=TIME_WAIT'
echo ok

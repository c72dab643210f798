#!/usr/bin/env bash
# lab09-states simultaneous-open and simultaneous-close in a private network namespace: paused
# at each stage, ss inside the namespace must show both ends in SYN_SENT then SYN_RECEIVED
# (FIN_WAIT_1 then CLOSING, then TIME_WAIT). Not root: a clear message and exit 1.
. "$(dirname "$0")/lab_helpers.sh" "$@"
. "$(dirname "$0")/lab09_step.sh"
L=$BIN/lab09-states
NS=socklab-t09-$$
trap 'for n in o c i; do ip netns delete "$NS-$n" 2>/dev/null; done; cleanup' EXIT

if [ "$(id -u)" -ne 0 ]; then
	run_lab 20 "$T/nr" -- "$L" simultaneous-open --netns "$NS-o"
	expect_rc 1 "not root"
	has "$T/nr" 'not permitted: this scenario needs root'
	echo "ok (not root: namespace scenarios checked for their message only)"
	exit 0
fi
command -v nft >/dev/null || fail "nft is missing (Debian package nftables)"

# in NS STATE PORT: how many sockets inside NS in that ss state touch PORT.
in_ns() {
	ip netns exec "$1" ss -Htan state "$2" "( sport = :$3 or dport = :$3 )" | wc -l
}

# ---- simultaneous-open
P=23160
step_start "$T/so" -- "$L" simultaneous-open --port $P --netns "$NS-o" --step
step_to "^-> nft 'delete chain inet socklab drop_first_syns'" 30
has "$T/so" "^\[A\]    now: state=SYN_SENT  local=127\.0\.0\.1:$P\$"
has "$T/so" "^\[B\]    now: state=SYN_SENT  local=127\.0\.0\.1:$((P + 1))\$"
[ "$(in_ns "$NS-o" syn-sent $P)" -eq 2 ] || fail "ss: not 2 SYN-SENT in $NS-o"
step_to "^-> nft 'delete chain inet socklab hold_synacks'" 30
has "$T/so" "^\[A\]    now: state=SYN_RECEIVED  local=127\.0\.0\.1:$P  peer=127\.0\.0\.1:$((P + 1))\$"
has "$T/so" "^\[B\]    now: state=SYN_RECEIVED  local=127\.0\.0\.1:$((P + 1))  peer=127\.0\.0\.1:$P\$"
[ "$(in_ns "$NS-o" syn-recv $P)" -eq 2 ] || fail "ss: not 2 SYN-RECV in $NS-o"
ip netns exec "$NS-o" ss -Htan state syn-recv "( sport = :$P )" | grep -q ":$((P + 1))" ||
	fail "ss: A (:$P) is not SYN-RECV towards B"
step_finish 40
expect_rc 0 "simultaneous-open"
has "$T/so" "^\[A\]    now: state=ESTABLISHED  local=127\.0\.0\.1:$P  peer=127\.0\.0\.1:$((P + 1))\$"
has "$T/so" "^\[B\]    now: state=ESTABLISHED  local=127\.0\.0\.1:$((P + 1))  peer=127\.0\.0\.1:$P\$"
has "$T/so" 'counter packets 2 bytes [0-9]+ drop' "nft counted the two dropped SYNs"
has "$T/so" 'scenario simultaneous-open: OK'
[ ! -e "/run/netns/$NS-o" ] || fail "the lab left its namespace behind"

# ---- simultaneous-close (namespace kept, to look at the TIME_WAITs afterwards)
step_start "$T/sc" -- "$L" simultaneous-close --port $P --netns "$NS-c" --keep-netns --step
step_to "^-> nft 'delete chain inet socklab drop_first_fins'" 30
has "$T/sc" "^\[A\]    now: state=FIN_WAIT_1  local=127\.0\.0\.1:$((P + 1))  peer=127\.0\.0\.1:$P\$"
has "$T/sc" "^\[B\]    now: state=FIN_WAIT_1  local=127\.0\.0\.1:$P  peer=127\.0\.0\.1:$((P + 1))\$"
[ "$(in_ns "$NS-c" fin-wait-1 $P)" -eq 2 ] || fail "ss: not 2 FIN-WAIT-1 in $NS-c"
step_to "^-> nft 'delete chain inet socklab hold_all'" 30
has "$T/sc" "^\[A\]    now: state=CLOSING  local=127\.0\.0\.1:$((P + 1))  peer=127\.0\.0\.1:$P\$"
has "$T/sc" "^\[B\]    now: state=CLOSING  local=127\.0\.0\.1:$P  peer=127\.0\.0\.1:$((P + 1))\$"
[ "$(in_ns "$NS-c" closing $P)" -eq 2 ] || fail "ss: not 2 CLOSING in $NS-c"
step_finish 40
expect_rc 0 "simultaneous-close"
has "$T/sc" "^\[A\]    kernel: A 127\.0\.0\.1:$((P + 1)) -> 127\.0\.0\.1:$P  state=TIME_WAIT"
has "$T/sc" "^\[B\]    kernel: B 127\.0\.0\.1:$P -> 127\.0\.0\.1:$((P + 1))  state=TIME_WAIT"
[ "$(in_ns "$NS-c" time-wait $P)" -eq 2 ] || fail "ss: not 2 TIME-WAIT in $NS-c"
has "$T/sc" 'scenario simultaneous-close: OK'
# A's non-blocking connect(): if the state read after it is ESTABLISHED, the why: line says the
# handshake had not finished when connect() returned, not that it "has not finished".
if grep -q "^\[A\] <- connect([0-9]*, 127\.0\.0\.1:$P) = -1 EINPROGRESS  state=ESTABLISHED" "$T/sc"; then
	has "$T/sc" '^\[A\]    why: the handshake had not finished when connect\(\) returned .* ESTABLISHED$'
	hasnt "$T/sc" '^\[A\]    why: the handshake has not finished'
fi
# The ss lines the lab showed are this scenario's two ends only.
[ "$(grep -cE '^   \| (CLOSING|TIME-WAIT) ' "$T/sc")" -eq 4 ] || fail "ss rows: wanted 2 CLOSING + 2 TIME-WAIT"
ip netns exec "$NS-c" nft list tables | grep -q socklab && fail "the lab left its nftables table"

# ---- Ctrl-C in the middle: exit 130, the namespace and its rules are gone.
step_start "$T/int" -- "$L" simultaneous-open --port $((P + 4)) --netns "$NS-i" --step
step_to "^-> nft 'delete chain inet socklab drop_first_syns'" 30
kill -INT "$(pgrep -P "$STEP_PID")"
step_finish 20
expect_rc 130 "simultaneous-open after Ctrl-C"
has "$T/int" 'stopped by Ctrl-C'
hasnt "$T/int" 'did not cross'
[ ! -e "/run/netns/$NS-i" ] || fail "Ctrl-C left the namespace behind"

# ---- without root: a clear message, exit 1, no namespace made.
if command -v setpriv >/dev/null; then
	run_lab 20 "$T/nr" -- setpriv --reuid=65534 --regid=65534 --clear-groups "$L" simultaneous-open --netns "$NS-x"
	expect_rc 1 "as nobody"
	has "$T/nr" '^!! not permitted: this scenario needs root'
	has "$T/nr" 'sudo lab09-states'
	[ ! -e "/run/netns/$NS-x" ] || fail "a namespace was made without root"
fi
run_lab 5 "$T/bad" -- "$L" simultaneous-open --netns 'bad/name'
expect_rc 2 "bad --netns"
run_lab 5 "$T/list" -- "$L" --list
expect_rc 0 "--list"
[ "$(wc -l <"$T/list")" -eq 7 ] || fail "--list: not 7 scenarios"
for s in time-wait close-wait reset half-close simultaneous-open simultaneous-close backlog; do
	has "$T/list" "^$s +[A-Za-z]"
done
echo ok

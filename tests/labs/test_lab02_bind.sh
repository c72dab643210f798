#!/usr/bin/env bash
# lab02-bind: bind, port 0, EADDRINUSE (listener; TIME_WAIT) and SO_REUSEADDR, EACCES, htons.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab02-bind
P=22100

run_lab 10 "$T/a" -- "$L" --port $P
expect_rc 0
has "$T/a" "^<- bind\([0-9]+, 127\.0\.0\.1:$P\) = 0  state=CLOSED  local=127\.0\.0\.1:$P\$"

run_lab 10 "$T/b" -- "$L" --port 0
expect_rc 0
has "$T/b" '^<- bind\([0-9]+, 127\.0\.0\.1:0\) = 0  state=CLOSED  local=127\.0\.0\.1:[1-9][0-9]*$'
eph=$(port_of "$T/b" '^<- bind' local)
has "$T/b" "^   the socket's own address: 127\.0\.0\.1:$eph\$" "getsockname reports the same port"
read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
[ "$eph" -ge "$lo" ] && [ "$eph" -le "$hi" ] || fail "port $eph outside the ephemeral range"

run_lab 10 "$T/c" -- "$L" --forget-htons --port 4660
expect_rc 0
has "$T/c" 'local=127\.0\.0\.1:13330$' "4660 without htons binds 13330"
has "$T/c" 'asked for 4660 \(0x1234\), got 13330 \(0x3412\)'

for reuse in "" --reuseaddr; do
	run_lab 10 "$T/d" -- "$L" --twice --port $((P + 1)) $reuse
	expect_rc 0
	has "$T/d" "^<- listen\([0-9]+, 1\) = 0  state=LISTEN  local=127\.0\.0\.1:$((P + 1))\$"
	has "$T/d" "^<- bind\([0-9]+, 127\.0\.0\.1:$((P + 1))\) = -1 EADDRINUSE  state=CLOSED\$"
	has "$T/d" '^   why: another socket already uses this address and port'
	has "$T/d" '^   hint: .*SO_REUSEADDR'
done

# TIME_WAIT after a restart: without SO_REUSEADDR refused, with it bound; the kernel agrees.
run_lab 20 "$T/e" -- "$L" --time-wait --port $((P + 2))
expect_rc 0
has "$T/e" "is TIME_WAIT \(it stays there 60 s\)"
peer=$(grep -oE "$((P + 2)) -> 127\.0\.0\.1:[0-9]+ is TIME_WAIT" "$T/e" | grep -oE ':[0-9]+' | tr -d :)
[ "$(proc_state $((P + 2)) "$peer")" = TIME_WAIT ] || fail "kernel has no TIME_WAIT for :$((P + 2)) <- :$peer"
grep -A6 'restarts without SO_REUSEADDR' "$T/e" | grep -Eq '= -1 EADDRINUSE' || fail "no EADDRINUSE without SO_REUSEADDR"
grep -A6 'restarts with SO_REUSEADDR' "$T/e" | grep -Eq "^<- bind\([0-9]+, 127\.0\.0\.1:$((P + 2))\) = 0" || fail "SO_REUSEADDR did not bind"

# EACCES below 1024: as root, shown by a child that drops to nobody.
run_lab 10 "$T/f" -- "$L" --privileged --port 999
expect_rc 0
if [ "$(id -u)" -eq 0 ]; then
	has "$T/f" '^<- bind\([0-9]+, 127\.0\.0\.1:999\) = 0' "root binds 999"
	has "$T/f" '^\[nobody\] <- bind\([0-9]+, 127\.0\.0\.1:999\) = -1 EACCES  state=CLOSED$'
	has "$T/f" '^\[nobody\]    why: ports below 1024 are privileged'
else
	has "$T/f" '= -1 EACCES'
fi

run_lab 10 "$T/g" -- "$L" --host 1.2.3
expect_rc 2
has "$T/g" 'numeric IPv4 address'
echo ok

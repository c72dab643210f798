#!/usr/bin/env bash
# lab02-bind: bind, port 0, EADDRINUSE (listener; TIME_WAIT) and SO_REUSEADDR, EACCES, htons;
# every "Try breaking it" path of the worksheet, with its claims checked against the kernel.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab02-bind
P=22100

# step_until OUT ERE N: answer every --step pause of the lab reading FIFO fd 7 until OUT has N
# lines matching ERE (the lab is then paused right after them).
step_until() {
	local sent=0 i
	for i in $(seq 1 400); do
		[ "$(grep -cE -- "$2" "$1")" -ge "$3" ] && return 0
		if [ "$(grep -c 'press Enter to run' "$1")" -gt "$sent" ]; then
			echo >&7
			sent=$((sent + 1))
		fi
		sleep 0.05
	done
	cat "$1" >&2
	fail "waited for $3 x /$2/ in $1"
}

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

# A bound socket is in no table ss lists: the lab says so, and ss agrees while it holds.
bg_lab 20 "$T/h" -- "$L" --port $((P + 5)) --hold 3
wait_for "$T/h" 'holding the bound socket' 5
has "$T/h" "^   /proc/net/tcp\{,6\} has no row for 127\.0\.0\.1:$((P + 5)): the kernel's TCP tables, which ss -tan lists"
[ -z "$(proc_state $((P + 5)))" ] || fail "/proc/net/tcp lists the bound socket"
if command -v ss >/dev/null; then
	[ "$(ss -tanH "sport = :$((P + 5))" | wc -l)" -eq 0 ] || fail "ss -tan lists the bound-only socket"
fi
wait "$BGPID"
RC=$?
expect_rc 0 "--hold"

# localhost is accepted as a host (the tutorials' s.bind(('localhost', 8888))).
run_lab 10 "$T/l" -- "$L" --host localhost --port $((P + 6))
expect_rc 0
has "$T/l" "^<- bind\([0-9]+, 127\.0\.0\.1:$((P + 6))\) = 0  state=CLOSED  local=127\.0\.0\.1:$((P + 6))\$"

run_lab 10 "$T/c" -- "$L" --forget-htons --port 4660
expect_rc 0
has "$T/c" '^<- bind\([0-9]+, 127\.0\.0\.1:13330\) = 0  state=CLOSED  local=127\.0\.0\.1:13330$' "4660 without htons binds 13330, narrated as passed"
has "$T/c" 'asked for 4660 \(0x1234\), got 13330 \(0x3412\)'

# --twice, without and with SO_REUSEADDR, stepped: paused before the last close(), the kernel
# must show the first socket as the narration does (LISTEN on the port), and the advice must
# fit the run (no "try --reuseaddr" when it was set).
for reuse in "" --reuseaddr; do
	Q=$((P + 1))
	[ -n "$reuse" ] && Q=$((P + 3))
	rm -f "$T/in"
	mkfifo "$T/in"
	exec 7<>"$T/in"
	bg_lab 30 "$T/d" -- "$L" --twice --port $Q $reuse --step <"$T/in"
	step_until "$T/d" 'press Enter to run close\(\)' 2
	has "$T/d" "^<- listen\(3, 1\) = 0  state=LISTEN  local=127\.0\.0\.1:$Q\$"
	has "$T/d" "^<- bind\(4, 127\.0\.0\.1:$Q\) = -1 EADDRINUSE  state=CLOSED\$"
	has "$T/d" "^   now: state=LISTEN  local=127\.0\.0\.1:$Q\$" "the FIRST socket's state is shown"
	[ "$(proc_state $Q)" = LISTEN ] || fail "kernel: :$Q not LISTEN while the lab says so"
	has "$T/d" "^   /proc/net/tcp\{,6\} for port $Q: 1 LISTEN\$"
	[ "$(proc_count $Q 0A)" -eq 1 ] || fail "kernel: not exactly one listener on :$Q"
	exec 7>&-
	wait "$BGPID"
	RC=$?
	expect_rc 0 "--twice $reuse"
	if [ -n "$reuse" ]; then
		[ "$(grep -c '^<- setsockopt([34], SOL_SOCKET, SO_REUSEADDR, 1) = 0' "$T/d")" -eq 2 ] || fail "SO_REUSEADDR not set on both"
		has "$T/d" 'SO_REUSEADDR, set on both sockets, did not help against a listening socket'
		hasnt "$T/d" 'try --reuseaddr|Run again with --reuseaddr' "suggests the flag that is set"
	else
		hasnt "$T/d" 'SO_REUSEADDR, 1'
		has "$T/d" 'Would SO_REUSEADDR change that\? Run again with --reuseaddr'
	fi
	has "$T/d" '^<- close\(4\) = 0  state=CLOSED' "the failed socket is closed, narrated"
done

# TIME_WAIT after a restart: without SO_REUSEADDR refused, with it bound; the kernel agrees.
run_lab 20 "$T/e" -- "$L" --time-wait --port $((P + 2))
expect_rc 0
has "$T/e" "^<- connect\(4, 127\.0\.0\.1:$((P + 2))\) = 0  state=ESTABLISHED" "connect narrated as called"
has "$T/e" '^<- accept\(3, NULL, NULL\) = 5  state=ESTABLISHED'
has "$T/e" "is TIME_WAIT: the server's side, which closed first"
peer=$(grep -oE "$((P + 2)) -> 127\.0\.0\.1:[0-9]+ is TIME_WAIT" "$T/e" | grep -oE ':[0-9]+' | tr -d :)
[ "$(proc_state $((P + 2)) "$peer")" = TIME_WAIT ] || fail "kernel has no TIME_WAIT for :$((P + 2)) <- :$peer"
tw=$(proc_count $((P + 2)) 06)
has "$T/e" "for port $((P + 2)): $tw TIME_WAIT, no listener: the TIME_WAIT leftover alone blocks this bind" "holders as the kernel has them"
has "$T/e" "bound, while /proc/net/tcp\{,6\} for port $((P + 2)) shows: $tw TIME_WAIT\$"
grep -A6 'restarts without SO_REUSEADDR' "$T/e" | grep -Eq '= -1 EADDRINUSE' || fail "no EADDRINUSE without SO_REUSEADDR"
# The plain run on that port now fails the same way, and says what holds the port.
run_lab 10 "$T/e2" -- "$L" --port $((P + 2))
expect_rc 1
has "$T/e2" "^   /proc/net/tcp\{,6\} for port $((P + 2)): $(proc_count $((P + 2)) 06) TIME_WAIT\$"
grep -A6 'restarts with SO_REUSEADDR' "$T/e" | grep -Eq "^<- bind\([0-9]+, 127\.0\.0\.1:$((P + 2))\) = 0" || fail "SO_REUSEADDR did not bind"

# EACCES below 1024: as root, shown by a child that drops to nobody (each call narrated).
run_lab 10 "$T/f" -- "$L" --privileged --port 999
expect_rc 0
has "$T/f" "^   ports below $(cat /proc/sys/net/ipv4/ip_unprivileged_port_start) are privileged here"
if [ "$(id -u)" -eq 0 ]; then
	has "$T/f" '^<- bind\([0-9]+, 127\.0\.0\.1:999\) = 0' "root binds 999"
	has "$T/f" '^\[nobody\] <- setuid\(65534\) = 0$'
	has "$T/f" '^\[nobody\] <- bind\([0-9]+, 127\.0\.0\.1:999\) = -1 EACCES  state=CLOSED$'
	has "$T/f" '^\[nobody\]    why: ports below 1024 are privileged'
	has "$T/f" '^<- waitpid\([0-9]+, &status, 0\) = [0-9]+$'
else
	has "$T/f" '= -1 EACCES'
fi

# An address this machine does not have.
run_lab 10 "$T/n" -- "$L" --host 192.0.2.1
expect_rc 1
has "$T/n" '^<- bind\(3, 192\.0\.2\.1:[0-9]+\) = -1 EADDRNOTAVAIL  state=CLOSED$'
if command -v ip >/dev/null; then
	! ip -4 addr | grep -q ' 192\.0\.2\.1/' || fail "this machine has 192.0.2.1: the EADDRNOTAVAIL claim cannot hold"
fi

run_lab 10 "$T/g" -- "$L" --host no-such-host.invalid
expect_rc 2
has "$T/g" "cannot resolve 'no-such-host.invalid'"
[ "$(wc -l <"$T/g")" -eq 1 ] || fail "a usage error is one line"
echo ok

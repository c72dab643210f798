#!/usr/bin/env bash
# lab01-socket: descriptor, /proc/self/fd, CLOSED, EMFILE, --help, usage errors, --step.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab01-socket

run_lab 10 "$T/a" -- "$L"
expect_rc 0
has "$T/a" '^-> socket\(AF_INET, SOCK_STREAM, 0\)$'
has "$T/a" '^<- socket\(AF_INET, SOCK_STREAM, 0\) = [0-9]+  state=CLOSED$' "socket() narrated as CLOSED"
has "$T/a" '-> socket:\[[0-9]+\]' "the /proc/self/fd link"
has "$T/a" '^   now: state=CLOSED$'
has "$T/a" '^<- close\([0-9]+\) = 0  state=CLOSED'

run_lab 10 "$T/b" -- "$L" -6
expect_rc 0
has "$T/b" '^<- socket\(AF_INET6, SOCK_STREAM, 0\) = [0-9]+  state=CLOSED$'

# The narrated inode is the one the kernel shows for the descriptor while the lab holds it,
# and the claim "not in the TCP tables ss lists" holds: ss -tane has no row with that inode.
bg_lab 20 "$T/c" -- "$L" --hold 5
wait_for "$T/c" 'holding the socket' 5
pid=$(grep -oE '/proc/[0-9]+/fd' "$T/c" | head -1 | cut -d/ -f3)
fd=$(grep -oE '^<- socket\(AF_INET, SOCK_STREAM, 0\) = [0-9]+' "$T/c" | grep -oE '[0-9]+$')
said=$(grep -oE 'socket:\[[0-9]+\]' "$T/c" | head -1)
real=$(readlink "/proc/$pid/fd/$fd")
[ "$said" = "$real" ] || fail "narration says $said, kernel says $real for /proc/$pid/fd/$fd"
ino=$(echo "$said" | tr -dc 0-9)
has "$T/c" "^   no row of /proc/net/tcp or /proc/net/tcp6 has inode $ino: the kernel's TCP tables, which ss -tan lists, do not hold this socket\$"
if command -v ss >/dev/null; then
	! ss -tane | grep -q "ino:$ino\b" || fail "ss -tane lists inode $ino, the lab says it does not"
fi
! grep -q " $ino " /proc/net/tcp /proc/net/tcp6 || fail "/proc/net/tcp has inode $ino"
has "$T/c" "ss -tane \| grep ino:$ino"
sig_lab INT
wait "$BGPID"
RC=$?
expect_rc 130 "Ctrl-C exit code"
has "$T/c" '^!! stopped by Ctrl-C'

# Try breaking it: --exhaust. EMFILE comes when descriptors 0-15 are all taken: the last socket
# that opened is descriptor 15 (the soft limit is 16), and the lab says which ones it made.
run_lab 10 "$T/d" -- "$L" --exhaust
expect_rc 0
has "$T/d" '^<- setrlimit\(RLIMIT_NOFILE, \{cur=16, max=[0-9]+\}\) = 0$'
has "$T/d" '^<- socket\(AF_INET, SOCK_STREAM, 0\) = -1 EMFILE  state=none' "EMFILE after the limit"
has "$T/d" '^   why: this process has too many open descriptors'
has "$T/d" '^   hint: close descriptors'
last=$(grep -oE '^<- socket\(AF_INET, SOCK_STREAM, 0\) = [0-9]+ ' "$T/d" | tail -1 | grep -oE '[0-9]+ $' | tr -d ' ')
[ "$last" = 15 ] || fail "the last socket before EMFILE was fd $last, not 15"
made=$(grep -cE '^<- socket\(AF_INET, SOCK_STREAM, 0\) = [0-9]+ ' "$T/d")
has "$T/d" "^   EMFILE after $made sockets \(descriptors 3-15\)"
closes=$(grep -cE '^<- close\([0-9]+\) = 0' "$T/d")
[ "$closes" = "$made" ] || fail "$made sockets made, $closes closed"
has "$T/d" '^<- setrlimit\(RLIMIT_NOFILE, \{cur=[0-9]+, max=[0-9]+\}\) = 0$' "the limit is restored, narrated"

# Try breaking it: a bad option (the worksheet's --bogus) is one line on stderr, exit 2.
run_lab 10 "$T/b2" -- "$L" --bogus
expect_rc 2
[ "$(wc -l <"$T/b2")" -eq 1 ] || fail "a usage error is one line"

run_lab 10 "$T/e" -- "$L" --help
expect_rc 0
has "$T/e" '^Usage: lab01-socket'
has "$T/e" 'CLOSED'
has "$T/e" '--step'

run_lab 10 "$T/f" -- "$L" --nope
expect_rc 2
has "$T/f" '^lab01-socket: unknown option --nope \(try --help\)$'
[ "$(wc -l <"$T/f")" -eq 1 ] || fail "a usage error is one line"

# --step with stdin not a terminal: said once, end of input ends the pauses.
run_lab 10 "$T/g" -- "$L" --step </dev/null
expect_rc 0
has "$T/g" '^   \[step\] stdin is not a terminal'
has "$T/g" '^   \[step\] end of input: no more pauses'
has "$T/g" '^<- close'

# --step really pauses: nothing runs until a line arrives.
mkfifo "$T/in"
exec 7<>"$T/in" # read-write: opening does not block, and we stay the only writer
bg_lab 20 "$T/h" -- "$L" --step <"$T/in"
wait_for "$T/h" '\[step\] press Enter to run socket\(\)' 5
sleep 0.3
hasnt "$T/h" '^<- socket' "ran socket() before Enter"
echo >&7
wait_for "$T/h" '\[step\] press Enter to run readlink\(\)' 5
has "$T/h" '^<- socket\(AF_INET, SOCK_STREAM, 0\) = [0-9]+  state=CLOSED$'
hasnt "$T/h" '^<- readlink'
exec 7>&-
wait "$BGPID"
RC=$?
expect_rc 0
has "$T/h" '^<- close'
echo "ok"

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

# The narrated inode is the one the kernel shows for the descriptor while the lab holds it.
bg_lab 20 "$T/c" -- "$L" --hold 5
wait_for "$T/c" 'holding the socket' 5
pid=$(grep -oE '/proc/[0-9]+/fd' "$T/c" | head -1 | cut -d/ -f3)
fd=$(grep -oE '^<- socket\(AF_INET, SOCK_STREAM, 0\) = [0-9]+' "$T/c" | grep -oE '[0-9]+$')
said=$(grep -oE 'socket:\[[0-9]+\]' "$T/c" | head -1)
real=$(readlink "/proc/$pid/fd/$fd")
[ "$said" = "$real" ] || fail "narration says $said, kernel says $real for /proc/$pid/fd/$fd"
sig_lab INT
wait "$BGPID"
RC=$?
expect_rc 130 "Ctrl-C exit code"
has "$T/c" '^!! stopped by Ctrl-C'

run_lab 10 "$T/d" -- "$L" --exhaust
expect_rc 0
has "$T/d" '^<- socket\(AF_INET, SOCK_STREAM, 0\) = -1 EMFILE  state=none' "EMFILE after the limit"
has "$T/d" '^   why: this process has too many open descriptors'
has "$T/d" '^   hint: close descriptors'

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

#!/usr/bin/env bash
# lab05-transfer: echo unchanged, two sends in one recv, short reads and writes, recv 0 at EOF.
. "$(dirname "$0")/lab_helpers.sh" "$@"
L=$BIN/lab05-transfer
P=22400

bg_lab 30 "$T/s" -- "$L" server --port $P --timeout 10
wait_for "$T/s" 'accept\(' 5
run_lab 20 "$T/c" -- "$L" client --port $P --message "ping over tcp"
expect_rc 0
wait "$BGPID"
RC=$?
expect_rc 0 server
has "$T/c" '^\[client\] <- send\(3, buf\+0, 13, 0\) = 13  state=ESTABLISHED'
has "$T/c" '^\[client\]    echoed back: "ping over tcp" \(13 bytes\), unchanged$'
has "$T/c" '^\[client\] <- recv\(3, buf, 64, 0\) = 6  state=ESTABLISHED'
has "$T/c" 'one recv\(\) returned "onetwo" \(6 bytes\)'
has "$T/s" '^\[server\]    got 13 bytes: "ping over tcp"$'
has "$T/s" '^\[server\] <- recv\(4, buf, 1024, 0\) = 0  state=CLOSE_WAIT'
has "$T/s" 'recv\(\) = 0: the client closed its side, end of stream \(after [0-9]+ recv calls, 19 bytes\)'

# Short reads (4 bytes per recv) and short writes (a bulk send with a tiny send buffer).
bg_lab 60 "$T/s2" -- "$L" server --port $((P + 1)) --timeout 20
wait_for "$T/s2" 'accept\(' 5
run_lab 50 "$T/c2" -- "$L" client --port $((P + 1)) --recv-size 4 --bulk 2000000
expect_rc 0
wait "$BGPID"
RC=$?
expect_rc 0 server
n=$(grep -cE '^\[client\] <- recv\(3, buf\+[0-9]+, [1-4], 0\) = [1-4]  state=ESTABLISHED' "$T/c2")
[ "$n" -eq 4 ] || fail "13 bytes in 4-byte reads should take 4 recv calls, took $n"
has "$T/c2" 'a short read: 4 of 13 bytes so far'
has "$T/c2" '^\[client\] <- send\(3, buf, 2000000, MSG_DONTWAIT\) = [0-9]+  state=ESTABLISHED'
first=$(grep -E '<- send\(3, buf, 2000000, MSG_DONTWAIT\)' "$T/c2" | grep -oE '= [0-9]+' | tr -d '= ')
[ "$first" -lt 2000000 ] || fail "the first bulk send was not short ($first)"
has "$T/c2" 'a short write: the kernel took [0-9]+ of 2000000 bytes'
has "$T/c2" 'read the 2000000 echoed bytes, all identical'
has "$T/s2" 'end of stream \(after [0-9]+ recv calls, 2000019 bytes\)'

# --slow server: the client's two sends pile up and arrive in one server recv().
bg_lab 30 "$T/s3" -- "$L" server --port $((P + 2)) --slow 300 --timeout 10
wait_for "$T/s3" 'accept\(' 5
run_lab 20 "$T/c3" -- "$L" client --port $((P + 2))
expect_rc 0
wait "$BGPID"
has "$T/s3" '^\[server\]    got 6 bytes: "onetwo"$' "two sends in one server recv"

run_lab 5 "$T/e" -- "$L" client --port $((P + 3))
expect_rc 1
has "$T/e" 'ECONNREFUSED'
run_lab 5 "$T/u" -- "$L" client --recv-size 0
expect_rc 2
echo ok

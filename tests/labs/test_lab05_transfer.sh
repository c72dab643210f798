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
# The byte-stream step says what it saw: the bytes waiting (FIONREAD), then one recv() that
# returned exactly those; no claim about how the server's recv() calls split them.
has "$T/c" '^\[client\] <- ioctl\(3, FIONREAD, &n\) = 0  state=ESTABLISHED'
waiting=$(grep -oE '^\[client\]    [0-9]+ byte\(s\) waiting after' "$T/c" | grep -oE '[0-9]+')
has "$T/c" "^\[client\] <- recv\(3, buf, 64, 0\) = $waiting  state=ESTABLISHED" "recv returned what FIONREAD showed"
[ "$waiting" -eq 6 ] || fail "FIONREAD showed $waiting, want the 6 echoed bytes"
has "$T/c" 'one recv\(\) returned "onetwo" \(6 bytes\)'
hasnt "$T/c" 'arrived as one piece|both echoes are back by now'
has "$T/s" '^\[server\]    got 13 bytes: "ping over tcp"  \(recv\(\) call 1, 13 bytes so far\)$'
# the server's own recv() counts for "one" and "two" add up to the 6 bytes, whatever the split
split=$(grep -oE '^\[server\] <- recv\(4, buf, 1024, 0\) = [0-9]+' "$T/s" | sed -n '2,$p' | grep -oE '[0-9]+$' | awk '{ s += $1 } END { print s + 0 }')
[ "$split" -eq 6 ] || fail "server recv() calls after the first got $split bytes, want 6"
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
has "$T/s3" '^\[server\]    \(--slow: waited 300 ms before this recv\(\)\)$'
has "$T/s3" '^\[server\]    got 6 bytes: "onetwo"  \(recv\(\) call 2, 19 bytes so far\)$' "two sends in one server recv"
has "$T/c3" '^\[client\]    6 byte\(s\) waiting after [0-9]+ ioctl\(\) call\(s\), about [0-9]+ ms$'
ms=$(grep -oE 'about [0-9]+ ms' "$T/c3" | grep -oE '[0-9]+')
[ "$ms" -ge 200 ] || fail "with --slow 300 the echo came back after only $ms ms of waiting?"
has "$T/c3" '^\[client\] <- recv\(3, buf, 64, 0\) = 6  state=ESTABLISHED'

# Peer bytes are escaped: a control byte in the message is shown as \xNN by both sides.
bg_lab 30 "$T/s4" -- "$L" server --port $((P + 4)) --timeout 10
wait_for "$T/s4" 'accept\(' 5
run_lab 20 "$T/c4" -- "$L" client --port $((P + 4)) --message "$(printf 'a\033[2Jb')"
expect_rc 0
wait "$BGPID"
has "$T/s4" 'got 6 bytes: "a\\x1b\[2Jb"'
has "$T/c4" 'echoed back: "a\\x1b\[2Jb" \(6 bytes\), unchanged'
! grep -q $'\033' "$T/s4" "$T/c4" || fail "a raw ESC reached the terminal"

# A second server on the same port: bind() fails, and the holder is named as the kernel has it.
bg_lab 30 "$T/s5" -- "$L" server --port $((P + 5)) --timeout 5
wait_for "$T/s5" 'accept\(' 5
run_lab 10 "$T/s6" -- "$L" server --port $((P + 5))
expect_rc 1
has "$T/s6" "^\[server\] <- bind\(3, 127\.0\.0\.1:$((P + 5))\) = -1 EADDRINUSE"
has "$T/s6" "^\[server\]    /proc/net/tcp\{,6\}: 127\.0\.0\.1:$((P + 5)) is held by a socket in LISTEN"
[ "$(proc_state $((P + 5)))" = LISTEN ] || fail "kernel: no listener on :$((P + 5))"
sig_lab TERM
wait "$BGPID"

# Try breaking it: nobody to talk to. The lab names its own server, with this run's options.
[ -z "$(proc_state $((P + 3)))" ] || fail "something listens on :$((P + 3))"
run_lab 5 "$T/e" -- "$L" client --port $((P + 3))
expect_rc 1
has "$T/e" 'ECONNREFUSED'
has "$T/e" "^\[client\]    this lab's client needs this lab's server: start  lab05-transfer server --port $((P + 3))  first\$"
run_lab 5 "$T/u" -- "$L" client --recv-size 0
expect_rc 2
[ "$(wc -l <"$T/u")" -eq 1 ] || fail "a usage error is one line"
echo ok

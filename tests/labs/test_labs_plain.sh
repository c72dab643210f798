#!/usr/bin/env bash
# plain01..05: the un-narrated versions of labs 01-05 build, run, and do what the narrated lab
# does (checked against the kernel where there is something to see); bad usage exits 2.
. "$(dirname "$0")/lab_helpers.sh" "$@"
P=22450

run_lab 5 "$T/1" -- "$BIN/plain01-socket"
expect_rc 0
has "$T/1" '^socket\(AF_INET, SOCK_STREAM, 0\) = 3$'
has "$T/1" '^close\(3\) = 0$'

run_lab 5 "$T/2" -- "$BIN/plain02-bind" 0
expect_rc 0
eph=$(grep -oE ':[0-9]+$' "$T/2" | tr -d :)
read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
[ "${eph:-0}" -ge "$lo" ] && [ "$eph" -le "$hi" ] || fail "plain02-bind 0: port $eph not ephemeral"
run_lab 5 "$T/2b" -- "$BIN/plain02-bind" $P
expect_rc 0
has "$T/2b" "^bound to 127\.0\.0\.1:$P\$"

# plain03-listen: the kernel shows the listener with backlog 5 while it holds.
bg_lab 10 "$T/3" -- "$BIN/plain03-listen" $((P + 1)) 2
wait_for "$T/3" "listening on 127\.0\.0\.1:$((P + 1))" 5
[ "$(proc_state $((P + 1)))" = LISTEN ] || fail "plain03-listen: kernel shows no listener"
if command -v ss >/dev/null; then
	ss -ltn "sport = :$((P + 1))" | awk 'NR == 2 { exit !($3 == 5) }' || fail "plain03-listen: backlog is not 5"
fi
wait "$BGPID"
RC=$?
expect_rc 0 "plain03-listen"

# plain04-connect: the port the client reports is the one the server's accept() reports.
bg_lab 10 "$T/4s" -- "$BIN/plain04-connect" server $((P + 2))
for i in $(seq 1 40); do [ "$(proc_state $((P + 2)))" = LISTEN ] && break; sleep 0.05; done
run_lab 5 "$T/4c" -- "$BIN/plain04-connect" client $((P + 2))
expect_rc 0
wait "$BGPID"
RC=$?
expect_rc 0 "plain04-connect server"
cport=$(grep -oE 'our port [0-9]+' "$T/4c" | grep -oE '[0-9]+')
has "$T/4s" "^accept\(\) = 4: client 127\.0\.0\.1:$cport\$"
has "$T/4s" '^recv\(\) = 0$'
[ "$(proc_state "$cport" $((P + 2)))" = TIME_WAIT ] || fail "plain04: the client closed first but is not in TIME_WAIT"

# plain05-transfer: the echo comes back unchanged; the server saw the same bytes.
bg_lab 10 "$T/5s" -- "$BIN/plain05-transfer" server $((P + 3))
for i in $(seq 1 40); do [ "$(proc_state $((P + 3)))" = LISTEN ] && break; sleep 0.05; done
run_lab 5 "$T/5c" -- "$BIN/plain05-transfer" client $((P + 3)) "ping over tcp"
expect_rc 0
wait "$BGPID"
RC=$?
expect_rc 0 "plain05-transfer server"
has "$T/5c" '^echoed back: ping over tcp$'
has "$T/5s" '^got 13 bytes: ping over tcp$'

# Bad usage: one line on stderr, exit 2; --help: exit 0.
for p in plain01-socket plain02-bind plain03-listen plain04-connect plain05-transfer; do
	timeout 5 "$BIN/$p" --bogus >"$T/o" 2>"$T/e"
	RC=$?
	expect_rc 2 "$p --bogus"
	[ ! -s "$T/o" ] && [ "$(wc -l <"$T/e")" -eq 1 ] || fail "$p --bogus: want one line on stderr"
	timeout 5 "$BIN/$p" --help >"$T/o" 2>"$T/e"
	RC=$?
	expect_rc 0 "$p --help"
	has "$T/o" "^usage: $p"
	timeout 5 "$BIN/$p" --help >/dev/full 2>"$T/e"
	RC=$?
	expect_rc 1 "$p --help >/dev/full"
	has "$T/e" 'stdout: No space left on device'
done
echo ok

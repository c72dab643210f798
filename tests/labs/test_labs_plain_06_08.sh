#!/usr/bin/env bash
# plain06..08: the un-narrated versions of labs 06-08 build, run, and do what the narrated lab
# does, checked against the kernel where there is something to see; bad usage exits 2.
. "$(dirname "$0")/lab_helpers.sh" "$@"
P=22460

# plain06-close: a half-close (the reply comes after the client's FIN), and the client, which
# closed first, is left in TIME_WAIT.
bg_lab 10 "$T/6s" -- "$BIN/plain06-close" server $P
for _ in $(seq 1 40); do [ "$(proc_state $P)" = LISTEN ] && break; sleep 0.05; done
run_lab 5 "$T/6c" -- "$BIN/plain06-close" client $P
expect_rc 0 "plain06-close client"
wait "$BGPID"
RC=$?
expect_rc 0 "plain06-close server"
has "$T/6s" '^recv\(\) = 0 after 3 bytes: the client.s FIN$'
has "$T/6c" '^after shutdown\(SHUT_WR\), recv\(\) = 12$'
has "$T/6c" '^then recv\(\) = 0: the server.s FIN$'
[ "$(awk -v p="$(printf '%04X' $P)" 'FNR > 1 { split($2, l, ":"); split($3, r, ":");
	if (r[2] == p && $4 == "06") n++ } END { print n + 0 }' /proc/net/tcp)" -ge 1 ] ||
	fail "kernel: no TIME_WAIT for the client of plain06-close"

# plain07-echo: two clients served one after the other, each line echoed unchanged.
bg_lab 10 "$T/7s" -- "$BIN/plain07-echo" server $((P + 1)) 2
for _ in $(seq 1 40); do [ "$(proc_state $((P + 1)))" = LISTEN ] && break; sleep 0.05; done
for i in 1 2; do
	run_lab 5 "$T/7c$i" -- "$BIN/plain07-echo" client $((P + 1))
	expect_rc 0 "plain07-echo client $i"
	has "$T/7c$i" '^echo: hello, echo$'
done
wait "$BGPID"
RC=$?
expect_rc 0 "plain07-echo server"
has "$T/7s" '^client 2: 12 bytes echoed$'

# plain08-threads: the tutorials' own client, two at once, against the plain server.
command -v python3 >/dev/null || fail "python3 is needed (kit: PKGS_TEST)"
bg_lab 20 "$T/8s" -- "$BIN/plain08-threads" $((P + 2)) 2
for _ in $(seq 1 40); do [ "$(proc_state $((P + 2)))" = LISTEN ] && break; sleep 0.05; done
timeout 10 python3 "$(dirname "$0")/tutorial/client.py" $((P + 2)) >"$T/8a" 2>&1 &
A=$!
timeout 10 python3 "$(dirname "$0")/tutorial/client.py" $((P + 2)) >"$T/8b" 2>&1
wait "$A"
for f in "$T/8a" "$T/8b"; do
	printf 'Welcome!\nHello, mindthink!\nHello, code change the world!\nHello, hello world!\n' |
		diff - "$f" || fail "plain08-threads: wrong replies in $f"
done
wait "$BGPID"
RC=$?
expect_rc 0 "plain08-threads"
has "$T/8s" '^2 sessions served$'

for b in "plain06-close bogus" "plain07-echo server 0" "plain08-threads 8888 0"; do
	run_lab 5 "$T/u" -- $BIN/$b
	expect_rc 2 "$b"
	has "$T/u" '^usage: '
done
echo ok

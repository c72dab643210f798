#!/usr/bin/env bash
# engine_test.sh CHECKER BINDIR CASE — socklab-check itself on small misbehaving programs: it
# never hangs (every run ends within --timeout), always ends the program and its children,
# reports usage errors with exit 2, and its JSONL parses. Exit 77: skipped (not applicable).
set -u
CHECK="$1"
BIN="$2"
CASE="$3"
TMP="$(mktemp -d)"
chmod 777 "$TMP" # as root the checker runs the program as nobody, who writes pid files here
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL ($CASE): $*" >&2; exit 1; }
now() { date +%s.%N; }
# elapsed START: seconds since START
elapsed() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.2f", a - b }'; }
# within START LIMIT: elapsed time <= LIMIT
within() { awk -v a="$(now)" -v b="$1" -v l="$2" 'BEGIN { exit !(a - b <= l) }'; }
# dead PIDFILE: the process named in it no longer exists
dead() {
	local pid
	[[ -s "$1" ]] || fail "no pid file $1 (the program did not start?)"
	pid=$(cat "$1")
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		# killed but not yet reaped: an orphan's zombie waits for pid 1, which in a
		# container may reap late; it runs nothing any more
		[[ $(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) == Z ]] && return 0
		sleep 0.02
	done
	return 1
}
# run ARGS...: the checker under a guard (a hung checker fails the test, it never hangs it)
run() { timeout -s KILL 30 "$CHECK" "$@" >"$TMP/out" 2>"$TMP/err"; echo $? >"$TMP/rc"; }
rc() { cat "$TMP/rc"; }

usage_case() { # expect exit 2 and exactly one line on stderr
	run "$@"
	[[ $(rc) == 2 ]] || fail "'$*' exited $(rc), not 2"
	[[ $(wc -l <"$TMP/err") == 1 ]] || fail "'$*' wrote $(wc -l <"$TMP/err") lines on stderr: $(cat "$TMP/err")"
	[[ ! -s "$TMP/out" ]] || fail "'$*' wrote on stdout"
}

case "$CASE" in
usage)
	usage_case
	usage_case echo-server
	usage_case echo-server --
	usage_case no-such-task -- /bin/true
	usage_case echo-server ./prog
	usage_case echo-server --port 0 -- /bin/true
	usage_case echo-server --port 65536 -- /bin/true
	usage_case echo-server --port=abc -- /bin/true
	usage_case echo-server --timeout 1 -- /bin/true
	usage_case echo-server --timeout=601 -- /bin/true
	usage_case echo-server --format=xml -- /bin/true
	usage_case echo-server --format -- /bin/true
	usage_case echo-server --bogus -- /bin/true
	usage_case echo-server --port
	;;
info)
	run --list
	[[ $(rc) == 0 ]] || fail "--list exited $(rc)"
	for t in handshake-server handshake-client transfer-server echo-server echo-client \
		threads-server threads-client; do
		grep -q "^$t " "$TMP/out" || fail "--list lacks $t"
	done
	grep -q "checks: listens handshake reply concurrency exit-command close-wait no-reset close-order leak survives" "$TMP/out" ||
		fail "--list lacks threads-server's ten checks"
	run --help
	[[ $(rc) == 0 ]] && grep -q -- "--timeout" "$TMP/out" && grep -q "Exit status" "$TMP/out" ||
		fail "--help incomplete"
	run --version
	[[ $(rc) == 0 ]] && grep -q "^socklab-check [0-9]" "$TMP/out" || fail "--version"
	;;
never-listens)
	t0=$(now)
	run handshake-server --timeout 3 -- "$BIN/engine-never-listens" {port}
	within "$t0" 3.5 || fail "took $(elapsed "$t0") s with --timeout 3"
	[[ $(rc) == 1 ]] || fail "exit $(rc), not 1"
	grep -q "^FAIL listens .*no socket of the program was in LISTEN" "$TMP/out" || fail "no clear listens failure: $(cat "$TMP/out")"
	grep -q "^SKIP handshake .*not reached" "$TMP/out" || fail "handshake not skipped"
	;;
never-reads)
	t0=$(now)
	run transfer-server --timeout 4 -- "$BIN/engine-never-reads" {port} "$TMP/pid"
	within "$t0" 4.5 || fail "took $(elapsed "$t0") s with --timeout 4"
	[[ $(rc) == 1 ]] || fail "exit $(rc), not 1"
	grep -q "^PASS listens" "$TMP/out" || fail "listens: $(cat "$TMP/out")"
	grep -q "^FAIL reply .*acknowledged only [0-9]* of the 1048576 bytes" "$TMP/out" || fail "no clear reply failure: $(cat "$TMP/out")"
	dead "$TMP/pid" || fail "the program outlived the checker"
	if [[ $(id -u) == 0 ]]; then # captured: the failure shows the connection's ladder
		grep -q "the connection on the wire" "$TMP/out" &&
			grep -q "checker:[0-9]* --> program:[0-9]*  SYN seq=0" "$TMP/out" ||
			fail "no ladder under the failure: $(cat "$TMP/out")"
	fi
	;;
ignores-term)
	t0=$(now)
	run echo-server --timeout 4 -- "$BIN/engine-ignores-term" {port} "$TMP/pid" "$TMP/child"
	within "$t0" 4.5 || fail "took $(elapsed "$t0") s with --timeout 4"
	[[ $(rc) == 1 ]] || fail "exit $(rc), not 1"
	grep -q "^FAIL reply" "$TMP/out" || fail "no reply failure: $(cat "$TMP/out")"
	dead "$TMP/pid" || fail "the program (it ignores SIGTERM) outlived the checker"
	dead "$TMP/child" || fail "the program's child outlived the checker"
	;;
interrupted)
	"$CHECK" echo-server --timeout 30 -- "$BIN/engine-never-reads" {port} "$TMP/pid" \
		>"$TMP/out" 2>"$TMP/err" &
	cpid=$!
	for _ in $(seq 100); do [[ -s "$TMP/pid" ]] && break; sleep 0.05; done
	sleep 0.3
	t0=$(now)
	kill -INT "$cpid"
	wait "$cpid"
	rcv=$?
	within "$t0" 2 || fail "the checker took $(elapsed "$t0") s to end after SIGINT"
	[[ $rcv == 1 ]] || fail "exit $rcv after SIGINT, not 1"
	grep -q "interrupted" "$TMP/err" || fail "no word of the interruption on stderr"
	dead "$TMP/pid" || fail "the program outlived the interrupted checker"
	;;
pass-jsonl)
	run echo-server --format=jsonl -- "$BIN/engine-good-echo" {port}
	[[ $(rc) == 0 ]] || fail "a correct echo server: exit $(rc): $(cat "$TMP/out")"
	python3 - "$TMP/out" "$(id -u)" <<'PY' || fail "JSONL: $(cat "$TMP/out")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objs = [json.loads(l) for l in lines]
checks = [o for o in objs if o["type"] == "check"]
assert [o["check"] for o in checks] == ["listens", "handshake", "reply", "close-wait",
                                         "no-reset", "close-order", "survives"], checks
assert all(o["ok"] is True and o["hint"] == "" and o["why"] for o in checks), checks
res = objs[-1]
assert res["type"] == "result" and res["passed"] == 7 and res["failed"] == 0, res
assert res["capture"] is (sys.argv[2] == "0"), res
PY
	;;
unprivileged)
	# CI runs as root with util-linux: there this test must run, never skip.
	[[ $(id -u) == 0 ]] && command -v setpriv >/dev/null || exit "$([[ -n ${CI:-} ]] && echo 1 || echo 77)"
	chmod 755 "$BIN" 2>/dev/null
	timeout -s KILL 30 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CHECK" echo-server --format=jsonl -- "$BIN/engine-good-echo" {port} >"$TMP/out" 2>"$TMP/err"
	r=$?
	[[ $r == 0 ]] || fail "as nobody: exit $r: $(cat "$TMP/out" "$TMP/err")"
	grep -q "no capture" "$TMP/err" || fail "no word on stderr that the capture is missing"
	tail -1 "$TMP/out" | python3 -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["capture"] is False and o["failed"] == 0, o' ||
		fail "result line: $(tail -1 "$TMP/out")"
	;;
env-port)
	# the port reaches the program through $PORT when the command line has no {port}
	run echo-server --timeout 6 -- "$BIN/engine-good-echo"
	[[ $(rc) == 0 ]] || fail "\$PORT: exit $(rc): $(cat "$TMP/out")"
	;;
escaped)
	run handshake-server --timeout 3 -- "$BIN/engine-noisy-exit"
	[[ $(rc) == 1 ]] || fail "exit $(rc), not 1"
	grep -q 'exited with status 3' "$TMP/out" || fail "how it ended is not said: $(cat "$TMP/out")"
	grep -qF '\x1b[2J\x1b]0;owned\x07 bad byte \xff' "$TMP/out" || fail "output not escaped: $(cat -v "$TMP/out")"
	! grep -q $'\x1b' "$TMP/out" || fail "a raw ESC reached stdout"
	run handshake-server --format=jsonl --timeout 3 -- "$BIN/engine-noisy-exit"
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/out" ||
		fail "JSONL with a noisy program does not parse"
	;;
close-wait)
	run echo-server --timeout 6 -- "$BIN/engine-keeps-open" {port}
	[[ $(rc) == 1 ]] || fail "exit $(rc), not 1"
	grep -q "^FAIL close-wait .*sock_diag shows port [0-9]* -> [0-9]* in CLOSE_WAIT" "$TMP/out" ||
		fail "no CLOSE_WAIT evidence: $(cat "$TMP/out")"
	grep -q "hint: the accepted socket was never closed" "$TMP/out" || fail "no hint"
	grep -q "^PASS reply" "$TMP/out" || fail "reply should pass: $(cat "$TMP/out")"
	if [[ $(id -u) == 0 ]]; then
		grep -q "program ESTABLISHED -> CLOSE_WAIT" "$TMP/out" || fail "no tracker state in the ladder"
		# the path each side took, from its start state (the OPEN event's, not the segment's end)
		grep -q "program LISTEN -> SYN_RECEIVED -> ESTABLISHED -> CLOSE_WAIT, checker CLOSED -> SYN_SENT -> ESTABLISHED" "$TMP/out" ||
			fail "wrong state path in the evidence: $(grep '^FAIL close-wait' "$TMP/out")"
	fi
	;;
no-reset)
	run handshake-server --timeout 6 -- "$BIN/engine-closes-unread" {port}
	[[ $(rc) == 1 ]] || fail "exit $(rc), not 1"
	grep -q "^FAIL no-reset .*the program aborted the connection" "$TMP/out" || fail "$(cat "$TMP/out")"
	grep -q "^SKIP close-order .*reset" "$TMP/out" || fail "close-order not set aside: $(cat "$TMP/out")"
	grep -q "^PASS close-wait .*ended the connection before the checker's FIN (with a RST" "$TMP/out" ||
		fail "close-wait: $(cat "$TMP/out")"
	if [[ $(id -u) == 0 ]]; then
		grep -q "RST from the program" "$TMP/out" || fail "no wire evidence of the RST"
	fi
	;;
not-found)
	run echo-client -- "$TMP/no-such-program"
	[[ $(rc) == 1 ]] || fail "exit $(rc), not 1"
	grep -q "^FAIL handshake .*could not be started" "$TMP/out" || fail "$(cat "$TMP/out")"
	;;
*)
	fail "unknown case"
	;;
esac
exit 0

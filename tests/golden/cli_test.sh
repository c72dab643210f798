#!/bin/sh
# cli_test.sh — tcpscope's command line as a user meets it: exit codes, one-line usage
# errors, stdin, -c, -p, --names, and a live capture ended by SIGINT (as root: privilege drop).
# usage: cli_test.sh TCPSCOPE CASE      (run by ctest as cli.CASE)
set -u
tcpscope=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
pcap="$here/pcap/handshake-close.pcap"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL ($case): $*" >&2; exit 1; }
# CI runs as root: there a missing privilege is a failure, never a quiet pass.
need_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	[ -n "${CI:-}" ] && fail "needs root (CI runs as root)"
	echo "not root: skipped"
	exit 77
}

# expect_usage ARGS...: exit 2, exactly one line on stderr with the hint, nothing on stdout
expect_usage() {
	rc=0
	timeout 10 "$tcpscope" "$@" >"$work/out" 2>"$work/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "tcpscope $* exited $rc, want 2"
	[ "$(wc -l <"$work/err")" -eq 1 ] || fail "tcpscope $*: stderr is not one line: $(cat "$work/err")"
	grep -q "try 'tcpscope --help'" "$work/err" || fail "tcpscope $*: no hint: $(cat "$work/err")"
	[ ! -s "$work/out" ] || fail "tcpscope $*: wrote to stdout"
}

case $case in
usage)
	expect_usage --no-such-option
	expect_usage -x
	expect_usage --max-conns=abc
	expect_usage --max-conns=0
	expect_usage -p 70000
	expect_usage -p 80x
	expect_usage --format=xml -r "$pcap"
	expect_usage --names=bsd
	expect_usage --time-wait=-1
	expect_usage --speed=fast
	expect_usage -c 0
	expect_usage -r "$work/missing.pcap"
	expect_usage -r "$pcap" -i lo
	expect_usage -r "$pcap" "tcp port"
	expect_usage -r
	;;
help)
	timeout 10 "$tcpscope" --help >"$work/out" 2>&1 || fail "--help failed"
	for opt in -r -i -p -c -Z --format --summary --names --time-wait --max-conns --speed \
		--no-drop --no-color --help --version FILTER; do
		grep -q -- "$opt" "$work/out" || fail "--help does not mention $opt"
	done
	timeout 10 "$tcpscope" -V | grep -Eq '^tcpscope [0-9]+\.[0-9]+\.[0-9]+$' || fail "-V"
	;;
stdin)
	timeout 10 "$tcpscope" -r - --format=jsonl <"$pcap" >"$work/out" || fail "rc $?"
	diff -u "$here/expected/handshake-close.jsonl" "$work/out" || fail "stdin differs from file"
	;;
count)
	timeout 10 "$tcpscope" -r "$pcap" -c 3 --format=jsonl >"$work/out" || fail "rc $?"
	[ "$(grep -c '"type":"packet"' "$work/out")" -eq 3 ] || fail "-c 3 did not stop at 3"
	grep -q '"type":"summary".*"packets":3,' "$work/out" || fail "summary does not say 3"
	;;
filter)
	# -p and trailing words combine with 'and'; a port with no traffic gives no segments
	timeout 10 "$tcpscope" -r "$pcap" -p 20001 src port 20001 --format=jsonl >"$work/out" ||
		fail "rc $?"
	[ "$(grep -c '"type":"packet"' "$work/out")" -eq 5 ] || fail "server's 5 segments expected"
	timeout 10 "$tcpscope" -r "$pcap" -p 20999 --format=jsonl >"$work/out" || fail "rc $?"
	grep -q '"packets":0,' "$work/out" || fail "-p 20999 should match nothing"
	;;
names)
	timeout 10 "$tcpscope" -r "$pcap" --names=linux --summary >"$work/out" || fail "rc $?"
	grep -q "server: LISTEN -> SYN_RECV " "$work/out" || fail "no SYN_RECV transition"
	grep -q "client FIN_WAIT2 " "$work/out" || fail "no FIN_WAIT2 column"
	grep -q "TIME_WAIT  *CLOSE  " "$work/out" || fail "summary row lacks CLOSE"
	# every state field (reasons are prose and may quote either spelling)
	timeout 10 "$tcpscope" -r "$pcap" --names=linux --format=jsonl >"$work/out" || fail "rc $?"
	! grep -Eo '"(from|to|client_state|server_state)":"[A-Z_0-9]*"' "$work/out" |
		grep -q 'SYN_RECEIVED\|FIN_WAIT_[12]\|CLOSED' || fail "an RFC name is left"
	;;
schema)
	# every JSONL object parses and has exactly the keys the man page documents, per type;
	# checked on expected/*.jsonl, which the golden tests hold tcpscope to byte for byte
	# ./kit test installs python3; only a hand-made build without it skips (never CI)
	if ! command -v python3 >/dev/null; then
		[ -n "${CI:-}" ] && fail "python3 is missing (./kit test installs it)"
		echo "no python3: skipped"
		exit 77
	fi
	cat "$here"/expected/*.jsonl >"$work/out"
	python3 - "$work/out" <<'PY' || fail "schema"
import json, sys
keys = {
    "packet": "type t conn src dst flags seq ack seq_raw ack_raw len win win_scaled",
    "state": "type t conn endpoint role from to why",
    "conn": "type conn client server client_state server_state first last client_packets "
            "server_packets client_bytes server_bytes midstream end history",
    "summary": "type start duration packets tcp truncated malformed not_tcp fragments "
               "unsupported conns conns_evicted conns_peak anomalies received dropped if_dropped",
}
anomaly_base = set("type t conn kind why".split())
anomaly_extra = [set(), set("endpoint role".split()), set("frame caplen wirelen".split())]
seen = set()
for n, line in enumerate(open(sys.argv[1]), 1):
    o = json.loads(line)
    t = o["type"]
    seen.add(t)
    if t == "anomaly":
        ok = any(set(o) == anomaly_base | e for e in anomaly_extra)
    else:
        ok = set(o) == set(keys[t].split())
    if not ok:
        sys.exit("line %d: keys of %s: %s" % (n, t, sorted(o)))
    if t == "packet" and not all(isinstance(f, str) for f in o["flags"]):
        sys.exit("line %d: flags" % n)
if seen != {"packet", "state", "conn", "summary", "anomaly"}:
    sys.exit("types seen: %s" % sorted(seen))
PY
	;;
badfile)
	rc=0
	timeout 10 "$tcpscope" -r /etc/hostname >"$work/out" 2>"$work/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "not a capture: exit $rc, want 2"
	[ "$(wc -l <"$work/err")" -eq 1 ] || fail "not a capture: not one line: $(cat "$work/err")"
	grep -q "/etc/hostname" "$work/err" || fail "not a capture: file not named: $(cat "$work/err")"
	: >"$work/empty.pcap"
	rc=0
	timeout 10 "$tcpscope" -r "$work/empty.pcap" >"$work/out" 2>"$work/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "empty file: exit $rc, want 2"
	# cut short part way: what it held is reported, then the failure (exit 1)
	head -c 300 "$pcap" >"$work/cut.pcap"
	rc=0
	timeout 10 "$tcpscope" -r "$work/cut.pcap" >"$work/out" 2>"$work/err" || rc=$?
	[ "$rc" -eq 1 ] || fail "file cut short: exit $rc, want 1"
	grep -q "SYN_RECEIVED -> ESTABLISHED" "$work/out" || fail "file cut short: its segments not shown"
	grep -q "truncated" "$work/err" || fail "file cut short: not said: $(cat "$work/err")"
	;;
nodevice)
	rc=0
	timeout 10 "$tcpscope" -i nosuchif0 --format=text >"$work/out" 2>"$work/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "unknown interface: exit $rc, want 2"
	grep -q "nosuchif0.*interfaces here: .*lo" "$work/err" || fail "no list: $(cat "$work/err")"
	;;
permission)
	# as an unprivileged user without capabilities: exit 1 and the three ways out
	need_root
	cp "$tcpscope" "$work/tcpscope" && chmod 755 "$work" "$work/tcpscope"
	rc=0
	timeout 10 setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$work/tcpscope" -i lo --format=text >"$work/out" 2>"$work/err" || rc=$?
	[ "$rc" -eq 1 ] || fail "no permission: exit $rc, want 1: $(cat "$work/err")"
	for want in "sudo tcpscope" "setcap cap_net_raw,cap_net_admin+eip" "tcpscope -r file.pcap"; do
		grep -qF "$want" "$work/err" || fail "advice lacks '$want': $(cat "$work/err")"
	done
	;;
live)
	# live on lo: a real connection, then SIGINT: exit 0, segments, states, kernel counters;
	# started as root, it must run as nobody once the capture is open
	need_root
	timeout 30 "$tcpscope" -i lo -p 20050 --format=jsonl >"$work/out" 2>"$work/err" &
	pid=$!
	sleep 1
	uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo gone)
	# the tcpscope process is timeout's child
	child=$(pgrep -P "$pid" | head -1)
	[ -n "$child" ] && uid=$(awk '/^Uid:/ {print $2}' "/proc/$child/status")
	python3 - <<'PY'
import socket, threading
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", 20050)); ls.listen(1)
def srv():
    c, _ = ls.accept(); c.sendall(c.recv(10)); c.recv(10); c.close()
t = threading.Thread(target=srv); t.start()
s = socket.create_connection(("127.0.0.1", 20050), timeout=5)
s.sendall(b"hi"); s.recv(10); s.close(); t.join(); ls.close()
PY
	sleep 1
	kill -INT "${child:-$pid}"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || fail "SIGINT: exit $rc, want 0: $(cat "$work/err")"
	[ "$uid" = 65534 ] || fail "still uid $uid after the capture was opened, want nobody"
	grep -q '"type":"packet".*"flags":\["SYN"\]' "$work/out" || fail "no SYN seen"
	grep -q '"to":"TIME_WAIT"' "$work/out" || fail "no TIME_WAIT seen"
	grep -q '"type":"summary".*"dropped":0,' "$work/out" || fail "no kernel counters"
	;;
*)
	echo "cli_test.sh: unknown case $case" >&2
	exit 2
	;;
esac
echo "ok: $case"

#!/bin/sh
# privdrop.sh — after the capture is open, tcpscope holds no privilege, however it was started
# (issue 15 item 2): as root, with setcap file capabilities (the README's non-sudo setup), and
# with ambient capabilities from its parent. Read from the running process's /proc/PID/status:
# CapPrm, CapEff and CapBnd all zero, NoNewPrivs 1 (and, started as root, uid nobody). With -r
# this must hold before the file is read: the process is looked at while it waits on a FIFO.
# usage: privdrop.sh TCPSCOPE      (ctest integration.privdrop; root, setcap and setpriv needed)
set -u
tcpscope=$1
port=20061
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
if [ "$(id -u)" -ne 0 ]; then
	[ -n "${CI:-}" ] && fail "needs root (CI runs as root)"
	echo "not root: skipped"
	exit 77 # ctest shows it as skipped (SKIP_RETURN_CODE)
fi
command -v setcap >/dev/null || fail "setcap is missing (Debian libcap2-bin; ./kit deps test installs it)"
work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"
# setcap needs a file of its own (and one nobody may run)
cp "$tcpscope" "$work/tcpscope-root" && cp "$tcpscope" "$work/tcpscope-caps" &&
	cp "$tcpscope" "$work/tcpscope-amb" && chmod 755 "$work"/tcpscope-* || fail "copy"
setcap cap_net_raw,cap_net_admin,cap_setpcap+ep "$work/tcpscope-caps" || fail "setcap"
mkfifo "$work/fifo" && chmod 666 "$work/fifo" || fail "mkfifo"
as_nobody="setpriv --reuid=nobody --regid=nogroup --clear-groups"
amb_caps="+net_raw,+net_admin,+setpcap"

field() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }

# check MODE: the process $pid, once it has had time to open the capture
check() {
	mode=$1
	n=0
	# up to 5 s for the capture to open and the privileges to go (a loaded machine is slow)
	while [ $n -lt 50 ]; do
		kill -0 "$pid" 2>/dev/null || fail "$mode: tcpscope exited: $(cat "$work/err")"
		[ "$(field NoNewPrivs)" = 1 ] && break
		sleep 0.1
		n=$((n + 1))
	done
	for f in CapPrm CapEff CapBnd CapAmb; do
		v=$(field $f)
		[ "$v" = 0000000000000000 ] || fail "$mode: $f is $v, want none ($(grep ^Cap "/proc/$pid/status" | tr '\n' ' '))"
	done
	[ "$(field NoNewPrivs)" = 1 ] || fail "$mode: NoNewPrivs is $(field NoNewPrivs), want 1"
	[ "$(field Uid | head -1)" != 0 ] || [ "$mode" = "root -Z root" ] ||
		fail "$mode: still uid 0"
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	pid=
	[ "$rc" -eq 0 ] || fail "$mode: exit $rc after SIGINT: $(cat "$work/err")"
	echo "ok: $mode"
}

# live: root, setcap file capabilities, ambient capabilities (a parent's, as capsh or
# systemd's AmbientCapabilities= give them)
"$work/tcpscope-root" -i lo -p $port --format=jsonl >"$work/out" 2>"$work/err" &
pid=$!
check "root"
$as_nobody "$work/tcpscope-caps" -i lo -p $port --format=jsonl >"$work/out" 2>"$work/err" &
pid=$!
check "setcap"
$as_nobody --inh-caps=$amb_caps --ambient-caps=$amb_caps "$work/tcpscope-amb" -i lo -p $port \
	--format=jsonl >"$work/out" 2>"$work/err" &
pid=$!
check "ambient"
# -r: nothing kept even before the file is read (it waits for a writer on the FIFO)
"$work/tcpscope-root" -r "$work/fifo" --format=text >"$work/out" 2>"$work/err" &
pid=$!
check "root -r"
"$work/tcpscope-root" -Z root -r "$work/fifo" --format=text >"$work/out" 2>"$work/err" &
pid=$!
check "root -Z root"
"$work/tcpscope-root" --no-drop -r "$work/fifo" --format=text >"$work/out" 2>"$work/err" &
pid=$!
check "root --no-drop -r"
$as_nobody "$work/tcpscope-caps" -r "$work/fifo" --format=text >"$work/out" 2>"$work/err" &
pid=$!
check "setcap -r"
$as_nobody --inh-caps=$amb_caps --ambient-caps=$amb_caps "$work/tcpscope-amb" -r "$work/fifo" \
	--format=text >"$work/out" 2>"$work/err" &
pid=$!
check "ambient -r"
# a capture that still works after the drop: the segments of one connection come through
"$work/tcpscope-caps" -i lo -p $port --format=jsonl >"$work/out" 2>"$work/err" &
pid=$!
sleep 1
python3 -c "
import socket
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('127.0.0.1', $port)); ls.listen(1)
c = socket.create_connection(('127.0.0.1', $port)); s, _ = ls.accept(); c.close(); s.close()
" || fail "no connection"
sleep 0.5
kill -INT "$pid"
wait "$pid"
pid=
grep -q '"type":"packet".*"flags":\["SYN"\]' "$work/out" || fail "nothing captured after the drop"
echo "ok: capture after the drop"

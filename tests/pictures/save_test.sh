#!/bin/sh
# save_test.sh — tcpscope -w as a user meets it: a live capture on lo saved while it streams,
# read back by tcpdump and by tcpscope -r; the file complete when tcpscope stops by SIGINT,
# SIGTERM, -c or q in the screen; -w - alone on stdout; the combinations that are usage errors;
# the screen's w refusing to replace an existing file.
# usage: save_test.sh TCPSCOPE CASE     (run by ctest as pictures.save.CASE)
set -u
tcpscope=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL (save.$case): $*" >&2; exit 1; }
need_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	[ -n "${CI:-}" ] && fail "needs root (CI runs as root)"
	echo "not root: skipped"
	exit 77
}
need() { command -v "$1" >/dev/null || { [ -n "${CI:-}" ] && fail "no $1"; echo "no $1: skipped"; exit 77; }; }

# expect_usage ARGS...: exit 2, one line on stderr, nothing on stdout
expect_usage() {
	rc=0
	timeout 10 "$tcpscope" "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
	[ "$rc" -eq 2 ] || fail "tcpscope $* exited $rc, want 2"
	[ "$(wc -l <"$work/err")" -eq 1 ] || fail "tcpscope $*: stderr not one line: $(cat "$work/err")"
	[ ! -s "$work/out" ] || fail "tcpscope $*: wrote to stdout"
}

# start ARGS...: tcpscope in the background (pid in $pid, the real process in $child)
start() {
	timeout 30 "$tcpscope" "$@" 2>"$work/err" &
	pid=$!
	sleep 1
	child=$(pgrep -P "$pid" | head -1)
	[ -n "$child" ] || child=$pid
}

# readback FILE LIVE_JSONL: tcpdump reads FILE; tcpscope -r FILE shows what LIVE_JSONL showed
readback() {
	tcpdump -nn -r "$1" >"$work/dump.txt" 2>"$work/dump.err" || fail "tcpdump -r: $(cat "$work/dump.err")"
	grep -q 'Flags \[S\]' "$work/dump.txt" || fail "tcpdump sees no SYN in the saved file"
	grep -q 'Flags \[F' "$work/dump.txt" || fail "tcpdump sees no FIN in the saved file"
	"$tcpscope" -r "$1" --format=jsonl >"$work/file.jsonl" || fail "tcpscope -r the saved file"
	grep -q '"to":"TIME_WAIT"' "$work/file.jsonl" || fail "no TIME_WAIT read back"
	python3 "$here/same_events.py" "$2" "$work/file.jsonl" || fail "live and saved differ"
}

case $case in
live)
	# -w FILE while streaming JSONL; stopped by SIGINT
	need_root; need tcpdump; need python3
	start -i lo -p 20061 -w "$work/cap.pcap" --format=jsonl >"$work/live.jsonl"
	python3 "$here/exchange.py" 20061 || fail "exchange"
	sleep 1
	kill -INT "$child"
	rc=0; wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || fail "SIGINT: exit $rc: $(cat "$work/err")"
	readback "$work/cap.pcap" "$work/live.jsonl"
	;;
stdout)
	# -w - alone on stdout (the stream goes nowhere); stopped by SIGTERM
	need_root; need tcpdump; need python3
	start -i lo -p 20062 -w - >"$work/cap.pcap"
	python3 "$here/exchange.py" 20062 || fail "exchange"
	sleep 1
	kill -TERM "$child"
	rc=0; wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || fail "SIGTERM: exit $rc: $(cat "$work/err")"
	head -c 4 "$work/cap.pcap" | od -An -tx1 | grep -Eq 'd4 c3 b2 a1|a1 b2 c3 d4|4d 3c b2 a1|a1 b2 3c 4d' ||
		fail "stdout does not start with a pcap header"
	"$tcpscope" -r "$work/cap.pcap" --format=jsonl >"$work/live.jsonl" || fail "read back"
	readback "$work/cap.pcap" "$work/live.jsonl"
	;;
count)
	# -c N ends the run by itself: the file holds exactly N frames
	need_root; need tcpdump; need python3
	start -i lo -p 20063 -c 4 -w "$work/cap.pcap" --format=jsonl >"$work/live.jsonl"
	python3 "$here/exchange.py" 20063 || fail "exchange"
	rc=0; wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || fail "-c: exit $rc: $(cat "$work/err")"
	n=$(tcpdump -nn -r "$work/cap.pcap" 2>/dev/null | wc -l)
	[ "$n" -eq 4 ] || fail "-c 4 saved $n frames"
	"$tcpscope" -r "$work/cap.pcap" --format=jsonl >"$work/file.jsonl" || fail "read back"
	python3 "$here/same_events.py" "$work/live.jsonl" "$work/file.jsonl" || fail "differ"
	;;
screen)
	# -w under the screen (tmux gives it a terminal): the file is readable while it runs (each
	# dispatch is flushed) and complete once q ends it
	need_root; need tcpdump; need python3; need tmux
	sock="pictures-save-$$"
	tmux -L "$sock" new-session -d -x 160 -y 48 \
		"$tcpscope -i lo -p 20064 -w $work/cap.pcap 2>$work/err; echo \$? >$work/rc"
	sleep 1.5
	python3 "$here/exchange.py" 20064 || { tmux -L "$sock" kill-server; fail "exchange"; }
	sleep 1
	tcpdump -nn -r "$work/cap.pcap" 2>/dev/null | grep -q 'Flags \[F' ||
		{ tmux -L "$sock" kill-server; fail "the file lacks the FIN while the screen runs"; }
	tmux -L "$sock" send-keys q
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -s "$work/rc" ] && break
		sleep 0.5
	done
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ "$(cat "$work/rc" 2>/dev/null)" = 0 ] || fail "q: exit $(cat "$work/rc" 2>/dev/null): $(cat "$work/err")"
	"$tcpscope" -r "$work/cap.pcap" --format=jsonl >"$work/live.jsonl" || fail "read back"
	readback "$work/cap.pcap" "$work/live.jsonl"
	;;
screen_exists)
	# w in the screen never replaces a file: with the names of the next seconds taken, it
	# says so in the hint line, leaves them as they were, creates nothing and saves nothing
	need_root; need tmux
	sock="pictures-exists-$$"
	pane() { tmux -L "$sock" capture-pane -p -t ex 2>/dev/null; }
	# wait_pane REGEX SECONDS: poll the screen until a line matches
	wait_pane() {
		end=$(($(date +%s) + $2))
		while [ "$(date +%s)" -le "$end" ]; do
			pane | grep -Eq -- "$1" && return 0
			sleep 0.1
		done
		pane >&2
		tmux -L "$sock" kill-server 2>/dev/null
		fail "the screen never showed /$1/"
	}
	chmod 0777 "$work" # written as nobody after the privilege drop
	tmux -L "$sock" new-session -d -s ex -c "$work" -x 140 -y 30 \
		"$tcpscope -i lo -p 20065 2>$work/err; echo \$? >$work/rc"
	wait_pane "waiting for packets" 10
	now=$(date +%s)
	for i in 0 1 2 3 4; do
		echo keep >"$work/tcpscope-$(date -d "@$((now + i))" +%Y%m%d-%H%M%S).pcap"
	done
	tmux -L "$sock" send-keys -t ex w
	wait_pane "tcpscope-[0-9]{8}-[0-9]{6}\.pcap exists already: not overwritten" 5
	pane | grep -q "saving tcpscope-" && { tmux -L "$sock" kill-server; fail "the title bar says saving"; }
	tmux -L "$sock" send-keys -t ex q
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -s "$work/rc" ] && break
		sleep 0.5
	done
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ "$(cat "$work/rc" 2>/dev/null)" = 0 ] || fail "q: exit $(cat "$work/rc" 2>/dev/null): $(cat "$work/err")"
	for i in 0 1 2 3 4; do
		f="$work/tcpscope-$(date -d "@$((now + i))" +%Y%m%d-%H%M%S).pcap"
		[ "$(cat "$f")" = keep ] || fail "w overwrote $(basename "$f")"
	done
	[ "$(ls "$work" | grep -c '^tcpscope-')" -eq 5 ] || fail "w created a file: $(ls "$work")"
	;;
usage)
	pcap="$here/../golden/pcap/handshake-close.pcap"
	expect_usage -w - --format=jsonl -i lo
	expect_usage -w - --format=text -i lo
	expect_usage -w - --summary -i lo
	expect_usage -w "$work/x.pcap" -r "$pcap"
	expect_usage --format=none -i lo
	expect_usage -w
	;;
*)
	echo "save_test.sh: unknown case $case" >&2
	exit 2
	;;
esac
echo "ok: save.$case"

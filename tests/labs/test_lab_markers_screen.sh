#!/bin/bash
# Syscall markers on the screen at 80x24 (tmux, as tests/ui/screen_test.sh drives it):
# lab04-connect beside a live tcpscope shows "client: close()" on the ladder row right above
# the client's FIN arrow (drawn from the client's bar), "server: close()" right above the
# server's FIN, and both in the log view. Needs root and tmux; skipped (77) without them.
. "$(dirname "$0")/lab_helpers.sh" "$@"
TCPSCOPE=${TCPSCOPE:-$BIN/../src/tcpscope}
[ "$(id -u)" = 0 ] || { echo "SKIP: live capture needs root"; exit 77; }
command -v tmux >/dev/null || { echo "SKIP: tmux not installed"; exit 77; }
PORT=$((21000 + $$ % 7000))
export SOCKLAB_PORT=$PORT SOCKLAB_MARKER_SOCKET=socklab-screen-$$
unset SOCKLAB_MARKERS
sock="socklab-markers-$$"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; cleanup' EXIT
screen() { tm capture-pane -p -t ui; }
wait_screen() { # ERE SECS
	local end=$((SECONDS + $2))
	while [ $SECONDS -le $end ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	screen
	fail "screen never showed /$1/"
}

tm new-session -d -s ui -x 80 -y 24 "$TCPSCOPE -i lo -p $PORT; sleep 60" || fail "tmux"
wait_screen "waiting for packets" 10
for _ in $(seq 50); do grep -q "@$SOCKLAB_MARKER_SOCKET\$" /proc/net/unix && break; sleep 0.1; done
bg_lab 20 "$T/server" -- "$BIN/lab04-connect" server
spid=$BGPID
wait_for "$T/server" 'accept\(' 10
run_lab 20 "$T/client" -- "$BIN/lab04-connect" client --hold 0
expect_rc 0 "client"
wait "$spid"
wait_screen 'LAST_ACK' 10
screen >"$T/ladder"
# the row after the marker is the segment that call sent, in the direction of its side
awk '/\| client: close\(\) +\|/ { getline; print; exit }' "$T/ladder" | grep -Eq 'FIN_WAIT_1 \|- FIN,ACK .*->\|' ||
	{ cat "$T/ladder"; fail "client: close() is not right above the client's FIN"; }
awk '/\| +server: close\(\) \|/ { getline; print; exit }' "$T/ladder" | grep -Eq '\|<-+ FIN,ACK .*-\| LAST_ACK' ||
	{ cat "$T/ladder"; fail "server: close() is not right above the server's FIN"; }
awk '/\| client: connect\(\) +\|/ { getline; print; exit }' "$T/ladder" | grep -Eq 'SYN_SENT \|- SYN ' ||
	{ cat "$T/ladder"; fail "client: connect() is not right above the SYN"; }
# the log view: the markers among the transitions, connect() before the client's first one
tm send-keys -t ui 3
wait_screen 'transitions and why' 5
screen >"$T/log"
grep -Eq '#1 +client: close\(\) +syscall, pid [0-9]+' "$T/log" || { cat "$T/log"; fail "no client: close() in the log"; }
c=$(grep -n 'client: close()' "$T/log" | head -1 | cut -d: -f1)
f=$(grep -n 'ESTABLISHED -> FIN_WAIT_1' "$T/log" | head -1 | cut -d: -f1)
[ -n "$c" ] && [ -n "$f" ] && [ "$c" -lt "$f" ] || { cat "$T/log"; fail "close() is not logged before the FIN_WAIT_1 it caused"; }
echo "markers on screen ok"

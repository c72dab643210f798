#!/bin/bash
# bench_ui.sh [--smoke] TCPSCOPE LOADGEN — figures, not pass/fail:
#  1. kernel drops while LOADGEN makes RATE connections/s for SECS on loopback with the screen
#     up (goal 0);  2. tcpscope's CPU while idle for IDLE seconds (goal < 1%).
# --smoke: a tiny run that only checks the pipeline works (frames seen, process alive).
set -u
smoke=0
[ "${1:-}" = "--smoke" ] && { smoke=1; shift; }
bin=$1 gen=$2
# CI runs as root with tmux installed by ./kit: there these are failures, not skips.
[ "$(id -u)" = 0 ] || { echo "SKIP: live capture needs root"; [ -n "${CI:-}" ] && exit 1; exit 77; }
command -v tmux >/dev/null || { echo "SKIP: tmux not installed"; [ -n "${CI:-}" ] && exit 1; exit 77; }
if [ $smoke = 1 ]; then RATE=500 SECS=1 IDLE=3; else RATE=${RATE:-10000} SECS=${SECS:-10} IDLE=${IDLE:-30}; fi
PORT=24100
sock="socklab-ui-bench-$$"
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null' EXIT
screen() { T capture-pane -p -t ui 2>/dev/null; }
wait_for() {
	local end=$((SECONDS + $2))
	while [ $SECONDS -le $end ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.2
	done
	echo "FAIL: /$1/ not on screen"; screen; exit 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

T new-session -d -s ui -x 100 -y 30 "$bin -i lo -p $PORT ${EXTRA:-}; sleep 60"
wait_for "waiting for packets" 10
pid=$(pgrep -P "$(T display -p -t ui '#{pane_pid}')" | head -1)
hz=$(getconf CLK_TCK)

t0=$(cpu_ticks "$pid")
gen_out=$("$gen" $PORT $RATE $SECS) || echo "loadgen reported failures: $gen_out"
t1=$(cpu_ticks "$pid")
sleep 2
status=$(screen | head -1)
pkts=$(echo "$status" | grep -Eo 'pkts [0-9]+' | grep -Eo '[0-9]+')
drops=$(echo "$status" | grep -Eo 'drops [0-9]+' | grep -Eo '[0-9]+')
echo "load: $gen_out"
echo "load: tcpscope frames $pkts, kernel drops $drops (goal 0), CPU during load $(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$SECS" 'BEGIN{printf "%.1f", (b-a)/hz/s*100}')%"

sleep 1 # let the last redraws and timers settle
i0=$(cpu_ticks "$pid")
sleep "$IDLE"
i1=$(cpu_ticks "$pid")
echo "idle: $IDLE s, CPU $(awk -v a="$i0" -v b="$i1" -v hz="$hz" -v s="$IDLE" 'BEGIN{printf "%.2f", (b-a)/hz/s*100}')% (goal < 1%)"

kill -0 "$pid" 2>/dev/null || { echo "FAIL: tcpscope died"; exit 1; }
[ -n "$pkts" ] && [ "$pkts" -gt 0 ] || { echo "FAIL: no frames reached the screen"; exit 1; }
echo "ok"

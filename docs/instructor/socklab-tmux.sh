#!/usr/bin/env bash
# socklab-tmux.sh — the classroom layout in one tmux window: tcpscope on top (the projector's
# eye-catcher), a "server" terminal bottom left and a "client" terminal bottom right, with the
# lab's commands typed in but not run (press Enter when you are ready to tell the story).
#
#   docs/instructor/socklab-tmux.sh [--lab N] [--port P] [--netns NAME] [--build DIR]
#                                   [--session NAME] [--detach]
#
#   --lab N        pre-type the commands of lab N (1-9; default 4)
#   --port P       the port the labs and the tracer use (default 8888)
#   --netns NAME   lab 9's simultaneous scenarios: trace inside this namespace (made if needed)
#   --build DIR    the build tree (default: ./build next to docs/; its bin/ and src/ go on PATH)
#   --session S    tmux session name (default socklab); an existing one is attached to
#   --detach       set up the session but do not attach (for scripts and tests)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB=4 PORT=8888 NETNS="" BUILD="$ROOT/build" SESSION=socklab DETACH=0
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
	case $1 in
	--lab) LAB=${2:?}; shift 2 ;;
	--port) PORT=${2:?}; shift 2 ;;
	--netns) NETNS=${2:?}; shift 2 ;;
	--build) BUILD=${2:?}; shift 2 ;;
	--session) SESSION=${2:?}; shift 2 ;;
	--detach) DETACH=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "socklab-tmux.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
done
case $LAB in [1-9]) ;; *) echo "socklab-tmux.sh: --lab wants 1-9, not '$LAB'" >&2; exit 2 ;; esac
case $PORT in '' | *[!0-9]*) echo "socklab-tmux.sh: --port wants a number" >&2; exit 2 ;; esac
command -v tmux >/dev/null || { echo "socklab-tmux.sh: tmux is not installed (apt-get install tmux)" >&2; exit 1; }
[ -x "$BUILD/src/tcpscope" ] || { echo "socklab-tmux.sh: no $BUILD/src/tcpscope: run ./kit build first (or --build DIR)" >&2; exit 1; }

if tmux has-session -t "$SESSION" 2>/dev/null; then
	[ "$DETACH" -eq 1 ] && exit 0
	exec tmux attach -t "$SESSION"
fi

# Live capture needs root or a tcpscope with capabilities (see the guide, "Without root").
SCOPE="tcpscope -p $PORT"
if [ "$(id -u)" -ne 0 ] && ! getcap "$BUILD/src/tcpscope" 2>/dev/null | grep -q cap_net_raw; then
	SCOPE="sudo $BUILD/src/tcpscope -p $PORT"
fi
if [ -n "$NETNS" ]; then
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo "
	SCOPE="${SUDO}ip netns add $NETNS 2>/dev/null; ${SUDO}ip netns exec $NETNS ip link set lo up; ${SUDO}ip netns exec $NETNS $BUILD/src/tcpscope -p $PORT"
fi

# The two commands to pre-type for each lab: server pane, client pane.
case $LAB in
1) SRV="lab01-socket --hold 60" CLI="ls -l /proc/\$(pgrep lab01-socket)/fd" ;;
2) SRV="lab02-bind --port $PORT" CLI="ss -tan '( sport = :$PORT )'" ;;
3) SRV="lab03-listen --port $PORT --hold 60" CLI="lab04-connect client --port $PORT" ;;
4) SRV="lab04-connect server --port $PORT" CLI="lab04-connect client --port $PORT" ;;
5) SRV="lab05-transfer server --port $PORT" CLI="lab05-transfer client --port $PORT" ;;
6) SRV="lab06-close server --port $PORT" CLI="lab06-close client --port $PORT" ;;
7) SRV="lab07-echo server --port $PORT" CLI="lab07-echo client --port $PORT --framing" ;;
8) SRV="lab08-threads server --port $PORT" CLI="lab08-threads client --port $PORT --clients 4 --hold 3000" ;;
9) SRV="lab09-states --list" CLI="lab09-states close-wait --port $PORT --step" ;;
esac
if [ "$LAB" -eq 9 ] && [ -n "$NETNS" ]; then
	CLI="sudo env PATH=\$PATH lab09-states simultaneous-open --port $PORT --netns $NETNS --step"
fi

ENVSET="export PATH='$BUILD/bin:$BUILD/src':\$PATH; clear"
tmux new-session -d -s "$SESSION" -n "lab$LAB" -x 200 -y 50
tmux set-option -t "$SESSION" -g mouse on >/dev/null
tmux set-option -t "$SESSION" pane-border-status top >/dev/null 2>&1 || true
# Top: the tracer, 60 % of the height; bottom: server | client.
tmux split-window -t "$SESSION:0.0" -v -p 40
tmux split-window -t "$SESSION:0.1" -h -p 50
tmux select-pane -t "$SESSION:0.0" -T tracer 2>/dev/null || true
tmux select-pane -t "$SESSION:0.1" -T server 2>/dev/null || true
tmux select-pane -t "$SESSION:0.2" -T client 2>/dev/null || true
for p in 0 1 2; do tmux send-keys -t "$SESSION:0.$p" "$ENVSET" Enter; done
tmux send-keys -t "$SESSION:0.0" "$SCOPE" Enter
tmux send-keys -t "$SESSION:0.1" "$SRV"
tmux send-keys -t "$SESSION:0.2" "$CLI"
tmux select-pane -t "$SESSION:0.1"
[ "$DETACH" -eq 1 ] && exit 0
exec tmux attach -t "$SESSION"

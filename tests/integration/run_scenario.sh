#!/bin/sh
# run_scenario.sh — one integration scenario: tcpscope captures live while integ_scenario runs
# real sockets, then integ_compare checks tcpscope's states against the kernel's.
# usage: run_scenario.sh TCPSCOPE DRIVER COMPARE OUTDIR SCENARIO PORT [netns]
# With "netns", everything runs in a private network namespace socklab-integ-<scenario>-<pid>
# (deleted afterwards), where the driver may change nftables rules (see scenario_sim.c).
# A scenario may use ports PORT..PORT+9; the capture filter covers them.
set -u
tcpscope=$1 driver=$2 compare=$3 outdir=$4 scenario=$5 port=$6 mode=${7:-}

fail() { echo "integration.$scenario: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root for live capture on lo (CI runs as root; locally: sudo ctest -L integration)"
[ -x "$tcpscope" ] || fail "tcpscope not built at $tcpscope"
[ -x "$driver" ] || fail "integ_scenario not built at $driver"

dir=$outdir/$scenario
rm -rf "$dir" && mkdir -p "$dir" || fail "cannot create $dir"
ns=""
nsexec="" # empty, or "ip netns exec NS": it execs, so $! is the program itself
pid=""
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	[ -n "$ns" ] && ip netns delete "$ns" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$mode" = netns ]; then
	ns=socklab-integ-$scenario-$$
	ip netns add "$ns" && ip -n "$ns" link set lo up || fail "cannot set up network namespace $ns"
	nsexec="ip netns exec $ns"
fi

. "$(dirname "$0")/capture_open.sh"

$nsexec "$tcpscope" --format=jsonl -i lo "tcp portrange $port-$((port + 9))" >"$dir/tcpscope.jsonl" 2>"$dir/tcpscope.err" &
pid=$!
n=0
until capture_open "$pid" "$nsexec"; do
	kill -0 "$pid" 2>/dev/null || { cat "$dir/tcpscope.err" >&2; pid=""; fail "tcpscope exited before capturing"; }
	n=$((n + 1))
	[ $n -lt 100 ] || fail "tcpscope did not open a capture within 5 s"
	sleep 0.05
done
sleep 0.3

$nsexec timeout 25 "$driver" "$scenario" "$port" "$dir/expected.jsonl" 2>"$dir/driver.err"
drc=$?
# let the last segments reach the capture before stopping it
sleep 0.3
kill -INT "$pid" 2>/dev/null
n=0
while kill -0 "$pid" 2>/dev/null; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "tcpscope did not stop within 5 s of SIGINT"
	sleep 0.05
done
wait "$pid"
trc=$?
pid=""
[ $drc -eq 0 ] || { cat "$dir/driver.err" >&2; fail "scenario driver failed (exit $drc)"; }
[ $trc -eq 0 ] || { cat "$dir/tcpscope.err" >&2; fail "tcpscope exited with $trc after SIGINT"; }

"$compare" "$dir/expected.jsonl" "$dir/tcpscope.jsonl" >"$dir/compare.txt" 2>&1
crc=$?
cat "$dir/compare.txt"
if [ $crc -ne 0 ]; then
	echo "integration.$scenario: tcpscope disagrees with the kernel; files in $dir" >&2
	exit 1
fi
exit 0

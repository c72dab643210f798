#!/bin/sh
# live.sh — record some corpus scenarios afresh (make.py: namespaces, nftables, tracefs,
# tcpdump) and check them twice: tcpscope against the new truth file (compare.py), and the new
# truth file against the committed one (compare.py --same-kernel), so that a kernel whose
# states differ from the corpus's is noticed here and not in the golden tests.
# usage: live.sh TCPSCOPE WORKDIR SCENARIO...
# Needs root; 77 (skipped) without it, except with CI set, where it fails.
set -u
tcpscope=$1 work=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "truth.live: $*" >&2; exit 1; }
skip() {
	[ -n "${CI:-}" ] && fail "$* (CI runs as root with ./kit deps installed)"
	echo "truth.live: skipped: $*"
	exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, nftables, tracefs, tcpdump)"
for tool in python3 ip nft tcpdump ss; do
	command -v "$tool" >/dev/null || skip "no $tool (./kit deps installs it)"
done
if [ ! -d /sys/kernel/tracing/events ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
		fail "cannot mount tracefs on /sys/kernel/tracing"
fi
[ -d /sys/kernel/tracing/events/sock/inet_sock_set_state ] ||
	fail "this kernel has no sock:inet_sock_set_state tracepoint"
{ rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work"; } || fail "cannot create $work"
# make.py tears its namespaces and trace instance down itself, also on SIGTERM (timeout)
timeout 50 python3 "$here/make.py" -o "$work" "$@" || fail "make.py failed (its message is above)"
rc=0
for name in "$@"; do
	echo "== $name: tcpscope against the fresh truth"
	# tcpscope reads -r files as nobody once started as root: the work dir is world-readable
	chmod 644 "$work/$name.pcap"
	"$tcpscope" -r "$work/$name.pcap" --format=jsonl >"$work/$name.jsonl" || { rc=1; continue; }
	python3 "$here/compare.py" "$work/$name.truth" "$work/$name.jsonl" || rc=1
	echo "== $name: the kernel now against the committed corpus/$name.truth"
	python3 "$here/compare.py" --same-kernel "$here/corpus/$name.truth" "$work/$name.truth" || rc=1
done
[ $rc -eq 0 ] || echo "truth.live: a disagreement above; files in $work" >&2
exit $rc

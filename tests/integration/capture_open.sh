# capture_open.sh — sourced by the live-capture test scripts.
# capture_open PID [NSEXEC]: true once one of PID's sockets is a packet socket, i.e. its
# capture is open (the filter is attached right after: callers wait a moment more). NSEXEC
# runs the check inside a network namespace ("ip netns exec NAME"), empty for this one.
capture_open() {
	_inodes=$(ls -l /proc/"$1"/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p')
	[ -n "$_inodes" ] || return 1
	for _i in $_inodes; do
		${2:-} cat /proc/net/packet |
			awk -v i="$_i" 'NR > 1 && $NF == i { f = 1 } END { exit !f }' && return 0
	done
	return 1
}

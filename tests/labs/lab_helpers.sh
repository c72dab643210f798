# lab_helpers.sh — shared helpers for tests/labs/test_lab*.sh (source it; bash).
# Usage in a script:   . "$(dirname "$0")/lab_helpers.sh" "$@"
#   BIN                 the build's bin dir ($1 or $SOCKLAB_BIN)
#   T                   a private temp dir, removed at exit; background jobs are killed at exit
#   run_lab SECS OUT -- CMD...     run CMD with a hard timeout, stdout+stderr to OUT; sets RC
#   bg_lab SECS OUT -- CMD...      same in the background; sets BGPID (killed at exit)
#   has OUT ERE [what]             OUT has a line matching ERE, else fail (prints OUT)
#   hasnt OUT ERE [what]           no line matches
#   wait_for OUT ERE SECS          wait until OUT has a matching line, else fail
#   proc_state LPORT [RPORT]       the kernel's state (RFC name) of the socket on 127.0.0.1/::1
#                                  with that local port (and remote port; none: listener),
#                                  from /proc/net/tcp{,6}; empty if none
#   port_of OUT ERE TOKEN          the port in "TOKEN=addr:port" on the first line matching ERE
#   expect_rc WANT [what]          RC equals WANT
#   fail MSG                       print MSG and exit 1
set -u
BIN=${1:-${SOCKLAB_BIN:-}}
[ -n "$BIN" ] && [ -d "$BIN" ] || { echo "usage: $0 BIN_DIR (or set SOCKLAB_BIN)" >&2; exit 2; }
export NO_COLOR=1
# Close descriptors inherited from ctest, so labs start with 0-2 open like in a terminal
# (their narration then shows socket() = 3, as the worksheets say).
for fd in $(seq 3 30); do eval "exec $fd>&-" 2>/dev/null; done
T=$(mktemp -d /tmp/socklab-labtest.XXXXXX)
BGPIDS=""
cleanup() {
	for p in $BGPIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

run_lab() {
	local secs=$1 out=$2
	shift 3
	timeout -k 2 "$secs" "$@" >"$out" 2>&1
	RC=$?
	[ "$RC" -ne 124 ] && [ "$RC" -ne 137 ] || { cat "$out" >&2; fail "timed out: $*"; }
}

bg_lab() {
	local secs=$1 out=$2
	shift 3
	# <&0 keeps stdin (bash gives & jobs /dev/null); fds 7-9 are the tests' FIFO writers
	timeout -k 2 "$secs" "$@" <&0 >"$out" 2>&1 7>&- 8>&- 9>&- &
	BGPID=$!
	BGPIDS="$BGPIDS $BGPID"
}

# sig_lab SIG: signal the background lab itself. Signalling BGPID (timeout) is not the same:
# GNU timeout forwards a signal to its child AND to its process group, so the lab would get it
# twice, and a second Ctrl-C means "stop now" (no cleanup narration) by design.
sig_lab() {
	local child
	child=$(pgrep -P "$BGPID" | head -1)
	[ -n "$child" ] || fail "no lab process under $BGPID to signal"
	kill -"$1" "$child"
}

has() {
	grep -Eq -- "$2" "$1" || { echo "---- $1" >&2; cat "$1" >&2; fail "${3:-expected /$2/ in $1}"; }
}

hasnt() {
	if grep -Eq -- "$2" "$1"; then
		echo "---- $1" >&2
		cat "$1" >&2
		fail "${3:-unexpected /$2/ in $1}"
	fi
}

wait_for() {
	local i
	for i in $(seq 1 $(($3 * 20))); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "---- $1" >&2
	cat "$1" >&2
	fail "waited $3 s for /$2/ in $1"
}

expect_rc() {
	[ "$RC" -eq "$1" ] || fail "${2:-exit code} was $RC, wanted $1"
}

# Linux TCP_* numbers in /proc/net/tcp (hex) -> RFC 9293 names.
state_name() {
	case $1 in
	01) echo ESTABLISHED ;; 02) echo SYN_SENT ;; 03) echo SYN_RECEIVED ;;
	04) echo FIN_WAIT_1 ;; 05) echo FIN_WAIT_2 ;; 06) echo TIME_WAIT ;; 07) echo CLOSED ;;
	08) echo CLOSE_WAIT ;; 09) echo LAST_ACK ;; 0A) echo LISTEN ;; 0B) echo CLOSING ;;
	0C) echo SYN_RECEIVED ;; *) echo "?$1" ;;
	esac
}

proc_state() {
	local lp rp st
	lp=$(printf '%04X' "$1")
	rp=$(printf '%04X' "${2:-0}")
	st=$(awk -v lp="$lp" -v rp="$rp" 'FNR > 1 {
		split($2, l, ":"); split($3, r, ":");
		if (l[2] == lp && r[2] == rp) { print $4; exit }
	}' /proc/net/tcp /proc/net/tcp6)
	[ -n "$st" ] && state_name "$st"
}

# Count sockets with local port LPORT in state HEX.
proc_count() {
	local lp
	lp=$(printf '%04X' "$1")
	awk -v lp="$lp" -v st="$2" 'FNR > 1 { split($2, l, ":"); if (l[2] == lp && $4 == st) n++ }
		END { print n + 0 }' /proc/net/tcp /proc/net/tcp6
}

port_of() {
	grep -E -- "$2" "$1" | head -1 | grep -oE "$3=[^ ]*:[0-9]+" | head -1 | sed 's/.*://'
}

# The "state=" token of the first line matching ERE.
state_of() {
	grep -E -- "$2" "$1" | head -1 | grep -oE 'state=[A-Za-z_0-9]+' | head -1 | cut -d= -f2
}

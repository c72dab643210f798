#!/bin/bash
# With no tcpscope listening, a lab's syscall markers change nothing: lab04-connect server and
# client narrate exactly what they narrate with SOCKLAB_MARKERS=0 (descriptor numbers
# included: the marker's socket is closed before the lab's call), exit 0, and say nothing
# about markers. Ephemeral ports and TCP_INFO timings differ between runs and are masked.
# Also: tcpscope's marker options used wrongly give one line and exit 2.
. "$(dirname "$0")/lab_helpers.sh" "$@"
PORT=$((27000 + $$ % 5000))
export SOCKLAB_PORT=$PORT
# a name nobody binds (a tcpscope of another test may hold the default one)
export SOCKLAB_MARKER_SOCKET=socklab-nobody-$$
grep -q "@$SOCKLAB_MARKER_SOCKET\$" /proc/net/unix && fail "someone listens on @$SOCKLAB_MARKER_SOCKET"

pair() { # MODE: markers on (unset) or off (0)
	local mode=$1
	if [ "$mode" = off ]; then export SOCKLAB_MARKERS=0; else unset SOCKLAB_MARKERS; fi
	bg_lab 20 "$T/server.$mode" -- "$BIN/lab04-connect" server
	local spid=$BGPID
	wait_for "$T/server.$mode" 'accept\(' 10
	# --hold 1: the server has taken the connection before the client closes (else which
	# of the two comes first is a race, with or without markers)
	run_lab 20 "$T/client.$mode" -- "$BIN/lab04-connect" client --hold 1
	expect_rc 0 "client ($mode)"
	wait "$spid"
	RC=$?
	expect_rc 0 "server ($mode)"
}
pair on
pair off
# what close() leaves depends on how fast the peer answers the FIN: a race in any run
mask() {
	sed -E 's/127\.0\.0\.1:[0-9]+/127.0.0.1:P/g; s/[0-9]+ segment/N segment/g
		/<- close\(/s/state=[A-Z_0-9]+/state=S/; /<- close\(/s/  \(.*\)$//' "$1"
}
for side in server client; do
	diff <(mask "$T/$side.off") <(mask "$T/$side.on") >"$T/diff" ||
		{ cat "$T/diff"; fail "$side narrates differently with markers on and nobody listening"; }
done
has "$T/client.on" '^\[client\] <- socket\(AF_INET, SOCK_STREAM, 0\) = 3 ' "socket() = 3 as without markers"
hasnt "$T/client.on" 'marker|ECONNREFUSED|ENOENT' "a word about markers"
# tcpscope's marker options, used wrongly: one line on stderr, exit 2
TCPSCOPE=${TCPSCOPE:-$BIN/../src/tcpscope}
for args in "--marker-socket=" "--marker-socket=$(printf 'x%.0s' $(seq 101))" \
	"-r /dev/null --marker-socket=x"; do
	run_lab 10 "$T/usage" -- "$TCPSCOPE" $args
	expect_rc 2 "tcpscope $args"
	[ "$(wc -l <"$T/usage")" -eq 1 ] || { cat "$T/usage"; fail "tcpscope $args: not one line"; }
done
echo "quiet ok"

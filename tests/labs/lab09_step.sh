# lab09_step.sh — drive a lab with --step through a FIFO and stop it before a chosen call, so a
# test can ask the kernel (ss, /proc/net/tcp) at exactly that moment. Source after
# lab_helpers.sh.
#   step_start OUT -- CMD...   start CMD --step ... in the background, stdin from a FIFO
#   step_to ERE [SECS]         let the lab run until it pauses before a call whose "-> " line
#                              matches ERE (each other pause gets an Enter); else fail
#   step_finish [SECS]         end of input (no more pauses), wait for the lab; sets RC
STEP_N=0
STEP_PAUSED=0

step_start() {
	STEP_OUT=$1
	shift 2
	rm -f "$T/step.in"
	mkfifo "$T/step.in"
	timeout -k 2 120 "$@" <"$T/step.in" >"$STEP_OUT" 2>&1 &
	STEP_PID=$!
	BGPIDS="$BGPIDS $STEP_PID"
	exec 7>"$T/step.in"
	STEP_N=0
	STEP_PAUSED=0
}

step_to() {
	local ere=$1 secs=${2:-20} i n last
	# Paused at the previous match: go on from there.
	[ "$STEP_PAUSED" -eq 1 ] && echo >&7
	STEP_PAUSED=0
	for i in $(seq 1 $((secs * 50))); do
		n=$(grep -c '\[step\] press Enter' "$STEP_OUT")
		if [ "$n" -gt "$STEP_N" ]; then
			STEP_N=$n
			last=$(grep -E '^(\[[^]]*\] )?-> ' "$STEP_OUT" | tail -1)
			if printf '%s\n' "$last" | grep -Eq -- "$ere"; then
				STEP_PAUSED=1
				return 0
			fi
			echo >&7
		fi
		kill -0 "$STEP_PID" 2>/dev/null || break
		sleep 0.02
	done
	echo "---- $STEP_OUT" >&2
	cat "$STEP_OUT" >&2
	fail "the lab did not pause before /$ere/"
}

step_finish() {
	exec 7>&-
	local i
	for i in $(seq 1 $((${1:-30} * 20))); do
		kill -0 "$STEP_PID" 2>/dev/null || break
		sleep 0.05
	done
	wait "$STEP_PID"
	RC=$?
	[ "$RC" -ne 124 ] || { cat "$STEP_OUT" >&2; fail "timed out"; }
}

# screen_lesson.sh — the lesson layout, R and whole-file stepping (issue 12, what to build 3
# and 4), as cases of screen_test.sh: sourced by it, so its helpers (start, wait_for, has,
# flat, line_of, ...) and variables ($bin, $src, $EP) are in scope.

# why_of CONN ROLE TO: the tracker's own reason (tcpscope --format=jsonl) for that transition
# of demo-stories.pcap: what the screen must show, word for word.
why_of() {
	"$bin" -r "$src/data/demo-stories.pcap" --format=jsonl | python3 -c '
import json, sys
conn, role, to = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for line in sys.stdin:
    o = json.loads(line)
    if o.get("type") == "state" and o["conn"] == conn and o["role"] == role and o["to"] == to:
        print(o["why"])
        break' "$@"
}
# has_text TEXT: TEXT on screen, lines joined (a wrapped sentence reads whole), fixed string
has_text() { flat | grep -Fq -- "$1" || fail "expected '$1' on screen (lines joined)"; }

case_lesson() {
	local fin est n c d why_c why_s
	fin=$(why_of 5 client FIN_WAIT_1) est=$(why_of 5 server ESTABLISHED)
	[ -n "$fin" ] && [ -n "$est" ] || fail "no reasons from --format=jsonl"
	why_c="C client: ESTABLISHED -> FIN_WAIT_1 at this step (8/12). why: $fin"
	why_s="S server: SYN_RECEIVED -> ESTABLISHED at step 3/12. why: $est"
	# 150 columns or more: ladder and diagram side by side, the why beneath both
	for size in "160 45" "200 50 --theme=projector"; do
		set -- $size
		start "$1" "$2" -r "$src/data/demo-stories.pcap" --speed=0 "${@:3}"
		wait_for "end of file" 10
		if [ -n "${3:-}" ]; then # the projector's promise holds in this layout too
			d=$(T capture-pane -p -e -t ui | python3 "$src/tests/ui/sgr_cells.py" @dim)
			[ "$d" = "dim=0" ] || fail "$d cells dim with --theme=projector"
		fi
		has "^ +6\.009255 +SYN_SENT \|- SYN seq=0 .*->\| +\^ rcv RST \| active open"
		has "ESTABLISHED \|- ACK seq=1 ack=1 .*\| ESTABLISHED +\[  SYN_SENT  \] -+ rcv SYN"
		T send-keys -t ui Left Left Left Left
		wait_for "AT #5 8/12" 5
		has "FIN_WAIT_1 \|- FIN,ACK seq=9 ack=9 len=0 .*->\| .*snd/rcv RST"
		hasnt "seq=9 ack=10 len=4" # the ladder ends at the cursor
		has "C client $EP: FIN_WAIT_1 +last edge ESTABLISHED -> FIN_WAIT_1"
		has "C\[ FIN_WAIT_1 \] "
		has_text "$why_c"
		has_text "$why_s"
		# beneath the figure and its captions, across the screen from column 1
		n=$(line_of "S server $EP: ESTABLISHED +last edge") c=$(line_of "^ C client: ESTABLISHED")
		[ -n "$n" ] && [ -n "$c" ] || fail "diagram caption or why line missing"
		[ "$c" -gt "$n" ] || fail "the why (line $c) is not beneath the diagram (line $n)"
		T send-keys -t ui Right
		wait_for "AT #5 9/12" 5
		has_text "C client: FIN_WAIT_1 -> FIN_WAIT_2 at this step (9/12). why: $(why_of 5 client FIN_WAIT_2)"
		has_text "S server: ESTABLISHED -> CLOSE_WAIT at this step (9/12). why: $(why_of 5 server CLOSE_WAIT)"
		T send-keys -t ui L # off: the plain table and ladder
		wait_gone "active open" 5
		hasnt "C client: FIN_WAIT_1 -> FIN_WAIT_2"
		T send-keys -t ui L
		wait_for "active open" 5
		T kill-server
		sleep 0.2
	done
	# 150 columns but too few rows for the whole figure: no half diagram, the narrow layout
	start 150 24 -r "$src/data/demo-stories.pcap" --speed=0
	wait_for "end of file" 10
	hasnt "active open|enlarge for the diagram"
	T send-keys -t ui Left Left Left Left
	wait_for "AT #5 8/12" 5
	has_text "$why_c"
	T kill-server
	sleep 0.2
	# narrower: the why wraps right under the cursor's row, whole
	for size in "80 24" "120 40"; do
		set -- $size
		start "$1" "$2" -r "$src/data/demo-stories.pcap" --speed=0
		wait_for "end of file" 10
		hasnt "C client: " # no cursor, no why: the ladder keeps every row
		T send-keys -t ui Left Left Left Left
		wait_for "AT #5 8/12" 5
		n=$(line_of "FIN_WAIT_1 \|- FIN,ACK seq=9 ack=9 len=0")
		c=$(line_of "^ C client: ESTABLISHED -> FIN_WAIT_1")
		[ -n "$n" ] && [ "$c" = $((n + 1)) ] || fail "the why (line $c) is not under the cursor's row ($n)"
		has_text "$why_c"
		has_text "$why_s"
		[ "$1" = 120 ] || has "^    [^ ]" # at 80 the server's reason wraps, indented
		T send-keys -t ui Left
		wait_for "AT #5 7/12" 5
		has_text "C client: SYN_SENT -> ESTABLISHED at step 3/12. why: $(why_of 5 client ESTABLISHED)"
		T send-keys -t ui L
		wait_gone "C client: SYN_SENT" 5
		T kill-server
		sleep 0.2
	done
}

case_restart() {
	local first
	start 100 30 -r "$src/data/demo-stories.pcap" --speed=0
	wait_for "end of file \| pkts 42 \| conns 5" 10
	first=$(screen | sed -n 2,7p)
	T send-keys -t ui Left Left t Left k
	wait_for "AT #5 [0-9]+/12 file 39/42" 5
	# paused, R waits at frame 1: nothing fed yet, then n feeds the file's first segment
	T send-keys -t ui ' ' R
	wait_for "restarted: replaying the file from frame 1" 5
	wait_for "PAUSED 42 queued \| pkts 0 \| conns 0" 5
	has "no TCP connection seen yet"
	hasnt "AT #|file [0-9]+/"
	T send-keys -t ui n
	wait_for "PAUSED 41 queued \| pkts 1 \| conns 1" 5
	has "^ 1 127\.0\.0\.1:39056 +127\.0\.0\.1:9998 +SYN_SENT +UNKNOWN +1 "
	has "\|- SYN seq=0 "
	T send-keys -t ui ' '
	wait_for "end of file \| pkts 42 \| conns 5" 10
	[ "$(screen | sed -n 2,7p)" = "$first" ] || fail "the table after R differs: $(screen | sed -n 2,7p)"
	# not paused: straight through again
	T send-keys -t ui R
	wait_for "restarted: replaying the file from frame 1" 5
	wait_for "end of file \| pkts 42 \| conns 5" 10
	[ "$(screen | sed -n 2,7p)" = "$first" ] || fail "the table after a second R differs"
	T kill-server
	sleep 0.2
	# live: no silent no-op
	live 24022
	T send-keys -t ui R
	wait_for "R restarts a file read with -r; a live capture cannot go back" 5
}

case_file_step() {
	local size sel
	for size in "100 30" "80 24"; do
		set -- $size
		start "$1" "$2" -r "$src/data/demo-stories.pcap" --speed=0
		wait_for "end of file" 10
		T send-keys -t ui t
		wait_for "every connection's segments in capture order" 5
		T send-keys -t ui Left
		wait_for "AT #5 11/12 file 41/42" 5
		# back across the boundary: #4's last segment (the abort) comes before #5's first
		T send-keys -t ui Left Left Left Left Left Left Left Left Left Left Left
		wait_for "AT #4 8/8 file 30/42" 5
		has "^#4 client" # the ladder follows
		has "\|- RST"
		# the selection follows: #4's row is the selected bar (no cell without its background)
		sel=$(T capture-pane -p -e -t ui | python3 "$src/tests/ui/sgr_cells.py" '^ *4 127\.0\.0\.1:39064')
		[ "$sel" = "holes=0" ] || fail "#4's row is not the selected one ($sel)"
		has_text "S server: ESTABLISHED -> CLOSED at this step (8/8). why: $(why_of 4 server CLOSED)"
		T send-keys -t ui Right
		wait_for "AT #5 1/12 file 31/42" 5
		has "^#5 client"
		hasnt "SYN,ACK"
		# #3 (refused) has two segments: 22 and 21, then #2's last
		T send-keys -t ui Left Left Left Left Left Left Left Left Left
		wait_for "AT #3 2/2 file 22/42" 5
		T send-keys -t ui Left Left
		wait_for "AT #2 10/10 file 20/42" 5
		# back to the connection: Left/Right stay within #2, from where the cursor is
		T send-keys -t ui t Left
		wait_for "AT #2 9/10" 5
		hasnt "file [0-9]+/42"
		T kill-server
		sleep 0.2
	done
	# no connection left to select (two refused ones, cleared with c): Left steps the file
	[ -x "$pcapgen" ] || fail "no pcapgen given"
	work=$(mktemp -d)
	printf '%s\n' "link EN10MB" \
		"0.000000 127.0.0.1:40001 > 127.0.0.1:24023 S seq=1000 win=65495" \
		"+0.000010 127.0.0.1:24023 > 127.0.0.1:40001 RA seq=0 ack=1001 win=0" \
		"+0.500000 127.0.0.1:40002 > 127.0.0.1:24023 S seq=2000 win=65495" \
		"+0.000010 127.0.0.1:24023 > 127.0.0.1:40002 RA seq=0 ack=2001 win=0" >"$work/r.txt"
	"$pcapgen" "$work/r.txt" "$work/r.pcap" || fail "pcapgen"
	start 80 24 -r "$work/r.pcap" --speed=0
	wait_for "end of file" 10
	T send-keys -t ui c
	wait_for "cleared 2 closed connections" 5
	T send-keys -t ui Left
	wait_for "AT #2 1/2 file 3/4" 5
	has_text "C client: CLOSED -> SYN_SENT at this step (1/2). why: sent SYN seq=0"
}

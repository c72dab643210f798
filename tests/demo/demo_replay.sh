#!/bin/sh
# `./kit demo` where live capture is not permitted: the bundled capture of the demo's five
# stories (data/demo-stories.pcap) replays to the same states as a live run.
scope="$1" capture="$2"
out=$(mktemp) && trap 'rm -f "$out"' EXIT
timeout 20 "$scope" -r "$capture" --format=text --summary >"$out" 2>&1 || { echo "tcpscope failed"; cat "$out"; exit 1; }
"$(dirname "$0")/check_stories.sh" "$out" 9999

#!/bin/sh
# regen.sh — rewrite expected/ from what tcpscope prints now. For humans, after a deliberate
# change: review `git diff tests/golden/expected` against RFC 9293 before committing, because
# these files are the specification, not a snapshot.
# usage: tests/golden/regen.sh [BUILD_DIR]   (default: build)
# The SVG figures drawn from the same captures have their own: tests/pictures/regen.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../../build"}
tcpscope="$build/src/tcpscope"
pcapgen="$build/tests/tools/pcapgen"
work=$(mktemp -d)
chmod 755 "$work" # started as root, tcpscope reads -r files as nobody
trap 'rm -rf "$work"' EXIT
for input in "$here"/pcap/*.pcap "$here"/scripts/*.txt; do
	[ -e "$input" ] || continue
	name=$(basename "$input")
	name=${name%.*}
	case "$input" in
	*.txt) "$pcapgen" "$input" "$work/$name.pcap"; capture="$work/$name.pcap" ;;
	*) capture=$input ;;
	esac
	# vlan: the default filter misses tagged frames (README.md, known problems); with this
	# filter tcpscope prints what it should print with none
	filter=
	[ "$name" = vlan ] && filter="vlan and tcp"
	# shellcheck disable=SC2086 # the filter is words
	"$tcpscope" -r "$capture" --format=text --summary $filter >"$here/expected/$name.txt"
	# shellcheck disable=SC2086
	"$tcpscope" -r "$capture" --format=jsonl $filter >"$here/expected/$name.jsonl"
	echo "regenerated $name"
done

#!/bin/sh
# regen.sh — rewrite tests/pictures/expected/ from what tcpscope draws now. For humans, after a
# deliberate change: look at the figures (rsvg-convert FILE.svg -o FILE.png) before committing.
# usage: tests/pictures/regen.sh [BUILD_DIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../../build"}
tcpscope="$build/src/tcpscope"
pcapgen="$build/tests/tools/pcapgen"
work=$(mktemp -d)
chmod 755 "$work" # started as root, tcpscope reads -r files as nobody
trap 'rm -rf "$work"' EXIT
. "$here/figure_cases.sh"
for case in $figure_cases; do
	name=${case%%:*}
	variant=${case#*:}
	input=$here/../golden/pcap/$name.pcap
	if [ ! -e "$input" ]; then
		"$pcapgen" "$here/../golden/scripts/$name.txt" "$work/$name.pcap"
		input=$work/$name.pcap
	fi
	. "$here/figure_args.sh"
	# shellcheck disable=SC2086
	"$tcpscope" -r "$input" $args >"$here/expected/$name.$variant.svg"
	echo "regenerated $name.$variant.svg"
done

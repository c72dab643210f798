#!/bin/sh
# Regenerates the committed seed corpora from tests/tools/examples with pcapgen --fuzz, once per
# link type, plus one file holding every example back to back (many connections in one input).
# usage: tests/fuzz/make_seeds.sh PCAPGEN     (e.g. build/tests/tools/pcapgen)
set -eu
pcapgen="$1"
here=$(cd "$(dirname "$0")" && pwd)
examples="$here/../tools/examples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for target in fuzz_decode fuzz_decode_track; do
	out="$here/corpus/$target"
	mkdir -p "$out"
	: >"$tmp/all"
	for ex in "$examples"/*.txt; do
		name=$(basename "$ex" .txt)
		for link in EN10MB LINUX_SLL LINUX_SLL2 NULL LOOP RAW; do
			sed "s/^link .*/link $link/" "$ex" >"$tmp/s.txt"
			"$pcapgen" --fuzz "$tmp/s.txt" "$out/$name-$link"
		done
		cat "$out/$name-EN10MB" >>"$tmp/all"
	done
	cp "$tmp/all" "$out/all-examples"
done
echo "seeds written to $here/corpus/"

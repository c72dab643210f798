#!/bin/sh
# Regenerates the committed seed corpora from tests/tools/examples with pcapgen --fuzz, once per
# link type, one file holding every example back to back, and 70 SYNs (table eviction).
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
	# more SYNs from distinct ports than the fuzz table holds (64): eviction
	{
		echo "link RAW"
		i=0
		while [ $i -lt 70 ]; do
			echo "+0.001 10.0.0.1:$((20000 + i)) > 10.0.0.2:80 S seq=$((i * 1000))"
			i=$((i + 1))
		done
	} >"$tmp/many.txt"
	"$pcapgen" --fuzz "$tmp/many.txt" "$out/many-syns"
done
echo "seeds written to $here/corpus/"

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
for target in fuzz_decode fuzz_decode_track fuzz_pipeline; do
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
	[ "$target" = fuzz_pipeline ] || continue
	# the output's own extremes: no flags, all flags (the JSONL flags arrays' shortest and
	# longest) and a truncated frame; then the same with the clock started near the end of
	# what 64-bit microseconds hold (selector bit 0x40 on the first record, see fuzz_pipeline.c)
	"$pcapgen" --fuzz "$here/../golden/scripts/flags-extremes.txt" "$out/flags-extremes"
	"$pcapgen" --fuzz "$here/../golden/scripts/truncated.txt" "$out/truncated"
	for step in 6 8 9; do
		sel=$((0x40 | $(od -An -tu1 -N1 "$out/flags-extremes")))
		printf "\\$(printf %o $sel)\\$(printf %o $step)" >"$tmp/head"
		tail -c +3 "$out/flags-extremes" >>"$tmp/head"
		mv "$tmp/head" "$out/extreme-time-$step"
	done
done
echo "seeds written to $here/corpus/"

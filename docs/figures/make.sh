#!/bin/sh
# make.sh — draws the figures of the demo's five stories (data/demo-stories.pcap), and of the
# recorded golden captures the worksheets can use (tests/golden/pcap), into this folder with
# tcpscope --format=svg. The test pictures.docs_figures checks that the committed
# files are what the build draws; after a change to the figures, run this and commit them.
# usage: docs/figures/make.sh [BUILD_DIR [OUT_DIR]]   (defaults: build, docs/figures)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
build=${1:-"$root/build"}
out=${2:-"$here"}
tcpscope="$build/src/tcpscope"
pcap="$root/data/demo-stories.pcap"
mkdir -p "$out"
# all five stories, one figure each, stacked
"$tcpscope" -r "$pcap" --format=svg >"$out/stories-ladder.svg"
"$tcpscope" -r "$pcap" --format=svg --diagram >"$out/stories-diagram.svg"
# one story each, for the README and for worksheets (the blank ones: fill in the states)
for story in 1 2 3 4 5; do
	"$tcpscope" -r "$pcap" --format=svg --conn "$story" >"$out/story-$story-ladder.svg"
	"$tcpscope" -r "$pcap" --format=svg --conn "$story" --diagram >"$out/story-$story-diagram.svg"
done
"$tcpscope" -r "$pcap" --format=svg --conn 1 --blank >"$out/story-1-ladder-blank.svg"
"$tcpscope" -r "$pcap" --format=svg --conn 1 --diagram --blank >"$out/story-1-diagram-blank.svg"
# the recorded golden captures (tests/golden/README.md says what each run did): a figure and
# its blank twin for a worksheet question
for name in handshake-close half-close refused linger-rst; do
	cap="$root/tests/golden/pcap/$name.pcap"
	"$tcpscope" -r "$cap" --format=svg >"$out/$name-ladder.svg"
	"$tcpscope" -r "$cap" --format=svg --blank >"$out/$name-ladder-blank.svg"
	"$tcpscope" -r "$cap" --format=svg --diagram >"$out/$name-diagram.svg"
	"$tcpscope" -r "$cap" --format=svg --diagram --blank >"$out/$name-diagram-blank.svg"
done

#!/bin/sh
# regen.sh — rewrite expected/ from what tcpscope prints now for the corpus (corpus/*.pcap).
# As tests/golden/regen.sh: for humans after a deliberate change; read
# `git diff tests/truth/expected` against the truth files before committing.
# usage: tests/truth/regen.sh [BUILD_DIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../../build"}
for capture in "$here"/corpus/*.pcap; do
	name=$(basename "$capture" .pcap)
	"$build/src/tcpscope" -r "$capture" --format=text --summary >"$here/expected/$name.txt"
	"$build/src/tcpscope" -r "$capture" --format=jsonl >"$here/expected/$name.jsonl"
	echo "regenerated $name"
done

#!/bin/sh
# docs_figures.sh — the figures committed in docs/figures are what this build draws
# (docs/figures/make.sh into a scratch folder, then compared file by file, both ways).
# usage: docs_figures.sh BUILD_DIR
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
docs=$here/../../docs/figures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sh "$docs/make.sh" "$build" "$work"
status=0
for f in "$work"/*.svg; do
	name=$(basename "$f")
	if ! cmp -s "$f" "$docs/$name"; then
		echo "docs/figures/$name differs from what the build draws (run docs/figures/make.sh)" >&2
		status=1
	fi
done
for f in "$docs"/*.svg; do
	[ -e "$work/$(basename "$f")" ] || { echo "docs/figures/$(basename "$f") is not made by make.sh" >&2; status=1; }
done
[ "$status" -eq 0 ] && echo "ok: docs/figures up to date"
exit "$status"

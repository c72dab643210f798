#!/bin/sh
# Every C file in the project must already be formatted by .clang-format.
cf="$1"; root="$2"
command -v "$cf" >/dev/null || { echo "clang-format not found ($cf): apt-get install clang-format"; exit 1; }
cd "$root" || exit 2
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find include src labs tests tools -name '*.[ch]')
[ -n "$files" ] || { echo "no C files found"; exit 1; }
bad=0
for f in $files; do
	[ -f "$f" ] || continue
	if ! "$cf" --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f   (fix: clang-format -i $f)"
		bad=$((bad + 1))
	fi
done
n=$(echo "$files" | wc -w)
echo "checked $n files, $bad not formatted"
[ "$bad" -eq 0 ]

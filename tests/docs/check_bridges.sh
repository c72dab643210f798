#!/usr/bin/env bash
# check_bridges.sh LABS_DIR [WORKSHEET...] — the "From the tutorial" tables cite real lines: in
# every table row whose last cell is `FILE.c:N`, line N of that file (in the worksheet's lab
# folder, or LABS_DIR/lib for lib/FILE.c) must hold the row's first `C code` cell verbatim.
set -u
LABS=${1:?usage: check_bridges.sh LABS_DIR [WORKSHEET...]}
shift
if [ $# -gt 0 ]; then sheets=("$@"); else sheets=("$LABS"/*/WORKSHEET.md); fi
failed=0 rows=0
for ws in "${sheets[@]}"; do
	dir=$(dirname "$ws")
	# Table rows ending in a `file.c:N` cell: print "lineno<TAB>code<TAB>file<TAB>N".
	while IFS=$'\t' read -r wl code file n; do
		rows=$((rows + 1))
		case $file in
		lib/*) src="$LABS/$file" ;;
		*) src="$dir/$file" ;;
		esac
		if [ ! -f "$src" ]; then
			echo "FAIL $ws:$wl: $file does not exist" >&2
			failed=$((failed + 1))
			continue
		fi
		text=$(sed -n "${n}p" "$src")
		if [[ "$text" != *"$code"* ]]; then
			echo "FAIL $ws:$wl: $file:$n is \"${text#"${text%%[![:space:]]*}"}\", not \"$code\"" >&2
			failed=$((failed + 1))
		fi
	done < <(awk '
		/^\|.*\| *`[A-Za-z0-9_\/.-]+\.c:[0-9]+` *\|$/ {
			n = split($0, cell, "|")
			where = cell[n - 1]; gsub(/[ `]/, "", where)
			split(where, fw, ":")
			code = ""
			for (i = 3; i < n - 1 && code == ""; i++)
				if (match(cell[i], /`[^`]+`/)) code = substr(cell[i], RSTART + 1, RLENGTH - 2)
			if (code != "") printf "%d\t%s\t%s\t%s\n", NR, code, fw[1], fw[2]
		}' "$ws")
done
echo "$rows bridge row(s), $failed failure(s)"
[ "$rows" -gt 0 ] && [ "$failed" -eq 0 ]

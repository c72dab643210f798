#!/usr/bin/env bash
# The "From the tutorial" tables of the worksheets cite source lines: [lab04.c:105](lab04.c#L105).
# Each cited line must still hold one of the C code spans of the row's second column (exactly, as
# a substring), so a table cannot drift from the code. Any worksheet may use such tables; labs
# 01-05 must have one with a row for each tutorial line.
. "$(dirname "$0")/lab_helpers.sh" "$@"
LABS=${SOCKLAB_LABS:-$(cd "$(dirname "$0")/../../labs" && pwd)}

checked=0
for ws in "$LABS"/[0-9][0-9]-*/WORKSHEET.md; do
	dir=$(dirname "$ws")
	rows=$(grep -E '^\|.*\]\([^)#]+#L[0-9]+\)' "$ws" || true)
	[ -n "$rows" ] || continue
	while IFS= read -r row; do
		# column 2 (after the first two '|'): its `code spans` are what the cited lines must hold
		col2=$(printf '%s\n' "$row" | awk -F'|' '{ print $3 }')
		spans=$(printf '%s\n' "$col2" | grep -oE '`[^`]+`' | tr -d '`')
		[ -n "$spans" ] || fail "$ws: a row cites lines but names no C code: $row"
		for link in $(printf '%s\n' "$row" | grep -oE '\[[^]]+:[0-9]+\]\([^)#]+#L[0-9]+\)'); do
			label=$(printf '%s' "$link" | sed -E 's/^\[[^]]*:([0-9]+)\].*/\1/')
			file=$(printf '%s' "$link" | sed -E 's/^.*\]\(([^)#]+)#L[0-9]+\)$/\1/')
			line=$(printf '%s' "$link" | sed -E 's/^.*#L([0-9]+)\)$/\1/')
			[ "$label" = "$line" ] || fail "$ws: $link: label says $label, anchor says $line"
			[ -f "$dir/$file" ] || fail "$ws: $link: no file $dir/$file"
			text=$(sed -n "${line}p" "$dir/$file")
			ok=0
			while IFS= read -r span; do
				[ -n "$span" ] && case $text in *"$span"*) ok=1 ;; esac
			done <<<"$spans"
			[ $ok -eq 1 ] || fail "$ws: $link: line $line of $file is '$text', none of: $(echo $spans)"
			checked=$((checked + 1))
		done
	done <<<"$rows"
done

# Labs 01-05: the table has every tutorial line (cited or pointing to the lab that has it).
for n in 01 02 03 04 05; do
	ws=$(ls "$LABS"/$n-*/WORKSHEET.md)
	grep -q '^## From the tutorial$' "$ws" || fail "$ws: no '## From the tutorial' section"
	for py in 's = socket.socket(socket.AF_INET, socket.SOCK_STREAM)' "s.bind(('localhost', 8888))" \
		's.listen(5)' 'conn, addr = s.accept()' 's.connect(' 's.sendall(' 'data = conn.recv(1024)' \
		'data.decode()' 'if not data:' 's.close()'; do
		grep -F -- "$py" "$ws" | grep -q '^|' || fail "$ws: the tutorial table has no row for $py"
	done
done
[ "$checked" -ge 30 ] || fail "only $checked cited lines checked"
echo "ok ($checked cited lines)"

#!/usr/bin/env bash
# The "From the tutorial" tables of the worksheets cite source lines: [lab04.c:105](lab04.c#L105).
# Each cited line must still hold one of the C code spans of the row's second column that has a
# '(' in it (exactly, as a substring), so a table cannot drift from the code. Any worksheet may use such tables; labs
# 01-05 must have one with a row for each tutorial line.
. "$(dirname "$0")/lab_helpers.sh" "$@"
LABS=${SOCKLAB_LABS:-$(cd "$(dirname "$0")/../../labs" && pwd)}

checked=0
link_re='\[([^]:]+):([0-9]+)\]\(([^)#]+)#L([0-9]+)\)'
for ws in "$LABS"/[0-9][0-9]-*/WORKSHEET.md; do
	dir=$(dirname "$ws")
	while IFS= read -r row; do
		[[ $row == '|'* && $row =~ $link_re ]] || continue
		# column 2 (after the first two '|'): its `code spans` are what the cited lines must hold
		rest=${row#|*|}
		col2=${rest%%|*}
		spans=()
		while [[ $col2 =~ \`([^\`]+)\` ]]; do
			# only spans with a '(' count: a call or an expression, not a bare name
			[[ ${BASH_REMATCH[1]} == *'('* ]] && spans+=("${BASH_REMATCH[1]}")
			col2=${col2#*"${BASH_REMATCH[0]}"}
		done
		[ ${#spans[@]} -gt 0 ] || fail "$ws: a row cites lines but names no C code: $row"
		links=$row
		while [[ $links =~ $link_re ]]; do
			links=${links#*"${BASH_REMATCH[0]}"}
			label=${BASH_REMATCH[2]} file=${BASH_REMATCH[3]} line=${BASH_REMATCH[4]}
			[ "$label" = "$line" ] || fail "$ws: ${BASH_REMATCH[0]}: label says $label, anchor says $line"
			[ -f "$dir/$file" ] || fail "$ws: ${BASH_REMATCH[0]}: no file $dir/$file"
			mapfile -t -s $((line - 1)) -n 1 text <"$dir/$file"
			ok=0
			for span in "${spans[@]}"; do
				[[ ${text[0]:-} == *"$span"* ]] && ok=1
			done
			[ $ok -eq 1 ] || fail "$ws: $file:$line is '${text[0]:-}', none of: ${spans[*]}"
			checked=$((checked + 1))
		done
	done <"$ws"
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

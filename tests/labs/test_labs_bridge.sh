#!/usr/bin/env bash
# The "From the tutorial" tables of worksheets 01-05: every row whose last cell is `FILE.c:N`
# (a file of the lab's folder, e.g. `lab04.c:105` or `plain/plain.c:23`) cites a line that still
# holds the row's first `C code` cell verbatim (the format tests/docs/check_bridges.sh checks
# for every worksheet); each tutorial line has a row; both tables (the lab's and plain/'s) exist;
# the sections are the worksheet template's, in order.
. "$(dirname "$0")/lab_helpers.sh" "$@"
LABS=${SOCKLAB_LABS:-$(cd "$(dirname "$0")/../../labs" && pwd)}

where_re='^\|.*\| *`([A-Za-z0-9_/.-]+\.c):([0-9]+)` *\|$'
checked=0
for n in 01 02 03 04 05; do
	ws=$(ls "$LABS"/$n-*/WORKSHEET.md)
	dir=$(dirname "$ws")
	plain_rows=0
	while IFS= read -r row; do
		[[ $row =~ $where_re ]] || continue
		file=${BASH_REMATCH[1]} line=${BASH_REMATCH[2]}
		# the C cell: the third '|'-separated field (after the Python cell)
		rest=${row#|*|}
		cell=${rest%%|*}
		[[ $cell =~ \`([^\`]+)\` ]] || fail "$ws: a row cites $file:$line but has no C code: $row"
		code=${BASH_REMATCH[1]}
		[ -f "$dir/$file" ] || fail "$ws: $file does not exist"
		mapfile -t -s $((line - 1)) -n 1 text <"$dir/$file"
		[[ ${text[0]:-} == *"$code"* ]] || fail "$ws: $file:$line is '${text[0]:-}', not '$code'"
		checked=$((checked + 1))
		[[ $file == plain/plain.c ]] && plain_rows=$((plain_rows + 1))
	done <"$ws"
	[ "$plain_rows" -ge 2 ] || fail "$ws: no table for plain/plain.c"
	# the worksheet template: these sections, in this order, and no others
	want="Before you start|From the tutorial|Run it|Questions|Check your answers|Try breaking it"
	case $n in 04 | 05) want="$want|Write your own" ;; esac
	got=$(grep '^## ' "$ws" | sed 's/^## //' | paste -sd'|')
	[ "$got" = "$want" ] || fail "$ws: sections are '$got', want '$want'"
	if [[ $want == *Write* ]]; then
		grep -q 'exercise/EXERCISE.md' "$ws" && grep -q 'socklab-check' "$ws" || fail "$ws: Write your own names neither EXERCISE.md nor socklab-check"
	fi
	for py in 's = socket.socket(socket.AF_INET, socket.SOCK_STREAM)' "s.bind(('localhost', 8888))" \
		's.listen(5)' 'conn, addr = s.accept()' 's.connect(' 'sendall(' 'data = conn.recv(1024)' \
		'data.decode()' 'if not data:' 's.close()'; do
		grep -F -- "$py" "$ws" | grep -q '^|' || fail "$ws: the tutorial table has no row for $py"
	done
done
[ "$checked" -ge 60 ] || fail "only $checked cited lines checked"
echo "ok ($checked cited lines)"

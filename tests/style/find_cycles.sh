#!/bin/sh
# find_cycles.sh — files in src/ and labs/ that depend on each other in a circle.
# usage: find_cycles.sh ROOT BUILD NM
#
# The linker's view, not a guess from the source text: for every object file CMake built from
# src/ or labs/, nm lists the global symbols it defines and the ones it references. File A
# depends on file B when A references a symbol B defines (a call, or the address of B's function
# or variable in a table). A symbol resolves in the same program first, then in the socklab_*
# libraries, so two labs may each have their own usage(). Each strongly connected group of two
# or more files is reported: the pairs that call each other, a shortest circle through every
# other edge of the group, and the symbols behind each edge.
# Exit 0: no cycle; 1: cycles (printed); 2: the build tree cannot be read (not built yet, a
# source without its object, nm failing).
root="$1" build="$2" nm="$3"
if [ -z "$root" ] || [ -z "$build" ] || [ -z "$nm" ]; then
	echo "usage: find_cycles.sh ROOT BUILD NM" >&2
	exit 2
fi
build=$(cd "$build" && pwd) || exit 2
cd "$root" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# Objects live at BUILD/<src|labs>/CMakeFiles/<target>.dir/<path below src|labs>.c.o. An object
# whose source is gone (a file deleted or renamed since that build) is stale and not read.
: >"$tmp/map"
for top in src labs; do
	[ -d "$build/$top/CMakeFiles" ] || continue
	find "$build/$top/CMakeFiles" -path '*.dir/*' -name '*.c.o' | sort >"$tmp/objs"
	while IFS= read -r obj; do
		target=${obj#"$build/$top/CMakeFiles/"}
		rel=${target#*.dir/}
		target=${target%%.dir/*}
		src="$top/${rel%.o}"
		[ -f "$src" ] && echo "$obj $target $src" >>"$tmp/map"
	done <"$tmp/objs"
done

# Every source CMake builds must have been read, or a cycle through it would go unseen.
{
	find src -name '*.c'
	find labs -path 'labs/lib/*.c' -o -path 'labs/[0-9][0-9]-*/*.c' -a ! -path '*/*/*/*'
} | sort -u >"$tmp/want"
cut -d' ' -f3 "$tmp/map" | sort -u >"$tmp/have"
missing=$(comm -23 "$tmp/want" "$tmp/have")
if [ -n "$missing" ]; then
	echo "find_cycles: no object in $build for these sources (build the tree first):" >&2
	echo "$missing" | sed 's/^/  /' >&2
	exit 2
fi

# One nm for all objects; -A prefixes each line with "OBJECT: ", -P prints "name type ...".
# The linker plugin in /usr/lib/bfd-plugins lets nm read the LTO objects of optimized gcc builds.
cut -d' ' -f1 "$tmp/map" | xargs "$nm" -P -A >"$tmp/nm" 2>"$tmp/nmerr" || {
	echo "find_cycles: $nm failed: $(head -3 "$tmp/nmerr")" >&2
	exit 2
}

awk '
function visit(v,    i, w) {		# Tarjan: strongly connected components
	index_of[v] = low[v] = ++counter
	stack[++sp] = v; on[v] = 1
	for (i = 1; i <= nout[v]; i++) {
		w = out[v, i]
		if (!(w in index_of)) {
			visit(w)
			if (low[w] < low[v]) low[v] = low[w]
		} else if (on[w] && index_of[w] < low[v])
			low[v] = index_of[w]
	}
	if (low[v] == index_of[v]) {
		ngroups++
		do { w = stack[sp--]; on[w] = 0; group[w] = ngroups; size[ngroups]++ } while (w != v)
	}
}
function path_back(from, to, g,    q, head, tail, v, i, w, p, seen) {	# BFS inside group g
	head = tail = 1; q[1] = from; seen[from] = 1
	while (head <= tail) {
		v = q[head++]
		if (v == to) break
		for (i = 1; i <= nsorted[v]; i++) {
			w = sorted[v, i]
			if (group[w] == g && !(w in seen)) { seen[w] = 1; prev[w] = v; q[++tail] = w }
		}
	}
	p = to
	for (v = to; v != from; v = prev[v]) { p = prev[v] " -> " p; covered[prev[v], v] = 1 }
	return p
}
FILENAME == ARGV[1] { tgt_of[$1] = $2; src_of[$1] = $3; node[$3] = 1; next }
{
	obj = $1; sub(/:$/, "", obj)
	tgt = tgt_of[obj]; src = src_of[obj]; sym = $2; type = $3
	if (type == "U" || type == "w") { nref++; rt[nref] = tgt; rs[nref] = src; ry[nref] = sym; next }
	if (type !~ /^[A-TV-Zi]$/) next		# lower case: local to its file
	def[tgt, sym] = (tgt, sym) in def ? def[tgt, sym] SUBSEP src : src
	if (tgt ~ /^socklab_/) lib[sym] = sym in lib ? lib[sym] SUBSEP src : src
}
END {
	for (r = 1; r <= nref; r++) {
		if ((rt[r], ry[r]) in def) d = def[rt[r], ry[r]]
		else if (ry[r] in lib) d = lib[ry[r]]
		else continue			# libc, libpcap, curses, the sanitizers
		n = split(d, ds, SUBSEP)
		for (k = 1; k <= n; k++) {
			a = rs[r]; b = ds[k]
			if (a == b) continue
			if (!((a, b) in why)) { out[a, ++nout[a]] = b; why[a, b] = ry[r]; nwhy[a, b] = 1 }
			else if (index(" " why[a, b] " ", " " ry[r] " ") == 0 && ++nwhy[a, b] <= 3)
				why[a, b] = why[a, b] " " ry[r]
		}
	}
	# Names in order, so the report is the same from run to run.
	nn = 0
	for (v in node) names[++nn] = v
	for (i = 2; i <= nn; i++) {
		v = names[i]
		for (j = i - 1; j >= 1 && names[j] > v; j--) names[j + 1] = names[j]
		names[j + 1] = v
	}
	for (i = 1; i <= nn; i++)
		for (j = 1; j <= nn; j++)
			if ((names[i], names[j]) in why) sorted[names[i], ++nsorted[names[i]]] = names[j]
	for (i = 1; i <= nn; i++) if (!(names[i] in index_of)) visit(names[i])

	found = 0
	for (i = 1; i <= nn; i++) {
		g = group[names[i]]
		if (size[g] < 2 || (g in done)) continue
		done[g] = 1; found++
		printf "cycle %d: %d files depend on each other in a circle\n", found, size[g]
		for (j = 1; j <= nn; j++) {			# pairs that call each other
			a = names[j]
			if (group[a] != g) continue
			for (k = 1; k <= nsorted[a]; k++) {
				b = sorted[a, k]
				if (a < b && (b, a) in why) printf "  %s <-> %s\n", a, b
			}
		}
		for (j = 1; j <= nn; j++) {			# longer circles, one per remaining edge
			a = names[j]
			if (group[a] != g) continue
			for (k = 1; k <= nsorted[a]; k++) {
				b = sorted[a, k]
				if (group[b] != g || (b, a) in why || (a, b) in covered) continue
				covered[a, b] = 1
				printf "  %s -> %s\n", a, path_back(b, a, g)
			}
		}
		for (j = 1; j <= nn; j++) {			# what each edge is made of
			a = names[j]
			if (group[a] != g) continue
			for (k = 1; k <= nsorted[a]; k++) {
				b = sorted[a, k]
				if (group[b] != g) continue
				more = nwhy[a, b] > 3 ? sprintf(" (+%d more)", nwhy[a, b] - 3) : ""
				printf "    %s uses %s: %s%s\n", a, b, why[a, b], more
			}
		}
	}
	if (found) {
		printf "%d group(s) of files in a circle: move what both sides need into a file that calls neither\n", found
		exit 1
	}
	printf "no file cycles among %d files\n", nn
}' "$tmp/map" "$tmp/nm"

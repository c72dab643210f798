#!/bin/sh
# find_cycles_selftest.sh — find_cycles.sh finds what it must and nothing else, on a made-up
# tree compiled here (plain objects, and gcc's LTO objects when the compiler makes them).
# usage: find_cycles_selftest.sh CC NM
cc="$1" nm="$2"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL ($flags): $*"; bad=1; }

# FILE TEXT: a source file in the made-up repository
put() { mkdir -p "$tmp/root/$(dirname "$1")"; printf '%s\n' "$2" >"$tmp/root/$1"; }
# TARGET TOP REL: compile ROOT/TOP/REL to the object CMake would make
obj() {
	o="$tmp/build/$2/CMakeFiles/$1.dir/$3.o"
	mkdir -p "$(dirname "$o")"
	# shellcheck disable=SC2086
	"$cc" $flags -c "$tmp/root/$2/$3" -o "$o" || { echo "cannot compile $2/$3"; exit 2; }
}
run() { out=$(sh "$here/find_cycles.sh" "$tmp/root" "$tmp/build" "$nm" 2>&1); rc=$?; }

for flags in "-O0" "-O2 -flto -fno-fat-lto-objects"; do
	if [ "$flags" != -O0 ] && ! echo 'int x;' | "$cc" $flags -Werror -x c -c - -o "$tmp/lto.o" 2>/dev/null; then
		continue
	fi
	rm -rf "$tmp/root" "$tmp/build"
	# a -> b -> c, no way back; two labs each with their own usage()
	put src/m/a.c 'int b_fn(void); int a_count = 1; int a_fn(void) { return b_fn(); }'
	put src/m/b.c 'int c_fn(void); int b_fn(void) { return c_fn(); }'
	put src/m/c.c 'int c_fn(void) { return 3; }'
	put labs/01-x/main.c 'int usage(void); int main(void) { return usage(); }'
	put labs/01-x/util.c 'int usage(void) { return 1; }'
	put labs/02-y/main.c 'int usage(void) { return 2; } int main(void) { return usage(); }'
	for f in a b c; do obj socklab_m src "m/$f.c"; done
	obj lab01-x labs 01-x/main.c
	obj lab01-x labs 01-x/util.c
	obj lab02-y labs 02-y/main.c
	run
	[ "$rc" -eq 0 ] || fail "no cycle, yet exit $rc: $out"

	# c reads a's variable: a -> b -> c -> a
	put src/m/c.c 'extern int a_count; int c_fn(void) { return a_count; }'
	obj socklab_m src m/c.c
	run
	[ "$rc" -eq 1 ] || fail "a -> b -> c -> a: exit $rc, want 1: $out"
	echo "$out" | grep -q 'src/m/a.c -> src/m/b.c -> src/m/c.c -> src/m/a.c' ||
		fail "a -> b -> c -> a not printed: $out"
	echo "$out" | grep -q 'src/m/c.c uses src/m/a.c: a_count' || fail "a_count not named: $out"
	echo "$out" | grep -q labs && fail "a lab reported, but each lab has its own usage(): $out"

	# c takes a's function's address (a table entry, not a call)
	put src/m/c.c 'int a_fn(void); int (*c_tab)(void) = a_fn; int c_fn(void) { return 3; }'
	obj socklab_m src m/c.c
	run
	echo "$out" | grep -q 'src/m/c.c uses src/m/a.c: a_fn' || fail "c's table entry a_fn not seen: $out"

	# c.c renamed c2.c without the way back: the old object is stale and not read
	mv "$tmp/root/src/m/c.c" "$tmp/root/src/m/c2.c"
	put src/m/c2.c 'int c_fn(void) { return 3; }'
	obj socklab_m src m/c2.c
	run
	[ "$rc" -eq 0 ] || fail "c.c renamed, its stale object read: exit $rc: $out"

	# two files of one lab that call each other; the other lab is not involved
	put labs/01-x/util.c 'int helper(void); int usage(void) { return helper(); }'
	put labs/01-x/main.c 'int usage(void); int helper(void) { return 0; } int main(void) { return usage(); }'
	obj lab01-x labs 01-x/main.c
	obj lab01-x labs 01-x/util.c
	run
	echo "$out" | grep -q 'labs/01-x/main.c <-> labs/01-x/util.c' || fail "lab pair not found: $out"
	echo "$out" | grep -q 'labs/02-y' && fail "lab 02 reported: $out"

	# a source with no object (not built yet) is an error, not a pass
	put src/m/d.c 'int d_fn(void) { return 4; }'
	run
	[ "$rc" -eq 2 ] || fail "src/m/d.c has no object: exit $rc, want 2: $out"
done
[ "$bad" -eq 0 ] && echo "find_cycles selftest ok"
exit $bad

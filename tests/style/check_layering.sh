#!/bin/sh
# Dependencies only point down (docs/architecture.md, docs/STYLE.md): decode and track are pure (no libpcap, no curses,
# no clocks, no I/O); only src/ui includes curses; only src/capture and main include pcap; and no
# files in src/ or labs/ depend on each other in a circle (find_cycles.sh, on BUILD's objects).
# usage: check_layering.sh ROOT BUILD NM
root="$1" build="$2" nm="$3"
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd) || exit 2
cd "$root" || exit 2
fail=0
check() { # description, grep pattern, paths...
	desc="$1"; pat="$2"; shift 2
	hits=$(grep -nE "$pat" "$@" 2>/dev/null)
	if [ -n "$hits" ]; then echo "layering: $desc"; echo "$hits"; fail=1; fi
}
pure="src/decode src/track include/socklab/decode.h include/socklab/track.h"
check "decode/track must not include pcap or curses" '#include *[<"](pcap|curses|ncurses)' -r $pure
check "decode/track must not read clocks" '(clock_gettime|gettimeofday|time\(NULL\))' -r $pure
check "decode/track must not print" '\b(printf|fprintf|puts|perror)\(' -r $pure
# every C file but the allowed folder's, so a new module is covered without being listed
check "only src/ui may include curses" '#include *[<"](n?curses)' $(find include src labs -name '*.[ch]' ! -path 'src/ui/*')
check "only src/capture may include pcap" '#include *[<"]pcap' $(find include src labs -name '*.[ch]' ! -path 'src/capture/*')
check "libraries must not exit" '\bexit\(' -r src/decode src/track src/capture src/out src/kernel
for f in $(find src labs/lib -name '*.c' 2>/dev/null); do
	head -1 "$f" | grep -q '^/\*' || { echo "layering: $f must start with a one-line comment saying what it is"; fail=1; }
done
sh "$here/find_cycles.sh" "$root" "$build" "$nm" || fail=1
[ $fail -eq 0 ] && echo "layering ok"
exit $fail

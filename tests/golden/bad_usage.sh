#!/bin/sh
# bad_usage.sh — one rule for bad usage in every program of the kit (issue 15): the same bad
# arguments given to tcpscope, lab01..lab09, socklab-demo-traffic and socklab-check (when built) must each give
# exactly one line on stderr, nothing on stdout and exit 2; --help into a full disk must give a
# message and a non-zero exit.
# usage: bad_usage.sh BUILD_DIR GOOD_PCAP      (ctest cli.bad_usage)
set -u
build=$1 pcap=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
	echo "FAIL: $*" >&2
	failed=1
}

progs=""
for p in "$build/src/tcpscope" "$build"/bin/lab0[1-9]-* "$build/bin/socklab-demo-traffic"; do
	[ -x "$p" ] && progs="$progs $p"
done
for p in "$build/bin/socklab-check" "$build/src/socklab-check"; do
	[ -x "$p" ] && progs="$progs $p" && break
done
[ "$(echo $progs | wc -w)" -ge 11 ] || fail "expected tcpscope, nine labs and socklab-demo-traffic in $build, found:$progs"

# run PROG ARGS...: the rule, with stdin closed off so nothing waits for a terminal
run() {
	prog=$1
	shift
	rc=0
	timeout 10 "$prog" "$@" </dev/null >"$work/out" 2>"$work/err" || rc=$?
	name="$(basename "$prog") $*"
	[ "$rc" -eq 2 ] || fail "$name: exit $rc, want 2 ($(head -c 200 "$work/err"))"
	[ "$(wc -l <"$work/err")" -eq 1 ] || fail "$name: stderr is not one line: $(head -c 300 "$work/err")"
	[ -s "$work/out" ] && fail "$name: wrote to stdout: $(head -c 200 "$work/out")"
	! LC_ALL=C tr -d '\n' <"$work/err" | grep -q '[[:cntrl:]]' || fail "$name: a control byte on stderr"
}

# The first role a program's --help names ("Usage: lab04-connect {server|client}"), if any,
# so the extra word below comes after everything the program takes.
first_role() {
	"$1" --help 2>/dev/null | sed -n 's/^Usage: [^ ]* [[{]\([a-z0-9-]*\).*/\1/p' | head -1
}

for prog in $progs; do
	run "$prog" --no-such-option           # unknown option
	run "$prog" --port                     # missing value (last on the line)
	run "$prog" --port abc                 # bad number
	run "$prog" --port " 33301"            # a number with a blank in front
	run "$prog" --help=1                   # a value for an option that takes none
	case $(basename "$prog") in
	tcpscope) run "$prog" -r "$pcap" "extra)" ;; # its words are a filter: a bad one
	*) run "$prog" $(first_role "$prog") extra-positional ;;
	esac
	# output errors: a message and a failure, never a silent 0
	rc=0
	timeout 10 "$prog" --help </dev/null >/dev/full 2>"$work/err" || rc=$?
	[ "$rc" -ne 0 ] || fail "$(basename "$prog") --help >/dev/full: exit 0"
	[ -s "$work/err" ] || fail "$(basename "$prog") --help >/dev/full: no message"
done
[ $failed -eq 0 ] && echo "bad usage: one line on stderr, exit 2, for:$progs"
exit $failed

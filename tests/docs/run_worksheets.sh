#!/usr/bin/env bash
# run_worksheets.sh — run the ```sh blocks of the lab worksheets (conventions: README.md here).
set -u
BIN=${1:?usage: run_worksheets.sh BIN_DIR LABS_DIR [WORKSHEET...]}
LABS=${2:?usage: run_worksheets.sh BIN_DIR LABS_DIR [WORKSHEET...]}
shift 2
LIMIT=${SOCKLAB_DOCS_TIMEOUT:-60}
# Blocks see only 0-2 open, as in a student's terminal (ctest may pass more).
for fd in $(seq 3 30); do eval "exec $fd>&-" 2>/dev/null; done
T=$(mktemp -d /tmp/socklab-docs.XXXXXX)
trap 'rm -rf "$T"' EXIT
BIN=$(cd "$BIN" && pwd)

if [ $# -gt 0 ]; then sheets=("$@"); else sheets=("$LABS"/*/WORKSHEET.md); fi
[ -e "${sheets[0]}" ] || { echo "no worksheets under $LABS" >&2; exit 1; }

failed=0 blocks=0 n=0
for ws in "${sheets[@]}"; do
	# Split into $T/<k>.sh files, each with its expected exit code in <k>.want.
	rm -f "$T"/blk.*
	awk -v dir="$T" '
		/^```/ && !inblk {
			inblk = 1; run = ($0 ~ /^```sh([ \t]|$)/); want = 0; after = 0
			if (match($0, /exit=[0-9]+/)) want = substr($0, RSTART + 5, RLENGTH - 5)
			if (run) { k++; f = sprintf("%s/blk.%03d", dir, k); printf "" > (f ".sh")
			           printf "" > (f ".expect"); print want > (f ".want"); start[k] = NR }
			next
		}
		/^```/ && inblk { inblk = 0; if (run) { close(f ".sh"); after = 1 }; run = 0; next }
		inblk && run { print >> (f ".sh"); next }
		# <!-- expect: ERE --> / <!-- expect-not: ERE --> lines right under a run block.
		after && /^<!-- expect(-not)?: .* -->$/ {
			line = $0; sub(/^<!-- /, "", line); sub(/ -->$/, "", line)
			print line >> (f ".expect"); next
		}
		{ after = 0 }
		END { for (i = 1; i <= k; i++) print start[i] > (dir "/blk.lines") }
	' "$ws"
	count=$(ls "$T"/blk.*.sh 2>/dev/null | wc -l)
	if [ "$count" -eq 0 ]; then
		echo "FAIL $ws: no \`\`\`sh block" >&2
		failed=$((failed + 1))
		continue
	fi
	i=0
	while read -r line; do
		i=$((i + 1))
		f=$(printf '%s/blk.%03d' "$T" "$i")
		port=$((22800 + (n * 2) % 200))
		n=$((n + 1))
		blocks=$((blocks + 1))
		# The block's shell notes its pid: after setsid it is also its process group id.
		{
			echo "echo \$\$ >'$f.pgid'"
			sed -e "s/\b8888\b/$port/g" -e "s/\b8889\b/$((port + 1))/g" "$f.sh"
		} >"$f.run"
		want=$(cat "$f.want")
		mkdir -p "$T/cwd"
		(cd "$T/cwd" && PATH="$BIN:$PATH" NO_COLOR=1 SOCKLAB_PORT=$port \
			timeout -k 3 "$LIMIT" setsid bash "$f.run" </dev/null >"$f.out" 2>&1)
		rc=$?
		# Kill whatever the block left running (its own process group via setsid).
		[ -s "$f.pgid" ] && kill -KILL -- "-$(cat "$f.pgid")" 2>/dev/null
		# Each expected line must be in the output (the block's ports substituted as above).
		claims=""
		while IFS= read -r ex; do
			kind=${ex%%:*}
			re=$(printf '%s' "${ex#*: }" | sed -e "s/\b8888\b/$port/g" -e "s/\b8889\b/$((port + 1))/g")
			if [ "$kind" = expect ] && ! grep -Eq -- "$re" "$f.out"; then
				claims="$claims
    missing:    /$re/"
			elif [ "$kind" = expect-not ] && grep -Eq -- "$re" "$f.out"; then
				claims="$claims
    unexpected: /$re/"
			fi
		done <"$f.expect"
		if [ "$rc" -ne "$want" ] || [ -n "$claims" ]; then
			failed=$((failed + 1))
			echo "FAIL $ws:$line (block $i): exit $rc, wanted $want${claims:+; claims not met:}$claims" >&2
			sed '1d; s/^/    | /' "$f.run" >&2
			echo "    output:" >&2
			sed 's/^/    > /' "$f.out" | tail -40 >&2
		else
			echo "ok   $ws:$line (block $i)"
		fi
	done <"$T/blk.lines"
done
echo "$blocks block(s), $failed failure(s)"
[ "$failed" -eq 0 ]

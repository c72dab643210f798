#!/bin/sh
# Runs pcapgen on one example script (pcap and pcapng) and checks that tcpdump (./kit deps test
# installs it) and, when it is installed too, tshark read every packet with correct IP and TCP
# checksums.
# usage: check_example.sh PCAPGEN SCRIPT OUTDIR TCPDUMP [TSHARK]
pcapgen="$1"; script="$2"; outdir="$3"; tcpdump="$4"; tshark="$5"
[ -x "$tcpdump" ] || { echo "FAIL: tcpdump not found ('$tcpdump'): apt-get install tcpdump"; exit 1; }
[ -x "$tshark" ] || echo "note: tshark is not installed; the checksums are checked by tcpdump alone"
name=$(basename "$script" .txt)
mkdir -p "$outdir" || exit 1
want=$(grep -cE '^[[:space:]]*[+0-9]' "$script")
fail=0
for fmt in pcap pcapng; do
	out="$outdir/$name.$fmt"
	flag=""; [ "$fmt" = pcapng ] && flag=--pcapng
	"$pcapgen" $flag "$script" "$out" || { echo "FAIL: pcapgen $flag $script"; exit 1; }
	txt=$("$tcpdump" -nn -vv -r "$out" 2>/dev/null)
	got=$(echo "$txt" | grep -cE ' (IP|IP6) ')
	[ "$got" -eq "$want" ] || { echo "FAIL: tcpdump read $got of $want packets in $out"; fail=1; }
	if echo "$txt" | grep -qiE 'incorrect|bad-len|bad cksum'; then
		echo "FAIL: tcpdump reports a bad checksum or length in $out"; echo "$txt"; fail=1
	fi
	if [ -x "$tshark" ]; then
		# checksum status: 0 bad, 1 good, 2 unverified
		st=$("$tshark" -r "$out" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
			-T fields -e tcp.checksum.status 2>/dev/null)
		good=$(echo "$st" | grep -cx 1)
		[ "$good" -eq "$want" ] || { echo "FAIL: tshark: $good of $want TCP checksums good in $out"; echo "$st"; fail=1; }
		ipst=$("$tshark" -r "$out" -o ip.check_checksum:TRUE -T fields -e ip.checksum.status 2>/dev/null)
		if echo "$ipst" | grep -qx 0; then echo "FAIL: tshark: bad IPv4 header checksum in $out"; fail=1; fi
	fi
done
[ $fail -eq 0 ] && echo "ok: $name ($want packets)"
exit $fail

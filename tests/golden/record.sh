#!/bin/sh
# record.sh — re-record the live loopback captures in pcap/ (needs root for tcpdump).
# Each scenario is a real client and server on loopback, ports 20001-20007; the captures are
# committed, so this runs only when a scenario is added or changed. Usage: record.sh [NAME...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/pcap"
mkdir -p "$out"

# The scenarios, as small Python programs (the socket calls are the point, not the language),
# run in $in_ns: nothing, or the network namespace of syn-giveup*.
scenario() {
	$in_ns python3 - "$1" <<'PY'
import socket, struct, sys, threading, time
name = sys.argv[1]
pause = lambda: time.sleep(0.05)  # keeps each step's segments apart in the capture

def server(family, addr, port, ready, behave):
    ls = socket.socket(family, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port)); ls.listen(1); ready.set()
    c, _ = ls.accept(); ls.close()
    behave(c)

def run(family, addr, port, server_side, client_side):
    ready = threading.Event()
    t = threading.Thread(target=server, args=(family, addr, port, ready, server_side))
    t.start(); ready.wait()
    s = socket.socket(family, socket.SOCK_STREAM)
    s.connect((addr, port)); pause()
    client_side(s)
    t.join()

def echo_then_close_after_peer(c):
    data = c.recv(100); c.sendall(data); pause()
    c.recv(100)          # wait for the client's FIN (recv returns b"")
    pause(); c.close()

def client_active_close(s):
    s.sendall(b"hello\n"); s.recv(100); pause(); s.close(); pause()

if name == "handshake-close":
    run(socket.AF_INET, "127.0.0.1", 20001, echo_then_close_after_peer, client_active_close)
elif name == "refused":
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", 20002))
    except ConnectionRefusedError:
        pass
elif name == "linger-rst":
    def srv(c):
        c.recv(100)
        try:
            c.recv(100)      # the RST arrives here: ECONNRESET is the point of the scenario
        except ConnectionResetError:
            pass
        c.close()
    def cli(s):
        s.sendall(b"bye\n"); pause()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close(); pause()
    run(socket.AF_INET, "127.0.0.1", 20003, srv, cli)
elif name == "half-close":
    def srv(c):
        got = b""
        while True:
            d = c.recv(100)
            if not d: break
            got += d
        pause(); c.sendall(b"got " + got); pause(); c.close()
    def cli(s):
        s.sendall(b"ping\n"); pause(); s.shutdown(socket.SHUT_WR); pause()
        s.recv(100); s.recv(100); pause(); s.close(); pause()
    run(socket.AF_INET, "127.0.0.1", 20004, srv, cli)
elif name == "ipv6":
    run(socket.AF_INET6, "::1", 20005, echo_then_close_after_peer, client_active_close)
elif name in ("syn-giveup", "syn-giveup-default"):
    # Inside the netns record() makes: its SYNs are dropped (as by a listener whose queue is
    # full), nothing answers, and the kernel gives up (ETIMEDOUT). Then the rule is lifted
    # and a second connect succeeds: its segments come after the predicted give-up, so a
    # replay of the file (driven by capture time) reaches that moment.
    import subprocess
    port = 20006 if name == "syn-giveup" else 20007
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
    except TimeoutError:
        pass
    s.close()
    subprocess.run(["nft", "delete", "table", "inet", "socklab_giveup"], check=True)
    # past tcpscope's predicted moment: the last gap doubled, plus an eighth, after the last
    # SYN (about 0.3 s after ETIMEDOUT with 2 retries, about 11 s with the defaults)
    time.sleep(1 if name == "syn-giveup" else 15)
    run(socket.AF_INET, "127.0.0.1", port, echo_then_close_after_peer, client_active_close)
else:
    sys.exit("unknown scenario " + name)
PY
}

port_of() {
	case "$1" in
	handshake-close) echo 20001 ;; refused) echo 20002 ;; linger-rst) echo 20003 ;;
	half-close) echo 20004 ;; ipv6) echo 20005 ;; syn-giveup) echo 20006 ;;
	syn-giveup-default) echo 20007 ;;
	*) echo "unknown scenario $1" >&2; exit 2 ;;
	esac
}

# syn-giveup* run in a network namespace of its own: an nftables rule drops the client's SYNs
# (nothing else on the host is touched). In syn-giveup, tcp_syn_retries=2 there makes the
# kernel give up after about 7 s; syn-giveup-default keeps the kernel's defaults (on Linux 6.18:
# 11 SYNs, ETIMEDOUT after about 135 s; the recording takes two and a half minutes).
in_ns=
ns_setup() {
	in_ns="ip netns exec socklab-rec-$$"
	ip netns add "socklab-rec-$$"
	$in_ns ip link set lo up
	[ "$1" = syn-giveup ] && $in_ns sysctl -qw net.ipv4.tcp_syn_retries=2
	$in_ns nft -f - <<'NFT'
table inet socklab_giveup {
	chain input {
		type filter hook input priority 0;
		tcp dport { 20006, 20007 } tcp flags & (syn | ack) == syn drop
	}
}
NFT
}

[ $# -gt 0 ] || set -- handshake-close refused linger-rst half-close ipv6 syn-giveup \
	syn-giveup-default
for name in "$@"; do
	port=$(port_of "$name")
	in_ns=
	case "$name" in syn-giveup*) ns_setup "$name" ;; esac
	$in_ns tcpdump -i lo --immediate-mode -U -s 256 -w "$out/$name.pcap" "tcp port $port" 2>/dev/null &
	pid=$!
	sleep 1 # tcpdump has no "ready" signal; a second is plenty on loopback
	scenario "$name"
	sleep 0.3
	sleep 1; kill -TERM "$pid"
	wait "$pid" || true
	[ -z "$in_ns" ] || ip netns del "socklab-rec-$$"
	echo "recorded $out/$name.pcap"
done

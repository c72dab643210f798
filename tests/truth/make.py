#!/usr/bin/env python3
"""make.py - record kernel-truth scenarios: real TCP between two network namespaces.

For each scenario: two private network namespaces joined by a veth pair (client 10.231.N.1,
server 10.231.N.2, N from the pid), the sysctls and nftables rules the scenario needs, tcpdump
on the client's veth (so a segment dropped by nftables on the receiving side is still on the
capture, as on a real wire tapped at the client), a dedicated tracefs instance recording the
kernel's sock:inet_sock_set_state events for the scenario's ports, and `ss` listings of the timewait
mini-sockets (which that tracepoint never reports). Everything is torn down afterwards, also
on failure or SIGTERM.

usage: make.py [-o OUTDIR] SCENARIO...   (make.py --list: the scenarios)
writes OUTDIR/SCENARIO.pcap and OUTDIR/SCENARIO.truth (format: tests/truth/README.md).
Needs root. Exit 0 ok, 1 a scenario failed, 2 usage.
"""
import ctypes
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

# The tracepoint is global and has no namespace: two runs at once (a developer's and ctest's)
# would see each other's events on the same ports. A subnet per process keeps them apart.
SUBNET = "10.231.%d" % (os.getpid() % 256)
CLIENT_ADDR = SUBNET + ".1"
SERVER_ADDR = SUBNET + ".2"
TRACEFS = "/sys/kernel/tracing"
CLONE_NEWNET = 0x40000000
TCP_FASTOPEN_CONNECT = 30  # linux/tcp.h; Python 3.11 has no name for it
MSG_FASTOPEN = 0x20000000

KERNEL_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
                 5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
                 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING", 12: "NEW_SYN_RECV"}

_libc = ctypes.CDLL(None, use_errno=True)


class Failure(Exception):
    """A scenario could not be recorded; the message says why."""


def run(*argv, check=True):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        raise Failure("%s: %s" % (" ".join(argv), p.stderr.strip()))
    return p.stdout


def setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        raise Failure("setns: " + os.strerror(ctypes.get_errno()))


class Lab:
    """Two namespaces, a veth between them, a trace instance and a capture; close() undoes all."""

    def __init__(self, name, port, outdir):
        tag = "%d" % os.getpid()
        self.name, self.port, self.outdir = name, port, outdir
        self.cns, self.sns = "socklab-truth-c-" + tag, "socklab-truth-s-" + tag
        self.cdev, self.sdev = "strc" + tag, "strs" + tag
        self.trace = os.path.join(TRACEFS, "instances", "socklab-truth-" + tag)
        self.host_fd = os.open("/proc/self/ns/net", os.O_RDONLY)
        self.ns_fd = {}
        self.tcpdump = None
        self.ss_lines = []
        self.t0 = None

    # --- setup ---------------------------------------------------------------------------
    def up(self, client_sysctls=(), server_sysctls=()):
        for ns in (self.cns, self.sns):
            run("ip", "netns", "add", ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
            # no IPv6 on the veth: no DAD or router solicitations in the capture
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
        run("ip", "link", "add", self.cdev, "netns", self.cns, "type", "veth", "peer", "name",
            self.sdev, "netns", self.sns)
        run("ip", "-n", self.cns, "addr", "add", CLIENT_ADDR + "/24", "dev", self.cdev)
        run("ip", "-n", self.sns, "addr", "add", SERVER_ADDR + "/24", "dev", self.sdev)
        run("ip", "-n", self.cns, "link", "set", self.cdev, "up")
        run("ip", "-n", self.sns, "link", "set", self.sdev, "up")
        for ns, settings in ((self.cns, client_sysctls), (self.sns, server_sysctls)):
            for s in settings:
                run("ip", "netns", "exec", ns, "sysctl", "-qw", s)
        for ns in (self.cns, self.sns):
            self.ns_fd[ns] = os.open("/run/netns/" + ns, os.O_RDONLY)
        # the veth carrier takes a moment: a refused connection to port 9 proves the path
        for _ in range(50):
            probe = self.sock("client")
            probe.settimeout(0.2)
            try:
                probe.connect((SERVER_ADDR, 9))
            except ConnectionRefusedError:
                break
            except OSError:
                time.sleep(0.1)
            finally:
                probe.close()
        else:
            raise Failure("the veth pair does not pass traffic")

    def nft(self, role, rules):
        """Load an nftables table into the client's or server's namespace (replacing it)."""
        ns = self.cns if role == "client" else self.sns
        p = subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=rules,
                           text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise Failure("nft: " + p.stderr.strip())

    def start_recording(self):
        os.mkdir(self.trace)
        ev = os.path.join(self.trace, "events/sock/inet_sock_set_state")
        self._write(os.path.join(self.trace, "trace_clock"), "mono")
        # `fields` prints skaddr too: the one thing that tells two sockets on a 4-tuple apart
        self._write(os.path.join(self.trace, "options/fields"), "1")
        lo, hi = self.port, self.port + 9
        self._write(os.path.join(ev, "filter"),
                    "family == 2 && ((sport >= %d && sport <= %d) || (dport >= %d && dport <= %d))"
                    % (lo, hi, lo, hi))
        self._write(os.path.join(ev, "enable"), "1")
        pcap = os.path.join(self.outdir, self.name + ".pcap")
        self.tcpdump = subprocess.Popen(
            ["ip", "netns", "exec", self.cns, "tcpdump", "-i", self.cdev, "-n", "-U",
             "--immediate-mode", "-Z", "root", "-s", "128", "-w", pcap,
             "tcp portrange %d-%d" % (lo, hi)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # tcpdump says "listening on" once its capture is open
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.tcpdump.stderr], [], [], 0.5)
            if r:
                line = self.tcpdump.stderr.readline()
                if "listening on" in line:
                    break
                if not line:
                    raise Failure("tcpdump exited before capturing")
        else:
            raise Failure("tcpdump did not open its capture within 10 s")
        time.sleep(float(os.environ.get('TRUTH_SETTLE','0.2')))
        self.t0 = time.monotonic()

    @staticmethod
    def _write(path, text):
        with open(path, "w") as f:
            f.write(text)

    # --- during a scenario -----------------------------------------------------------------
    def sock(self, role, family=socket.AF_INET):
        """A TCP socket created inside the client's or server's namespace."""
        setns(self.ns_fd[self.cns if role == "client" else self.sns])
        try:
            return socket.socket(family, socket.SOCK_STREAM)
        finally:
            setns(self.host_fd)

    def listen(self, port, backlog=8, before_listen=None):
        ls = self.sock("server")
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if before_listen:
            before_listen(ls)
        ls.bind((SERVER_ADDR, port))
        ls.listen(backlog)
        return ls

    def snapshot(self):
        """Record the timewait mini-sockets of both namespaces (ss lists them, the tracepoint
        does not)."""
        t = time.monotonic()
        for role, ns in (("client", self.cns), ("server", self.sns)):
            out = run("ip", "netns", "exec", ns, "ss", "-Htan", "state", "time-wait", "state",
                      "fin-wait-2")
            for line in out.splitlines():
                f = line.split()
                if len(f) < 5:
                    continue
                state, local, peer = f[0], f[3], f[4]
                if state == "TIME-WAIT" or self._is_timewait(ns, local, peer):
                    self.ss_lines.append((t, role, state, local, peer))

    @staticmethod
    def _is_timewait(ns, local, peer):
        # a FIN-WAIT-2 line is a mini-socket only when ss shows the timewait timer on it
        out = run("ip", "netns", "exec", ns, "ss", "-Htane", "src", local, "dst", peer)
        return "timer:(timewait" in out

    # --- teardown ---------------------------------------------------------------------------
    def finish(self):
        """Stop the capture and the trace, and write the truth file."""
        time.sleep(0.3)  # the last segments reach tcpdump
        self._stop_tcpdump()
        ev = os.path.join(self.trace, "events/sock/inet_sock_set_state")
        self._write(os.path.join(ev, "enable"), "0")
        with open(os.path.join(self.trace, "trace")) as f:
            raw = f.read()
        events = parse_trace(raw)
        if not events:
            raise Failure("the tracepoint recorded nothing (is sock:inet_sock_set_state there?)")
        write_truth(os.path.join(self.outdir, self.name + ".truth"), self.name, events,
                    self.ss_lines, self.t0)

    def _stop_tcpdump(self):
        if self.tcpdump and self.tcpdump.poll() is None:
            self.tcpdump.send_signal(signal.SIGINT)
            try:
                self.tcpdump.wait(5)
            except subprocess.TimeoutExpired:
                self.tcpdump.kill()
                self.tcpdump.wait()
        self.tcpdump = None

    def close(self):
        """Undo everything; safe to call after a partial setup or twice."""
        try:
            self._stop_tcpdump()
        except OSError:
            pass
        if os.path.isdir(self.trace):
            try:
                self._write(os.path.join(self.trace, "events/sock/inet_sock_set_state/enable"),
                            "0")
            except OSError:
                pass
            try:
                os.rmdir(self.trace)
            except OSError as e:
                print("make.py: cannot remove %s: %s" % (self.trace, e), file=sys.stderr)
        for fd in self.ns_fd.values():
            os.close(fd)
        self.ns_fd = {}
        for ns in (self.cns, self.sns):
            # deleting a namespace deletes the veth end inside it, and so the pair
            subprocess.run(["ip", "netns", "delete", ns], stderr=subprocess.DEVNULL)


def ip4(value):
    return socket.inet_ntoa(struct.pack("<I", value & 0xFFFFFFFF))


def parse_trace(raw):
    """The trace instance's lines, `fields` format: name=0xHEX (DEC) ..."""
    events = []
    for line in raw.splitlines():
        if line.startswith("#") or "inet_sock_set_state:" not in line:
            continue
        head, body = line.split("inet_sock_set_state:", 1)
        t = float(head.split()[-1].rstrip(":"))
        fields = {}
        for tok in body.split():
            if "=0x" in tok:
                k, v = tok.split("=", 1)
                fields[k] = int(v, 16)
        events.append((t, fields["skaddr"], ip4(fields["saddr"]), fields["sport"],
                       ip4(fields["daddr"]), fields["dport"], fields["oldstate"],
                       fields["newstate"]))
    return events


def write_truth(path, name, events, ss_lines, t0):
    """One line per transition, sockets numbered in order of appearance; then the ss lines."""
    # A socket is one skaddr from a transition out of CLOSE (or LISTEN, for a child cloned from
    # its listener) until one into CLOSE: a freed skaddr can be reused by the next socket.
    sockets = []  # [number, skaddr, [events]]
    open_by_addr = {}
    for ev in events:
        sk = ev[1]
        cur = open_by_addr.get(sk)
        if cur is None:
            cur = [len(sockets) + 1, sk, []]
            sockets.append(cur)
            open_by_addr[sk] = cur
        cur[2].append(ev)
        if KERNEL_STATES.get(ev[7]) == "CLOSE":
            del open_by_addr[sk]
    lines = ["# kernel truth for scenario %s: sock:inet_sock_set_state (tracefs) and ss" % name,
             "# t: seconds since recording started (CLOCK_MONOTONIC); local/remote: the socket's",
             "# final 4-tuple (its first event, from connect(), has no local port yet)",
             "# t          socket  local                remote               old -> new"]
    rows = []
    for num, _, evs in sockets:
        # the 4-tuple once bound and connected: the last event's, which has them all
        last = evs[-1]
        local = "%s:%d" % (last[2], last[3])
        remote = "%s:%d" % (last[4], last[5])
        if last[2] not in (CLIENT_ADDR, SERVER_ADDR):
            continue  # someone else's socket on these ports (loopback, another namespace)
        for ev in evs:
            rows.append((ev[0] - t0, "%10.6f  s%-5d  %-20s %-20s %s -> %s" % (
                ev[0] - t0, num, local, remote, KERNEL_STATES.get(ev[6], str(ev[6])),
                KERNEL_STATES.get(ev[7], str(ev[7])))))
    for t, role, state, local, peer in ss_lines:
        rows.append((t - t0, "%10.6f  ss      %-20s %-20s %s (%s: timewait mini-socket)" % (
            t - t0, local, peer, state, role)))
    rows.sort(key=lambda r: r[0])
    with open(path, "w") as f:
        f.write("\n".join(lines + [r[1] for r in rows]) + "\n")


# --- the scenarios -----------------------------------------------------------------------------
# Each takes a Lab that is up and recording. The server is SERVER_ADDR:PORT, the client
# CLIENT_ADDR. pause() keeps each step's segments apart in time, so the capture reads in order.

def pause(s=0.05):
    time.sleep(s)


def exchange_and_client_closes(lab, c, a):
    """hello/echo, the client closes first, then the server: the client ends in TIME_WAIT."""
    c.sendall(b"hello\n")
    a.sendall(a.recv(100))
    c.recv(100)
    pause()
    c.close()
    if a.recv(100) != b"":
        raise Failure("server: expected end of file")
    pause()
    a.close()
    pause(0.3)
    lab.snapshot()


def drop_once(hook, match, key):
    """An nftables table dropping the first segment that matches, once per KEY (the client's
    port): the first one is added to a set and dropped, later ones find their key there."""
    return """table inet socklab_truth {
  set once { type inet_service; flags dynamic; }
  chain c {
    type filter hook %s priority 0;
    %s %s @once accept;
    %s add @once { %s } drop;
  }
}
""" % (hook, match, key, match, key)


def sc_syn_lost(lab):
    """The client's first SYN is lost: connect() retransmits it after the initial RTO (1 s)."""
    lab.nft("server", drop_once("prerouting", "tcp dport %d tcp flags & (syn|ack) == syn"
                                % lab.port, "tcp sport"))
    ls = lab.listen(lab.port)
    c = lab.sock("client")
    c.connect((SERVER_ADDR, lab.port))
    a, _ = ls.accept()
    ls.close()
    exchange_and_client_closes(lab, c, a)


def sc_synack_lost(lab):
    """The server's first SYN-ACK is lost: both sides retransmit (the client its SYN, the
    server its SYN-ACK) after about 1 s."""
    lab.nft("client", drop_once("prerouting", "tcp sport %d tcp flags & (syn|ack) == syn|ack"
                                % lab.port, "tcp dport"))
    ls = lab.listen(lab.port)
    c = lab.sock("client")
    c.connect((SERVER_ADDR, lab.port))
    a, _ = ls.accept()
    ls.close()
    exchange_and_client_closes(lab, c, a)


def sc_ack_lost(lab):
    """The handshake's third segment (the client's ACK) is lost. The client is ESTABLISHED and
    stays silent; the server, still SYN_RECEIVED, retransmits its SYN-ACK after 1 s and the
    client's second ACK completes the handshake."""
    lab.nft("server", drop_once("prerouting", "tcp dport %d tcp flags == ack" % lab.port,
                                "tcp sport"))
    ls = lab.listen(lab.port)
    c = lab.sock("client")
    c.connect((SERVER_ADDR, lab.port))
    ls.settimeout(5)
    a, _ = ls.accept()  # returns only once the server has the ACK: after the retransmission
    ls.close()
    exchange_and_client_closes(lab, c, a)


def sc_fin_lost(lab):
    """The client's FIN is lost and retransmitted after the RTO (about 200 ms here)."""
    lab.nft("server", drop_once("prerouting", "tcp dport %d tcp flags & fin == fin" % lab.port,
                                "tcp sport"))
    ls = lab.listen(lab.port)
    c = lab.sock("client")
    c.connect((SERVER_ADDR, lab.port))
    a, _ = ls.accept()
    ls.close()
    exchange_and_client_closes(lab, c, a)


def sc_fastopen(lab):
    """TCP Fast Open: a first connection asks for a cookie (TCP_FASTOPEN_CONNECT); a second one
    sends its request inside the SYN (sendto MSG_FASTOPEN) and the server reads it before the
    handshake has completed."""
    ls = lab.listen(lab.port, before_listen=lambda s: s.setsockopt(
        socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 5))
    c = lab.sock("client")
    c.setsockopt(socket.IPPROTO_TCP, TCP_FASTOPEN_CONNECT, 1)
    c.connect((SERVER_ADDR, lab.port))  # SYN with a cookie request; no data yet
    a, _ = ls.accept()
    exchange_and_client_closes(lab, c, a)
    pause(0.2)
    c = lab.sock("client")
    c.sendto(b"hello\n", MSG_FASTOPEN, (SERVER_ADDR, lab.port))  # the data rides on the SYN
    a, _ = ls.accept()
    ls.close()
    if a.recv(100) != b"hello\n":
        raise Failure("server: the SYN's data did not arrive")
    a.sendall(b"hello\n")
    c.recv(100)
    pause()
    c.close()
    if a.recv(100) != b"":
        raise Failure("server: expected end of file")
    pause()
    a.close()
    pause(0.3)
    lab.snapshot()


def sc_timewait_reuse(lab):
    """RFC 9293 3.10.7.4: the server closes first and is in TIME_WAIT when the same client
    port connects again; Linux (tcp_timewait_state_process) accepts the new SYN, because its
    sequence number and timestamp are newer, and the timewait socket is replaced."""
    ls = lab.listen(lab.port)
    cport = lab.port + 1
    for round_ in (1, 2):
        c = lab.sock("client")
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((CLIENT_ADDR, cport))
        c.connect((SERVER_ADDR, lab.port))
        a, _ = ls.accept()
        c.sendall(b"round %d\n" % round_)
        a.recv(100)
        pause()
        a.close()  # the server closes first: it is the one that ends in TIME_WAIT
        if c.recv(100) != b"":
            raise Failure("client: expected end of file")
        pause()
        c.close()
        pause(0.3)
        lab.snapshot()
    ls.close()


def sc_timewait_reuse_client(lab):
    """The other side of the reuse: the client closes first and is in TIME_WAIT; with
    net.ipv4.tcp_tw_reuse=1 and a timestamp over a second old, connect() from the same port
    (SO_REUSEADDR, bind) takes the 4-tuple over (Linux tcp_twsk_unique)."""
    ls = lab.listen(lab.port)
    cport = lab.port + 1
    for round_ in (1, 2):
        c = lab.sock("client")
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((CLIENT_ADDR, cport))
        c.connect((SERVER_ADDR, lab.port))
        a, _ = ls.accept()
        exchange_and_client_closes(lab, c, a)
        if round_ == 1:
            time.sleep(1.1)  # tcp_twsk_unique wants the last timestamp over a second old
    ls.close()


def sc_syn_gave_up(lab):
    """Every SYN is lost (a listener that never answers): with tcp_syn_retries=1 the client
    sends its SYN twice and connect() gives up after 3 s (ETIMEDOUT). No segment says so:
    SYN_SENT -> CLOSE happens on a timer. A second connection afterwards moves the capture's
    clock past the moment tcpscope predicts the give-up."""
    lab.nft("server", """table inet socklab_truth {
  chain c {
    type filter hook prerouting priority 0;
    tcp dport %d tcp flags & (syn|ack) == syn drop;
  }
}
""" % lab.port)
    ls = lab.listen(lab.port)
    c = lab.sock("client")
    c.settimeout(10)
    try:
        c.connect((SERVER_ADDR, lab.port))
        raise Failure("client: connect() succeeded although every SYN was dropped")
    except OSError as e:
        if getattr(e, "errno", None) != 110:  # ETIMEDOUT
            raise Failure("client: connect() failed with %r, expected ETIMEDOUT" % e) from e
    c.close()
    ls.close()
    # Nothing on the wire says the client gave up, so tcpscope predicts it once the next SYN
    # is overdue (twice the last gap and an eighth: about 3.25 s after the first SYN here),
    # by capture time: a later exchange on the next port carries the capture past that moment.
    time.sleep(1.5)
    ls2 = lab.listen(lab.port + 1)
    c2 = lab.sock("client")
    c2.connect((SERVER_ADDR, lab.port + 1))
    a2, _ = ls2.accept()
    c2.close()
    a2.close()
    ls2.close()
    pause(0.3)
    lab.snapshot()  # the second client's timewait socket, which the tracepoint never reports


def sc_keepalive(lab):
    """Keepalive probes on an idle connection (TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s,
    TCP_KEEPCNT 2): one probe is answered; then the server's segments are lost, two probes go
    unanswered, and the client gives up with an RST (recv: ETIMEDOUT)."""
    ls = lab.listen(lab.port)
    c = lab.sock("client")
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 2)
    c.connect((SERVER_ADDR, lab.port))
    a, _ = ls.accept()
    ls.close()
    c.sendall(b"hi\n")
    a.recv(100)
    time.sleep(1.5)  # idle: the first probe at 1 s is answered
    lab.nft("client", """table inet socklab_truth {
  chain c { type filter hook prerouting priority 0; tcp sport %d drop; }
}
""" % lab.port)
    c.settimeout(10)
    try:
        c.recv(100)
        raise Failure("client: recv returned although the peer went silent")
    except OSError as e:
        if getattr(e, "errno", None) != 110:  # ETIMEDOUT: the keepalive gave up
            raise Failure("client: recv failed with %r, expected ETIMEDOUT" % e) from e
    pause(0.2)
    c.close()
    a.close()


def sc_zero_window(lab):
    """A receiver that stops reading with a small SO_RCVBUF: its window closes, the sender
    sends zero-window probes with backoff; then the receiver reads everything, the window
    opens, the rest follows and the client closes."""
    ls = lab.listen(lab.port, before_listen=lambda s: s.setsockopt(
        socket.SOL_SOCKET, socket.SO_RCVBUF, 2048))
    c = lab.sock("client")
    c.connect((SERVER_ADDR, lab.port))
    a, _ = ls.accept()
    ls.close()
    total = 40000
    sent = 0
    done = threading.Event()

    def writer():
        nonlocal sent
        c.sendall(b"z" * total)
        sent = total
        done.set()
    t = threading.Thread(target=writer)
    t.start()
    time.sleep(2.0)  # not reading: the window closes and the probes back off
    got = 0
    while got < total:
        d = a.recv(65536)
        if not d:
            break
        got += len(d)
    t.join(10)
    if got != total or not done.is_set():
        raise Failure("server read %d of %d bytes" % (got, total))
    pause()
    c.close()
    if a.recv(100) != b"":
        raise Failure("server: expected end of file")
    pause()
    a.close()
    pause(0.3)
    lab.snapshot()


def corked_close(lab, server_answers):
    """The client corks its socket, writes and closes: one segment carries data and FIN."""
    ls = lab.listen(lab.port)
    c = lab.sock("client")
    c.connect((SERVER_ADDR, lab.port))
    a, _ = ls.accept()
    ls.close()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
    c.sendall(b"last words\n")
    c.close()
    got = b""
    while True:
        d = a.recv(100)
        if not d:
            break
        got += d
    if got != b"last words\n":
        raise Failure("server read %r" % got)
    if server_answers:
        a.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
        a.sendall(b"bye\n")
    a.close()
    pause(0.3)
    lab.snapshot()


def sc_data_fin(lab):
    """The FIN rides on the last data segment: the client corks its socket, writes and
    closes, so one segment carries the data and the FIN; the server reads and closes."""
    corked_close(lab, False)


def sc_data_after_close(lab):
    """As data-fin, but the server answers with data (and its FIN) after the client has
    closed: the client's kernel refuses data for a closed socket and resets from FIN_WAIT_2
    (RFC 9293 3.10.7.4, RFC 2525 2.17); it never enters TIME_WAIT."""
    corked_close(lab, True)


def sc_unread_rst(lab):
    """close() with unread data in the receive buffer sends RST, not FIN (RFC 9293 3.6 leaves
    it open; Linux follows RFC 2525 2.17)."""
    ls = lab.listen(lab.port)
    c = lab.sock("client")
    c.connect((SERVER_ADDR, lab.port))
    a, _ = ls.accept()
    ls.close()
    c.sendall(b"never read\n")
    pause()
    a.close()
    c.settimeout(5)
    try:
        c.recv(100)
    except ConnectionResetError:
        pass
    pause()
    c.close()


# name: (first port of ten, client sysctls, server sysctls, function)
SHORT = ("net.ipv4.tcp_syn_retries=3",)
SCENARIOS = {
    "syn-lost": (25010, SHORT, (), sc_syn_lost),
    "synack-lost": (25020, SHORT, ("net.ipv4.tcp_synack_retries=3",), sc_synack_lost),
    "ack-lost": (25030, SHORT, ("net.ipv4.tcp_synack_retries=3",), sc_ack_lost),
    "fin-lost": (25040, SHORT, (), sc_fin_lost),
    "fastopen": (25050, SHORT + ("net.ipv4.tcp_fastopen=1",), ("net.ipv4.tcp_fastopen=3",),
                 sc_fastopen),
    "timewait-reuse": (25060, SHORT, (), sc_timewait_reuse),
    "timewait-reuse-client": (25120, SHORT + ("net.ipv4.tcp_tw_reuse=1",), (),
                              sc_timewait_reuse_client),
    "syn-gave-up": (25130, ("net.ipv4.tcp_syn_retries=1",), (), sc_syn_gave_up),
    "keepalive": (25070, SHORT, (), sc_keepalive),
    "zero-window": (25080, SHORT, (), sc_zero_window),
    "data-fin": (25090, SHORT, (), sc_data_fin),
    "data-after-close": (25110, SHORT, (), sc_data_after_close),
    "unread-rst": (25100, SHORT, (), sc_unread_rst),
}


def record(name, outdir):
    port, csys, ssys, fn = SCENARIOS[name]
    lab = Lab(name, port, outdir)
    try:
        lab.up(csys, ssys)
        lab.start_recording()
        fn(lab)
        lab.finish()
    finally:
        lab.close()


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        for name, (port, *_rest, fn) in SCENARIOS.items():
            print("%-15s %d  %s" % (name, port, fn.__doc__.split("\n")[0]))
        return 0
    outdir = os.path.dirname(os.path.abspath(__file__)) + "/corpus"
    args = argv[1:]
    if len(args) >= 2 and args[0] == "-o":
        outdir, args = args[1], args[2:]
    bad = [a for a in args if a not in SCENARIOS]
    if not args or bad:
        print("make.py: %s (usage: make.py [-o OUTDIR] SCENARIO...; --list)" %
              ("unknown scenario " + bad[0] if bad else "no scenario given"), file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("make.py: needs root (namespaces, nftables, tracefs, tcpdump)", file=sys.stderr)
        return 1
    if not os.path.isdir(TRACEFS + "/events/sock/inet_sock_set_state"):
        print("make.py: no %s/events/sock/inet_sock_set_state (mount -t tracefs nodev %s)"
              % (TRACEFS, TRACEFS), file=sys.stderr)
        return 1
    os.makedirs(outdir, exist_ok=True)
    # SIGTERM (a test's timeout) unwinds through the finally blocks that tear things down
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    rc = 0
    for name in args:
        try:
            record(name, outdir)
            print("recorded %s/%s.pcap and .truth" % (outdir, name))
        except (Failure, OSError) as e:
            print("make.py: %s: %s" % (name, e), file=sys.stderr)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))

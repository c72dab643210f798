#!/usr/bin/env python3
"""compare.py - tcpscope's states against the kernel's truth file, endpoint by endpoint.

usage: compare.py TRUTH TCPSCOPE_JSONL        the tracker against the kernel (the golden check)
       compare.py --same-kernel OLD NEW       two truth files of one scenario tell the same story
                                              (the live check: a kernel change shows up here)
Exit 0 agree, 1 disagree (each difference on stdout), 2 usage or unreadable input.

Each endpoint's sequence of states: the kernel's is its socket's first `old` then every `new`
(sock:inet_sock_set_state); tcpscope's is its first state line's `from` then every `to` (or
the conn row's state when it has no state line). They must be equal, once kernel names are
spelt as RFC 9293's, except for the allowances below; each one is printed where it applies.
"""
import json
import sys

RFC_NAME = {"ESTABLISHED": "ESTABLISHED", "SYN_SENT": "SYN_SENT", "SYN_RECV": "SYN_RECEIVED",
            "FIN_WAIT1": "FIN_WAIT_1", "FIN_WAIT2": "FIN_WAIT_2", "TIME_WAIT": "TIME_WAIT",
            "CLOSE": "CLOSED", "CLOSE_WAIT": "CLOSE_WAIT", "LAST_ACK": "LAST_ACK",
            "LISTEN": "LISTEN", "CLOSING": "CLOSING",
            # ss's spellings, for the timewait mini-sockets
            "TIME-WAIT": "TIME_WAIT", "FIN-WAIT-2": "FIN_WAIT_2"}

# The allowances: what the wire cannot show or the tracepoint cannot report. Nothing else
# may differ.
ALLOW_TIMEWAIT = (
    "kernel X -> CLOSE read as X -> %s: tcp_time_wait() hands the socket to a timewait "
    "mini-socket and reports that as CLOSE; ss listed the mini-socket in %s afterwards "
    "(the tracepoint never reports TIME_WAIT, docs/architecture.md 'What Linux does')")
ALLOW_TIMEWAIT_END = (
    "tcpscope's final TIME_WAIT -> CLOSED has no kernel event: a timewait mini-socket ends "
    "(its 2MSL timer, or a new SYN on its 4-tuple, RFC 9293 3.10.7.4) without any tracepoint")

ALLOW_NEVER_HEARD = (
    "an endpoint that never sent a segment and stays UNKNOWN in tcpscope may have no kernel "
    "socket at all: its SYN never reached a listener, or a listener's request socket (which "
    "the tracepoint does not report) never became a connection")


class BadInput(Exception):
    pass


def read_truth(path):
    """Sockets {id: {local, remote, events:[(t, old, new)]}} and ss rows [(t, local, peer, st)]."""
    sockets, ss = {}, []
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise BadInput("%s: %s" % (path, e.strerror))
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split()
        try:
            t = float(f[0])
            if f[1] == "ss":
                ss.append((t, f[2], f[3], f[4]))
            elif f[1].startswith("s") and f[5] == "->":
                s = sockets.setdefault(f[1], {"local": f[2], "remote": f[3], "events": []})
                s["events"].append((t, f[4], f[6]))
            else:
                raise ValueError
        except (ValueError, IndexError):
            raise BadInput("%s:%d: not a truth line: %s" % (path, n, line))
    return sockets, ss


def kernel_sequences(sockets, ss):
    """[(local, remote, first_t, [states], [allowances])] for connection sockets, in order."""
    out = []
    order = sorted(sockets.values(), key=lambda s: s["events"][0][0])
    for i, s in enumerate(order):
        if s["remote"].startswith("0.0.0.0:"):
            continue  # a listener: not an endpoint of any connection
        evs = s["events"]
        seq = [RFC_NAME[evs[0][1]]] + [RFC_NAME[e[2]] for e in evs]
        allowances = []
        # the next socket on the same 4-tuple (a reuse) bounds the time the ss row may have
        later = [o["events"][0][0] for o in order[i + 1:]
                 if o["local"] == s["local"] and o["remote"] == s["remote"]]
        until = later[0] if later else float("inf")
        last_t, _, last_new = evs[-1]
        if last_new == "CLOSE" and evs[-1][1] in ("FIN_WAIT1", "FIN_WAIT2", "CLOSING"):
            tw = [r for r in ss if r[1] == s["local"] and r[2] == s["remote"]
                  and last_t <= r[0] < until]
            if tw:
                state = RFC_NAME[tw[0][3]]
                seq[-1] = state
                if seq[-2] == state:  # an orphan's FIN_WAIT_2 goes on in the mini-socket
                    seq.pop()
                allowances.append(ALLOW_TIMEWAIT % (state, tw[0][3]))
        out.append((s["local"], s["remote"], evs[0][0], seq, allowances))
    return out


def tracker_sequences(path):
    """{(endpoint, peer): [(conn, role, [states])]} in conn order, and chain errors."""
    conns, lines, errors = {}, {}, []
    try:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                try:
                    o = json.loads(line)
                except ValueError:
                    raise BadInput("%s:%d: not JSON" % (path, n))
                if o.get("type") == "conn":
                    conns[o["conn"]] = o
                elif o.get("type") == "state":
                    lines.setdefault((o["conn"], o["endpoint"]), []).append(o)
    except OSError as e:
        raise BadInput("%s: %s" % (path, e.strerror))
    out = {}
    for cid in sorted(conns):
        c = conns[cid]
        for role, me, peer in (("client", c["client"], c["server"]),
                               ("server", c["server"], c["client"])):
            sl = lines.get((cid, me), [])
            if sl:
                seq = [sl[0]["from"]]
                for o in sl:
                    if o["from"] != seq[-1]:
                        errors.append("#%d %s %s: state line from %s after %s (lines do not "
                                      "chain)" % (cid, role, me, o["from"], seq[-1]))
                    seq.append(o["to"])
            else:
                seq = [c[role + "_state"]]
            if seq[-1] != c[role + "_state"]:
                errors.append("#%d %s %s: last state line says %s, the conn row %s"
                              % (cid, role, me, seq[-1], c[role + "_state"]))
            out.setdefault((me, peer), []).append((cid, role, seq))
    return out, errors


def compare_tracker(truth_path, jsonl_path):
    sockets, ss = read_truth(truth_path)
    kernel = kernel_sequences(sockets, ss)
    tracker, problems = tracker_sequences(jsonl_path)
    used = set()
    by_tuple = {}
    for k in kernel:
        by_tuple.setdefault((k[0], k[1]), []).append(k)
    for key, ks in by_tuple.items():
        ts = tracker.get(key, [])
        used.add(key)
        if len(ts) != len(ks):
            problems.append("%s <-> %s: the kernel had %d socket(s) on this 4-tuple, tcpscope "
                            "%d connection(s)" % (key[0], key[1], len(ks), len(ts)))
            continue
        for (local, remote, _, kseq, allowances), (cid, role, tseq) in zip(ks, ts):
            notes = list(allowances)
            if (len(tseq) == len(kseq) + 1 and tseq[-2:] == ["TIME_WAIT", "CLOSED"]
                    and kseq[-1] == "TIME_WAIT"):
                tseq = tseq[:-1]
                notes.append(ALLOW_TIMEWAIT_END)
            verdict = "ok  " if tseq == kseq else "DIFF"
            print("%s #%d %-6s %-20s kernel:   %s" % (verdict, cid, role, local, " ".join(kseq)))
            print("     %s %-6s %-20s tcpscope: %s" % (" " * len(str(cid)), "", "",
                                                       " ".join(tseq)))
            for a in notes:
                print("       allowance: " + a)
            if tseq != kseq:
                problems.append("#%d %s %s: tcpscope %s, kernel %s" % (
                    cid, role, local, " ".join(tseq), " ".join(kseq)))
    for key, ts in tracker.items():
        if key not in used:
            for cid, role, tseq in ts:
                if tseq == ["UNKNOWN"]:
                    print("ok   #%d %-6s %-20s kernel:   (no socket)" % (cid, role, key[0]))
                    print("       allowance: " + ALLOW_NEVER_HEARD)
                    continue
                problems.append("#%d %s %s: no kernel socket on this 4-tuple in the truth file"
                                % (cid, role, key[0]))
    if not kernel:
        problems.append("the truth file has no connection socket")
    for p in problems:
        print("DIFF " + p)
    return 0 if not problems else 1


def story(path):
    """A truth file's sequences without ports or times: the listeners', then each side's."""
    sockets, ss = read_truth(path)
    listeners = [[RFC_NAME[s["events"][0][1]]] + [RFC_NAME[e[2]] for e in s["events"]]
                 for s in sorted(sockets.values(), key=lambda s: s["events"][0][0])
                 if s["remote"].startswith("0.0.0.0:")]
    sides = {}
    for local, _, _, seq, _ in kernel_sequences(sockets, ss):
        sides.setdefault(local.rsplit(".", 1)[1].split(":")[0], []).append(seq)
    return listeners, sides


def compare_kernels(old_path, new_path):
    old, new = story(old_path), story(new_path)
    rc = 0
    names = {"1": "client side", "2": "server side"}
    for what, a, b in [("listener", old[0], new[0])] + [
            (names.get(k, k), old[1].get(k, []), new[1].get(k, []))
            for k in sorted(set(old[1]) | set(new[1]))]:
        same = a == b
        rc |= not same
        print("%s %s: %s" % ("ok  " if same else "DIFF", what,
                             " | ".join(" ".join(s) for s in a)))
        if not same:
            print("     now:  %s" % " | ".join(" ".join(s) for s in b))
    return rc


def main(argv):
    try:
        if len(argv) == 4 and argv[1] == "--same-kernel":
            return compare_kernels(argv[2], argv[3])
        if len(argv) == 3 and not argv[1].startswith("-"):
            return compare_tracker(argv[1], argv[2])
    except BadInput as e:
        print("compare.py: %s" % e, file=sys.stderr)
        return 2
    print("compare.py: usage: compare.py TRUTH JSONL | --same-kernel OLD NEW", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

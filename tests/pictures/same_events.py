# same_events.py A.jsonl B.jsonl — the two runs show the same segments and state changes, in
# the same order (times and the kernel's counters aside): live output against the saved file.
import json
import sys


def events(path):
    out = []
    with open(path) as f:
        for line in f:
            o = json.loads(line)
            if o["type"] == "packet":
                out.append(("packet", o["conn"], o["src"], o["dst"], tuple(o["flags"]),
                            o["seq"], o["ack"], o["len"]))
            elif o["type"] == "state":
                out.append(("state", o["conn"], o["endpoint"], o["from"], o["to"]))
    return out


a, b = events(sys.argv[1]), events(sys.argv[2])
if not a:
    sys.exit("no events in " + sys.argv[1])
if a != b:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            sys.exit(f"event {i} differs:\n  {x}\n  {y}")
    sys.exit(f"{len(a)} events against {len(b)}")
print(f"{len(a)} events alike")

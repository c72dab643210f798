# check_svg.py SVG JSONL VARIANT — the figure parses as XML and shows, for every connection,
# each endpoint's state changes in the order --format=jsonl reports them for the same capture:
# the ladder as bold labels on the endpoint's side (boxes with --blank), the diagram as that
# many numbered steps in the endpoint's colour (none with --blank) and its path in the legend.
import json
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
CLIENT, SERVER = "#1565c0", "#b35900"
svg_path, jsonl_path, variant = sys.argv[1:4]
root = ET.parse(svg_path).getroot()  # raises on anything not well-formed

want = {}  # (conn, role) -> [to, ...]
start = {}
with open(jsonl_path) as f:
    for line in f:
        o = json.loads(line)
        if o["type"] == "state":
            key = (o["conn"], o["role"])
            start.setdefault(key, o["from"])
            want.setdefault(key, []).append(o["to"])
conns = sorted({c for c, _ in want})


def fail(msg):
    sys.exit(f"{svg_path}: {msg}")


groups = {g.get("id"): g for g in root.iter(NS + "g") if g.get("id", "").startswith("conn-")}
for c in conns:
    g = groups.get(f"conn-{c}")
    if g is None:
        fail(f"no figure for connection {c}")
    for role, colour in (("client", CLIENT), ("server", SERVER)):
        expect = want.get((c, role), [])
        if variant == "ladder":
            got = [t.text for s in g.iter(NS + "g") if s.get("class") == "state"
                   for t in s.iter(NS + "text")
                   if t.get("font-weight") == "bold" and t.get("fill") == colour]
        elif variant == "blank-ladder":
            got = [None for s in g.iter(NS + "g") if s.get("class") == "state"
                   for r in s.iter(NS + "rect") if r.get("stroke") == colour]
            expect = [None] * len(expect)
            if any(t.get("font-weight") == "bold" for s in g.iter(NS + "g")
                   if s.get("class") == "state" for t in s.iter(NS + "text")):
                fail("--blank ladder still names a state")
        elif variant == "diagram":
            # a step's number: in a circle (client) or a square (server), in its colour
            def badge_fill(s):
                shape = s.find(NS + ("circle" if role == "client" else "rect"))
                return shape.get("fill") if shape is not None else None
            got = [s.find(NS + "title").text.split(": ", 1)[0] for s in g.iter(NS + "g")
                   if s.get("class") == "step" and badge_fill(s) == colour]
            expect = [f"{role} step {i + 1}" for i in range(len(expect))]
            legend = " ".join(t.text or "" for t in g.iter(NS + "text") if t.get("fill") == colour)
            for i, st in enumerate(expect and want[(c, role)]):
                if f"{i + 1} {st}" not in legend:
                    fail(f"conn {c} {role}: legend lacks step {i + 1} {st}")
        else:  # blank-diagram: no path at all
            got = [s for s in g.iter(NS + "g") if s.get("class") == "step"]
            expect = []
        if got != expect:
            fail(f"conn {c} {role}: figure shows {got}, jsonl says {expect}")
print(f"{svg_path}: {len(conns)} connection(s) agree with the JSONL")

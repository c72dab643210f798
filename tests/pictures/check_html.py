# check_html.py PAGE JSONL [DOM PNG] — the --format=html page is self-contained (no script, no
# link, nothing fetched: every href is an anchor on the page), parses as XML, and shows for
# each connection of the JSONL its section with both endpoints' state paths in order and every
# reason. With DOM (chromium --dump-dom) and PNG (its screenshot): the browser built the same
# sections, and the screenshot is not blank.
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

page, jsonl = sys.argv[1], sys.argv[2]


def fail(msg):
    sys.exit(f"{page}: {msg}")


text = open(page, encoding="utf-8").read()
root = ET.fromstring(text)  # raises unless well-formed
for el in root.iter():
    tag = el.tag.split("}")[-1]
    if tag in ("script", "link", "iframe", "object", "embed", "img"):
        fail(f"<{tag}> on a page that must be self-contained")
    for k, v in el.attrib.items():
        k = k.split("}")[-1]
        if k in ("src", "href") and not v.startswith("#"):
            fail(f"{tag} {k}={v}: the page must fetch nothing")
        if k.startswith("on"):
            fail(f"{tag} has an event handler {k}")
if re.search(r"url\((?!#)", text) or "@import" in text:
    fail("CSS fetches something")

paths = {}
whys = {}
with open(jsonl) as f:
    for line in f:
        o = json.loads(line)
        if o["type"] == "state":
            key = (o["conn"], o["role"])
            paths.setdefault(key, [o["from"]]).append(o["to"])
            whys.setdefault(o["conn"], []).append(o["why"])
conns = sorted({c for c, _ in paths})
sections = {s.get("id"): s for s in root.iter("section")}


def flat(el):
    return " ".join("".join(el.itertext()).split())


for c in conns:
    s = sections.get(f"conn-{c}")
    if s is None:
        fail(f"no section for connection {c}")
    body = flat(s)
    for role in ("client", "server"):
        p = paths.get((c, role))
        if p and " \u2192 ".join(p) not in body:
            fail(f"connection {c}: the {role}'s path {p} is not written out")
    log = [t for t in s.iter("table") if t.get("class") == "why"]
    if not log:
        fail(f"connection {c}: no table of reasons")
    logtext = flat(log[0])
    for why in whys[c]:
        if why not in logtext:
            fail(f"connection {c}: reason '{why}' missing from the table of reasons")

if len(sys.argv) > 4:
    dom, png = sys.argv[3], sys.argv[4]
    d = " ".join(open(dom, encoding="utf-8").read().split())
    for c in conns:
        if f'id="conn-{c}"' not in d:
            fail(f"the browser's DOM has no section conn-{c}")
        for role in ("client", "server"):
            p = paths.get((c, role))
            if p and " \u2192 ".join(p) not in d:
                fail(f"the browser's DOM lacks connection {c}'s {role} path")
    data = open(png, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    pixels = zlib.decompress(idat)
    if len(set(pixels)) < 16:
        fail("the screenshot is blank")
print(f"{page}: {len(conns)} connection(s), self-contained, states and reasons all there")

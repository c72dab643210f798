#!/usr/bin/env python3
"""sgr_cells.py QUERY... < capture: what a person sees in colour, from tmux capture-pane -e -p.
Attributes carry over from cell to cell and line to line, as tmux writes them. One output line
per QUERY, each about the first screen line matching its regex:
  LINE_REGEX        "holes=N": cells up to the line's last non-blank one that would break a
                    bar (default background and no reverse video)
  LINE_REGEX=>TEXT  the attributes of TEXT's first character: "fg=33 bg=- bold=1 dim=0 rev=0"
                    ("-" is the terminal's default)
  @dim              "dim=N": non-blank cells anywhere on the screen drawn dim (SGR 2)
"none" when no line (or no TEXT) matches."""
import re
import sys

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def apply(a, params):
    codes = [int(c) if c else 0 for c in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            a.update(fg="-", bg="-", bold=0, dim=0, rev=0)
        elif c == 1:
            a["bold"] = 1
        elif c == 2:
            a["dim"] = 1
        elif c == 22:
            a["bold"] = a["dim"] = 0
        elif c == 7:
            a["rev"] = 1
        elif c == 27:
            a["rev"] = 0
        elif 30 <= c <= 37 or 90 <= c <= 97:
            a["fg"] = str(c)
        elif c == 39:
            a["fg"] = "-"
        elif 40 <= c <= 47 or 100 <= c <= 107:
            a["bg"] = str(c)
        elif c == 49:
            a["bg"] = "-"
        elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
            a["fg" if c == 38 else "bg"] = "5;%d" % codes[i + 2]
            i += 2
        i += 1


def screen(raw_text):
    a = dict(fg="-", bg="-", bold=0, dim=0, rev=0)
    lines = []
    for raw in raw_text.split("\n"):
        cells, pos = [], 0
        for m in SGR.finditer(raw):
            cells += [(ch, dict(a)) for ch in raw[pos : m.start()]]
            apply(a, m.group(1))
            pos = m.end()
        cells += [(ch, dict(a)) for ch in raw[pos:]]
        lines.append(("".join(c for c, _ in cells), cells))
    return lines


def answer(lines, query):
    if query == "@dim":
        return "dim=%d" % sum(1 for _, cells in lines for ch, c in cells if c["dim"] and ch != " ")
    regex, _, text = query.partition("=>")
    want = re.compile(regex)
    for plain, cells in lines:
        if not want.search(plain):
            continue
        if text:
            at = plain.find(text)
            if at < 0:
                return "none"
            c = cells[at][1]
            return " ".join("%s=%s" % (k, c[k]) for k in ("fg", "bg", "bold", "dim", "rev"))
        end = len(plain.rstrip())
        return "holes=%d" % sum(1 for _, c in cells[:end] if c["bg"] == "-" and not c["rev"])
    return "none"


def main():
    if len(sys.argv) < 2:
        print("usage: sgr_cells.py QUERY...", file=sys.stderr)
        return 2
    lines = screen(sys.stdin.read())
    for q in sys.argv[1:]:
        print(answer(lines, q))
    return 0


if __name__ == "__main__":
    sys.exit(main())

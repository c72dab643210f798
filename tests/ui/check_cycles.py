#!/usr/bin/env python3
"""check_cycles.py LIB.a...: no two source files of a library call each other, directly or
round a longer circle. Reads which object file defines and which one calls each global
symbol (nm), builds the file graph and prints every strongly connected group of more than
one file with the calls that close it. Exit 1 if there is one, 2 on bad usage."""
import subprocess
import sys


def graph(archives):
    defs, uses, member = {}, {}, None
    for a in archives:
        out = subprocess.run(["nm", a], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.endswith(".o:"):
                member = line[:-3]
                uses.setdefault(member, set())
                continue
            p = line.split()
            if member is None:
                continue
            if len(p) == 3 and p[1] in "TDBRC":
                defs[p[2]] = member
            elif len(p) == 2 and p[0] == "U":
                uses[member].add(p[1])
    edges = {f: {defs[s] for s in u if s in defs and defs[s] != f} for f, u in uses.items()}
    return defs, uses, edges


def groups(edges):
    # Tarjan's strongly connected components, iteratively (no recursion limit to meet).
    index, low, stack, on, out, n = {}, {}, [], set(), [], 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = n
        n += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = n
                    n += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                g = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    g.append(w)
                    if w == v:
                        break
                out.append(sorted(g))
    return [g for g in out if len(g) > 1]


def main():
    if len(sys.argv) < 2:
        print("usage: check_cycles.py LIB.a...", file=sys.stderr)
        return 2
    defs, uses, edges = graph(sys.argv[1:])
    bad = groups(edges)
    for g in bad:
        print("cycle: " + " ".join(g))
        for a in g:
            for b in sorted(edges[a] & set(g)):
                calls = sorted(s for s in uses[a] if defs.get(s) == b)
                print(f"  {a} -> {b}: {', '.join(calls)}")
    if not bad:
        print(f"no cycles among {len(edges)} files")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

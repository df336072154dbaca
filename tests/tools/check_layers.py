#!/usr/bin/env python3
"""Check the daemon's layering: which parts of vpnd/ may include which.

The daemon is kept in folders that are layers, so that each part can be
read, tested and changed knowing only the parts below it:

  1. a file includes headers of its own layer or lower layers only;
  2. no feature folder (nat, route, members) includes another feature's header;
  3. io/ and core/ include no feature header;
  4. modules (a .c and its .h) form include cycles of at most N modules
     (--max-cycle, 10 by default): the largest strongly connected component
     of the module include graph is printed on every run;
  5. every top-level folder under vpnd/ has a layer in LAYERS below.

Includes that do not resolve to a file under vpnd/ (lib/ and system headers)
are ignored. "x/y.h" is looked up next to the including file first (as the
compiler does for quoted includes), then from the vpnd/ root.

Usage: check_layers.py [--max-cycle N] [--graph] VPND_DIR
Exit 0 when all rules hold, 1 otherwise.
"""
import argparse
import os
import re
import sys

# Top-level folder of vpnd/ -> layer. Lower layers never include higher ones.
LAYERS = {
    "io": 1,       # event loop, streams, send batches, workers: no protocol
    "core": 2,     # device, peers, send/receive, paths, relay, timers, events
    "nat": 3,      # feature: netcheck, hole punching, birthday punching
    "route": 3,    # feature: path measurement, links, path selection
    "members": 3,  # feature: rendezvous, directory, enrollment, peer cache
    "ctl": 4,      # the control server and its commands
}
FEATURES = {"nat", "route", "members"}
ROOT_LAYER = 4     # hooks.c and other files at vpnd/'s root: wire features up
MAIN_LAYER = 5     # main.c (and main.h): wires everything together

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def layer_of(rel):
    """Layer of a file given by its path relative to vpnd/, None if unknown."""
    parts = rel.split("/")
    if len(parts) == 1:
        return MAIN_LAYER if os.path.splitext(rel)[0] == "main" else ROOT_LAYER
    return LAYERS.get(parts[0])


def folder_of(rel):
    return rel.split("/")[0] if "/" in rel else ""


def source_files(root):
    """Paths (relative to root, with '/') of every .c and .h under root."""
    found = []
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                found.append(rel.replace(os.sep, "/"))
    return found


def resolve(root, rel, header):
    """The included file relative to root, or None if it is not under root."""
    for base in (os.path.dirname(rel), ""):
        path = os.path.normpath(os.path.join(root, base, header))
        inside = os.path.relpath(path, root).replace(os.sep, "/")
        if not inside.startswith("../") and os.path.isfile(path):
            return inside
    return None


def includes(root, rel):
    """(line number, resolved header) for each daemon include of a file."""
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            target = m and resolve(root, rel, m.group(1))
            if target:
                yield number, target


def rule_broken(src, dst):
    """The rule an include of dst from src breaks, or None."""
    a, b = folder_of(src), folder_of(dst)
    la, lb = layer_of(src), layer_of(dst)
    if la is None or lb is None:
        return None  # reported once per folder by unknown_folders()
    if a in ("io", "core") and b in FEATURES:
        return f"{a}/ includes no feature header ({b}/ is a feature, layer 3)"
    if a in FEATURES and b in FEATURES and a != b:
        return f"feature {a}/ includes no header of another feature ({b}/)"
    if lb > la:
        return f"layer {la} includes no header of higher layer {lb}"
    return None


def unknown_folders(root):
    return sorted(d for d in os.listdir(root)
                  if os.path.isdir(os.path.join(root, d))
                  and not d.startswith(".") and d not in LAYERS)


def largest_scc(graph):
    """Largest strongly connected component (Tarjan, iterative)."""
    index, low, stack, on_stack, best = {}, {}, [], set(), []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                scc = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    scc.append(member)
                    if member == node:
                        break
                if len(scc) > len(best):
                    best = scc
    return sorted(best) if len(best) >= 2 else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("vpnd_dir")
    parser.add_argument("--max-cycle", type=int, default=10, metavar="N")
    parser.add_argument("--graph", action="store_true",
                        help="print each module's includes")
    args = parser.parse_args()
    root = os.path.abspath(args.vpnd_dir)
    failed = False

    for d in unknown_folders(root):
        print(f"{os.path.join(args.vpnd_dir, d)}: unknown top-level folder "
              f"'{d}/': give it a layer in LAYERS ({__file__})")
        failed = True

    graph = {}  # module (path without extension) -> modules it includes
    for rel in source_files(root):
        module = os.path.splitext(rel)[0]
        graph.setdefault(module, set())
        for line, header in includes(root, rel):
            target = os.path.splitext(header)[0]
            graph.setdefault(target, set())
            if target != module:
                graph[module].add(target)
            rule = rule_broken(rel, header)
            if rule:
                print(f"{os.path.join(args.vpnd_dir, rel)}:{line}: "
                      f"{rel} includes {header}: {rule}")
                failed = True

    if args.graph:
        for module in sorted(graph):
            print(f"{module}: {' '.join(sorted(graph[module]))}")

    cycle = largest_scc(graph)
    edges = sum(len(targets) for targets in graph.values())
    print(f"largest include cycle: {len(cycle)} modules "
          f"({' '.join(cycle)}); {len(graph)} modules, {edges} include edges")
    if len(cycle) > args.max_cycle:
        print(f"{args.vpnd_dir}: include cycle of {len(cycle)} modules is "
              f"larger than --max-cycle {args.max_cycle}")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

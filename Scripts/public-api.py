#!/usr/bin/env python3
"""Writes the library's public API, one declaration a line, to API/public-api.txt,
so a change to what users can call shows in review (and counts per module).

usage: Scripts/public-api.py [--check]

It runs `swift package dump-symbol-graph --minimum-access-level public` and
lists every symbol of the library modules as `Module  kind  path(signature)`,
sorted. With --check it compares with the committed file and exits 1 when
they differ (the diff is printed), or when a public symbol has no doc comment
at all (listed; one that inherits its documentation from a protocol
requirement, such as `makeAsyncIterator()`, has the requirement's).
"""
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = ["UAPI", "Instructions", "BTF", "ELFReader", "Relocation", "Syscall", "Loader", "SwiftBPF"]
OUT = os.path.join(ROOT, "API", "public-api.txt")


UNDOCUMENTED = []


def symbol_lines():
    subprocess.run(["swift", "package", "dump-symbol-graph", "--minimum-access-level", "public"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    directory = glob.glob(os.path.join(ROOT, ".build", "*", "symbolgraph"))[0]
    lines = []
    for module in MODULES:
        path = os.path.join(directory, f"{module}.symbols.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            graph = json.load(f)
        for symbol in graph.get("symbols", []):
            if symbol.get("accessLevel") not in ("public", "open"):
                continue
            kind = symbol["kind"]["identifier"].removeprefix("swift.")
            name = ".".join(symbol["pathComponents"])
            fragments = symbol.get("declarationFragments") or []
            declaration = "".join(f["spelling"] for f in fragments).replace("\n", " ")
            lines.append(f"{module}\t{kind}\t{name}\t{declaration}")
            # Synthesized members (hashValue, OptionSet's insert) have no location.
            if not symbol.get("docComment") and symbol.get("location"):
                UNDOCUMENTED.append(f"{module}\t{kind}\t{name}")
    return sorted(set(lines))


def main():
    lines = symbol_lines()
    text = "".join(line + "\n" for line in lines)
    counts = {}
    for line in lines:
        counts[line.split("\t")[0]] = counts.get(line.split("\t")[0], 0) + 1
    summary = ", ".join(f"{m} {counts.get(m, 0)}" for m in MODULES) + f"; total {len(lines)}"
    if "--check" in sys.argv:
        with open(OUT) as f:
            old = f.read()
        if old != text:
            import difflib
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       "API/public-api.txt", "now"))
            sys.exit(1)
        print(f"public API unchanged: {summary}")
        if UNDOCUMENTED:
            print(f"{len(UNDOCUMENTED)} public symbols without a doc comment:")
            sys.stdout.writelines(line + "\n" for line in sorted(set(UNDOCUMENTED)))
            sys.exit(1)
        return
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {OUT}: {summary}")


if __name__ == "__main__":
    main()

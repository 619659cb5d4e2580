#!/usr/bin/env python3
"""host/ folders include only the layers host/CMakeLists.txt declares for them.

Reads the envmgr_host_layer(<folder> SOURCES ... DEPENDS ...) calls in host/CMakeLists.txt
(lowest layer first) and checks, from the files alone (no build needed), that
  - a layer DEPENDS only on layers declared before it (so the folders cannot form a circle);
  - each #include "host/<other>/..." in host/<folder>/ names a folder in <folder>'s DEPENDS;
  - each host/<folder>/*.cpp is in its own layer's SOURCES;
  - the tests of host/<folder>/ (tests/*/host/<folder>/) include only <folder> and what it reaches.
The linker catches a lower layer that calls into a higher one; only this catches a header.
Usage: scripts/check-host-layers.py [repository root]   (exit 1 on any problem)
       scripts/check-host-layers.py --self-test          (a backward include in a tiny tree is caught)
"""
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"host/([^/"]+)/[^"]+"')
SECTIONS = ("SOURCES", "DEPENDS", "PRIVATE_LIBS")


def read_layers(cmake_text, problems):
    """{folder: {"depends": [...], "sources": [...]}} in declaration order."""
    text = re.sub(r"#[^\n]*", "", cmake_text)
    layers = {}
    for call in re.finditer(r"envmgr_host_layer\(\s*([\w-]+)(.*?)\)", text, re.S):
        name, section = call.group(1), None
        layer = {"depends": [], "sources": []}
        for word in call.group(2).split():
            if word in SECTIONS:
                section = word
            elif section == "DEPENDS":
                if word not in layers:
                    problems.append(f"host/CMakeLists.txt: {name} DEPENDS {word}, which is not declared before it")
                layer["depends"].append(word)
            elif section == "SOURCES":
                layer["sources"].append(word)
        layers[name] = layer
    return layers


def reach(layers, name):
    """The folders name may reach through its DEPENDS, directly or not."""
    seen, pending = set(), list(layers[name]["depends"])
    while pending:
        folder = pending.pop()
        if folder not in seen:
            seen.add(folder)
            pending.extend(layers.get(folder, {}).get("depends", []))
    return seen


def includes(path):
    for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        match = INCLUDE.match(line)
        if match:
            yield number, match.group(1)


def check(root):
    problems = []
    layers = read_layers((root / "host/CMakeLists.txt").read_text(), problems)
    for path in sorted(root.glob("host/*/*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        relative, folder = path.relative_to(root).as_posix(), path.parent.name
        if folder not in layers:
            problems.append(f"{relative}: host/{folder}/ has no envmgr_host_layer() in host/CMakeLists.txt")
            continue
        if path.suffix == ".cpp" and path.name not in layers[folder]["sources"]:
            problems.append(f"{relative}: not in the SOURCES of layer {folder}")
        allowed = set(layers[folder]["depends"]) | {folder}
        for number, other in includes(path):
            if other not in allowed:
                problems.append(f"{relative}:{number}: host/{folder}/ may not include host/{other}/ "
                                f"(its DEPENDS: {' '.join(layers[folder]['depends']) or 'none'})")
    for path in sorted(root.glob("tests/*/host/*/*")):
        folder = path.parent.name
        if folder not in layers or path.suffix not in (".h", ".cpp"):
            continue
        allowed = reach(layers, folder) | {folder}
        for number, other in includes(path):
            if other not in allowed:
                problems.append(f"{path.relative_to(root).as_posix()}:{number}: a test of host/{folder}/ "
                                f"includes host/{other}/, a layer above it")
    return layers, problems


def self_test():
    """A tree of two layers where the lower one includes the upper: each rule must report."""
    with tempfile.TemporaryDirectory() as scratch:
        root = pathlib.Path(scratch)
        files = {
            "host/CMakeLists.txt": "envmgr_host_layer(low SOURCES a.cpp)\n"
                                   "envmgr_host_layer(high SOURCES b.cpp DEPENDS low later)\n",
            "host/low/a.cpp": '#include "host/high/b.h"\n',
            "host/low/stray.cpp": "",
            "host/high/b.h": '#include "host/low/a.h"\n',
            "host/high/b.cpp": "",
            "tests/unit/host/low/a_test.cpp": '#include "host/high/b.h"\n',
        }
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        _, problems = check(root)
    expected = ["DEPENDS later, which is not declared", "stray.cpp: not in the SOURCES",
                "host/low/a.cpp:1: host/low/ may not include host/high/", "a test of host/low/ includes host/high/"]
    missing = [text for text in expected if not any(text in problem for problem in problems)]
    print("self-test: " + ("every rule reports" if not missing and len(problems) == 4 else f"FAILED {problems}"))
    return 1 if missing or len(problems) != 4 else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    layers, problems = check(root)
    print("\n".join(problems) if problems else f"host layers: {len(layers)} layers, no backward include")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

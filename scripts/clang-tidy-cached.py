#!/usr/bin/env python3
"""Runs clang-tidy on the given sources, skipping those it found clean before.

A source is known clean by the hash of its preprocessed text (which holds every header it
includes), its compiler flags, .clang-tidy and the clang-tidy version: change any of them and it
is checked again. The cache lives in $ENVMGR_TIDY_CACHE (default ~/.cache/envmgr-clang-tidy); a
machine without one checks everything. Usage: clang-tidy-cached.py BUILD_DIR SOURCE...
Exits 1 and prints the findings when clang-tidy reports any."""
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

# GCC-only flags that clang (and so clang-tidy) does not know.
GCC_ONLY_FLAGS = {"-fno-gnu-unique"}


def compile_commands(build_dir):
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    for entry in entries:
        if "command" in entry:
            entry["command"] = shlex.join(a for a in shlex.split(entry["command"]) if a not in GCC_ONLY_FLAGS)
        else:
            entry["arguments"] = [a for a in entry["arguments"] if a not in GCC_ONLY_FLAGS]
    return entries


def compiler_args(entry):
    """The compile command without launcher, output and dependency-file flags."""
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    while args and (args[0].endswith("/env") or "=" in args[0] or args[0].endswith("ccache")):
        args.pop(0)
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if arg in ("-c", "-MD", "-MMD"):
            continue
        out.append(arg)
    return out


def fingerprint(entry, salt, root):
    args = compiler_args(entry)
    preprocessed = subprocess.run(args + ["-E", "-P"], cwd=entry["directory"], capture_output=True)
    if preprocessed.returncode != 0:
        return None  # let clang-tidy itself report the problem
    # The clone's own path (in -I flags, defines, __FILE__) does not make a file different: a
    # clean check in one clone holds for another.
    digest = hashlib.sha256(salt)
    digest.update(" ".join(args).replace(root, "<root>").encode())
    digest.update(preprocessed.stdout.replace(root.encode(), b"<root>"))
    return digest.hexdigest()


def main():
    build_dir, sources = sys.argv[1], [os.path.realpath(s) for s in sys.argv[2:]]
    root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    cache = os.environ.get("ENVMGR_TIDY_CACHE", os.path.expanduser("~/.cache/envmgr-clang-tidy"))
    os.makedirs(cache, exist_ok=True)
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True).stdout
    with open(os.path.join(root, ".clang-tidy"), "rb") as f:
        salt = version + f.read()
    entries = compile_commands(build_dir)
    commands = {os.path.realpath(os.path.join(e["directory"], e["file"])): e for e in entries}
    # clang-tidy reads the database without the GCC-only flags.
    tidy_db = tempfile.mkdtemp(prefix="envmgr-tidy-db-")
    with open(os.path.join(tidy_db, "compile_commands.json"), "w") as f:
        json.dump(entries, f)
    skipped = [s for s in sources if s not in commands]
    if skipped:  # e.g. a test input that ctest compiles on purpose with errors
        print("clang-tidy: not compiled in this build, skipped:", *skipped, sep="\n  ")
    sources = [s for s in sources if s in commands]
    jobs = os.cpu_count() or 2
    with ThreadPoolExecutor(jobs) as pool:
        prints = dict(zip(sources, pool.map(lambda s: fingerprint(commands[s], salt, root), sources)))
    todo = [s for s in sources if prints[s] is None or not os.path.exists(os.path.join(cache, prints[s]))]
    print(f"clang-tidy: {len(sources) - len(todo)} of {len(sources)} files unchanged since a clean check; "
          f"checking {len(todo)}")

    def tidy(source):
        run = subprocess.run(["clang-tidy", "-quiet", "-p", tidy_db, source], capture_output=True, text=True)
        findings = [line for line in run.stdout.splitlines() if " warning: " in line or " error: " in line]
        return source, run.returncode, findings

    failed = False
    with ThreadPoolExecutor(jobs) as pool:
        for source, code, findings in pool.map(tidy, todo):
            if code != 0 or findings:
                failed = True
                print("\n".join(findings) or f"{source}: clang-tidy failed ({code})", file=sys.stderr)
            elif prints[source] is not None:
                open(os.path.join(cache, prints[source]), "w").close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

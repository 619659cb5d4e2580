#!/usr/bin/env python3
"""Checks the two Debian packages: what each holds and depends on (default), that after
`dpkg -r` only the conffiles are left (--removed), and that after `dpkg --purge` nothing is
(--purged). Usage: check_package_contents.py [--removed | --purged] RUNTIME.deb DEV.deb"""
import os
import subprocess
import sys

RUNTIME_FILES = [
    "./usr/bin/env-manager", "./usr/bin/envctl",
    "./usr/lib/env-manager/plugins/backend_docker.so", "./usr/lib/env-manager/plugins/backend_swarm.so",
    "./usr/lib/env-manager/plugins/frontend_grpc.so",
    "./usr/lib/env-manager/plugins/frontend_metrics.so", "./usr/lib/env-manager/plugins/probe_tcp.so",
    "./usr/lib/env-manager/plugins/probe_http.so", "./usr/lib/env-manager/plugins/probe_exec.so",
    "./usr/lib/env-manager/plugins/service_redis.so", "./usr/lib/env-manager/plugins/service_redb.so",
    "./usr/lib/env-manager/plugins/service_infermesh.so", "./usr/lib/env-manager/plugins/service_ollama.so",
    "./etc/env-manager/env-manager.toml", "./etc/default/env-manager",
    "./lib/systemd/system/env-manager.service",
    "./usr/share/man/man8/env-manager.8.gz", "./usr/share/man/man1/envctl.1.gz",
    "./usr/share/doc/env-manager/copyright", "./usr/share/doc/env-manager/changelog.Debian.gz",
]
DEV_FILES = [
    "./usr/include/envmgr/abi.h", "./usr/include/envmgr/sdk/sdk.h",
    "./usr/include/envmgr/sdk/testing/fake_host.h", "./usr/include/envmgr/kit/probe/check_run.h",
    "./usr/lib/x86_64-linux-gnu/libenvmgr_plugin_kit.a",
    "./usr/lib/x86_64-linux-gnu/cmake/envmgr/envmgrConfig.cmake",
    "./usr/lib/x86_64-linux-gnu/cmake/envmgr/EnvmgrPlugin.cmake",
    "./usr/share/doc/env-manager-dev/copyright", "./usr/share/doc/env-manager-dev/plugin-guide.md",
]
CONFFILES = ["/etc/env-manager/env-manager.toml", "/etc/default/env-manager"]


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def files_of(deb):
    """The regular files and links a package installs, as absolute paths."""
    names = []
    for line in run("dpkg-deb", "-c", deb).splitlines():
        fields = line.split()
        if fields[0].startswith(("-", "l")):
            names.append(fields[5])
    return names


def check_contents(runtime, dev):
    for deb, wanted in ((runtime, RUNTIME_FILES), (dev, DEV_FILES)):
        have = set(files_of(deb))
        missing = [name for name in wanted if name not in have]
        assert not missing, f"{os.path.basename(deb)} lacks {missing}"
    depends = run("dpkg-deb", "-f", runtime, "Depends")
    # From dpkg-shlibdeps: the libraries the daemon and plugins link, with versions.
    for library in ("libgrpc++", "libspdlog", "libsystemd0", "libc6"):
        assert library in depends, f"Depends lacks {library}: {depends}"
    conffiles = run("dpkg-deb", "-I", runtime, "conffiles").split()
    assert sorted(conffiles) == sorted(CONFFILES), conffiles
    print(f"contents ok; env-manager depends on: {depends.strip()}")


def check_left(runtime, dev, purged):
    left = [name[1:] for deb in (runtime, dev) for name in files_of(deb) if os.path.lexists(name[1:])]
    expected = [] if purged else CONFFILES
    assert sorted(left) == sorted(expected), f"left behind: {left}, expected {expected}"
    if purged:
        for folder in ("/etc/env-manager", "/usr/lib/env-manager", "/usr/include/envmgr"):
            assert not os.path.exists(folder), f"{folder} left behind"
    print("purged: nothing left" if purged else f"removed: only the conffiles left ({', '.join(left)})")


def main():
    args = sys.argv[1:]
    mode = args.pop(0) if args and args[0].startswith("--") else ""
    runtime, dev = args
    if mode == "":
        check_contents(runtime, dev)
    else:
        check_left(runtime, dev, purged=mode == "--purged")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The default stack to ready on a swarm (backend.swarm on the swarm test-bed) against two
baselines in the same run: the same stack on one engine (backend.docker on the test-bed's
engine, the same daemon binary), and the strongest orchestrator a script could be on the same
swarm (bench/swarm_ideal.py: the Engine API alone, every service created at t0 and scaled the
instant its dependencies answer, 10 ms probes). Runs alternate in order, one warm-up of each
first (it makes the tenant's network). Each env-manager run: a daemon of its own, `envctl up`
timed from outside until every service is ready, then `envctl down` (containers or services
removed, volumes kept). Prints every run, the medians and the ratios.

    scripts/testbed.sh up && scripts/testbed.sh swarm up 3
    bench/swarm_bench.py [--build build/release] [--runs 7]
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import swarm_ideal

TENANT = "benchswarm"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def swarm_nodes():
    """{host name: socket} of the swarm test-bed's nodes, from `testbed.sh swarm env`."""
    env = subprocess.run([os.path.join(ROOT, "scripts", "testbed.sh"), "swarm", "env"], capture_output=True,
                         text=True, check=True).stdout
    nodes = re.search(r'ENVMGR_SWARM_NODES="([^"]*)"', env).group(1).split()
    return {f"envmgr-swarm-{entry.split('=')[0]}": entry.split("=", 1)[1].split("@")[0] for entry in nodes}


def config_text(backend, nodes):
    text = f"[tenants.{TENANT}]\nport_offset = 7000\n"
    if backend == "backend.swarm":
        manager = nodes["envmgr-swarm-1"]
        listed = ", ".join(f'"{name}" = "{endpoint}"' for name, endpoint in sorted(nodes.items()))
        text += f'[plugins."backend.swarm"]\nmanager = "{manager}"\nnodes = {{ {listed} }}\n'
    return text


def one_run(build, backend, nodes):
    """Seconds from `envctl up` to every service ready, and the daemon's own critical chain line."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as config:
        config.write(config_text(backend, nodes))
    port = free_port()
    env = dict(os.environ, ENV_MANAGER_CONFIG=config.name, ENV_MANAGER_BACKEND=backend,
               ENV_MANAGER_GRPC_ADDR=f"127.0.0.1:{port}", ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{free_port()}",
               ENV_MANAGER_PLUGIN_PATH=os.path.join(build, "lib", "env-manager", "plugins"))
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    daemon = subprocess.Popen([os.path.join(build, "bin", "env-manager")], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    envctl = [os.path.join(build, "bin", "envctl"), "--addr", f"127.0.0.1:{port}", "--tenant", TENANT]
    try:
        deadline = time.monotonic() + 30
        while "env-manager ready" not in open(log.name, encoding="utf-8").read():
            if time.monotonic() > deadline or daemon.poll() is not None:
                raise RuntimeError(f"{backend}: the daemon did not get ready:\n{open(log.name).read()[-2000:]}")
            time.sleep(0.02)
        started = time.monotonic()
        up = subprocess.run(envctl + ["up", "--timeout", "120"], capture_output=True, text=True)
        took = time.monotonic() - started
        if up.returncode != 0:
            raise RuntimeError(f"{backend}: envctl up failed:\n{up.stdout}{up.stderr}")
        subprocess.run(envctl + ["down"], capture_output=True, text=True, check=True)
        chain = re.findall(r"critical chain: (.*)", open(log.name, encoding="utf-8").read())
        return took, chain[-1] if chain else ""
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)
        os.unlink(config.name)
        os.unlink(log.name)


def effective_services(build, nodes):
    """The tenant's services as env-manager would run them, and its network."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as config:
        config.write(config_text("backend.swarm", nodes))
    try:
        printed = subprocess.run([os.path.join(build, "bin", "env-manager"), "--print-config", "--json"],
                                 env=dict(os.environ, ENV_MANAGER_CONFIG=config.name,
                                          ENV_MANAGER_PLUGIN_PATH=os.path.join(build, "lib", "env-manager",
                                                                               "plugins")),
                                 capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(config.name)
    tenant = json.loads(printed)["tenants"][TENANT]
    return tenant["services"], tenant["network"]


def ideal_run(build, nodes):
    services, network = effective_services(build, nodes)
    manager = nodes["envmgr-swarm-1"]
    try:
        took, ready = swarm_ideal.run(manager, services, network)
    finally:
        swarm_ideal.remove(manager, services)
    order = " -> ".join(f"{name} {at * 1000:.0f}" for name, at in sorted(ready.items(), key=lambda item: item[1]))
    return took, f"ready at (ms): {order}"


VARIANTS = ["backend.docker", "backend.swarm", "ideal on the swarm"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    nodes = swarm_nodes()
    print(f"swarm: {len(nodes)} nodes; one engine: the test-bed's; {args.runs} runs each after one warm-up")
    times = {variant: [] for variant in VARIANTS}
    for run in range(args.runs + 1):
        shift = run % len(VARIANTS)
        for variant in VARIANTS[shift:] + VARIANTS[:shift]:
            if variant in ("backend.docker", "backend.swarm"):
                took, chain = one_run(args.build, variant, nodes)
            else:
                took, chain = ideal_run(args.build, nodes)
            label = "warm-up" if run == 0 else f"run {run}"
            print(f"{label:8} {variant:18} {took * 1000:7.0f} ms   {chain}", flush=True)
            if run > 0:
                times[variant].append(took)
    one, swarm, ideal = (statistics.median(times[variant]) for variant in VARIANTS)
    print(f"median: one engine {one * 1000:.0f} ms, swarm {swarm * 1000:.0f} ms, ideal on the swarm "
          f"{ideal * 1000:.0f} ms")
    print(f"env-manager on the swarm: {swarm / ideal:.2f}x the ideal orchestrator on the same swarm, "
          f"{swarm / one:.2f}x env-manager on one engine")
    return 0


if __name__ == "__main__":
    sys.exit(main())

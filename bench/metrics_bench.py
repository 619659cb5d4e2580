"""Scrape cost of the metrics frontend: the daemon (build/release) with the default stack running
in one tenant and 14 more tenants configured (over 1,000 label series), scraped back to back.
Prints scrape latency p50/p99 of /metrics (text and JSON) against /health/live on the same
server (the floor of any request there, measured in the same run), the series count, and the
daemon's CPU per scrape (from /proc/PID/stat).
Usage: /usr/bin/python3 bench/metrics_bench.py [scrapes]   (test-bed up)"""
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
os.environ.setdefault("ENVMGR_BINARY", os.path.join(ROOT, "build/release/bin/env-manager"))
os.environ.setdefault("ENVMGR_FIXTURE_PLUGIN_DIR", "")
sys.path.insert(0, os.path.join(ROOT, "tests/e2e"))
from daemon_process import Daemon, write_config  # noqa: E402
from grpc_client import generate  # noqa: E402
from scrape_load import PacedScrapers  # noqa: E402

pb, rpc = generate()[:2]
PLUGINS = os.path.join(ROOT, "build/release/lib/env-manager/plugins")
STACK = ["redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"]
TENANTS = [f"mbench{i}" for i in range(15)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure(connection, path, count, headers=None):
    times = []
    for _ in range(count):
        began = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - began) * 1000)
        assert response.status == 200, (path, response.status, body[:200])
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], body


def paced_scrapers(daemon, port, count, seconds):
    """count keep-alive scrapers, each scraping once a second for `seconds`: the daemon's CPU a
    scrape when scrapes come on many connections (as from many Prometheus servers)."""
    cpu_before = daemon.cpu_seconds()
    with PacedScrapers(port, count) as scrapers:
        time.sleep(seconds)
    assert all(status == 200 for status in scrapers.statuses), set(scrapers.statuses)
    scrapes = len(scrapers.statuses)
    return (daemon.cpu_seconds() - cpu_before) / scrapes * 1000, scrapes, statistics.median(scrapers.latencies_ms)


def cleanup():
    names = [f"{TENANTS[0]}-{service}" for service in STACK]
    subprocess.run(["docker", "rm", "-f", "-v", *names], capture_output=True)
    subprocess.run(["docker", "volume", "rm", f"{TENANTS[0]}_redis_data", f"{TENANTS[0]}_redb_data",
                    f"{TENANTS[0]}_ollama_data"], capture_output=True)
    subprocess.run(["docker", "network", "rm", f"env-manager-{TENANTS[0]}"], capture_output=True)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    toml = "".join(f"[tenants.{tenant}]\nport_offset = {7000 + 100 * i}\n" for i, tenant in enumerate(TENANTS))
    config = write_config(toml)
    port = free_port()
    cleanup()
    daemon = Daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=PLUGINS,
                    ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{port}",
                    ENV_MANAGER_GRPC_ADDR=f"unix:{config}.sock")
    try:
        assert daemon.wait_for_log("env-manager ready", 20), daemon.output()
        import grpc
        with grpc.insecure_channel(f"unix:{config}.sock") as channel:
            stub = rpc.EnvManagerServiceStub(channel)
            list(stub.StartServices(pb.StartServicesRequest(service_names=STACK, parallel=True),
                                    metadata=(("x-env-manager-tenant", TENANTS[0]),), timeout=120))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        measure(connection, "/metrics", 20)  # warm
        live_p50, live_p99, _ = measure(connection, "/health/live", count)
        cpu_before = daemon.cpu_seconds()
        text_p50, text_p99, text = measure(connection, "/metrics", count)
        cpu_text = (daemon.cpu_seconds() - cpu_before) / count * 1000
        cpu_before = daemon.cpu_seconds()
        json_p50, json_p99, _ = measure(connection, "/metrics?format=json", count)
        cpu_json = (daemon.cpu_seconds() - cpu_before) / count * 1000
        paced_cpu, paced_scrapes, paced_p50 = paced_scrapers(daemon, port, 200, 10)
        series = sum(1 for line in text.decode().splitlines() if line and not line.startswith("#"))
        print(f"{series} series, {len(text)} bytes of text; {count} scrapes each, one keep-alive connection")
        print(f"/health/live   p50 {live_p50:.3f} ms  p99 {live_p99:.3f} ms  (the floor)")
        print(f"/metrics text  p50 {text_p50:.3f} ms  p99 {text_p99:.3f} ms  ({text_p50 / live_p50:.1f}x the floor);"
              f" daemon CPU {cpu_text:.3f} ms a scrape")
        print(f"/metrics json  p50 {json_p50:.3f} ms  p99 {json_p99:.3f} ms  ({json_p50 / live_p50:.1f}x the floor);"
              f" daemon CPU {cpu_json:.3f} ms a scrape")
        print(f"200 scrapers at 1 s each, {paced_scrapes} scrapes in 10 s: p50 {paced_p50:.3f} ms;"
              f" daemon CPU {paced_cpu:.3f} ms a scrape")
    finally:
        daemon.signal()
        try:
            daemon.wait(60)
        except subprocess.TimeoutExpired:
            daemon.kill()
        cleanup()
        os.unlink(config)


if __name__ == "__main__":
    main()

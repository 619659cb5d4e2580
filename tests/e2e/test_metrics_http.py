"""The HTTP face of the daemon (frontend.metrics) as probes, load balancers and Prometheus meet
it: /health, /health/live, /health/ready, /metrics as text (checked by Debian's promtool) and as
JSON with the same values, the errors, keep-alive, and scrapes during a real start."""
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import tempfile
import subprocess
import time

from daemon_process import SANITIZED, Daemon, write_config
from scrape_load import PacedScrapers
from test_grpc_api import PLUGIN_DIR, TENANT, GrpcDaemonCase, free_port, pb, rpc

METADATA = (("x-env-manager-tenant", TENANT),)
STACK = ["redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"]


def get(port, path, method="GET", headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def sample_key(name, labels):
    """A comparable key: the le bound as a number, so that 1 and 1.0 are the same bound."""
    return name, tuple(sorted((k, float(v) if k == "le" else v) for k, v in labels.items()))


def series(name, **labels):
    return sample_key(name, labels)


def text_samples(text):
    """sample_key -> value, from the text exposition."""
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            series, _, value = line.rpartition(" ")
            name, _, labels = series.partition("{")
            values[sample_key(name, dict(LABEL.findall(labels)))] = float(value)
    return values


def json_samples(families):
    """The samples the text exposition would carry for the same families."""
    values = {}
    for family in families:
        for metric in family["metrics"]:
            labels = metric["labels"]
            if family["type"] != "histogram":
                values[sample_key(family["name"], labels)] = float(metric["value"])
                continue
            values[sample_key(family["name"] + "_count", labels)] = float(metric["count"])
            values[sample_key(family["name"] + "_sum", labels)] = float(metric["sum"])
            for bucket in metric["buckets"]:
                le = "inf" if bucket["le"] == "+Inf" else bucket["le"]
                values[sample_key(family["name"] + "_bucket", {**labels, "le": le})] = float(bucket["count"])
    return values


class MetricsHttp(GrpcDaemonCase):
    def start_with_metrics(self, **env):
        self.port = free_port()
        channel = self.start_daemon(ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{self.port}", **env)
        return rpc.EnvManagerServiceStub(channel)

    def test_health_endpoints_and_bad_requests(self):
        self.start_with_metrics()
        status, _, body = get(self.port, "/health/live")
        self.assertEqual((status, json.loads(body)["status"]), (200, "alive"))
        for path in ("/health", "/health/ready"):
            status, headers, body = get(self.port, path)
            self.assertEqual(status, 200, body)
            document = json.loads(body)
            self.assertEqual(document["status"], "ok")
            self.assertTrue(document["engine"]["reachable"])
            self.assertIn("frontend.metrics", document["plugins"])
            self.assertGreaterEqual(document["services"]["stopped"], len(STACK) + 1)
            self.assertGreaterEqual(document["uptime_seconds"], 0)
            self.assertTrue(document["version"])
        status, _, body = get(self.port, "/nope")
        self.assertEqual(status, 404)
        self.assertIn("/nope", body)
        status, headers, _ = get(self.port, "/metrics", method="POST", body="x")
        self.assertEqual((status, headers.get("Allow")), (405, "GET, HEAD"))
        self.assertEqual(get(self.port, "/metrics?format=xml")[0], 400)
        self.assertEqual(get(self.port, "/metrics", headers={"X-Big": "y" * 9000})[0], 400)
        # HEAD: the headers of GET, no body.
        status, headers, body = get(self.port, "/metrics", method="HEAD")
        self.assertEqual((status, body), (200, ""))
        self.assertGreater(int(headers["Content-Length"]), 100)
        # Keep-alive: several requests on one connection.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        for path in ("/health/live", "/metrics", "/health"):
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            self.assertEqual(response.status, 200)
        connection.close()
        # A client that sends half a request is cut off; the server stays up.
        with socket.create_connection(("127.0.0.1", self.port)) as slow:
            slow.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            slow.settimeout(30)
            self.assertEqual(slow.recv(1024), b"", "the connection is closed after the request deadline")
        self.assertEqual(get(self.port, "/health/live")[0], 200)

    def test_health_is_503_when_the_engine_is_unreachable(self):
        self.start_with_metrics(DOCKER_HOST="unix:///nonexistent/docker.sock")
        status, _, body = get(self.port, "/health")
        self.assertEqual(status, 503, body)
        document = json.loads(body)
        self.assertEqual(document["status"], "unavailable")
        self.assertIn("unreachable", document["reason"])
        self.assertEqual(get(self.port, "/health/live")[0], 200)

    def test_health_is_503_until_start_up_has_finished(self):
        """An engine that accepts and never answers holds the daemon in adoption (until the
        backend's 3 s deadline): meanwhile the frontend listens, /health says the daemon is still
        starting and /health/live answers."""
        silent_path = os.path.join(tempfile.mkdtemp(), "silent.sock")
        silent = socket.socket(socket.AF_UNIX)
        silent.bind(silent_path)
        silent.listen(64)  # connections wait in the backlog: requests go out, nothing comes back
        self.addCleanup(silent.close)
        self.port = free_port()
        config = write_config('[plugins."backend.docker"]\ntimeout_ms = 3000\n')
        self.addCleanup(os.unlink, config)
        daemon = Daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                        ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{self.port}", ENV_MANAGER_GRPC_ADDR=f"127.0.0.1:{free_port()}",
                        DOCKER_HOST=f"unix://{silent_path}")
        self.daemons.append(daemon)
        self.assertTrue(daemon.wait_for_log("HTTP /health and /metrics on", 20), daemon.output())
        self.assertNotIn("env-manager ready", daemon.output())
        status, _, body = get(self.port, "/health")
        self.assertEqual(status, 503, body)
        self.assertIn("starting up", json.loads(body)["reason"])
        self.assertEqual(get(self.port, "/health/ready")[0], 503)
        self.assertEqual(get(self.port, "/health/live")[0], 200)
        self.assertNotIn("env-manager ready", daemon.output(), "start-up ended before the checks")
        self.assertTrue(daemon.wait_for_log("env-manager ready", 30), daemon.output())
        self.assertEqual(get(self.port, "/health")[0], 503)  # ready, but the engine does not answer

    def test_metrics_follow_a_start_pass_promtool_and_json_says_the_same(self):
        stub = self.start_with_metrics()
        before = text_samples(get(self.port, "/metrics")[2])
        list(stub.StartServices(pb.StartServicesRequest(service_names=STACK, parallel=True), metadata=METADATA,
                                timeout=120))
        # The state gauges follow the bus, whose last event may land just after the stream ended.
        healthy = [series("envmgr_service_state", service=service, state="healthy", tenant=TENANT) for service in STACK]
        deadline = time.monotonic() + 10
        while True:
            status, headers, text = get(self.port, "/metrics")
            after = text_samples(text)
            if all(after.get(key) == 1 for key in healthy) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        creates = series("docker_api_duration_seconds_count", operation="container.create")
        self.assertGreaterEqual(after[creates] - before.get(creates, 0), len(STACK))
        for service in STACK:
            self.assertEqual(after[series("envmgr_service_state", service=service, state="healthy", tenant=TENANT)], 1)
            self.assertEqual(after[series("envmgr_service_state", service=service, state="stopped", tenant=TENANT)], 0)
        self.assertEqual(after[series("active_services")], len(STACK))
        ready = series("envmgr_health_transitions_total", service="redis", tenant=TENANT, transition="ready")
        self.assertGreaterEqual(after[ready], 1)
        self.assertGreater(after[series("process_resident_memory_bytes")], 1 << 20)
        self.assertGreater(after[series("process_open_fds")], 3)
        self.assertIn('envmgr_build_info{version="', text)
        self.assertIn("# HELP active_services ", text)

        promtool = shutil.which("promtool")
        self.assertIsNotNone(promtool, "promtool missing: apt-get install prometheus")
        checked = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)

        # JSON: the same families, help, types, series and values. Text, JSON, text: a value
        # that did not move between the two texts must be the JSON's; one that moved (the
        # uptime, a probe that ran meanwhile) must lie between them.
        families = json.loads(get(self.port, "/metrics?format=json")[2])
        second = get(self.port, "/metrics")[2]
        by_name = {family["name"]: family for family in families}
        # A family may also first appear between the scrapes: the time-to-ready histogram gets
        # its first series when the start's timeline closes, just after the last service's ready.
        def declared(scrape):
            return set(re.findall(r"^# TYPE (\S+) ", scrape, re.MULTILINE))
        self.assertLessEqual(declared(text), set(by_name))
        self.assertLessEqual(set(by_name), declared(second))
        for family in families:
            self.assertIn(f"# TYPE {family['name']} {family['type']}\n", second)
            self.assertIn(f"# HELP {family['name']} {family['help']}\n", second)
        first, in_json, last = after, json_samples(families), text_samples(second)
        # A series may first appear between two of the scrapes (the stats poll's first call).
        self.assertLessEqual(set(first), set(in_json))
        self.assertLessEqual(set(in_json), set(last))
        self.assertGreater(len(in_json), 100)
        for key, value in in_json.items():
            if key[0] in ("process_resident_memory_bytes", "process_open_fds"):
                continue  # these go both ways: the same in both texts says nothing of the JSON's
            low, high = sorted((first.get(key, last[key]), last[key]))
            # The text writes 15 significant digits, JSON 17: the same double can differ past them.
            slack = 1e-12 * max(abs(low), abs(high), 1.0)
            self.assertTrue(low - slack <= value <= high + slack, (key, first.get(key), value, last[key]))
        create = [m for m in by_name["docker_api_duration_seconds"]["metrics"] if m["labels"]["operation"] == "container.create"]
        self.assertEqual(create[0]["buckets"][-1]["le"], "+Inf")
        self.assertEqual(get(self.port, "/metrics", headers={"Accept": "application/json"})[2][:1], "[")

    def test_two_hundred_scrapers_during_a_start(self):
        """200 scrapers, each on one keep-alive connection at a 1 s interval (as 200 Prometheus
        servers with a 1 s scrape_interval, 4x to 60x more often than usual; a new connection per
        scrape would churn through ephemeral ports), during a start. The
        starts alternate alone / with scrapers, three times each: the loaded median must be within
        the noise of the lone median (a slowdown beyond both 25% and twice the spread of the lone
        starts fails)."""
        stub = self.start_with_metrics()

        def timed_start():
            began = time.monotonic()
            updates = list(stub.StartServices(pb.StartServicesRequest(service_names=STACK, parallel=True),
                                              metadata=METADATA, timeout=120))
            self.assertEqual(updates[-1].status, "healthy")
            elapsed = time.monotonic() - began
            stub.StopServices(pb.StopServicesRequest(service_names=STACK), metadata=METADATA, timeout=120)
            return elapsed

        statuses = []

        def start_with_scrapers():
            with PacedScrapers(self.port, 200) as scrapers:
                time.sleep(1.0)  # every scraper has scraped once: the start meets the steady load
                elapsed = timed_start()
            statuses.extend(scrapers.statuses)
            return elapsed

        daemon_cpu = self.daemons[-1].cpu_seconds

        def measured(run):
            cpu_before, began = daemon_cpu(), time.process_time()
            elapsed = run()
            return elapsed, daemon_cpu() - cpu_before, time.process_time() - began

        timed_start()  # warms the engine's caches, as the first start of a day would not
        alone, loaded, costs = [], [], {"alone": [0.0, 0.0], "loaded": [0.0, 0.0]}
        for _ in range(3):
            for kind, run, times in (("alone", timed_start, alone), ("loaded", start_with_scrapers, loaded)):
                elapsed, daemon, harness = measured(run)
                times.append(elapsed)
                costs[kind][0] += daemon
                costs[kind][1] += harness
        self.assertTrue(statuses and all(status == 200 for status in statuses), set(statuses))
        spread = (max(alone) - min(alone)) / min(alone)
        ratio = statistics.median(loaded) / statistics.median(alone)
        print(f"\nstarts alone {[round(t, 2) for t in alone]} s, with 200 scrapers "
              f"{[round(t, 2) for t in loaded]} s: {ratio:.2f}x (lone spread {spread:.0%}), "
              f"{len(statuses)} scrapes; CPU daemon {costs['alone'][0]:.2f} -> {costs['loaded'][0]:.2f} s, "
              f"this test's own (gRPC client, scrapers) {costs['alone'][1]:.2f} -> {costs['loaded'][1]:.2f} s")
        if not SANITIZED:
            self.assertLessEqual(ratio, 1 + max(0.25, 2 * spread), (alone, loaded))

"""1,000 StreamHealth streams against the daemon: each gets its first update, each sees one
change, and when the clients go away nothing is left behind: the event bus's subscriptions
(read from the host's metrics through the test-only driver frontend) return to where they were.
Under a sanitizer build (5-15x slower) it runs 200 streams: the same paths, in the ctest timeout."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import grpc

from daemon_process import SANITIZED
from test_grpc_api import PLUGIN_DIR, TENANT, GrpcDaemonCase, docker, pb, rpc

DRIVER_PLUGIN_DIR = os.environ["ENVMGR_DRIVER_PLUGIN_DIR"]
METADATA = (("x-env-manager-tenant", TENANT),)
STREAMS = 200 if SANITIZED else 1000
DRIVER_TIMEOUT = 60 if SANITIZED else 10


class GrpcStreams(GrpcDaemonCase):
    def metric(self, name):
        """The metric's value now, through the driver's @metrics request."""
        self.metric_reads = getattr(self, "metric_reads", 0) + 1
        stem = os.path.join(self.driver_dir, f"metrics{self.metric_reads}")
        with open(stem + ".request.json.partial", "w", encoding="utf-8") as handle:
            json.dump({"operation": "@metrics"}, handle)
        os.rename(stem + ".request.json.partial", stem + ".request.json")
        deadline = time.monotonic() + DRIVER_TIMEOUT
        while not os.path.exists(stem + ".result.json"):
            self.assertLess(time.monotonic(), deadline, "the driver did not answer")
            time.sleep(0.02)
        with open(stem + ".result.json", encoding="utf-8") as handle:
            text = json.load(handle)["payload"]
        found = re.search(rf"^{name} ([0-9.e+]+)$", text, re.MULTILINE)
        self.assertIsNotNone(found, text)
        return float(found.group(1))

    def wait_for_metric(self, name, value, timeout=60):  # sanitizer builds are slow to wind 1,000 streams down
        deadline = time.monotonic() + timeout
        while self.metric(name) != value and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.metric(name)

    def test_a_thousand_health_streams_see_a_change_and_leave_nothing_behind(self):
        self.driver_dir = tempfile.mkdtemp(prefix="envmgr-driver-")
        self.addCleanup(shutil.rmtree, self.driver_dir, True)
        channel = self.start_daemon(f"[plugins.\"frontend.fixture-driver\"]\ndir = \"{self.driver_dir}\"\n",
                                    plugin_path=f"{PLUGIN_DIR}:{DRIVER_PLUGIN_DIR}")
        stub = rpc.EnvManagerServiceStub(channel)
        list(stub.StartServices(pb.StartServicesRequest(service_names=["redis"]), metadata=METADATA, timeout=120))
        baseline = self.metric("event_bus_subscriptions")

        request = pb.StreamHealthRequest(service_names=["redis"], interval_seconds=3600)
        streams = [stub.StreamHealth(request, metadata=METADATA, timeout=120) for _ in range(STREAMS)]
        first = [next(stream) for stream in streams]
        self.assertTrue(all(update.healthy for update in first))
        self.assertEqual(self.wait_for_metric("event_bus_subscriptions", baseline + STREAMS), baseline + STREAMS)
        # The core is not held up by them: a status read still answers.
        self.assertEqual(stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=["redis"]),
                                                metadata=METADATA, timeout=5).services["redis"].status, "healthy")

        subprocess.run(["docker", "kill", f"{TENANT}-redis"], capture_output=True, check=True)
        seen = 0
        for stream in streams:
            for update in stream:
                if not update.healthy:
                    seen += 1
                    break
        self.assertEqual(seen, STREAMS)

        for stream in streams:
            stream.cancel()
        self.assertEqual(self.wait_for_metric("event_bus_subscriptions", baseline), baseline,
                         "a cancelled stream left its bus subscription behind")

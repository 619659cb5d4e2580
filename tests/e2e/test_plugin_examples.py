"""The example plugins, one per kind, as built in this tree, loaded by a daemon beside the
default plugins on the real engine: a service the example service plugin defines starts and
becomes ready; a service checked by the example probe (PostgreSQL's SSLRequest handshake, its
typed `params`) becomes ready only when the answer is right; the example frontend writes the
health events of both to its file."""
import json
import os
import tempfile
import unittest

from daemon_process import (BINARY, PLUGIN_DIR, Daemon, EngineCase, free_port, remove_tenant_resources, run_envctl,
                            write_config)

TENANT = "e2eex"
BUILD = os.path.dirname(os.path.dirname(BINARY))
PLUGIN_PATH = PLUGIN_DIR + ":" + os.path.join(BUILD, "examples", "plugins")
# A server that answers every connection with 'N', as PostgreSQL answers an SSLRequest when it
# accepts connections without TLS; it listens only after a moment, as a database does.
FAKE_PG = '["sh", "-c", "sleep 0.5; exec nc -ll -p 5432 -e printf N"]'


def remove_tenant():
    remove_tenant_resources(TENANT)


class PluginExamples(EngineCase):
    remove_tenant = staticmethod(remove_tenant)

    def setUp(self):
        super().setUp()
        if not os.path.exists(os.path.join(BUILD, "examples", "plugins", "example_pg_probe.so")):
            self.skipTest("the example plugins are not built (ENVMGR_BUILD_EXAMPLES=OFF)")
        folder = tempfile.mkdtemp(prefix="envmgr-examples-")
        self.events = os.path.join(folder, "events.jsonl")
        self.port = free_port()
        toml = f"""
[plugins."service.example-hello"]
port = 18088
image = "envmgr-test/busybox:latest"
[plugins."frontend.example-event-log"]
path = "{self.events}"
[tenants.{TENANT}]
port_offset = 7400
[tenants.{TENANT}.services.fakepg]
image = "envmgr-test/busybox:latest"
command = {FAKE_PG}
readiness = {{ type = "pg", port = 5432, timeout_ms = 1000, params = {{ require_tls = false }} }}
[tenants.{TENANT}.services.tlspg]
image = "envmgr-test/busybox:latest"
command = {FAKE_PG}
readiness = {{ type = "pg", port = 5432, timeout_ms = 1000, params = {{ require_tls = true }} }}
"""
        config = write_config(toml)
        self.addCleanup(os.unlink, config)
        daemon = Daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_PATH,
                        ENV_MANAGER_GRPC_ADDR=f"127.0.0.1:{self.port}", ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{free_port()}")
        self.daemons.append(daemon)
        self.assertTrue(daemon.wait_for_log("env-manager ready", 20), daemon.output())
        self.daemon = daemon

    def envctl(self, *args, timeout=180):
        return run_envctl(f"127.0.0.1:{self.port}", TENANT, *args, timeout=timeout)

    def ready_events(self):
        with open(self.events, encoding="utf-8") as handle:
            lines = [json.loads(line) for line in handle]
        return {line["event"].get("service") for line in lines
                if line["topic"] == "health" and line["event"].get("transition") == "ready"}

    def test_each_example_does_its_part_on_the_engine(self):
        plugins = self.envctl("plugins")
        self.assertEqual(plugins.returncode, 0, plugins.stderr)
        for plugin_id in ("service.example-hello", "probe.example-pg", "frontend.example-event-log"):
            self.assertIn(plugin_id, plugins.stdout)

        up = self.envctl("up", "hello", "fakepg")
        self.assertEqual(up.returncode, 0, up.stdout + up.stderr + self.daemon.output())
        self.assertEqual(self.ready_events(), {"hello", "fakepg"})

        # The same server, but the probe's own parameter asks for TLS: never ready.
        tls = self.envctl("up", "tlspg", "--timeout", "4")
        self.assertEqual(tls.returncode, 5, tls.stdout + tls.stderr)
        health = self.envctl("health")
        self.assertIn("TLS is not offered", health.stdout, health.stdout + health.stderr)
        self.assertNotIn("tlspg", self.ready_events())


if __name__ == "__main__":
    unittest.main()

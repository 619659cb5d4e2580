"""The lifecycle engine as a frontend meets it: the installed daemon's binary with the real
plugins and the test-only frontend fixture (frontend.fixture-driver), which drives the manager
operations through the real ABI from request files and records the event bus. Real engine,
test-bed images; the tenant's containers carry the test-bed's clean-up label."""
import datetime
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from daemon_process import PLUGIN_DIR, Daemon, remove_tenant_resources, write_config

DRIVER_PLUGIN_DIR = os.environ["ENVMGR_DRIVER_PLUGIN_DIR"]
TENANT = "e2elife"
STACK = ["redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"]


def docker(*args):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=60)


def remove_tenant():
    remove_tenant_resources(TENANT)


def container_state(name):
    result = docker("inspect", "--format", "{{.Id}} {{.State.Status}} {{.RestartCount}} {{.State.StartedAt}}", name)
    return result.stdout.split() if result.returncode == 0 else None


def engine_times(name):
    """The engine's Created and State.StartedAt of a container, as nanoseconds since the epoch."""
    result = docker("inspect", "--format", "{{.Created}} {{.State.StartedAt}}", name)
    if result.returncode != 0:
        raise AssertionError(f"cannot inspect {name}: {result.stderr}")
    return tuple(rfc3339_ns(text) for text in result.stdout.split())


def rfc3339_ns(text):
    """2026-11-27T13:40:16.123456789Z -> integer nanoseconds (the engine gives nanoseconds)."""
    seconds, _, fraction = text.rstrip("Z").partition(".")
    whole = datetime.datetime.strptime(seconds, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(whole.timestamp()) * 1_000_000_000 + int((fraction + "000000000")[:9])


class ManagerOperations(unittest.TestCase):
    def setUp(self):
        if docker("version").returncode != 0:
            self.fail("no Docker engine: start the test-bed (scripts/testbed.sh up)")
        remove_tenant()
        self.addCleanup(remove_tenant)
        self.dir = tempfile.mkdtemp(prefix="envmgr-driver-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.requests = 0
        self.daemons = []
        self.addCleanup(self.kill_daemons)

    def kill_daemons(self):
        for daemon in self.daemons:
            daemon.kill()

    def start_daemon(self, extra=""):
        toml = f"[tenants.{TENANT}]\nport_offset = 2000\n"
        for service in STACK:
            toml += f"[tenants.{TENANT}.services.{service}]\nlabels = {{ \"envmgr.test\" = \"1\" }}\n"
        toml += f"[plugins.\"frontend.fixture-driver\"]\ndir = \"{self.dir}\"\n" + extra
        config = write_config(toml)
        self.addCleanup(os.unlink, config)
        daemon = Daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=f"{PLUGIN_DIR}:{DRIVER_PLUGIN_DIR}",
                        ENV_MANAGER_LOG=os.environ.get("ENVMGR_E2E_LOG", "info"))
        self.daemons.append(daemon)
        self.assertTrue(daemon.wait_for_log("env-manager ready", 20), daemon.output())
        return daemon

    def call(self, operation, request, timeout=90):
        """Invokes through the driver; returns (status, payload as JSON or text, items)."""
        self.requests += 1
        stem = os.path.join(self.dir, f"call{self.requests}")
        with open(stem + ".request.json.partial", "w", encoding="utf-8") as handle:
            json.dump({"operation": operation, "request": request}, handle)
        os.rename(stem + ".request.json.partial", stem + ".request.json")
        deadline = time.monotonic() + timeout
        while not os.path.exists(stem + ".result.json"):
            if time.monotonic() > deadline:
                self.fail(f"{operation} did not complete within {timeout} s; the daemon said:\n"
                          + self.daemons[-1].output()[-4000:])
            time.sleep(0.02)
        with open(stem + ".result.json", encoding="utf-8") as handle:
            result = json.load(handle)
        items = []
        if os.path.exists(stem + ".items.jsonl"):
            with open(stem + ".items.jsonl", encoding="utf-8") as handle:
                items = [json.loads(line) for line in handle if line.strip()]
        try:
            payload = json.loads(result["payload"])
        except ValueError:
            payload = result["payload"]
        return result["status"], payload, items

    def events(self, topic):
        path = os.path.join(self.dir, "events.jsonl")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as handle:
            lines = [json.loads(line) for line in handle if line.strip()]
        return [line["event"] for line in lines if line["topic"] == topic]

    def snapshot_states(self):
        status, payload, _ = self.call("status.snapshot", {"tenant": TENANT})
        self.assertEqual(status, "ok", payload)
        return {s["name"]: s for s in payload["services"]}

    def test_start_adopt_after_kill_9_and_the_shutdown_choice(self):
        daemon = self.start_daemon()
        # Bad input is refused naming what is wrong; nothing is started.
        status, payload, _ = self.call("services.start", {"tenant": TENANT, "services": ["nope"]})
        self.assertEqual(status, "not_found")
        self.assertIn("nope", payload)
        status, payload, _ = self.call("services.start", {"tenant": "no-such-tenant"})
        self.assertEqual(status, "not_found")
        status, payload, _ = self.call("services.start", {"tenant": TENANT, "parallel": "yes"})
        self.assertEqual(status, "invalid")
        self.assertIn("parallel", payload)

        status, result, items = self.call("services.start", {"tenant": TENANT})
        self.assertEqual(status, "ok", result)
        self.assertTrue(result["ok"])
        self.assertEqual(sorted(s["service"] for s in result["services"]), sorted(STACK))
        states = [(item["service"], item["state"]) for item in items]
        # Containers are created ahead (a service waiting for a dependency shows no "creating");
        # what waits for readiness is the start.
        self.assertLess(states.index(("redis", "healthy")), states.index(("infermesh-node-a", "starting")))
        for node in ("infermesh-node-a", "infermesh-node-b"):
            self.assertLess(states.index((node, "healthy")), states.index(("infermesh-router", "starting")))
        # The engine's own record agrees: nodes started after Redis, the router after both nodes
        # (each waits for the other to be ready, which is later still); every container was
        # created before its dependencies were ready, the router's before any node started.
        created, started = {}, {}
        for service in STACK:
            created[service], started[service] = engine_times(f"{TENANT}-{service}")
        for node in ("infermesh-node-a", "infermesh-node-b"):
            self.assertGreater(started[node], started["redis"], node)
            self.assertGreater(started["infermesh-router"], started[node], node)
            self.assertLess(created["infermesh-router"], started[node], node)
        ids = {s["service"]: s["container_id"] for s in result["services"]}
        before = {service: container_state(f"{TENANT}-{service}") for service in ids}
        self.assertTrue(any(e["tenant"] == TENANT and e["state"] == "healthy" for e in self.events("status")))

        # kill -9: no state file, no shutdown; the next daemon adopts what runs and restarts nothing.
        daemon.signal(signal.SIGKILL)
        daemon.wait(10)
        began = time.monotonic()
        self.start_daemon("[shutdown]\nstop_services = false\n")
        deadline = time.monotonic() + 5
        while True:
            services = self.snapshot_states()
            if all(services.get(s, {}).get("state") == "healthy" for s in ids) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        adopted_in = time.monotonic() - began
        for service, container_id in ids.items():
            self.assertEqual(services[service]["state"], "healthy", services[service])
            self.assertEqual(services[service]["container_id"], container_id)
            self.assertEqual(container_state(f"{TENANT}-{service}"), before[service], "restarted or recreated")
        self.assertLess(adopted_in, 10, "adoption took too long")

        # stop_services = false: a shutdown leaves the stack running, for the next start to adopt.
        self.daemons[-1].signal(signal.SIGTERM)
        self.assertEqual(self.daemons[-1].wait(30), 0)
        for service in ids:
            self.assertEqual(container_state(f"{TENANT}-{service}"), before[service])

        # The default (stop_services = true): a shutdown stops them, dependents first.
        self.start_daemon()
        status, again, items = self.call("services.start", {"tenant": TENANT})
        self.assertEqual(status, "ok", again)
        self.assertEqual({s["service"]: s["container_id"] for s in again["services"]}, ids)
        self.assertNotIn("creating", [item["state"] for item in items])
        self.daemons[-1].signal(signal.SIGTERM)
        self.assertEqual(self.daemons[-1].wait(60), 0)
        for service in ids:
            state = container_state(f"{TENANT}-{service}")
            self.assertTrue(state is None or state[1] == "exited", f"{service}: {state}")


if __name__ == "__main__":
    unittest.main()

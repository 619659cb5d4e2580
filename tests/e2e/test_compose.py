"""Compose files run by env-manager on the real engine: tests/e2e/compose/stack.yml (ten services
of stand-in images; a chain of service_healthy dependencies, a one-shot job waited for with
service_completed_successfully, extends, anchors, merge keys, .env and env_file, a profile not
chosen) started through envctl and through gRPC, in the file's order and with its health; the
containers carry what the file asks for. The command line: --compose with --check-config and
--print-config, and the file, line and column of what is wrong. Beside it, docker-compose up of
the same file in the same run: the time to all healthy is printed as a ratio, never asserted."""
import json
import os
import subprocess
import tempfile
import time
import unittest
import urllib.request

import grpc

from daemon_process import (PLUGIN_DIR, Daemon, EngineCase, docker, free_port, remove_tenant_resources,
                            run, run_envctl, write_config)
from grpc_client import generate

pb, rpc, *_ = generate()

TENANT = "e2ecompose"
STACK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compose", "stack.yml")
PEER_PROJECT = "envmgrpeer"
SERVICES = ["cache", "migrate", "chain-a", "chain-b", "chain-c", "chain-d", "api", "worker-1", "worker-2", "web"]
# What each service waits for, as stack.yml says, and for which state of it (the job's end is
# "stopped" with the message "completed (exit code 0)"; a plain depends_on waits for "starting").
WAITS = {"migrate": {"cache": "healthy"}, "chain-a": {"cache": "healthy"}, "chain-b": {"chain-a": "healthy"},
         "chain-c": {"chain-b": "healthy"}, "chain-d": {"chain-c": "healthy"},
         "api": {"chain-d": "healthy", "migrate": "stopped"}, "worker-2": {"api": "starting"},
         "web": {"api": "healthy"}}


def remove_everything():
    remove_tenant_resources(TENANT)
    subprocess.run(["docker-compose", "-p", PEER_PROJECT, "-f", STACK, "down", "-v", "--remove-orphans"],
                   capture_output=True, timeout=120)


class ComposeStack(EngineCase):
    remove_tenant = staticmethod(remove_everything)

    def start_daemon(self):
        self.port = free_port()
        self.cache_port, self.web_port = free_port(), free_port()
        config = write_config(f'[tenants.{TENANT}]\ncompose = ["{STACK}"]\nplugin_services = false\n')
        self.addCleanup(os.unlink, config)
        daemon = Daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                        ENV_MANAGER_GRPC_ADDR=f"127.0.0.1:{self.port}",
                        ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{free_port()}",
                        CACHE_PORT=str(self.cache_port), WEB_PORT=str(self.web_port))
        self.daemons.append(daemon)
        self.assertTrue(daemon.wait_for_log("env-manager ready", 20), daemon.output())
        return daemon

    def envctl(self, *args, timeout=180):
        return run_envctl(f"127.0.0.1:{self.port}", TENANT, *args, timeout=timeout)

    def up_events(self):
        started = time.monotonic()
        result = self.envctl("up", "--json")
        seconds = time.monotonic() - started
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")], seconds

    def test_the_stack_starts_in_the_files_order_with_its_health_through_envctl_and_grpc(self):
        self.start_daemon()
        events, _ = self.up_events()
        first = {}
        for event in (event for event in events if "service" in event):
            first.setdefault((event["service"], event["state"]), event["elapsed_ms"])
        for service in SERVICES:
            reached = "stopped" if service == "migrate" else "healthy"
            self.assertIn((service, reached), first, f"{service} never {reached}: {events}")
        for service, waits in WAITS.items():
            began = first.get((service, "starting"))
            for dependency, state in waits.items():
                self.assertGreaterEqual(began, first[(dependency, state)],
                                        f"{service} started before {dependency} was {state}")
        self.assertIn({"service": "migrate", "state": "stopped", "message": "completed (exit code 0)"},
                      [{k: e.get(k) for k in ("service", "state", "message")} for e in events])
        self.assertNotIn("debug", {event.get("service") for event in events})  # its profile is not chosen

        self.assert_containers_carry_the_file()
        ps = {row["service"]: row for row in json.loads(self.envctl("ps", "--json").stdout)}
        self.assertEqual(ps["migrate"]["state"], "stopped")
        self.assertEqual(ps["web"]["state"], "healthy")

        self.assertEqual(self.envctl("down").returncode, 0)
        channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        self.addCleanup(channel.close)
        stub = rpc.EnvManagerServiceStub(channel)
        tenant = (("x-env-manager-tenant", TENANT),)
        updates = list(stub.StartServices(pb.StartServicesRequest(service_names=["web"]), metadata=tenant,
                                          timeout=180))
        self.assertEqual((updates[-1].service_name, updates[-1].status), ("web", "healthy"))
        status = stub.GetServicesStatus(pb.GetServicesStatusRequest(), metadata=tenant).services
        self.assertEqual(status["api"].status, "healthy")
        self.assertEqual(list(status["web"].ports), [self.web_port])
        self.assertNotEqual(status["worker-1"].status, "healthy")  # web does not need it
        self.assertIn("exit 0", "".join(status["web"].health_checks.values()))

    def assert_containers_carry_the_file(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/", timeout=10) as answer:
            self.assertEqual(answer.read().strip(), b"ok")
        cache = json.loads(docker("inspect", f"{TENANT}-cache").stdout)[0]
        self.assertEqual(sorted(cache["HostConfig"]["CapDrop"]), ["MKNOD", "NET_RAW"])
        self.assertTrue(cache["HostConfig"]["ReadonlyRootfs"])
        mounts = {m["Destination"]: m for m in cache["Mounts"]}
        self.assertEqual(mounts["/tmp"]["Type"], "tmpfs")
        self.assertEqual(mounts["/data"]["Name"], f"{TENANT}_cache_data")
        self.assertEqual(cache["Config"]["Cmd"], ["redis-server", "--save", "", "--appendonly", "no"])
        worker = json.loads(docker("inspect", f"{TENANT}-worker-2").stdout)[0]
        self.assertEqual((worker["Config"]["User"], worker["Config"]["WorkingDir"]), ("1000:1000", "/tmp"))
        self.assertIn("WORKER_ID=2", worker["Config"]["Env"])
        self.assertIn("WORKER_QUEUE=jobs", worker["Config"]["Env"])  # from the service it extends
        self.assertTrue(worker["HostConfig"]["Init"])
        self.assertEqual(worker["Config"]["Labels"]["compose.test"], "stack")
        api = docker("exec", f"{TENANT}-api", "sh", "-c", "cat /tmp/greeting; echo $API_MODE").stdout.split("\n")
        self.assertEqual(api[:2], ["hello from api.env", "standard"])

    def test_compared_with_docker_compose_up_of_the_same_file(self):
        """Both from nothing (images present): env-manager's `envctl up` until every service is
        ready, docker-compose up -d until every healthcheck passes and the job has exited 0."""
        self.start_daemon()
        _, ours = self.up_events()
        self.assertEqual(self.envctl("down").returncode, 0)
        environment = dict(os.environ, CACHE_PORT=str(free_port()), WEB_PORT=str(free_port()))
        started = time.monotonic()
        up = subprocess.run(["docker-compose", "-p", PEER_PROJECT, "-f", STACK, "up", "-d"], env=environment,
                            capture_output=True, text=True, timeout=300)
        self.assertEqual(up.returncode, 0, up.stderr)
        names = [f"{PEER_PROJECT}_{service}_1" for service in SERVICES if service != "migrate"]
        while time.monotonic() - started < 300:
            health = docker("inspect", "--format", "{{if .State.Health}}{{.State.Health.Status}}{{else}}"
                            "{{.State.Status}}{{end}}", *names).stdout.split()
            if all(state in ("healthy", "running") for state in health):
                break
            time.sleep(0.05)
        peer = time.monotonic() - started
        self.assertTrue(all(state in ("healthy", "running") for state in health), health)
        print(f"\nten services to ready: env-manager {ours:.2f} s, docker-compose {peer:.2f} s "
              f"({ours / peer:.2f}x)")


class ComposeCommandLine(unittest.TestCase):
    def compose_file(self, text, name="compose.yml"):
        folder = tempfile.mkdtemp(prefix="envmgr-compose-")
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def test_check_and_print_config_read_the_file_given_with_compose(self):
        result = run(["--compose", STACK, "--check-config"], ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        printed = run(["--compose", STACK, "--print-config", "--json"], ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR)
        self.assertEqual(printed.returncode, 0, printed.stderr)
        services = json.loads(printed.stdout)["tenants"]["default"]["services"]
        self.assertEqual(services["chain-b"]["depends_on"], [{"service": "chain-a", "condition": "healthy"}])
        self.assertEqual(services["cache"]["readiness"]["command"], ["redis-cli", "ping"])
        self.assertEqual(services["cache"]["source"], f"{STACK}:20:3")
        self.assertIn("redis", services)  # the plugins' services stay beside the file's

    def test_what_is_wrong_is_named_with_file_line_and_column(self):
        path = self.compose_file("services:\n  app:\n    image: busybox:${TAG:?set TAG}\n"
                                 "    privileged: true\n    restrat: always\n  built:\n    build: .\n")
        result = run(["--compose", path, "--check-config"], ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR)
        self.assertEqual(result.returncode, 2, result.stdout)
        self.assertIn(f"{path}:3:12: tenant 'default', field 'compose image': invalid interpolation in "
                      "'busybox:${TAG:?set TAG}': required variable TAG: set TAG", result.stderr)
        self.assertIn(f"{path}:4:17: tenant 'default', service 'app', field 'compose privileged': not supported",
                      result.stderr)
        self.assertIn("unknown key 'restrat' (did you mean 'restart'?)", result.stderr)
        self.assertIn(f"{path}:7:12: tenant 'default', service 'built', field 'compose build': env-manager "
                      "builds no images", result.stderr)

    def test_a_service_both_a_plugin_and_the_file_define_is_an_error_that_says_how_to_choose(self):
        path = self.compose_file("services:\n  redis:\n    image: redis:7-alpine\n")
        result = run(["--compose", path, "--check-config"], ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR)
        self.assertEqual(result.returncode, 2, result.stdout)
        self.assertIn(f"{path}:2:3: tenant 'default', service 'redis': defined by plugin 'service.redis' and by "
                      "a Compose file", result.stderr)
        self.assertIn("plugin_services = false", result.stderr)
        config = write_config("[tenants.default]\nplugin_services = false\n")
        self.addCleanup(os.unlink, config)
        chosen = run(["--compose", path, "--check-config"], ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                     ENV_MANAGER_CONFIG=config)
        self.assertEqual(chosen.returncode, 0, chosen.stderr)

    def test_ignored_keys_are_warnings_that_say_why(self):
        path = self.compose_file("services:\n  app:\n    image: busybox\n    hostname: app1\n"
                                 "    ports: ['80']\n")
        config = write_config("[tenants.default]\nplugin_services = false\n")
        self.addCleanup(os.unlink, config)
        result = run(["--compose", path, "--check-config"], ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                     ENV_MANAGER_CONFIG=config)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"warning: {path}:4:15: service 'app', field 'compose hostname': ignored", result.stdout)
        self.assertIn("env-manager publishes fixed ports only", result.stdout)


if __name__ == "__main__":
    unittest.main()

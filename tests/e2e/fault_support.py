"""What the fault tests share: a daemon of their own (gRPC on a free port, /metrics on another)
serving the tenant TENANT with the stack and a few services made to fail, the engine's view of
that tenant, the metrics as samples, and the long mode (ENVMGR_FAULTS_LONG=1: the heavy forms)."""
import http.client
import os
import re
import socket
import subprocess
import time

import grpc

from daemon_process import PLUGIN_DIR, SANITIZED, Daemon, EngineCase, remove_tenant_resources, write_config
from grpc_client import generate

pb, rpc, health_pb, health_rpc, reflection_pb, reflection_rpc = generate()

TENANT = "e2efault"
PORT_OFFSET = 5000
METADATA = (("x-env-manager-tenant", TENANT),)
STACK = ["redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"]
BUSYBOX = "envmgr-test/busybox:latest"
LONG = os.environ.get("ENVMGR_FAULTS_LONG", "") not in ("", "0")
TESTBED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                       "scripts", "testbed.sh")


def docker(*args, timeout=60):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)


def tenant_containers():
    """The engine's containers of TENANT: name -> (id, status, StartedAt); two engine calls."""
    listed = docker("ps", "-a", "-q", "--filter", f"label=env-manager.tenant={TENANT}").stdout.split()
    if not listed:
        return {}
    inspected = docker("inspect", "--format", "{{.Name}} {{.Id}} {{.State.Status}} {{.State.StartedAt}}", *listed)
    found = {}
    for line in inspected.stdout.splitlines():
        name, container, status, started = line.split()
        found[name.lstrip("/")] = (container, status, started)
    return found


def remove_tenant():
    remove_tenant_resources(TENANT)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def service_toml(name, command, image=BUSYBOX, **keys):
    """A tenant service of TENANT running `command` (argv), labelled for the test-bed's clean-up."""
    text = (f"[tenants.{TENANT}.services.{name}]\nimage = \"{image}\"\n"
            f"command = [{', '.join(repr(word).replace(chr(39), chr(34)) for word in command)}]\n"
            "labels = { \"envmgr.test\" = \"1\" }\n")
    for key, value in keys.items():
        text += f"{key} = {value}\n"
    return text


def scrape(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics")
        return connection.getresponse().read().decode()
    finally:
        connection.close()


LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def metric(text, name, **labels):
    """The value of the series name{labels...} (labels given must match; others may differ), or
    None when absent; several matching series are summed."""
    total = None
    for line in text.splitlines():
        if not line.startswith(name) or line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        series_name, _, label_text = series.partition("{")
        if series_name != name:
            continue
        found = dict(LABEL.findall(label_text))
        if all(found.get(key) == str(wanted) for key, wanted in labels.items()):
            total = (total or 0.0) + float(value)
    return total


def rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class FaultCase(EngineCase):
    """A daemon of our own per test, its gRPC on a free TCP port and /metrics on another."""

    remove_tenant = staticmethod(remove_tenant)

    def start_daemon(self, extra="", grpc_addr=None, wait_ready=True, wrapper=(), **env):
        self.grpc_port = free_port()
        self.metrics_port = free_port()
        toml = f"[tenants.{TENANT}]\nport_offset = {PORT_OFFSET}\n"
        for service in STACK:
            toml += f"[tenants.{TENANT}.services.{service}]\nlabels = {{ \"envmgr.test\" = \"1\" }}\n"
        config = write_config(toml + extra)
        self.addCleanup(os.unlink, config)
        settings = dict(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                        ENV_MANAGER_GRPC_ADDR=grpc_addr or f"127.0.0.1:{self.grpc_port}",
                        ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{self.metrics_port}")
        settings.update(env)
        daemon = Daemon(wrapper=wrapper, **settings)
        self.daemons.append(daemon)
        if wait_ready:
            self.assertTrue(daemon.wait_for_log("env-manager ready", 30), daemon.output())
        return daemon

    def stub(self, address=None):
        channel = grpc.insecure_channel(address or f"127.0.0.1:{self.grpc_port}")
        self.addCleanup(channel.close)
        return rpc.EnvManagerServiceStub(channel)

    def status(self, stub, service):
        return stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=[service]), metadata=METADATA,
                                      timeout=30).services[service]

    def wait_until(self, what, predicate, timeout=30.0, every=0.05):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(every)
        self.fail(f"not within {timeout} s: {what}")


def start_updates(stub, services, timeout=120, **request):
    """StartServices to its end: (updates, error or None)."""
    updates = []
    try:
        for update in stub.StartServices(pb.StartServicesRequest(service_names=services, **request),
                                         metadata=METADATA, timeout=timeout):
            updates.append(update)
    except grpc.RpcError as error:
        return updates, error
    return updates, None


__all__ = ["BUSYBOX", "FaultCase", "LONG", "METADATA", "PORT_OFFSET", "SANITIZED", "STACK", "TENANT", "TESTBED",
           "docker", "free_port", "metric", "pb", "remove_tenant", "rpc", "rss_kib", "scrape", "service_toml",
           "start_updates", "tenant_containers", "health_pb", "health_rpc"]

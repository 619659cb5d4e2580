"""Runs the env-manager binary as a child process for end-to-end tests."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

BINARY = os.environ["ENVMGR_BINARY"]
FIXTURE_PLUGIN_DIR = os.environ["ENVMGR_FIXTURE_PLUGIN_DIR"]
# Signals tests send a daemon on purpose; a daemon that dies of another one crashed.
CHOSEN_SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# A sanitizer build of the daemon (5-15x slower): tests scale loads down and assert no timings.
SANITIZED = any(f"/build/{preset}/" in BINARY for preset in ("asan", "tsan"))
ENVCTL = os.path.join(os.path.dirname(BINARY), "envctl")
# The default plugins as the build tree lays them out (bin/ and lib/env-manager/plugins/).
PLUGIN_DIR = os.path.join(os.path.dirname(os.path.dirname(BINARY)), "lib", "env-manager", "plugins")


def clean_env(**overrides):
    """The test's own environment without any ENV_MANAGER_/RUST_LOG settings of the caller. The
    gRPC frontend listens on a socket of this process's own unless the test says where, so
    daemons of tests running side by side never fight over a port."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ENV_MANAGER_") and k not in ("RUST_LOG", "DOCKER_HOST")}
    env["ENV_MANAGER_GRPC_ADDR"] = "unix:" + os.path.join(tempfile.mkdtemp(prefix="envmgr-grpc-"), "grpc.sock")
    env.update(overrides)
    return env


def run(args, **env):
    return subprocess.run([BINARY, *args], env=clean_env(**env), capture_output=True,
                          text=True, timeout=60)


def docker(*args):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=60)


def remove_tenant_resources(tenant):
    """Removes what a test's tenant left on the engine: every container and volume labelled with
    the tenant (whatever made them), and the tenant's network."""
    containers = docker("ps", "-a", "-q", "--filter", f"label=env-manager.tenant={tenant}").stdout.split()
    if containers:
        docker("rm", "-f", "-v", *containers)
    volumes = docker("volume", "ls", "-q", "--filter", f"label=env-manager.tenant={tenant}").stdout.split()
    if volumes:
        docker("volume", "rm", *volumes)
    docker("network", "rm", f"env-manager-{tenant}")


def run_envctl(address, tenant, *args, timeout=180, env=None):
    """envctl as an operator runs it: the caller's environment without its ENV_MANAGER_ settings,
    the daemon's address in ENV_MANAGER_GRPC_ADDR, the tenant in --tenant; env overrides."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ENV_MANAGER_")}
    environment["ENV_MANAGER_GRPC_ADDR"] = address
    environment.update(env or {})
    return subprocess.run([ENVCTL, "--tenant", tenant, *args], capture_output=True, text=True,
                          timeout=timeout, env=environment)


def free_port():
    """A TCP port of 127.0.0.1 nothing listens on now."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(text):
    handle = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    handle.write(text)
    handle.close()
    return handle.name


class EngineCase(unittest.TestCase):
    """A test against the real engine that owns a tenant (its remove_tenant() runs before and
    after) and runs daemons of its own, in self.daemons (killed at the end)."""

    def remove_tenant(self):
        raise NotImplementedError

    def setUp(self):
        if subprocess.run(["docker", "version"], capture_output=True, timeout=60).returncode != 0:
            self.fail("no Docker engine: start the test-bed (scripts/testbed.sh up)")
        self.remove_tenant()
        self.addCleanup(self.remove_tenant)
        self.daemons = []
        self.addCleanup(lambda: [daemon.kill() for daemon in self.daemons])


class Daemon:
    """A running daemon; stderr is collected to a file so it never blocks on a full pipe."""

    def __init__(self, args=(), wrapper=(), **env):
        """wrapper: a command the binary runs under (e.g. `ip netns exec NAME`, which execs it,
        so the process is still the daemon)."""
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.process = subprocess.Popen([*wrapper, BINARY, *args], env=clean_env(**env),
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def wait_for_log(self, text, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return True
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        return text in self.output()

    def output(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def cpu_seconds(self):
        """User and system CPU the daemon has used so far (from /proc/PID/stat)."""
        with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def signal(self, signo=signal.SIGTERM):
        self.process.send_signal(signo)

    def wait(self, timeout):
        return self.process.wait(timeout=timeout)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        elif self.process.returncode < 0 and -self.process.returncode not in CHOSEN_SIGNALS:
            # It died of a signal no test sends (a crash): what it said last is what explains a
            # failure of the test that was talking to it.
            sys.stderr.write(f"daemon {self.process.pid} ended by itself with {self.process.returncode}; "
                             f"its last output:\n{self.output()[-4000:]}\n")

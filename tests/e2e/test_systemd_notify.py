"""The daemon under systemd's service manager protocol, with a NOTIFY_SOCKET of the test's own (a
datagram socket, as systemd gives a Type=notify service): READY=1 only once gRPC and /health
serve, STATUS= lines, WATCHDOG=1 at half of WATCHDOG_USEC, RELOADING=1 then READY=1 around a
SIGHUP (a valid file replaces the services, an invalid one is refused and the old ones stay),
STOPPING=1 on SIGTERM."""
import os
import shutil
import signal
import socket
import tempfile
import time
import unittest
import urllib.request

from daemon_process import (PLUGIN_DIR, Daemon, EngineCase, free_port, remove_tenant_resources, run_envctl,
                            write_config)

TENANT = "e2enotify"


def remove_tenant():
    remove_tenant_resources(TENANT)


class SystemdNotify(EngineCase):
    remove_tenant = staticmethod(remove_tenant)

    def setUp(self):
        super().setUp()
        folder = tempfile.mkdtemp(prefix="envmgr-notify-")
        self.addCleanup(shutil.rmtree, folder)
        self.socket_path = os.path.join(folder, "notify.sock")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.socket_path)
        self.addCleanup(self.socket.close)
        self.messages = []  # (monotonic time, {KEY: VALUE})
        self.daemon = None  # whose output a failure shows

    def receive(self, key, value=None, timeout=20.0):
        """Waits for a datagram setting key (to value when given); returns its fields."""
        deadline = time.monotonic() + timeout
        for _, fields in self.messages:
            if key in fields and (value is None or fields[key] == value):
                self.messages = []
                return fields
        while time.monotonic() < deadline:
            self.socket.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.socket.recv(4096).decode()
            except socket.timeout:
                break
            fields = dict(line.split("=", 1) for line in data.split("\n") if "=" in line)
            if key in fields and (value is None or fields[key] == value):
                return fields
            self.messages.append((time.monotonic(), fields))
        output = self.daemon.output()[-4000:] if self.daemon else ""
        self.fail(f"no {key}={value or '*'} within {timeout} s; got {self.messages}; the daemon said:\n{output}")

    def drop_pending(self):
        """Forgets every datagram already sent, so the next receive times a fresh one (pings that
        queued while the test was busy elsewhere would read back to back)."""
        self.messages = []
        self.socket.setblocking(False)
        try:
            while True:
                self.socket.recv(4096)
        except BlockingIOError:
            pass
        finally:
            self.socket.setblocking(True)

    def start_daemon(self, **env):
        """A daemon with the test's NOTIFY_SOCKET; returns it once READY=1 came, with that datagram.
        The first READY waits longer than the others: before it the daemon lists the engine's
        containers (bounded at 10 s when the engine is slow, as on a loaded CI machine)."""
        self.daemon = Daemon(ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR, NOTIFY_SOCKET=self.socket_path, **env)
        self.daemons.append(self.daemon)
        return self.daemon, self.receive("READY", "1", timeout=60)

    def config_text(self, extra_service):
        text = f"[tenants.{TENANT}]\nport_offset = 8000\n"
        if extra_service:
            text += f"[tenants.{TENANT}.services.extra]\nimage = \"envmgr-test/busybox:latest\"\n" \
                    "command = [\"sleep\", \"3600\"]\n"
        return text

    def test_ready_watchdog_reload_and_stopping(self):
        config = write_config(self.config_text(False))
        self.addCleanup(os.unlink, config)
        port, metrics_port = free_port(), free_port()
        daemon, ready = self.start_daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_GRPC_ADDR=f"127.0.0.1:{port}",
                                          ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{metrics_port}",
                                          WATCHDOG_USEC="400000")
        # The default tenant (6) and this one (6). Both frontends serve when READY comes: /health and a gRPC call answer at once.
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/health", timeout=5) as response:
            self.assertEqual(response.status, 200)
        address = f"127.0.0.1:{port}"
        self.assertEqual(run_envctl(address, TENANT, "ps", timeout=30).returncode, 0)
        self.assertEqual(ready["STATUS"], f"12 services, 0 ready; gRPC 127.0.0.1:{port}")

        # WATCHDOG=1 every 200 ms (half of 400 ms), give or take scheduling.
        pings = []
        self.drop_pending()
        while len(pings) < 6:
            self.receive("WATCHDOG", "1", timeout=2)
            pings.append(time.monotonic())
        gaps = [later - earlier for earlier, later in zip(pings, pings[1:])]
        self.assertTrue(all(0.1 < gap < 0.4 for gap in gaps), gaps)

        # An invalid file: refused, the old services stay, READY again.
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(f"[tenants.{TENANT}]\nport_offset = \"eight\"\n")
        daemon.process.send_signal(signal.SIGHUP)
        self.receive("RELOADING", "1")
        self.receive("READY", "1")
        self.assertTrue(daemon.wait_for_log("reload refused", 10), daemon.output())
        self.assertIsNone(daemon.process.poll())
        unknown = run_envctl(address, TENANT, "up", "extra", timeout=60)
        self.assertEqual(unknown.returncode, 1, unknown.stderr)

        # A valid one with a new service: the next start can run it.
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(self.config_text(True))
        daemon.process.send_signal(signal.SIGHUP)
        self.receive("RELOADING", "1")
        reloaded = self.receive("READY", "1")
        self.assertEqual(reloaded["STATUS"], f"13 services, 0 ready; gRPC 127.0.0.1:{port}")
        started = run_envctl(address, TENANT, "up", "extra", timeout=120)
        self.assertEqual(started.returncode, 0, started.stdout + started.stderr)
        self.assertEqual(self.receive("STATUS")["STATUS"], f"13 services, 1 ready; gRPC 127.0.0.1:{port}")

        daemon.process.send_signal(signal.SIGTERM)
        self.receive("STOPPING", "1")
        self.assertEqual(daemon.process.wait(timeout=60), 0, daemon.output())

    def test_a_sighup_reload_without_a_watchdog(self):
        config = write_config(self.config_text(False))
        self.addCleanup(os.unlink, config)
        daemon, _ = self.start_daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_GRPC_ADDR=f"127.0.0.1:{free_port()}",
                                      ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{free_port()}")
        daemon.process.send_signal(signal.SIGHUP)
        self.receive("READY", "1")
        self.assertIsNone(daemon.process.poll())


if __name__ == "__main__":
    unittest.main()

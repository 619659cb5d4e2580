"""Remote callers, for real: the daemon listens on all addresses inside a network namespace of
the test's own, and a client in a second namespace reaches it over a veth pair whose private
addresses exist only in those two namespaces. What protected mode and a bearer token allow and
refuse must match the README's table, call by call."""
import json
import os
import shutil
import subprocess
import unittest

from fault_support import TENANT, FaultCase, service_toml

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_IP, CLIENT_IP = "10.213.7.1", "10.213.7.2"
READS = ["GetServicesStatus", "StreamHealth", "GetResourceAvailability", "grpc.health.v1.Health/Check"]
CHANGES_OR_LOGS = ["StartServices", "StopServices", "RestartService", "ExecuteTask", "PullImages", "StreamLogs"]
TOKEN = "r3mote-t0ken"


def ip(*args):
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)


class RemoteAccess(FaultCase):
    def setUp(self):
        super().setUp()
        if os.geteuid() != 0 or shutil.which("ip") is None:
            self.skipTest("needs root and iproute2's ip to make network namespaces")
        tag = str(os.getpid())
        self.server_ns, self.client_ns = f"envmgr-srv-{tag}", f"envmgr-cli-{tag}"
        for namespace in (self.server_ns, self.client_ns):
            created = ip("netns", "add", namespace)
            if created.returncode != 0:
                self.skipTest(f"cannot make a network namespace here: {created.stderr.strip()}")
            self.addCleanup(ip, "netns", "del", namespace)
        server_end, client_end = f"evs{tag}"[-15:], f"evc{tag}"[-15:]
        for step in (["link", "add", server_end, "netns", self.server_ns, "type", "veth", "peer", "name",
                      client_end, "netns", self.client_ns],
                     ["-n", self.server_ns, "addr", "add", f"{SERVER_IP}/30", "dev", server_end],
                     ["-n", self.client_ns, "addr", "add", f"{CLIENT_IP}/30", "dev", client_end],
                     ["-n", self.server_ns, "link", "set", server_end, "up"],
                     ["-n", self.client_ns, "link", "set", client_end, "up"],
                     ["-n", self.server_ns, "link", "set", "lo", "up"],
                     ["-n", self.client_ns, "link", "set", "lo", "up"]):
            done = ip(*step)
            self.assertEqual(done.returncode, 0, f"ip {' '.join(step)}: {done.stderr}")

    def start_remote_daemon(self, extra="", **env):
        # A service without a probe: the namespace cannot reach containers, and it needs none.
        self.start_daemon(service_toml("sleeper", ["sleep", "600"], restart_policy='"no"') + extra,
                          grpc_addr="0.0.0.0:50100", wrapper=("ip", "netns", "exec", self.server_ns),
                          ENV_MANAGER_METRICS_ADDR="0.0.0.0:50101", **env)

    def codes_from(self, namespace, address, token=None):
        command = ["ip", "netns", "exec", namespace, "/usr/bin/python3", os.path.join(HERE, "remote_client.py"),
                   address, TENANT] + ([token] if token else [])
        done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def assert_codes(self, codes, expected):
        for rpc_name, code in expected.items():
            self.assertEqual(codes.get(rpc_name), code,
                             f"{rpc_name}: {codes.get(rpc_name)} ({codes.get(rpc_name + '.details', '')}); all: {codes}")

    def test_protected_mode_lets_remote_callers_read_and_nothing_else(self):
        self.start_remote_daemon()
        remote = self.codes_from(self.client_ns, f"{SERVER_IP}:50100")
        self.assert_codes(remote, {**{name: "OK" for name in READS},
                                   **{name: "PERMISSION_DENIED" for name in CHANGES_OR_LOGS}})
        local = self.codes_from(self.server_ns, "127.0.0.1:50100")
        self.assert_codes(local, {name: "OK" for name in READS + CHANGES_OR_LOGS})

    def test_with_a_token_remote_callers_may_do_everything_and_without_it_nothing(self):
        self.start_remote_daemon('[plugins."frontend.grpc"]\ntoken_env = "E2E_REMOTE_TOKEN"\n',
                                 E2E_REMOTE_TOKEN=TOKEN)
        without = self.codes_from(self.client_ns, f"{SERVER_IP}:50100")
        # The standard health service stays open to probers; env_manager.v1 needs the token.
        self.assert_codes(without, {**{name: "UNAUTHENTICATED" for name in READS[:-1] + CHANGES_OR_LOGS},
                                    "grpc.health.v1.Health/Check": "OK"})
        with_token = self.codes_from(self.client_ns, f"{SERVER_IP}:50100", TOKEN)
        self.assert_codes(with_token, {name: "OK" for name in READS + CHANGES_OR_LOGS})


if __name__ == "__main__":
    unittest.main()

"""The swarm test-bed (scripts/testbed-swarm.sh) and what the swarm backend may count on from it:
three engines in network namespaces of their own form one swarm; a service publishing a port in
host mode answers from every node's address; tasks on different nodes reach each other across an
overlay network, by address and by the tasks.NAME name; a service's virtual address needs IPVS,
which is tested where the kernel has it and skipped with that reason where it does not; `down`
leaves no namespace, daemon or mount behind. Runs as root (it makes namespaces)."""
import os
import re
import subprocess
import time
import unittest

from swarm_testbed import node_address, node_docker, node_socket, swarm

NODES = 3
SERVICE = "envmgr-testbed-probe"
PORT = 29000


def fetch(host, path="/health", port=PORT, node=None, container=None):
    """GET from this host, or from inside a container on a node (busybox nc, no curl there)."""
    if container is None:
        result = subprocess.run(["curl", "-s", "-m", "3", f"http://{host}:{port}{path}"], capture_output=True,
                                text=True, timeout=10)
        return result.stdout
    request = f"printf 'GET {path} HTTP/1.0\\r\\n\\r\\n' | timeout 3 nc {host} {port}"
    result = subprocess.run(["docker", "-H", node_socket(node), "exec", container, "sh", "-c", request],
                            capture_output=True, text=True, timeout=15)
    return result.stdout


class SwarmTestbed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("the swarm test-bed makes network namespaces: it needs root")
        up = swarm("up", str(NODES))
        if up.returncode != 0:
            swarm("down")
            raise AssertionError(f"testbed.sh swarm up failed:\n{up.stderr}")
        cls.up_output = up.stderr

    @classmethod
    def tearDownClass(cls):
        swarm("down")

    def wait_running(self, service, count):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            states = node_docker(1, "service", "ps", service, "--filter", "desired-state=running",
                                 "--format", "{{.Node}} {{.CurrentState}}").splitlines()
            if sum(1 for state in states if " Running " in state + " ") >= count:
                return states
            time.sleep(0.2)
        self.fail(f"{service}: not {count} tasks running within 60 s: {states}")

    def test_a_swarm_whose_tasks_answer_on_every_node_and_across_the_overlay(self):
        nodes = node_docker(1, "node", "ls", "--format", "{{.Hostname}} {{.Status}}").splitlines()
        self.assertEqual(sorted(nodes), [f"envmgr-swarm-{n} Ready" for n in range(1, NODES + 1)])
        node_docker(1, "network", "create", "-d", "overlay", "--attachable", "probe-net")
        node_docker(1, "service", "create", "-q", "--name", SERVICE, "--mode", "global", "--network", "probe-net",
                    "--endpoint-mode", "dnsrr", "--publish", f"mode=host,target=9000,published={PORT}",
                    "official-infermesh:latest")
        self.wait_running(SERVICE, NODES)
        for node in range(1, NODES + 1):
            address = node_address(node)
            deadline = time.monotonic() + 10
            while '"status":"ok"' not in (answer := fetch(address)) and time.monotonic() < deadline:
                time.sleep(0.1)  # the stand-in listens 0.3 s after its start
            self.assertIn('"status":"ok"', answer, f"host-mode port of node {node} at {address}")
        # Across the overlay: the task on node 1 reaches the one on node 2 by address and by name.
        first = node_docker(1, "ps", "-q", "--filter", f"label=com.docker.swarm.service.name={SERVICE}")
        second = node_docker(2, "ps", "-q", "--filter", f"label=com.docker.swarm.service.name={SERVICE}")
        overlay_address = node_docker(2, "inspect", "-f", '{{(index .NetworkSettings.Networks "probe-net").IPAddress}}',
                                      second)
        self.assertIn('"status":"ok"', fetch(overlay_address, port=9000, node=1, container=first))
        self.assertIn('"status":"ok"', fetch(f"tasks.{SERVICE}", port=9000, node=1, container=first))

    def test_a_services_virtual_address_needs_ipvs(self):
        if not os.path.isdir("/sys/module/ip_vs"):
            self.assertIn("no IPVS", self.up_output)  # `up` says so
            self.skipTest("this kernel has no IPVS: a service's virtual address (and the ingress routing "
                          "mesh) cannot work, so services use --endpoint-mode dnsrr and host-mode ports")
        node_docker(1, "network", "create", "-d", "overlay", "--attachable", "vip-net")
        node_docker(1, "service", "create", "-q", "--name", "vip-probe", "--replicas", "1", "--network", "vip-net",
                    "--constraint", "node.hostname==envmgr-swarm-2", "official-infermesh:latest")
        self.wait_running("vip-probe", 1)
        client = node_docker(1, "run", "-d", "--network", "vip-net", "envmgr-test/busybox:latest", "sleep", "60")
        deadline = time.monotonic() + 10
        while '"status":"ok"' not in (answer := fetch("vip-probe", port=9000, node=1, container=client)) \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertIn('"status":"ok"', answer)


class SwarmTestbedDown(unittest.TestCase):
    def test_down_leaves_nothing(self):
        if os.geteuid() != 0:
            self.skipTest("the swarm test-bed makes network namespaces: it needs root")
        up = swarm("up", "2")
        self.assertEqual(up.returncode, 0, up.stderr)
        node_docker(1, "service", "create", "-q", "--name", "left-running", "--mode", "global",
                    "envmgr-test/busybox:latest", "sleep", "600")
        self.wait_left_running()
        started = time.monotonic()
        down = swarm("down")
        self.assertEqual(down.returncode, 0, down.stderr)
        print(f"\nswarm down with tasks running: {time.monotonic() - started:.1f} s")
        namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        self.assertNotIn("envmgr-swarm", namespaces)
        with open("/proc/self/mountinfo") as mounts:
            self.assertNotIn("envmgr-testbed/swarm", mounts.read())
        processes = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        self.assertEqual([line for line in processes.splitlines() if re.search(r"envmgr-testbed/swarm", line)], [])
        self.assertFalse(os.path.exists("/run/envmgr-testbed/swarm"))

    def wait_left_running(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if node_docker(1, "service", "ps", "left-running", "--format", "{{.CurrentState}}").count("Running") == 2:
                return
            time.sleep(0.2)
        self.fail("the service's tasks never ran")


if __name__ == "__main__":
    unittest.main()

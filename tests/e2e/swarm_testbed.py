"""The swarm test-bed (scripts/testbed-swarm.sh) as the tests drive it: bring it up and down, and
run docker against one of its nodes."""
import os
import subprocess

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")
TESTBED = os.path.join(SCRIPTS, "testbed.sh")


def swarm(*args, timeout=180):
    return subprocess.run([TESTBED, "swarm", *args], capture_output=True, text=True, timeout=timeout)


def node_socket(node):
    return f"unix:///run/envmgr-testbed/swarm/node{node}.sock"


def node_hostname(node):
    return f"envmgr-swarm-{node}"


def node_address(node):
    """The node's address on the test-bed's links (testbed-swarm.sh: 192.168.213.(10+N))."""
    return f"192.168.213.{10 + node}"


def node_docker(node, *args, timeout=60):
    result = subprocess.run(["docker", "-H", node_socket(node), *args], capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} on node {node}: {result.stderr.strip()}")
    return result.stdout.strip()

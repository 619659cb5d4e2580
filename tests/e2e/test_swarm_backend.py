"""backend.swarm on a real four-node swarm (testbed.sh swarm up 4): the default stack placed
across nodes by constraints and started through gRPC to ready, probes reaching each task at its
node's address; exec and logs through the task's node; a restart of the daemon adopts everything
and restarts nothing; a changed definition updates its Swarm service in place; a node whose
engine dies: its services are reported exited, Swarm places new tasks elsewhere (also for a
replica lost beside one that runs on), env-manager reports them ready again, and no service ever
runs more tasks than its replicas; stop leaves no service, only the volumes. Runs as root (the test-bed makes namespaces)."""
import json
import os
import signal
import time
import unittest

import grpc

from daemon_process import PLUGIN_DIR, Daemon, free_port, run_envctl, write_config
from grpc_client import generate
from swarm_testbed import node_address, node_docker, node_hostname, node_socket, swarm

pb, rpc, *_ = generate()

NODES = 4
TENANT = "e2eswarm"
REDB_LABEL = "envmgr-e2e-redb"
STACK = ["redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"]
# node-a on node 2 (its definition's placement); node-b on a worker other than node 2 (3 or 4: the
# backend's placement setting), so that it has somewhere to go when its node dies; the manager
# (node 1) runs none of the two. redb runs two replicas on the nodes labelled for it, 3 and 4 (its
# port is published on the node, so one task per node): one of them runs beside node-b. Before
# that node dies, node 2 gets the label too, so that the lost replica has somewhere to go.
CONFIG = f"""
[tenants.{TENANT}]
port_offset = 5000

[plugins."backend.swarm"]
manager = "{node_socket(1)}"
nodes = {{ {", ".join(f'"{node_hostname(n)}" = "{node_socket(n)}"' for n in range(1, NODES + 1))} }}

[tenants.{TENANT}.services.infermesh-node-a]
placement = ["node.hostname == {node_hostname(2)}"]
[tenants.{TENANT}.services.redb]
replicas = 2
placement = ["node.labels.{REDB_LABEL} == true"]
placement_preferences = ["node.hostname"]

[plugins."backend.swarm".placement]
infermesh-node-b = ["node.role == worker", "node.hostname != {node_hostname(2)}"]
"""
REPLICAS = {"redb": 2}  # the others run one task


def services_of_tenant():
    """{service name: [(task id, node, state)] of the tasks that run or are on their way}; the state
    is the engine's word alone ("Running"), without its age."""
    names = node_docker(1, "service", "ls", "-q", "--filter", f"label=env-manager.tenant={TENANT}").split()
    tasks = {}
    for service in names:
        name = node_docker(1, "service", "inspect", "-f", "{{.Spec.Name}}", service)
        lines = node_docker(1, "service", "ps", service, "--filter", "desired-state=running", "--format",
                            "{{.ID}} {{.Node}} {{.CurrentState}}").splitlines()
        tasks[name] = [tuple(line.split(" ")[:3]) for line in lines]
    return tasks


@unittest.skipUnless(os.geteuid() == 0, "the swarm test-bed makes network namespaces: it needs root")
class SwarmBackend(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        up = swarm("up", str(NODES))
        if up.returncode != 0:
            swarm("down")
            raise AssertionError(f"testbed.sh swarm up failed:\n{up.stderr}")
        for node in (3, 4):
            node_docker(1, "node", "update", "--label-add", f"{REDB_LABEL}=true", node_hostname(node))
        cls.config = write_config(CONFIG)
        cls.daemon = None

    @classmethod
    def tearDownClass(cls):
        if cls.daemon:
            cls.daemon.kill()
        os.unlink(cls.config)
        swarm("down")

    def start_daemon(self):
        port, metrics = free_port(), free_port()
        daemon = Daemon(ENV_MANAGER_CONFIG=self.config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                        ENV_MANAGER_BACKEND="backend.swarm", ENV_MANAGER_GRPC_ADDR=f"127.0.0.1:{port}",
                        ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{metrics}")
        type(self).daemon = daemon
        type(self).address = f"127.0.0.1:{port}"
        self.assertTrue(daemon.wait_for_log("env-manager ready", 30), daemon.output())
        return daemon

    def stub(self):
        channel = grpc.insecure_channel(self.address)
        self.addCleanup(channel.close)
        return rpc.EnvManagerServiceStub(channel)

    def statuses(self):
        reply = self.stub().GetServicesStatus(pb.GetServicesStatusRequest(), metadata=(("x-env-manager-tenant", TENANT),),
                                              timeout=30)
        return {name: status.status for name, status in reply.services.items()}

    def nodes(self):
        reply = self.stub().GetServicesStatus(pb.GetServicesStatusRequest(), metadata=(("x-env-manager-tenant", TENANT),),
                                              timeout=30)
        return {name: status.node for name, status in reply.services.items()}

    def wait_for(self, what, check, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.25)
        self.fail(f"{what} within {timeout} s; statuses {self.statuses()}; tasks {services_of_tenant()}\n"
                  f"{self.daemon.output()[-3000:]}")

    def test_a_stack_placed_across_nodes_starts_to_ready(self):
        self.start_daemon()
        started = time.monotonic()
        updates = list(self.stub().StartServices(pb.StartServicesRequest(),
                                                 metadata=(("x-env-manager-tenant", TENANT),), timeout=120))
        took = time.monotonic() - started
        self.assertEqual({u.service_name for u in updates if u.status == "healthy"}, set(STACK),
                         [(u.service_name, u.status, u.message) for u in updates])
        print(f"\nthe stack on a {NODES}-node swarm: ready in {took:.2f} s")
        self.assertEqual(set(self.statuses().values()), {"healthy"})
        tasks = services_of_tenant()
        self.assertEqual(sorted(tasks), sorted(f"{TENANT}-{service}" for service in STACK))
        self.assertEqual({name: len(running) for name, running in tasks.items()},
                         {f"{TENANT}-{service}": REPLICAS.get(service, 1) for service in STACK})
        self.assertNotEqual(tasks[f"{TENANT}-redb"][0][1], tasks[f"{TENANT}-redb"][1][1])  # spread
        self.assertEqual(tasks[f"{TENANT}-infermesh-node-a"][0][1], node_hostname(2))
        self.assertIn(tasks[f"{TENANT}-infermesh-node-b"][0][1], (node_hostname(3), node_hostname(4)))
        # The status names each service's node, and envctl ps shows it.
        nodes = self.nodes()
        self.assertIn(nodes.pop("redb"), [task[1] for task in tasks[f"{TENANT}-redb"]])
        self.assertEqual(nodes, {service: tasks[f"{TENANT}-{service}"][0][1] for service in STACK if service != "redb"})
        ps = run_envctl(self.address, TENANT, "ps", timeout=60)
        self.assertIn("NODE", ps.stdout.splitlines()[0])
        self.assertIn(node_hostname(2), next(line for line in ps.stdout.splitlines() if "infermesh-node-a" in line))

    def test_b_exec_and_logs_reach_the_tasks_node(self):
        ping = run_envctl(self.address, TENANT, "exec", "redis", "--", "redis-cli", "ping", timeout=60)
        self.assertEqual((ping.returncode, ping.stdout.strip()), (0, "PONG"), ping.stderr)
        logs = run_envctl(self.address, TENANT, "logs", "--tail", "20", "redis", timeout=60)
        self.assertEqual(logs.returncode, 0, logs.stderr)
        self.assertIn("Ready to accept connections", logs.stdout)

    def test_c_a_restarted_daemon_adopts_everything_and_restarts_nothing(self):
        before = services_of_tenant()
        self.daemon.process.send_signal(signal.SIGKILL)  # no stop at shutdown: the services stay
        self.daemon.process.wait(timeout=30)
        daemon = self.start_daemon()
        self.assertIn(f"adoption: {len(STACK)} container(s) of env-manager found", daemon.output())
        self.wait_for("every service healthy after adoption", lambda: set(self.statuses().values()) == {"healthy"}, 30)
        self.assertEqual(services_of_tenant(), before)  # the same tasks: nothing was started again

    def test_cc_a_changed_definition_replaces_the_task_in_place(self):
        before = services_of_tenant()
        service_id = node_docker(1, "service", "inspect", "-f", "{{.ID}}", f"{TENANT}-ollama")
        updates = list(self.stub().StartServices(
            pb.StartServicesRequest(overrides={"ollama.env.ENVMGR_E2E_MARK": "changed"}),
            metadata=(("x-env-manager-tenant", TENANT),), timeout=120))
        self.assertIn(("ollama", "healthy"), [(u.service_name, u.status) for u in updates],
                      [(u.service_name, u.status, u.message) for u in updates])
        after = services_of_tenant()
        # The same Swarm service, updated: its one task is a new one that runs the new definition.
        self.assertEqual(node_docker(1, "service", "inspect", "-f", "{{.ID}}", f"{TENANT}-ollama"), service_id)
        self.assertEqual(len(after[f"{TENANT}-ollama"]), 1)
        self.assertNotEqual(after[f"{TENANT}-ollama"][0][0], before[f"{TENANT}-ollama"][0][0])
        env = node_docker(1, "service", "inspect", "-f", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}",
                          f"{TENANT}-ollama")
        self.assertIn("ENVMGR_E2E_MARK=changed", env)
        self.assertEqual(node_docker(1, "service", "inspect", "-f", "{{.Spec.UpdateConfig.Order}}",
                                     f"{TENANT}-ollama"), "stop-first")  # it publishes a port
        # Nothing else was touched, and nothing was removed and made again.
        self.assertEqual({name: tasks for name, tasks in after.items() if not name.endswith("-ollama")},
                         {name: tasks for name, tasks in before.items() if not name.endswith("-ollama")})
        self.assertEqual(set(self.statuses().values()), {"healthy"})

    def test_d_a_node_that_dies_moves_its_services_and_never_doubles_one(self):
        node_b = services_of_tenant()[f"{TENANT}-infermesh-node-b"][0][1]
        node = int(node_b.rsplit("-", 1)[1])
        moved = [name for name, tasks in services_of_tenant().items() if any(task[1] == node_b for task in tasks)]
        self.assertIn(f"{TENANT}-redb", moved)  # one of its two replicas: the other runs on
        node_docker(1, "node", "update", "--label-add", f"{REDB_LABEL}=true", node_hostname(2))
        with open(f"/run/envmgr-testbed/swarm/node{node}.pid", encoding="ascii") as pid_file:
            os.kill(int(pid_file.read()), signal.SIGKILL)
        killed = time.monotonic()
        self.wait_for("infermesh-node-b reported not healthy",
                      lambda: self.statuses()["infermesh-node-b"] != "healthy", 60)
        noticed = time.monotonic() - killed

        def all_healthy_elsewhere():
            tasks = services_of_tenant()
            doubled = {name: running for name, running in tasks.items()
                       if len([t for t in running if t[1] != node_b]) > REPLICAS.get(name[len(TENANT) + 1:], 1)}
            self.assertEqual(doubled, {})
            return set(self.statuses().values()) == {"healthy"} and all(
                len(running) == REPLICAS.get(name[len(TENANT) + 1:], 1) and all(task[1] != node_b for task in running)
                for name, running in tasks.items() if name in moved)

        self.wait_for("every service healthy again off the dead node", all_healthy_elsewhere, 90)
        self.assertNotIn(node_b, self.nodes().values())
        print(f"\nnode {node} killed: noticed after {noticed:.1f} s, all ready again after "
              f"{time.monotonic() - killed:.1f} s; moved: {', '.join(sorted(moved))}")

    def test_e_stop_leaves_no_service_and_keeps_the_volumes(self):
        down = run_envctl(self.address, TENANT, "down", timeout=120)
        self.assertEqual(down.returncode, 0, down.stdout + down.stderr)
        self.assertEqual(services_of_tenant(), {})
        self.assertEqual(set(self.statuses().values()), {"stopped"})
        volumes = node_docker(1, "volume", "ls", "-q").split() + node_docker(2, "volume", "ls", "-q").split()
        self.assertTrue(any("redis" in volume or "infermesh" in volume for volume in volumes), volumes)


@unittest.skipUnless(os.geteuid() == 0, "the swarm test-bed makes network namespaces: it needs root")
class SwarmNodeAddresses(unittest.TestCase):
    """addresses = "node": a dependent reaches its dependencies at their node's address and
    published port, written into its environment when it starts, not over the overlay."""

    @classmethod
    def setUpClass(cls):
        up = swarm("up", "3")
        if up.returncode != 0:
            swarm("down")
            raise AssertionError(f"testbed.sh swarm up failed:\n{up.stderr}")
        nodes = ", ".join(f'"{node_hostname(n)}" = "{node_socket(n)}"' for n in range(1, 4))
        cls.config = write_config(f"""
[tenants.e2eaddr]
port_offset = 5500
[plugins."backend.swarm"]
manager = "{node_socket(1)}"
nodes = {{ {nodes} }}
addresses = "node"
""")
        port = free_port()
        cls.address = f"127.0.0.1:{port}"
        cls.daemon = Daemon(ENV_MANAGER_CONFIG=cls.config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                            ENV_MANAGER_BACKEND="backend.swarm", ENV_MANAGER_GRPC_ADDR=cls.address,
                            ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{free_port()}")

    @classmethod
    def tearDownClass(cls):
        cls.daemon.kill()
        os.unlink(cls.config)
        swarm("down")

    def test_dependencies_are_reached_at_their_nodes_address(self):
        self.assertTrue(self.daemon.wait_for_log("env-manager ready", 30), self.daemon.output())
        up = run_envctl(self.address, "e2eaddr", "up", timeout=180)
        self.assertEqual(up.returncode, 0, up.stdout + up.stderr + self.daemon.output()[-3000:])
        env = dict(line.split("=", 1) for line in json.loads(node_docker(
            1, "service", "inspect", "-f", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}", "e2eaddr-infermesh-router")))
        node_a = node_docker(1, "service", "ps", "e2eaddr-infermesh-node-a", "--filter", "desired-state=running",
                             "--format", "{{.Node}}")
        node_a_address = node_address(int(node_a.rsplit("-", 1)[1]))
        # node-a's port 9000 is published at 19001 + the tenant's offset 5500; redis's 6379 at 11879.
        self.assertIn(f"{node_a_address}:24501", env["MESH_NODES"])
        self.assertRegex(env["REDIS_URL"], r"^redis://192\.168\.213\.\d+:11879$")
        # From inside the router's task, node-a answers at the address written in.
        # (nc, since busybox's wget has crashed with 139 under docker exec in a swarm task here.)
        reached = run_envctl(self.address, "e2eaddr", "exec", "infermesh-router", "--", "sh", "-c",
                             'node=${MESH_NODES%%,*}; printf "GET /health HTTP/1.0\\r\\n\\r\\n" | '
                             'nc -w 5 "${node%:*}" "${node#*:}"', timeout=60)
        self.assertEqual(reached.returncode, 0, reached.stdout + reached.stderr)
        self.assertIn(" 200 ", reached.stdout.splitlines()[0] if reached.stdout else "", reached.stdout)
        down = run_envctl(self.address, "e2eaddr", "down", timeout=120)
        self.assertEqual(down.returncode, 0, down.stdout + down.stderr)


if __name__ == "__main__":
    unittest.main()

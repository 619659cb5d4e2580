"""The strongest orchestrator a script could be on a swarm, the baseline of bench/swarm_bench.py:
through the manager's Engine API alone, it creates every service of the stack at 0 replicas at
t0 (all at once, as env-manager does), scales each to its replicas the instant its dependencies
answer, and probes every 10 ms: where the tasks run (one list of every running task for all
services at once) and each service's readiness at its node's published port (an HTTP GET of the readiness path, or a TCP
connect). The services are the ones env-manager would run (`env-manager --print-config
--json`), made as backend.swarm makes them (host-mode ports, Swarm restarting nothing, DNS round
robin on the tenant's overlay network). It waits for nothing else: no image checks, no events."""
import http.client
import json
import socket
import threading
import time
import urllib.parse

PROBE_INTERVAL = 0.01


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.socket_path)


def engine(manager, method, path, body=None):
    """One Engine API call on the manager's socket (unix:///path); the decoded answer."""
    connection = UnixConnection(manager.removeprefix("unix://"))
    try:
        payload = json.dumps(body) if body is not None else None
        connection.request(method, "/v1.41" + path, payload, {"Content-Type": "application/json"})
        response = connection.getresponse()
        text = response.read().decode()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}: {text}")
        return json.loads(text) if text else None
    finally:
        connection.close()


def service_spec(name, definition, network, replicas=0):
    """A Swarm service for one effective service, as backend.swarm makes it."""
    container = {"Image": definition["image"], "Init": definition["init"],
                 "Env": [f"{name}={value}" for name, value in definition["env"].items()],
                 "Mounts": [{"Type": m["type"], "Source": m["source"], "Target": m["target"],
                             "ReadOnly": m["read_only"]} for m in definition["mounts"] if m["type"] != "tmpfs"]}
    if definition["entrypoint"]:
        container["Command"] = definition["entrypoint"]
    if definition["command"]:
        container["Args"] = definition["command"]
    ports = [{"Protocol": p["protocol"], "TargetPort": p["container_port"], "PublishedPort": p["host_port"],
              "PublishMode": "host"} for p in definition["ports"] if p["host_port"]]
    return {"Name": definition["container_name"], "Labels": {"envmgr-bench": "ideal"},
            "TaskTemplate": {"ContainerSpec": container, "RestartPolicy": {"Condition": "none"},
                             "Placement": {"Constraints": definition["placement"]},
                             "Networks": [{"Target": network, "Aliases": [name]}]},
            "Mode": {"Replicated": {"Replicas": replicas}},
            "EndpointSpec": {"Mode": "dnsrr", "Ports": ports}}


def published_port(definition, container_port):
    for port in definition["ports"]:
        if port["container_port"] == container_port and port["host_port"]:
            return port["host_port"]
    return None


def answers(definition, address):
    """Whether the service's readiness check passes at its node's address."""
    readiness = definition["readiness"]
    port = published_port(definition, readiness.get("port", 0))
    if not port or not address:
        return False
    try:
        if readiness["type"] == "http":
            connection = http.client.HTTPConnection(address, port, timeout=1)
            try:
                connection.request("GET", readiness["path"] or "/")
                status = connection.getresponse().status
                return readiness["expected_status_min"] <= status <= readiness["expected_status_max"]
            finally:
                connection.close()
        with socket.create_connection((address, port), timeout=1):
            return True
    except OSError:
        return False


def task_address(manager, name):
    """The node address of the service's running task, or None."""
    filters = urllib.parse.quote(json.dumps({"service": [name], "desired-state": ["running"]}))
    for task in engine(manager, "GET", f"/tasks?filters={filters}"):
        if task["Status"]["State"] == "running":
            node = engine(manager, "GET", f"/nodes/{task['NodeID']}")
            return node["Status"]["Addr"]
    return None


def scale(manager, service_id, replicas):
    """The manager moves a new service's version by itself (its allocator): an update made at the
    version read before is refused as out of sequence, and made again on the service read anew."""
    for attempt in range(5):
        current = engine(manager, "GET", f"/services/{service_id}")
        current["Spec"]["Mode"]["Replicated"]["Replicas"] = replicas
        try:
            engine(manager, "POST", f"/services/{service_id}/update?version={current['Version']['Index']}",
                   current["Spec"])
            return
        except RuntimeError as error:
            if "out of sequence" not in str(error) or attempt == 4:
                raise


def ensure_network(manager, network):
    try:
        engine(manager, "GET", f"/networks/{network}")
    except RuntimeError:
        engine(manager, "POST", "/networks/create", {"Name": network, "Driver": "overlay", "Attachable": True})


def run(manager, services, network):
    """Seconds from t0 until every service answers, and {service: seconds ready after t0}."""
    ensure_network(manager, network)
    started = time.monotonic()
    ready, ids, errors = {}, {}, []
    lock = threading.Condition()

    def guarded(body):
        def call(name):
            try:
                body(name)
            except Exception as error:  # noqa: BLE001 - the bench reports it and stops
                with lock:
                    errors.append(f"{name}: {error}")
                    lock.notify_all()
        return call

    def create(name):
        made = engine(manager, "POST", "/services/create", service_spec(name, services[name], network))
        with lock:
            ids[name] = made["ID"]
            lock.notify_all()

    def start_when_ready(name):
        definition = services[name]
        with lock:
            if not lock.wait_for(lambda: errors or (name in ids and all(
                    d["service"] in ready for d in definition["depends_on"])), timeout=120) or errors:
                return
        scale(manager, ids[name], definition["replicas"])
        deadline = time.monotonic() + 120
        while not answers(definition, addresses.get(ids[name])):
            if time.monotonic() > deadline or errors:
                raise RuntimeError("not ready within 120 s")
            time.sleep(PROBE_INTERVAL)
        with lock:
            ready[name] = time.monotonic() - started
            lock.notify_all()

    addresses = {}  # service ID -> the node address of its running task
    node_addresses = {node["ID"]: node["Status"]["Addr"] for node in engine(manager, "GET", "/nodes")}

    def find_tasks(_):
        # One poll of every running task for all services at once, every 10 ms, until all are ready.
        filters = urllib.parse.quote(json.dumps({"desired-state": ["running"]}))
        while len(ready) < len(services) and not errors:
            for task in engine(manager, "GET", f"/tasks?filters={filters}"):
                if task["Status"]["State"] == "running":
                    addresses[task["ServiceID"]] = node_addresses.get(task["NodeID"])
            time.sleep(PROBE_INTERVAL)

    threads = [threading.Thread(target=guarded(find_tasks), args=("tasks",))]
    threads += [threading.Thread(target=guarded(create), args=(name,)) for name in services]
    threads += [threading.Thread(target=guarded(start_when_ready), args=(name,)) for name in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("the ideal orchestrator failed: " + "; ".join(errors))
    return time.monotonic() - started, ready


def remove(manager, services):
    """Scaled to 0 until no task runs (their ports are free again), then removed."""
    made = [definition for definition in services.values() if any(
        service["Spec"]["Name"] == definition["container_name"] for service in engine(manager, "GET", "/services"))]
    for definition in made:
        scale(manager, definition["container_name"], 0)
    deadline = time.monotonic() + 60
    for definition in made:
        while task_address(manager, definition["container_name"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        engine(manager, "DELETE", f"/services/{definition['container_name']}")

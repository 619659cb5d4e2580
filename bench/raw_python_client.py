"""A tiny Python client of the Engine API over the unix socket (keep-alive, json.loads of each
answer): one of the baselines docker_backend_bench compares backend.docker with.
Usage: raw_python_client.py inspect CONTAINER COUNT | cycle IMAGE COUNT
Prints the median microseconds of one operation."""
import http.client
import json
import socket
import statistics
import sys
import time


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("docker")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def call(conn, method, target, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, target, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else None)


def main():
    mode, arg, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    conn = UnixConnection("/var/run/docker.sock")
    samples = []
    for i in range(count):
        start = time.perf_counter()
        if mode == "inspect":
            call(conn, "GET", f"/v1.41/containers/{arg}/json")
        else:
            name = f"envmgr-bench-python-{i}-{time.monotonic_ns()}"
            call(conn, "POST", f"/v1.41/containers/create?name={name}",
                 {"Image": arg, "Cmd": ["sleep", "60"], "Labels": {"envmgr.test": "1"}, "HostConfig": {"Init": True}})
            call(conn, "POST", f"/v1.41/containers/{name}/start")
            call(conn, "POST", f"/v1.41/containers/{name}/stop?t=10")
            call(conn, "DELETE", f"/v1.41/containers/{name}")
        samples.append((time.perf_counter() - start) * 1e6)
    print(f"{statistics.median(samples):.1f}")


if __name__ == "__main__":
    main()

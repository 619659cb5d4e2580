"""The gRPC API as a Python client in the field meets it: stubs generated from the proto at test
time (python3-grpcio), the daemon binary with the real plugins, the real engine. The basic flow
(start, status, health stream, stop), the error codes, tenants by metadata, the bearer token,
the standard health service and reflection."""
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import grpc

from daemon_process import PLUGIN_DIR, Daemon, EngineCase, remove_tenant_resources, write_config
from grpc_client import generate

pb, rpc, health_pb, health_rpc, reflection_pb, reflection_rpc = generate()

TENANT = "e2egrpc"
STACK = ["redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"]


def docker(*args):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=60)


def remove_tenant():
    remove_tenant_resources(TENANT)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GrpcDaemonCase(EngineCase):
    """A daemon of our own per test, serving the tenant TENANT on a free port."""

    remove_tenant = staticmethod(remove_tenant)

    def start_daemon(self, extra="", plugin_path=PLUGIN_DIR, **env):
        port = free_port()
        toml = f"[tenants.{TENANT}]\nport_offset = 3000\n"
        for service in STACK:
            toml += f"[tenants.{TENANT}.services.{service}]\nlabels = {{ \"envmgr.test\" = \"1\" }}\n"
        # A service that writes one line to each stream, then a line every 0.2 s for follow.
        toml += (f"[tenants.{TENANT}.services.talker]\nimage = \"envmgr-test/busybox:latest\"\n"
                 "command = [\"sh\", \"-c\", \"echo out-line; echo err-line >&2; "
                 "while true; do sleep 0.2; echo tick; done\"]\nlabels = { \"envmgr.test\" = \"1\" }\n")
        config = write_config(toml + extra)
        self.addCleanup(os.unlink, config)
        daemon = Daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=plugin_path,
                        ENV_MANAGER_GRPC_ADDR=f"127.0.0.1:{port}", **env)
        self.daemons.append(daemon)
        self.assertTrue(daemon.wait_for_log("env-manager ready", 20), daemon.output())
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.addCleanup(channel.close)
        return channel


class GrpcApi(GrpcDaemonCase):
    def test_the_basic_flow_and_its_errors(self):
        channel = self.start_daemon()
        stub = rpc.EnvManagerServiceStub(channel)
        tenant = (("x-env-manager-tenant", TENANT),)

        updates = list(stub.StartServices(pb.StartServicesRequest(service_names=["redis"]), metadata=tenant,
                                          timeout=120))
        states = [(u.service_name, u.status) for u in updates]
        self.assertIn(("redis", "creating"), states)
        self.assertEqual(states[-1], ("redis", "healthy"))
        self.assertTrue(all(0 <= u.progress <= 100 for u in updates))

        status = stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=["redis"]), metadata=tenant)
        redis = status.services["redis"]
        self.assertEqual(redis.status, "healthy")
        engine_id = docker("inspect", "--format", "{{.Id}}", f"{TENANT}-redis").stdout.strip()
        self.assertEqual(redis.container_id, engine_id)
        self.assertEqual(list(redis.ports), [6379 + 3000])
        self.assertGreater(redis.started_at, 0)
        self.assertIn("+PONG", "".join(redis.health_checks.values()))

        # StreamHealth: the current state at once, then the change when the container is killed.
        stream = stub.StreamHealth(pb.StreamHealthRequest(service_names=["redis"], interval_seconds=1),
                                   metadata=tenant, timeout=60)
        first = next(stream)
        self.assertEqual((first.service_name, first.healthy), ("redis", True))
        killed = threading.Timer(0.3, lambda: docker("kill", f"{TENANT}-redis"))
        killed.start()
        seen = []
        for update in stream:
            seen.append(update)
            if not update.healthy:
                break
        killed.join()
        self.assertFalse(seen[-1].healthy)
        self.assertEqual(seen[-1].details["transition"], "exited")
        stream.cancel()

        # Errors name what is wrong, with the right codes.
        with self.assertRaises(grpc.RpcError) as unknown:
            stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=["nope"]), metadata=tenant)
        self.assertEqual(unknown.exception.code(), grpc.StatusCode.NOT_FOUND)
        self.assertIn("nope", unknown.exception.details())
        with self.assertRaises(grpc.RpcError) as negative:
            stub.StopServices(pb.StopServicesRequest(timeout_seconds=-1), metadata=tenant)
        self.assertEqual(negative.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("timeout_seconds", negative.exception.details())
        with self.assertRaises(grpc.RpcError) as empty:
            stub.RestartService(pb.RestartServiceRequest(), metadata=tenant)
        self.assertEqual(empty.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("service_name", empty.exception.details())
        with self.assertRaises(grpc.RpcError) as no_tenant:
            stub.GetServicesStatus(pb.GetServicesStatusRequest(), metadata=(("x-env-manager-tenant", "nope"),))
        self.assertEqual(no_tenant.exception.code(), grpc.StatusCode.NOT_FOUND)
        with self.assertRaises(grpc.RpcError) as start_unknown:
            list(stub.StartServices(pb.StartServicesRequest(service_names=["nope"]), metadata=tenant))
        self.assertEqual(start_unknown.exception.code(), grpc.StatusCode.NOT_FOUND)
        for key, value, said in (("redis.colour", "red", "overrides[redis.colour]: unknown key"),
                                 ("nope.image", "x", "overrides[nope.image]: no service 'nope'"),
                                 ("redis.command", "echo 'open", "overrides[redis.command]: unterminated")):
            with self.assertRaises(grpc.RpcError) as overrides:
                list(stub.StartServices(pb.StartServicesRequest(overrides={key: value}), metadata=tenant))
            self.assertEqual(overrides.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertIn(said, overrides.exception.details())
        # A v1 client that sends no tenant sees the default tenant.
        default = stub.GetServicesStatus(pb.GetServicesStatusRequest())
        self.assertIn("redis", default.services)
        self.assertEqual(default.services["redis"].status, "stopped")

        stopped = stub.StopServices(pb.StopServicesRequest(service_names=["redis"]), metadata=tenant, timeout=60)
        self.assertTrue(stopped.success, stopped)
        self.assertIn("redis", stopped.service_results)
        after = stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=["redis"]), metadata=tenant)
        self.assertEqual(after.services["redis"].status, "stopped")

    def test_a_status_right_after_each_change_shows_it(self):
        """GetServicesStatus is answered from bytes kept while nothing changed. A reader that keeps
        the kept bytes warm must not make a status older than the update the stream just gave."""
        stub = rpc.EnvManagerServiceStub(self.start_daemon())
        tenant = (("x-env-manager-tenant", TENANT),)
        order = ["pulling", "creating", "starting", "waiting-healthy", "healthy"]
        reading = threading.Event()

        def keep_reading():  # another client, so the kept answer is always the latest one
            while not reading.is_set():
                stub.GetServicesStatus(pb.GetServicesStatusRequest(), metadata=tenant, timeout=10)

        reader = threading.Thread(target=keep_reading)
        reader.start()
        self.addCleanup(reader.join)
        self.addCleanup(reading.set)
        checked = 0
        for update in stub.StartServices(pb.StartServicesRequest(service_names=STACK, parallel=True),
                                         metadata=tenant, timeout=120):
            if update.status not in order:
                continue
            status = stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=[update.service_name]),
                                            metadata=tenant, timeout=10).services[update.service_name].status
            self.assertIn(status, order, update)
            self.assertGreaterEqual(order.index(status), order.index(update.status), (update, status))
            checked += 1
        self.assertGreaterEqual(checked, 2 * len(STACK))
        stub.StopServices(pb.StopServicesRequest(service_names=STACK), metadata=tenant, timeout=120)
        after = stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=STACK), metadata=tenant)
        self.assertEqual({name: after.services[name].status for name in STACK}, {name: "stopped" for name in STACK})

    def test_overrides_hold_for_that_start_only(self):
        stub = rpc.EnvManagerServiceStub(self.start_daemon())
        tenant = (("x-env-manager-tenant", TENANT),)

        def start(**overrides):
            updates = list(stub.StartServices(pb.StartServicesRequest(service_names=["talker"], overrides=overrides),
                                              metadata=tenant, timeout=60))
            # A start with nothing to do changes no state, so it may stream nothing.
            self.assertTrue(all(update.status != "failed" for update in updates), updates)
            status = stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=["talker"]), metadata=tenant)
            self.assertEqual(status.services["talker"].status, "healthy")
            return docker("inspect", "--format", "{{.Id}} {{.Config.Image}} {{index .Config.Env 0}}",
                          f"{TENANT}-talker").stdout.split()

        plain = start()
        overridden = start(**{"talker.env.GREETING": "from the override",
                              "talker.command": "sh -c 'echo \"$GREETING\"; sleep 600'",
                              "talker.image": "127.0.0.1:5000/envmgr-test/busybox:latest"})
        self.assertNotEqual(overridden[0], plain[0], "the overrides recreate the container")
        self.assertEqual(overridden[1], "127.0.0.1:5000/envmgr-test/busybox:latest")
        lines = [entry.message for entry in stub.StreamLogs(pb.StreamLogsRequest(service_name="talker"),
                                                            metadata=tenant, timeout=20)]
        self.assertIn("from the override", lines)
        self.assertEqual(start(**{"talker.env.GREETING": "from the override",
                                  "talker.command": "sh -c 'echo \"$GREETING\"; sleep 600'",
                                  "talker.image": "127.0.0.1:5000/envmgr-test/busybox:latest"})[0],
                         overridden[0], "the same overrides again change nothing")
        back = start()
        self.assertNotIn(back[0], (plain[0], overridden[0]), "a start without them returns to the configuration")
        self.assertEqual(back[1], "envmgr-test/busybox:latest")

    def test_logs_keep_stdout_and_stderr_apart_and_follow(self):
        channel = self.start_daemon()
        stub = rpc.EnvManagerServiceStub(channel)
        tenant = (("x-env-manager-tenant", TENANT),)
        with self.assertRaises(grpc.RpcError) as not_started:
            list(stub.StreamLogs(pb.StreamLogsRequest(service_name="talker"), metadata=tenant, timeout=30))
        self.assertEqual(not_started.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
        list(stub.StartServices(pb.StartServicesRequest(service_names=["talker"]), metadata=tenant, timeout=60))
        time.sleep(0.5)
        lines = list(stub.StreamLogs(pb.StreamLogsRequest(service_name="talker"), metadata=tenant, timeout=30))
        by_message = {entry.message: entry for entry in lines}
        self.assertEqual(by_message["out-line"].stream, "stdout")
        self.assertEqual(by_message["err-line"].stream, "stderr")
        self.assertGreater(by_message["out-line"].timestamp, 0)
        self.assertEqual(by_message["out-line"].service_name, "talker")
        tail = list(stub.StreamLogs(pb.StreamLogsRequest(service_name="talker", tail=1), metadata=tenant, timeout=30))
        self.assertEqual(len(tail), 1)
        # follow: new lines keep coming until the client goes.
        followed = stub.StreamLogs(pb.StreamLogsRequest(service_name="talker", follow=True, tail=1),
                                   metadata=tenant, timeout=30)
        seen = [next(followed) for _ in range(4)]
        self.assertTrue(all(entry.message == "tick" for entry in seen[1:]), seen)
        followed.cancel()
        for field, request in (("service_name", pb.StreamLogsRequest()),
                               ("tail", pb.StreamLogsRequest(service_name="talker", tail=-1))):
            with self.assertRaises(grpc.RpcError) as bad:
                list(stub.StreamLogs(request, metadata=tenant, timeout=10))
            self.assertEqual(bad.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertIn(field, bad.exception.details())
        with self.assertRaises(grpc.RpcError) as unknown:
            list(stub.StreamLogs(pb.StreamLogsRequest(service_name="nope"), metadata=tenant, timeout=10))
        self.assertEqual(unknown.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_health_service_and_reflection_answer(self):
        channel = self.start_daemon()
        checked = health_rpc.HealthStub(channel).Check(health_pb.HealthCheckRequest(service=""), timeout=10)
        self.assertEqual(checked.status, health_pb.HealthCheckResponse.SERVING)
        ours = health_rpc.HealthStub(channel).Check(
            health_pb.HealthCheckRequest(service="env_manager.v1.EnvManagerService"), timeout=10)
        self.assertEqual(ours.status, health_pb.HealthCheckResponse.SERVING)
        answers = reflection_rpc.ServerReflectionStub(channel).ServerReflectionInfo(
            iter([reflection_pb.ServerReflectionRequest(list_services="")]), timeout=10)
        names = [service.name for answer in answers for service in answer.list_services_response.service]
        self.assertIn("env_manager.v1.EnvManagerService", names)
        self.assertIn("grpc.health.v1.Health", names)

    def test_a_bearer_token_is_required_when_configured(self):
        channel = self.start_daemon('[plugins."frontend.grpc"]\ntoken_env = "E2E_GRPC_TOKEN"\n',
                                    E2E_GRPC_TOKEN="s3cret-t0ken")
        stub = rpc.EnvManagerServiceStub(channel)
        with self.assertRaises(grpc.RpcError) as refused:
            stub.GetServicesStatus(pb.GetServicesStatusRequest())
        self.assertEqual(refused.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        self.assertNotIn("s3cret-t0ken", refused.exception.details())
        with self.assertRaises(grpc.RpcError) as wrong:
            stub.GetServicesStatus(pb.GetServicesStatusRequest(), metadata=(("authorization", "Bearer nope"),))
        self.assertEqual(wrong.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        answered = stub.GetServicesStatus(pb.GetServicesStatusRequest(),
                                          metadata=(("authorization", "Bearer s3cret-t0ken"),))
        self.assertIn("redis", answered.services)
        self.assertNotIn("s3cret-t0ken", self.daemons[-1].output())


if __name__ == "__main__":
    unittest.main()

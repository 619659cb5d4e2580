"""ExecuteTask, GetResourceAvailability and PullImages as a client in the field meets them: the
daemon binary, the real engine, the test-bed's registry. Tasks run in a service's container and in
throwaway containers, with stdin, env, workdir, exit codes and timeouts that kill."""
import os
import stat
import tempfile
import threading
import time

import grpc

from test_grpc_api import TENANT, GrpcDaemonCase, docker, pb, rpc

BUSYBOX = "envmgr-test/busybox:latest"
PULL_PROBE = "127.0.0.1:5000/envmgr-test/pull-probe:latest"
METADATA = (("x-env-manager-tenant", TENANT),)


def task(stub, timeout_seconds=20, workload_class="", **payload):
    return stub.ExecuteTask(pb.ExecuteTaskRequest(task_id="t-e2e", workload_class=workload_class, payload=payload,
                                                  timeout_seconds=timeout_seconds), metadata=METADATA, timeout=60)


def task_containers():
    listed = docker("ps", "-a", "-q", "--filter", "label=env-manager.task=t-e2e")
    return listed.stdout.split()


class GrpcTasks(GrpcDaemonCase):
    def assert_refused(self, code, text, call):
        with self.assertRaises(grpc.RpcError) as refused:
            call()
        self.assertEqual(refused.exception.code(), code, refused.exception.details())
        self.assertIn(text, refused.exception.details())

    def test_tasks_in_a_service_and_in_throwaway_containers(self):
        stub = rpc.EnvManagerServiceStub(self.start_daemon())
        list(stub.StartServices(pb.StartServicesRequest(service_names=["talker"]), metadata=METADATA, timeout=60))

        ran = task(stub, service="talker", command="sh -c 'echo $GREETING; cat; pwd'", env="GREETING=hello there\n",
                   workdir="/tmp", stdin="from stdin\n")
        self.assertTrue(ran.success, ran)
        self.assertEqual(ran.result["stdout"], "hello there\nfrom stdin\n/tmp\n")
        self.assertEqual(ran.result["exit_code"], "0")
        self.assertGreater(ran.latency_ms, 0)
        words = task(stub, service="talker", command="""echo 'a  b' "c \\"d\\"" e\\ f""")
        self.assertEqual(words.result["stdout"], 'a  b c "d" e f\n')
        through_shell = task(stub, service="talker", command="echo $((1+2)) | tr 3 X", shell="true")
        self.assertEqual(through_shell.result["stdout"], "X\n")
        failed = task(stub, service="talker", command="sh -c 'echo bad >&2; exit 3'")
        self.assertFalse(failed.success)
        self.assertEqual((failed.result["exit_code"], failed.result["stderr"], failed.error), ("3", "bad\n", "exit code 3"))

        # Binary output: every invalid byte reaches the client as U+FFFD (3 bytes); each stream
        # is still at most 1 MiB, so both full streams fit gRPC's 4 MiB message.
        binary = "head -c 1100000 /dev/zero | tr '\\000' '\\377'"
        flooded = task(stub, service="talker", command=f"{binary}; {binary} >&2", shell="true")
        self.assertTrue(flooded.success, flooded.error)
        self.assertEqual(flooded.result["truncated"], "true")
        for stream in ("stdout", "stderr"):
            text = flooded.result[stream]
            self.assertTrue(text.startswith("\ufffd") and text.endswith("[output truncated at 1 MiB]\n"), stream)
            self.assertLessEqual(len(text.encode()), (1 << 20) + 64, stream)

        # The timeout kills the process in the service's container.
        started = time.monotonic()
        slow = task(stub, timeout_seconds=1, service="talker", command="sleep 37")
        self.assertLess(time.monotonic() - started, 5)
        self.assertFalse(slow.success)
        self.assertEqual(slow.result["timed_out"], "true")
        self.assertIn("was killed", slow.error)
        processes = docker("exec", f"{TENANT}-talker", "ps", "-o", "args").stdout
        self.assertNotIn("sleep 37", processes)

        # A throwaway container: output, exit code, stdin; removed afterwards.
        throwaway = task(stub, image=BUSYBOX, command="sh -c 'tr a-z A-Z; echo err >&2; exit 2'", stdin="shout\n")
        self.assertEqual((throwaway.success, throwaway.result["exit_code"]), (False, "2"))
        self.assertEqual((throwaway.result["stdout"], throwaway.result["stderr"]), ("SHOUT\n", "err\n"))
        self.assertEqual(task_containers(), [])
        started = time.monotonic()
        slow = task(stub, timeout_seconds=1, image=BUSYBOX, command="sleep 60")
        self.assertLess(time.monotonic() - started, 6)
        self.assertEqual(slow.result["timed_out"], "true")
        self.assertIn("killed and removed", slow.error)
        self.assertEqual(task_containers(), [])
        missing = task(stub, image=BUSYBOX, command="/no/such/program")
        self.assertEqual(missing.result["exit_code"], "127")

        # Bad input: the right code, naming what is wrong.
        invalid = grpc.StatusCode.INVALID_ARGUMENT
        self.assert_refused(grpc.StatusCode.NOT_FOUND, "nope", lambda: task(stub, service="nope", command="true"))
        self.assert_refused(invalid, "workload_class", lambda: task(stub, workload_class="huge", service="talker", command="true"))
        self.assert_refused(invalid, "payload.command", lambda: task(stub, service="talker", command="echo 'open"))
        self.assert_refused(invalid, "exactly one of service", lambda: task(stub, service="talker", image=BUSYBOX, command="true"))
        self.assert_refused(invalid, "payload.colour", lambda: task(stub, service="talker", command="true", colour="red"))
        self.assert_refused(invalid, "timeout_seconds", lambda: task(stub, timeout_seconds=-1, service="talker", command="true"))
        self.assert_refused(grpc.StatusCode.FAILED_PRECONDITION, "start it first", lambda: task(stub, service="redis", command="true"))

    def test_resource_availability_counts_tasks_in_flight_and_reads_gpus_from_nvidia_smi(self):
        # A stand-in nvidia-smi prints what the real one prints for one GPU.
        folder = tempfile.mkdtemp(prefix="envmgr-smi-")
        smi = os.path.join(folder, "nvidia-smi")
        with open(smi, "w") as script:
            script.write("#!/bin/sh\necho '0, NVIDIA A100-SXM4-40GB, 40960, 37'\n")
        os.chmod(smi, stat.S_IRWXU)
        stub = rpc.EnvManagerServiceStub(self.start_daemon(f"[tasks]\ncpu_long_capacity = 1\nnvidia_smi = \"{smi}\"\n"))

        short = stub.GetResourceAvailability(pb.GetResourceAvailabilityRequest(workload_class="cpu_short"), metadata=METADATA)
        self.assertEqual(short.capacity, os.cpu_count())
        self.assertEqual((short.in_use, short.available), (0, True))
        self.assertEqual(short.hardware.cpu_cores, os.cpu_count())
        self.assertEqual(short.hardware.memory_bytes, os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        self.assertEqual(len(short.hardware.gpus), 1)
        gpu = short.hardware.gpus[0]
        self.assertEqual((gpu.index, gpu.name, gpu.memory_bytes, gpu.utilization_percent),
                         (0, "NVIDIA A100-SXM4-40GB", 40960 << 20, 37.0))
        self.assertEqual(stub.GetResourceAvailability(pb.GetResourceAvailabilityRequest(workload_class="gpu"),
                                                      metadata=METADATA).capacity, 1)

        # A task in flight holds its class's slot; the one slot of cpu_long is then exhausted.
        running = threading.Thread(target=lambda: task(stub, workload_class="cpu_long", image=BUSYBOX, command="sleep 2"))
        running.start()
        deadline = time.monotonic() + 10
        long_class = pb.GetResourceAvailabilityRequest(workload_class="cpu_long")
        while stub.GetResourceAvailability(long_class, metadata=METADATA).in_use == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        during = stub.GetResourceAvailability(long_class, metadata=METADATA)
        self.assertEqual((during.capacity, during.in_use, during.available), (1, 1, False))
        self.assert_refused(grpc.StatusCode.RESOURCE_EXHAUSTED, "cpu_long is at capacity",
                            lambda: task(stub, workload_class="cpu_long", image=BUSYBOX, command="true"))
        running.join()
        self.assertEqual(stub.GetResourceAvailability(long_class, metadata=METADATA).in_use, 0)
        self.assert_refused(grpc.StatusCode.INVALID_ARGUMENT, "workload_class",
                            lambda: stub.GetResourceAvailability(pb.GetResourceAvailabilityRequest(workload_class="x"),
                                                                 metadata=METADATA))

    def test_without_nvidia_smi_no_gpu_is_reported(self):
        stub = rpc.EnvManagerServiceStub(self.start_daemon("[tasks]\nnvidia_smi = \"/nonexistent/nvidia-smi\"\n"))
        gpu = stub.GetResourceAvailability(pb.GetResourceAvailabilityRequest(workload_class="gpu"), metadata=METADATA)
        self.assertEqual((gpu.capacity, gpu.available, len(gpu.hardware.gpus)), (0, False, 0))

    def test_status_carries_resource_usage_from_the_background_polls(self):
        stub = rpc.EnvManagerServiceStub(self.start_daemon("[stats]\ninterval_seconds = 1\n"))
        list(stub.StartServices(pb.StartServicesRequest(service_names=["redis"]), metadata=METADATA, timeout=60))
        deadline = time.monotonic() + 15
        usage = None
        while time.monotonic() < deadline:
            usage = stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=["redis"]),
                                           metadata=METADATA).services["redis"].resource_usage
            if usage.memory_bytes > 0:
                break
            time.sleep(0.2)
        self.assertGreater(usage.memory_bytes, 1 << 20, "redis uses more than a MiB")
        self.assertGreaterEqual(usage.cpu_percent, 0.0)
        stopped = stub.GetServicesStatus(pb.GetServicesStatusRequest(service_names=["ollama"]), metadata=METADATA)
        self.assertEqual(stopped.services["ollama"].resource_usage.memory_bytes, 0, "nothing for what does not run")

    def test_pull_images_from_the_local_registry(self):
        docker("rmi", "-f", PULL_PROBE)
        stub = rpc.EnvManagerServiceStub(self.start_daemon())
        missing = "127.0.0.1:5000/envmgr-test/no-such-image:1"
        updates = list(stub.PullImages(pb.PullImagesRequest(image_names=[PULL_PROBE, missing]), metadata=METADATA,
                                       timeout=120))
        probe = [u for u in updates if u.image_name == PULL_PROBE]
        percents = [u.progress_percent for u in probe]
        self.assertEqual(percents, sorted(percents), "progress never goes back")
        self.assertEqual((probe[-1].status, probe[-1].progress_percent), ("complete", 100))
        self.assertTrue(any(0 < u.progress_percent < 100 for u in probe), percents)
        self.assertTrue(all(u.current <= u.total for u in probe if u.total))
        self.assertEqual([u.status for u in updates if u.image_name == missing], ["error"])
        self.assertEqual(docker("image", "inspect", PULL_PROBE).returncode, 0)
        # Only when every image failed does the call fail, naming them.
        with self.assertRaises(grpc.RpcError) as failed:
            list(stub.PullImages(pb.PullImagesRequest(image_names=[missing]), metadata=METADATA, timeout=60))
        self.assertIn("no-such-image", failed.exception.details())

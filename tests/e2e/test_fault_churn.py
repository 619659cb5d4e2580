"""StreamHealth churn: thousands of streams opened, read once and cancelled, from several client
threads at once. Afterwards the bus subscriptions and the streams in flight are back at their
baseline, and so (within allocator noise) is the daemon's memory. ENVMGR_FAULTS_LONG=1 churns
20,000 streams. Under a sanitizer the memory is not compared: ASan keeps freed blocks in a
256 MB quarantine and TSan keeps shadow memory, so RSS grows without a leak (LeakSanitizer
checks leaks there instead)."""
import threading
import unittest

import grpc

from fault_support import LONG, METADATA, SANITIZED, FaultCase, metric, pb, rss_kib, scrape

THREADS = 4
STREAM = "/env_manager.v1.EnvManagerService/StreamHealth"


class StreamHealthChurn(FaultCase):
    def churn(self, stub, count):
        failures = []

        def worker(share):
            for _ in range(share):
                stream = stub.StreamHealth(pb.StreamHealthRequest(service_names=["redis"]), metadata=METADATA,
                                           timeout=30)
                try:
                    next(stream)
                except grpc.RpcError as error:
                    failures.append(error.code())
                stream.cancel()

        workers = [threading.Thread(target=worker, args=(count // THREADS,)) for _ in range(THREADS)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        self.assertEqual(failures, [])

    def test_churned_streams_leave_no_subscription_and_no_memory_behind(self):
        daemon = self.start_daemon()
        stub = self.stub()
        idle_subscriptions = metric(scrape(self.metrics_port), "event_bus_subscriptions")
        self.assertIsNotNone(idle_subscriptions, "the gauge is there from the start")
        self.churn(stub, 200)  # gRPC and the allocator at their working size

        def settled():
            text = scrape(self.metrics_port)
            return (metric(text, "event_bus_subscriptions") == idle_subscriptions and
                    metric(text, "grpc_server_streams_in_flight", grpc_method=STREAM) == 0)

        self.wait_until("the warm-up's streams ended", settled, timeout=30)
        rss_before = rss_kib(daemon.process.pid)
        count = 20_000 if LONG else (800 if SANITIZED else 4_000)
        self.churn(stub, count)
        self.wait_until("subscriptions and streams back at their baseline", settled, timeout=30)
        if SANITIZED:
            return
        grown = rss_kib(daemon.process.pid) - rss_before
        self.assertLess(grown, 16 * 1024, f"RSS grew {grown} KiB over {count} streams")


if __name__ == "__main__":
    unittest.main()

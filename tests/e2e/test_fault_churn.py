"""StreamHealth churn: thousands of streams opened, read once and cancelled, from several client
threads at once. Afterwards the bus subscriptions and the streams in flight are back at their
baseline, and so (within allocator noise) is the daemon's memory; what 1,000 streams open at
once took is given back to the system after they end. ENVMGR_FAULTS_LONG=1 churns
20,000 streams. Under a sanitizer the memory is not compared: ASan keeps freed blocks in a
256 MB quarantine and TSan keeps shadow memory, so RSS grows without a leak (LeakSanitizer
checks leaks there instead)."""
import threading
import unittest

import grpc

from fault_support import LONG, METADATA, SANITIZED, FaultCase, metric, pb, rpc, rss_kib, scrape

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


    def test_the_memory_a_thousand_open_streams_took_is_given_back(self):
        """1,000 streams open at once take about 20 KiB each in the daemon. glibc keeps what they
        freed for reuse once they end; the daemon gives it back to the system (malloc_trim, every
        5 s when at least 4 MiB is free), so its RSS returns to near where it was."""
        if SANITIZED:
            self.skipTest("ASan's quarantine and TSan's shadow keep freed memory by design")
        daemon = self.start_daemon()
        channels = [grpc.insecure_channel(f"127.0.0.1:{self.grpc_port}",
                                          options=[("grpc.use_local_subchannel_pool", 1)]) for _ in range(8)]
        for channel in channels:
            self.addCleanup(channel.close)
        stubs = [rpc.EnvManagerServiceStub(channel) for channel in channels]
        self.churn(stubs[0], 200)  # gRPC and the allocator at their working size

        def streams_in_flight():
            return metric(scrape(self.metrics_port), "grpc_server_streams_in_flight", grpc_method=STREAM)

        self.wait_until("the warm-up's streams ended", lambda: streams_in_flight() == 0, timeout=30)
        before = rss_kib(daemon.process.pid)
        streams = []
        for index in range(1000):
            stream = stubs[index % len(stubs)].StreamHealth(pb.StreamHealthRequest(service_names=["redis"]),
                                                            metadata=METADATA, timeout=120)
            next(stream)
            streams.append(stream)
        opened = rss_kib(daemon.process.pid)
        for stream in streams:
            stream.cancel()
        self.wait_until("the streams ended", lambda: streams_in_flight() == 0, timeout=30)
        grown = opened - before
        self.assertGreater(grown, 8 * 1024, "1,000 open streams should take memory; the test measures nothing")
        # Back to within a quarter of what the streams took, within two trim intervals.
        self.wait_until(f"RSS back near {before} KiB (with the streams: {opened} KiB)",
                        lambda: rss_kib(daemon.process.pid) < before + grown // 4, timeout=12, every=0.5)


if __name__ == "__main__":
    unittest.main()

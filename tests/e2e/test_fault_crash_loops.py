"""Crash loops and the restarts env-manager makes, against the real engine: a container that
exits the instant it starts is never called healthy, its restart policy outlives the start that
gave up on it, the back-off shows in status and metrics at next to no CPU; a recreate
env-manager itself ordered (overrides) is no crash; a stop of everything reports each service as
it really went."""
import time
import unittest

import grpc

from fault_support import (LONG, METADATA, SANITIZED, TENANT, FaultCase, metric, pb, scrape, service_toml,
                           start_updates)

# Short timeouts keep the loops quick: a start gives up after 4 s, restarts come every 1-2 s.
LOOP_SETTINGS = "[scheduler]\nhealth_timeout_seconds = 4\nrestart_backoff_max_seconds = 2\n"


class CrashLoops(FaultCase):
    def assert_gives_up_but_keeps_restarting(self, stub, service, rounds):
        for attempt in range(rounds):
            updates, error = start_updates(stub, [service])
            states = [u.status for u in updates if u.service_name == service]
            self.assertNotIn("healthy", states, f"round {attempt}: called healthy while it crash-loops: {states}")
            self.assertIsNotNone(error, f"round {attempt}: the start succeeded: {states}")
            self.assertEqual(error.code(), grpc.StatusCode.DEADLINE_EXCEEDED, error.details())
            self.assertIn("its restart policy goes on", error.details())
            self.assertIn("exited with code 1", error.details())
            status = self.status(stub, service)
            self.assertIn(status.status, ("restarting", "starting", "waiting-healthy"), status)
            self.assertGreaterEqual(status.restart_count, 1, status)
            # The policy outlives the request: more restarts come after the start gave up.
            seen = status.restart_count
            self.wait_until("another restart after the start gave up",
                            lambda: self.status(stub, service).restart_count > seen, timeout=10)
            if attempt + 1 < rounds:
                stopped = stub.StopServices(pb.StopServicesRequest(service_names=[service]), metadata=METADATA,
                                            timeout=60)
                self.assertTrue(stopped.success, stopped)
                self.assertEqual(stopped.service_results[service], "stopped")

    def test_an_instant_exit_is_never_healthy_and_keeps_restarting_at_next_to_no_cpu(self):
        daemon = self.start_daemon(
            service_toml("instant", ["sh", "-c", "exit 1"], restart_policy='"always"') + LOOP_SETTINGS)
        stub = self.stub()
        # The exit races the daemon's first look at the container: tried several times.
        self.assert_gives_up_but_keeps_restarting(stub, "instant", 8 if LONG else 3)
        status = self.status(stub, "instant")
        if status.status == "restarting":
            self.assertGreater(status.next_restart_at, 0, status)
            self.assertIn("restart", status.message)
        text = scrape(self.metrics_port)
        restarts = metric(text, "envmgr_service_restarts_total", tenant=TENANT, service="instant", reason="exited")
        self.assertIsNotNone(restarts, "envmgr_service_restarts_total has no series for the loop")
        self.assertGreaterEqual(restarts, 2)
        # While it loops at its cap (a restart every 2 s) the daemon has next to nothing to do.
        window = 6.0
        before = daemon.cpu_seconds()
        time.sleep(window)
        used = daemon.cpu_seconds() - before
        self.assertLess(used / window, 0.10 if SANITIZED else 0.01, f"{used:.3f} s of CPU in {window} s")

    def test_an_exit_after_20_ms_is_never_healthy_either(self):
        self.start_daemon(service_toml("brief", ["sh", "-c", "sleep 0.02; exit 1"], restart_policy='"always"')
                          + LOOP_SETTINGS)
        self.assert_gives_up_but_keeps_restarting(self.stub(), "brief", 2)

    def test_a_probed_service_exiting_after_300_ms_loops_with_a_true_reason(self):
        self.start_daemon("[services.redb]\ncommand = [\"sh\", \"-c\", \"sleep 0.3; exit 1\"]\n"
                          + LOOP_SETTINGS)
        stub = self.stub()
        updates, error = start_updates(stub, ["redb"])
        self.assertIsNotNone(error)
        self.assertIn("its restart policy goes on", error.details())
        self.assertNotIn("required for an http check", error.details())
        self.assertNotIn("healthy", [u.status for u in updates if u.service_name == "redb"])
        self.wait_until("restarts after the start gave up", lambda: self.status(stub, "redb").restart_count >= 3,
                        timeout=15)

    def test_a_probed_service_that_exits_0_under_on_failure_fails_at_once(self):
        self.start_daemon(service_toml("done", ["sh", "-c", "exit 0"], restart_policy='"on-failure"',
                                       readiness='{ type = "tcp", port = 8080 }'))
        started = time.monotonic()
        _, error = start_updates(self.stub(), ["done"])
        self.assertIsNotNone(error)
        self.assertIn("exited with code 0", error.details())
        self.assertLess(time.monotonic() - started, 20, "the start waited for its timeout")

    def test_on_failure_gives_up_after_its_retries(self):
        self.start_daemon(service_toml("flaky", ["sh", "-c", "exit 3"], restart_policy='"on-failure"',
                                       restart_max_retries=2))
        stub = self.stub()
        _, error = start_updates(stub, ["flaky"])
        self.assertIsNotNone(error)
        self.assertIn("gave up after 2 restart(s)", error.details())
        status = self.status(stub, "flaky")
        self.assertEqual((status.status, status.restart_count), ("failed", 2), status)


class OrderedRecreatesAndStops(FaultCase):
    def test_overrides_recreate_without_counting_a_crash(self):
        daemon = self.start_daemon()
        stub = self.stub()
        _, error = start_updates(stub, ["redis"])
        self.assertIsNone(error, error and error.details())
        for value in ("1", "2", "3"):
            updates, error = start_updates(stub, ["redis"], overrides={"redis.env.FOO": value})
            self.assertIsNone(error, error and error.details())
            states = [(u.status, u.message) for u in updates if u.service_name == "redis"]
            self.assertFalse([s for s in states if s[0] == "restarting"], states)
            self.assertEqual(states[-1][0], "healthy", states)
        status = self.status(stub, "redis")
        self.assertEqual((status.status, status.restart_count), ("healthy", 0), status)
        self.assertIsNone(metric(scrape(self.metrics_port), "envmgr_service_restarts_total", service="redis"))
        self.assertNotIn("restart 1 in", daemon.output())

    def test_a_stop_of_everything_reports_each_running_service_as_stopped(self):
        self.start_daemon()
        stub = self.stub()
        for attempt in range(3):
            _, error = start_updates(stub, ["redis", "redb"])
            self.assertIsNone(error, error and error.details())
            stopped = stub.StopServices(pb.StopServicesRequest(), metadata=METADATA, timeout=60)
            self.assertTrue(stopped.success, stopped)
            results = dict(stopped.service_results)
            self.assertEqual((results["redis"], results["redb"]), ("stopped", "stopped"), f"{attempt}: {results}")
            self.assertEqual(results["ollama"], "not running", results)


if __name__ == "__main__":
    unittest.main()

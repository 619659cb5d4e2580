"""kill -9 of the daemon in the middle of a start, at its three moments (before any container is
created, between a create and its start, while waiting for health): the next daemon adopts what
is there, makes no duplicate, restarts nothing that ran, and a start then finishes. The short
form kills once at each moment; ENVMGR_FAULTS_LONG=1 runs 20 rounds."""
import collections
import signal
import threading
import unittest

import grpc

from fault_support import LONG, METADATA, STACK, TENANT, FaultCase, docker, pb, remove_tenant, start_updates

# The moment of the start at which the daemon is killed: a predicate on the updates seen so far.
MOMENTS = {
    "before any create": lambda updates: True,
    "between a create and its start": lambda updates: any(u.status == "creating" for u in updates),
    "while waiting for health": lambda updates: any(u.status == "waiting-healthy" for u in updates),
}


def containers_by_service():
    """service label -> [(id, running, StartedAt)] of the tenant's containers in the engine."""
    listed = docker("ps", "-a", "-q", "--filter", f"label=env-manager.tenant={TENANT}").stdout.split()
    found = collections.defaultdict(list)
    if not listed:
        return found
    inspected = docker("inspect", "--format",
                       '{{index .Config.Labels "env-manager.service"}} {{.Id}} {{.State.Running}} '
                       "{{.State.StartedAt}}", *listed)
    for line in inspected.stdout.splitlines():
        service, container, running, started = line.split()
        found[service].append((container, running == "true", started))
    return found


class KillDuringStart(FaultCase):
    def kill_at(self, moment):
        # Debug logging says when a start run has begun (before it creates anything).
        daemon = self.start_daemon(ENV_MANAGER_LOG="debug")
        stub = self.stub()
        seen = []
        reached = threading.Event()

        def follow():
            try:
                for update in stub.StartServices(pb.StartServicesRequest(), metadata=METADATA, timeout=120):
                    seen.append(update)
                    if MOMENTS[moment](seen):
                        reached.set()
            except grpc.RpcError:
                pass  # the daemon went away: expected
            reached.set()

        follower = threading.Thread(target=follow, daemon=True)
        follower.start()
        if moment == "before any create":
            self.assertTrue(daemon.wait_for_log(f"start of tenant '{TENANT}'", 30), daemon.output()[-2000:])
        else:
            self.assertTrue(reached.wait(60), f"never reached: {moment}")
        daemon.process.send_signal(signal.SIGKILL)
        daemon.process.wait(10)
        follower.join(10)
        return seen

    def check_round(self, moment):
        self.kill_at(moment)
        before = containers_by_service()
        for service, containers in before.items():
            self.assertEqual(len(containers), 1, f"{moment}: {service} has {containers}")
        self.start_daemon()  # adopts what is there
        stub = self.stub()
        running_before = {service: containers[0] for service, containers in before.items() if containers[0][1]}
        updates, error = start_updates(stub, [], timeout=180)
        self.assertIsNone(error, f"{moment}: {error and error.details()}")
        after = containers_by_service()
        for service in STACK:
            self.assertEqual(len(after.get(service, [])), 1, f"{moment}: {service}: {after.get(service)}")
            self.assertTrue(after[service][0][1], f"{moment}: {service} is not running")
        for service, (container, _, started) in running_before.items():
            self.assertEqual((after[service][0][0], after[service][0][2]), (container, started),
                             f"{moment}: {service} ran before the kill and was restarted or replaced")
        for daemon in self.daemons:
            daemon.kill()
        self.daemons.clear()
        remove_tenant()

    def test_a_killed_start_is_adopted_without_duplicates_or_restarts(self):
        rounds = 20 if LONG else len(MOMENTS)
        moments = list(MOMENTS)
        for index in range(rounds):
            with self.subTest(round=index, moment=moments[index % len(moments)]):
                self.check_round(moments[index % len(moments)])


if __name__ == "__main__":
    unittest.main()

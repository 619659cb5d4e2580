"""envctl, the operator's command line, against a daemon of our own on the real engine: `up` of
the stack with plain output (golden lines modulo times), `ps --json` (golden modulo ids and
times), `logs -f` across a restart, `exec` passing an exit code through, `up` of a service that
fails, an unreachable address and a bad token, the live terminal view under tmux, and the start
timeline: `analyze critical-chain` (redis -> a node -> the router, offsets that add up),
`analyze blame`, `analyze plot` (well-formed SVG naming every service, rendered by headless
Chromium to a PNG that is not blank) and the same picture from /debug/timeline.svg."""
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.request
import zlib

from daemon_process import (ENVCTL, PLUGIN_DIR, SANITIZED, Daemon, EngineCase, docker, free_port,
                            remove_tenant_resources, run_envctl, write_config)

TENANT = "e2ectl"
PORT_OFFSET = 7000
STACK = ["redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"]
PLAIN_LINE = re.compile(r"^ *\d+\.\d\ds (\S+) (\S+)(  .*)?$")


def remove_tenant():
    remove_tenant_resources(TENANT)


def png_is_blank(path):
    """Whether a PNG's pixels are all alike: after PNG's row filters a blank picture is (almost)
    one byte value repeated; a drawn one has many."""
    with open(path, "rb") as handle:
        data = handle.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            idat += data[at + 8:at + 8 + length]
        at += 12 + length
    return len(set(zlib.decompress(idat))) < 8


class EnvctlCase(EngineCase):
    remove_tenant = staticmethod(remove_tenant)

    def start_daemon(self, extra=""):
        self.port = free_port()
        self.metrics_port = free_port()
        toml = f"[tenants.{TENANT}]\nport_offset = {PORT_OFFSET}\n"
        toml += (f"[tenants.{TENANT}.services.talker]\nimage = \"envmgr-test/busybox:latest\"\n"
                 "command = [\"sh\", \"-c\", \"echo out-line; echo err-line >&2; "
                 "while true; do sleep 0.2; echo tick; done\"]\n")
        toml += (f"[tenants.{TENANT}.services.broken]\n"
                 "image = \"127.0.0.1:5000/envmgr-test/no-such-image:latest\"\n")
        config = write_config(toml + extra)
        self.addCleanup(os.unlink, config)
        daemon = Daemon(ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                        ENV_MANAGER_GRPC_ADDR=f"0.0.0.0:{self.port}",
                        ENV_MANAGER_METRICS_ADDR=f"127.0.0.1:{self.metrics_port}")
        self.daemons.append(daemon)
        self.assertTrue(daemon.wait_for_log("env-manager ready", 20), daemon.output())
        return daemon

    def envctl(self, *args, timeout=180, env=None):
        """Runs envctl as an operator would: the daemon's own listen address (0.0.0.0:PORT)."""
        return run_envctl(f"0.0.0.0:{self.port}", TENANT, *args, timeout=timeout, env=env)

    def up_stack(self):
        result = self.envctl("up", *STACK)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result


class Envctl(EnvctlCase):
    def test_up_ps_exec_and_the_start_timeline(self):
        self.start_daemon()
        result = self.up_stack()
        # Plain lines off a terminal, one per state change: each service's own sequence is golden.
        lines = result.stdout.splitlines()
        self.assertRegex(lines[-1], r"^6 service\(s\) ready in \d")
        sequences = {}
        for line in lines[:-1]:
            match = PLAIN_LINE.match(line)
            self.assertIsNotNone(match, f"not a plain progress line: {line!r}")
            sequences.setdefault(match.group(1), []).append(match.group(2))
        # A service launched at once shows its create; one that waited for a dependency had its
        # container created ahead, quietly, and shows its start.
        for service in STACK:
            self.assertIn(sequences.get(service), (["creating", "starting", "waiting-healthy", "healthy"],
                                                   ["starting", "waiting-healthy", "healthy"]),
                          f"{service}: {result.stdout}")
        self.assertEqual(sequences["redis"][0], "creating")
        self.assertNotIn("\033[", result.stdout)  # no colour off a terminal
        self.check_ps_json()
        self.check_exec()
        self.check_timeline()

    def check_ps_json(self):
        result = self.envctl("ps", "--json", *STACK)
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = json.loads(result.stdout)
        ids = {row["service"]: docker("inspect", "--format", "{{.Id}}", f"{TENANT}-{row['service']}").stdout.strip()
               for row in rows}
        for row in rows:
            self.assertEqual(row.pop("container_id"), ids[row["service"]])
            self.assertGreater(row.pop("started_at"), 0)
            self.assertGreaterEqual(row.pop("cpu_percent"), 0)
            self.assertGreaterEqual(row.pop("memory_bytes"), 0)
            row.pop("message")
            row["health_checks"] = sorted(row["health_checks"])
        expected = [
            {"service": "infermesh-node-a", "ports": [19001 + PORT_OFFSET], "health_checks": ["http"]},
            {"service": "infermesh-node-b", "ports": [19002 + PORT_OFFSET], "health_checks": ["http"]},
            {"service": "infermesh-router", "ports": [19000 + PORT_OFFSET], "health_checks": ["http"]},
            {"service": "ollama", "ports": [11434 + PORT_OFFSET], "health_checks": ["http"]},
            {"service": "redb", "ports": [8080 + PORT_OFFSET], "health_checks": ["http"]},
            {"service": "redis", "ports": [6379 + PORT_OFFSET], "health_checks": ["tcp"]},
        ]
        for row in expected:
            row.update({"tenant": TENANT, "state": "healthy", "restarts": 0})
        self.assertEqual(rows, expected)
        table = self.envctl("ps").stdout.splitlines()
        self.assertEqual(table[0].split(), ["SERVICE", "TENANT", "STATE", "HEALTH", "PORTS", "UPTIME", "RESTARTS",
                                            "CPU", "MEMORY"])
        self.assertTrue(any(line.startswith("redis ") and " healthy " in line for line in table), table)

    def check_exec(self):
        result = self.envctl("exec", "redis", "--", "sh", "-c", "echo 'two words'; echo oops >&2; exit 7")
        self.assertEqual(result.returncode, 7, result.stderr)
        self.assertEqual(result.stdout, "two words\n")
        self.assertEqual(result.stderr, "oops\n")
        ping = self.envctl("exec", "redis", "--", "redis-cli", "ping")
        self.assertEqual((ping.returncode, ping.stdout), (0, "PONG\n"), ping.stderr)
        run = self.envctl("run", "--image", "envmgr-test/busybox:latest", "--", "sh", "-c", "exit 3")
        self.assertEqual(run.returncode, 3, run.stderr)
        stopped = self.envctl("exec", "talker", "--", "true")  # not running: the task cannot run
        self.assertEqual(stopped.returncode, 125, stopped.stdout + stopped.stderr)
        self.assertIn("talker", stopped.stderr)

    def check_timeline(self):
        chain = self.envctl("analyze", "critical-chain", "infermesh-router")
        self.assertEqual(chain.returncode, 0, chain.stderr)
        links = [re.match(r"^[ └─]*(\S+) @([\d.]+)(m?s) \+([\d.]+)(m?s)", line)
                 for line in chain.stdout.splitlines() if "@" in line and "+" in line and "\"" not in line]
        self.assertTrue(all(links), chain.stdout)
        names = [link.group(1) for link in links]
        self.assertEqual(names[0], "infermesh-router", chain.stdout)
        self.assertIn(names[1], ("infermesh-node-a", "infermesh-node-b"), chain.stdout)
        self.assertEqual(names[2:], ["redis"], chain.stdout)

        def ms(value, unit):
            return float(value) * (1000 if unit == "s" else 1)
        at = [ms(link.group(2), link.group(3)) for link in links]
        took = [ms(link.group(4), link.group(5)) for link in links]
        # Each began when the one below it became ready: the launch is decided on the engine's
        # strand right after the readiness, within a few ms (a sanitizer build is 5-15x slower:
        # there only the order is asserted).
        for later in range(len(links) - 1):
            began = at[later] - took[later]
            if SANITIZED:
                self.assertGreaterEqual(began + 0.5, at[later + 1], msg=chain.stdout)
            else:
                self.assertAlmostEqual(began, at[later + 1], delta=3.0, msg=chain.stdout)

        blame = self.envctl("analyze", "blame")
        self.assertEqual(blame.returncode, 0, blame.stderr)
        self.assertEqual(sorted(line.split()[-1] for line in blame.stdout.splitlines()[1:]), sorted(STACK))

        plot = self.envctl("analyze", "plot")
        self.assertEqual(plot.returncode, 0, plot.stderr)
        self.check_svg(plot.stdout)
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/debug/timeline.svg?tenant={TENANT}",
                                    timeout=10) as response:
            self.assertEqual(response.headers["Content-Type"], "image/svg+xml")
            self.assertEqual(response.read().decode(), plot.stdout)
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=10) as response:
            metrics = response.read().decode()
        self.assertIn(f'envmgr_service_time_to_ready_seconds_count{{service="redis",tenant="{TENANT}"}} 1', metrics)

    def check_svg(self, svg):
        folder = tempfile.mkdtemp(prefix="envctl-svg-")
        self.addCleanup(shutil.rmtree, folder)
        path = os.path.join(folder, "start.svg")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(svg)
        linted = subprocess.run(["xmllint", "--noout", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(linted.returncode, 0, linted.stderr)
        for service in STACK:
            self.assertIn(f">{service}<", svg)
        width, height = (int(float(v)) for v in re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg).groups())
        png = os.path.join(folder, "start.png")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--screenshot={png}", f"--window-size={width},{height}", f"file://{path}"],
                       capture_output=True, timeout=120, cwd=folder)
        self.assertTrue(os.path.exists(png), "chromium wrote no picture")
        self.assertFalse(png_is_blank(png), "the rendered timeline is blank")
        if os.environ.get("ENVMGR_TIMELINE_PNG"):  # the README's picture comes from here
            shutil.copy(png, os.environ["ENVMGR_TIMELINE_PNG"])

    def test_logs_follow_a_service_across_its_restart(self):
        self.start_daemon()
        self.assertEqual(self.envctl("up", "talker").returncode, 0)
        environment = {k: v for k, v in os.environ.items() if not k.startswith("ENV_MANAGER_")}
        environment["ENV_MANAGER_GRPC_ADDR"] = f"127.0.0.1:{self.port}"
        out = tempfile.TemporaryFile("w+")
        err = tempfile.TemporaryFile("w+")
        self.addCleanup(out.close)
        self.addCleanup(err.close)
        follower = subprocess.Popen([ENVCTL, "--tenant", TENANT, "logs", "-f", "talker"], stdout=out, stderr=err,
                                    env=environment)
        self.addCleanup(follower.wait)
        self.addCleanup(follower.kill)

        def wait_for(handle, text, count, timeout=30):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                handle.seek(0)
                if handle.read().count(text) >= count:
                    return True
                time.sleep(0.05)
            return False
        # stdout and stderr kept apart, each line prefixed with its service.
        self.assertTrue(wait_for(out, "talker | out-line", 1), out.read())
        self.assertTrue(wait_for(err, "talker | err-line", 1))
        self.assertTrue(wait_for(out, "talker | tick", 2))
        # A restart ends the engine's follow; envctl picks the next run up (no line twice).
        self.assertEqual(self.envctl("restart", "talker").returncode, 0)
        self.assertTrue(wait_for(out, "talker | out-line", 2), "the restarted run's first line never came")
        out.seek(0)
        self.assertEqual(out.read().count("talker | out-line"), 2)
        # Removed behind the daemon's back: recreated in a new container, followed at once.
        docker("rm", "-f", f"{TENANT}-talker")
        self.assertTrue(wait_for(out, "talker | out-line", 3, timeout=60), "the new container was not followed")
        self.assertIsNone(follower.poll())

    def test_plugins_config_pull_and_json_progress(self):
        self.start_daemon(f'[tenants.{TENANT}.services.talker.env]\nAPI_TOKEN = "sekrit"\nGREETING = "hello"\n')
        plugins = json.loads(self.envctl("plugins", "--json").stdout)
        self.assertIn("backend.docker", [plugin["id"] for plugin in plugins["plugins"]])
        self.assertEqual(plugins["refused"], [])
        config = self.envctl("config")
        self.assertEqual(config.returncode, 0, config.stderr)
        talker = json.loads(config.stdout)["services"]["talker"]
        self.assertEqual(talker["env"]["API_TOKEN"], "********")  # a secret's name: masked
        self.assertEqual(talker["env"]["GREETING"], "hello")
        self.assertNotIn("sekrit", config.stdout)

        pulled = self.envctl("pull", "envmgr-test/busybox:latest")
        self.assertEqual(pulled.returncode, 0, pulled.stdout + pulled.stderr)
        self.assertIn("envmgr-test/busybox:latest complete 100%", pulled.stdout)
        missing = self.envctl("pull", "127.0.0.1:5000/envmgr-test/no-such-image:latest")
        self.assertEqual(missing.returncode, 1, missing.stdout + missing.stderr)

        events = [json.loads(line) for line in self.envctl("up", "--json", "redis").stdout.splitlines()]
        self.assertEqual(events[-1]["result"], "ready")
        self.assertEqual([e["state"] for e in events[:-1] if e["service"] == "redis"][-1], "healthy")

    def test_failures_are_one_line_and_an_exit_code(self):
        self.start_daemon()
        failed = self.envctl("up", "broken", timeout=300)
        self.assertEqual(failed.returncode, 1, failed.stdout + failed.stderr)
        self.assertEqual(len(failed.stderr.splitlines()), 1, failed.stderr)
        self.assertRegex(failed.stderr, r"^envctl: service 'broken' failed: ")

        unreachable = self.envctl("ps", env={"ENV_MANAGER_GRPC_ADDR": f"127.0.0.1:{free_port()}"})
        self.assertEqual(unreachable.returncode, 3)
        self.assertEqual(len(unreachable.stderr.splitlines()), 1, unreachable.stderr)
        self.assertRegex(unreachable.stderr, r"^envctl: cannot reach env-manager at 127\.0\.0\.1:\d+")

        unknown = self.envctl("restart", "no-such-service")
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("no-such-service", unknown.stderr)

        usage = self.envctl("up", "--timeout", "soon")
        self.assertEqual(usage.returncode, 2)

    def test_a_bad_token_is_refused(self):
        os.environ["E2E_CTL_TOKEN"] = "right-token"
        self.addCleanup(os.environ.pop, "E2E_CTL_TOKEN", None)
        self.start_daemon('[plugins."frontend.grpc"]\ntoken_env = "E2E_CTL_TOKEN"\n')
        refused = self.envctl("ps", env={"ENV_MANAGER_TOKEN": "wrong-token"})
        self.assertEqual(refused.returncode, 4, refused.stdout + refused.stderr)
        self.assertEqual(len(refused.stderr.splitlines()), 1, refused.stderr)
        self.assertIn("refused", refused.stderr)
        folder = tempfile.mkdtemp(prefix="envctl-token-")
        self.addCleanup(shutil.rmtree, folder)
        with open(os.path.join(folder, "token"), "w", encoding="utf-8") as handle:
            handle.write("right-token\n")
        accepted = self.envctl("--token-file", os.path.join(folder, "token"), "ps")
        self.assertEqual(accepted.returncode, 0, accepted.stderr)


class EnvctlTerminal(EnvctlCase):
    """The live view as a person sees it: envctl up in a tmux pane, captured while it runs."""

    def test_up_redraws_one_line_per_service_in_place(self):
        if shutil.which("tmux") is None:
            self.fail("tmux is not installed (scripts/setup-deps.sh installs it)")
        self.start_daemon()
        session = f"envctl-{os.getpid()}"
        self.addCleanup(subprocess.run, ["tmux", "kill-session", "-t", session], capture_output=True)
        command = (f"env -u NO_COLOR ENV_MANAGER_GRPC_ADDR=127.0.0.1:{self.port} {ENVCTL} --tenant {TENANT} up "
                   + " ".join(STACK) + "; echo EXIT=$?; sleep 60")
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30", command], check=True)
        seen_moving = False
        deadline = time.monotonic() + 120
        pane = ""
        while time.monotonic() < deadline:
            pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                                  text=True).stdout
            if re.search(r"^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \S+ +(creating|starting|waiting-healthy)", pane, re.M):
                seen_moving = True
            if "EXIT=" in pane:
                break
            time.sleep(0.05)
        self.assertIn("EXIT=0", pane)
        self.assertTrue(seen_moving, "no live line with a spinner was ever on screen")
        lines = [line for line in pane.splitlines() if line.startswith("✔ ")]
        # One line per service, redrawn in place: never a service twice on the screen.
        self.assertEqual(sorted(line.split()[1] for line in lines), sorted(STACK), pane)
        self.assertRegex(pane, r"6 service\(s\) ready in ")
        coloured = subprocess.run(["tmux", "capture-pane", "-e", "-p", "-t", session], capture_output=True,
                                  text=True).stdout
        self.assertIn("\033[32mhealthy", coloured)


if __name__ == "__main__":
    unittest.main()

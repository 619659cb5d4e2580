"""env-manager's reading of Compose files against Debian's docker-compose 1.29, whose `config`
command normalizes a file: for every file of tests/e2e/compose/corpus (and the e2e stack), the
effective services env-manager prints (--print-config --json) agree with `docker-compose config`
field by field: image, command, entrypoint, environment, ports, volumes and tmpfs, healthcheck,
depends_on conditions, restart, and the process, label and resource keys.

The deliberate differences, each normalized here and written down in the README ("Coming from
Compose"):
- a port that names no host address binds to env-manager's defaults.host_ip (127.0.0.1), where
  Compose binds to every address: compared only when the file names one;
- a bare name in environment: that is not set is left out; docker-compose prints it as null and
  passes nothing either;
- stop_grace_period is whole seconds for the engine: 1500ms becomes 2 s;
- a healthcheck's retries, interval and timeout are the same, but env-manager probes faster
  than interval until the service is first ready."""
import json
import os
import re
import shlex
import subprocess
import unittest

import yaml

from daemon_process import PLUGIN_DIR, run, write_config

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "compose", "corpus")
ENVIRONMENT = {"SET_VAR": "set value", "EMPTY_VAR": "", "FROM_SHELL": "from the shell", "COMPOSE_PROFILES": "tools"}
CASES = {
    "keys": [os.path.join(CORPUS, "keys.yml")],
    "interpolation": [os.path.join(CORPUS, "interpolation.yml")],
    "override": [os.path.join(CORPUS, "base.yml"), os.path.join(CORPUS, "override.yml")],
    "stack": [os.path.join(HERE, "compose", "stack.yml")],
}
DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)")
UNIT_MS = {"h": 3600000, "m": 60000, "s": 1000, "ms": 1, "us": 0.001, "ns": 0.000001}
SIZE_UNITS = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def duration_ms(text):
    return round(sum(float(number) * UNIT_MS[unit] for number, unit in DURATION.findall(str(text))))


def size_bytes(text):
    text = str(text).lower().rstrip("b")
    return int(float(text[:-1]) * SIZE_UNITS[text[-1]]) if text[-1] in SIZE_UNITS else int(text)


def words(value):
    if value is None:
        return []
    return shlex.split(value) if isinstance(value, str) else [str(word) for word in value]


def compose_port(entry):
    """(host_ip or None, host port, container port, protocol) of a port as `config` prints it."""
    if isinstance(entry, dict):
        return (entry.get("host_ip"), int(entry.get("published", 0)), int(entry["target"]),
                entry.get("protocol", "tcp"))
    text, _, protocol = str(entry).partition("/")
    parts = text.split(":")
    host_ip = parts[0] if len(parts) == 3 else None
    return (host_ip, int(parts[-2]) if len(parts) > 1 else 0, int(parts[-1]), protocol or "tcp")


def compose_volume(entry):
    if isinstance(entry, dict):
        return (entry.get("type", "volume"), entry.get("source", ""), entry["target"],
                bool(entry.get("read_only", False)))
    source, target, *mode = entry.split(":")
    return ("bind" if source.startswith("/") else "volume", source, target, mode == ["ro"])


def compose_health(check):
    if not check or check.get("disable") or check.get("test") in (["NONE"], None):
        return None
    test = check["test"]
    if isinstance(test, str):
        command = ["/bin/sh", "-c", test]
    elif test[0] == "CMD-SHELL":
        command = ["/bin/sh", "-c", " ".join(test[1:])]
    else:
        command = test[1:]
    return {"command": command, "interval_ms": duration_ms(check.get("interval", "30s")),
            "timeout_ms": duration_ms(check.get("timeout", "30s")),
            "failure_threshold": int(check.get("retries", 3)),
            "start_period_ms": duration_ms(check.get("start_period", "0s"))}


def unescaped(value):
    """`config` prints a Compose file, where a literal `$` is written `$$`."""
    if isinstance(value, str):
        return value.replace("$$", "$")
    if isinstance(value, list):
        return [unescaped(item) for item in value]
    if isinstance(value, dict):
        return {key: unescaped(item) for key, item in value.items()}
    return value


def from_compose(service):
    """The compared fields of one service of `docker-compose config`."""
    service = unescaped(service)
    restart = service.get("restart", "no")
    policy, _, retries = restart.partition(":")
    dependencies = service.get("depends_on", {})
    if isinstance(dependencies, list):
        dependencies = {name: {"condition": "service_started"} for name in dependencies}
    limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
    reservations = service.get("deploy", {}).get("resources", {}).get("reservations", {})
    grace = service.get("stop_grace_period")
    return {
        "image": service["image"],
        "command": words(service.get("command")),
        "entrypoint": words(service.get("entrypoint")),
        "env": {key: str(value) for key, value in service.get("environment", {}).items() if value is not None},
        "ports": sorted((compose_port(port) for port in service.get("ports", [])),
                        key=lambda port: str((None, *port[1:]))),
        "mounts": sorted(compose_volume(volume) for volume in service.get("volumes", [])),
        "tmpfs": sorted(entry.split(":")[0] for entry in words_list(service.get("tmpfs"))),
        "health": compose_health(service.get("healthcheck")),
        "depends_on": {name: entry["condition"].replace("service_", "") for name, entry in dependencies.items()},
        "restart": (policy, int(retries or 0)),
        "process": {"user": str(service.get("user", "")), "working_dir": service.get("working_dir", ""),
                    "read_only": bool(service.get("read_only", False)), "cap_add": service.get("cap_add", []),
                    "cap_drop": service.get("cap_drop", []), "security_opt": service.get("security_opt", []),
                    "extra_hosts": service.get("extra_hosts", []), "stop_signal": service.get("stop_signal", "")},
        "labels": service.get("labels", {}),
        "container_name": service.get("container_name", ""),
        "init": bool(service.get("init", False)),
        "stop_timeout_seconds": -(-duration_ms(grace) // 1000) if grace else 10,
        "cpus": float(limits.get("cpus", 0)),
        "memory_bytes": size_bytes(limits["memory"]) if "memory" in limits else 0,
        "memory_reservation_bytes": size_bytes(reservations["memory"]) if "memory" in reservations else 0,
        "gpu": "required" if reservations.get("devices") else "none",
    }


def words_list(value):
    return [] if value is None else ([value] if isinstance(value, str) else value)


def from_env_manager(name, service):
    """The same fields of one service as env-manager prints it."""
    readiness = service["readiness"]
    health = None
    if readiness["type"] == "exec":
        health = {key: readiness[key] for key in ("command", "interval_ms", "timeout_ms", "failure_threshold",
                                                  "start_period_ms")}
    mounts = [m for m in service["mounts"] if m["type"] != "tmpfs"]
    return {
        "image": service["image"],
        "command": service["command"],
        "entrypoint": service["entrypoint"],
        "env": service["env"],
        "ports": sorted(((p["host_ip"], p["host_port"], p["container_port"], p["protocol"]) for p in service["ports"]),
                        key=lambda port: str((None, *port[1:]))),
        "mounts": sorted((m["type"], m["source"], m["target"], m["read_only"]) for m in mounts),
        "tmpfs": sorted(m["target"] for m in service["mounts"] if m["type"] == "tmpfs"),
        "health": health,
        "depends_on": {d["service"]: d["condition"] for d in service["depends_on"]},
        "restart": (service["restart_policy"], service["restart_max_retries"]),
        "process": service["process"],
        "labels": {k: v for k, v in service["labels"].items() if not k.startswith("env-manager.")},
        "container_name": service["container_name"] if service["container_name"] != name else "",
        "init": service["init"],
        "stop_timeout_seconds": service["stop_timeout_seconds"],
        "cpus": service["resources"]["cpus"],
        "memory_bytes": service["resources"]["memory_bytes"],
        "memory_reservation_bytes": service["resources"]["memory_reservation_bytes"],
        "gpu": service["gpu"],
    }


class ComposeConfig(unittest.TestCase):
    def docker_compose_config(self, files):
        arguments = ["docker-compose"]
        for path in files:
            arguments += ["-f", path]
        result = subprocess.run(arguments + ["config"], capture_output=True, text=True, timeout=60,
                                cwd=os.path.dirname(files[0]), env=dict(os.environ, **ENVIRONMENT))
        self.assertEqual(result.returncode, 0, result.stderr)
        chosen = set(ENVIRONMENT["COMPOSE_PROFILES"].split(","))
        return {name: service for name, service in yaml.safe_load(result.stdout)["services"].items()
                if not service.get("profiles") or chosen & set(service["profiles"])}

    def env_manager_config(self, files):
        listed = ", ".join(json.dumps(path) for path in files)
        config = write_config(f"[tenants.default]\nplugin_services = false\ncompose = [{listed}]\n")
        self.addCleanup(os.unlink, config)
        result = run(["--print-config", "--json"], ENV_MANAGER_CONFIG=config, ENV_MANAGER_PLUGIN_PATH=PLUGIN_DIR,
                     **ENVIRONMENT)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return json.loads(result.stdout)["tenants"]["default"]["services"]

    def test_every_file_reads_as_docker_compose_config_reads_it(self):
        for case, files in CASES.items():
            with self.subTest(case=case):
                theirs = self.docker_compose_config(files)
                ours = self.env_manager_config(files)
                self.assertEqual(sorted(ours), sorted(theirs))
                for name, service in theirs.items():
                    expected = from_compose(service)
                    got = from_env_manager(name, ours[name])
                    for field, value in expected.items():
                        if field == "ports":  # a port without an address: env-manager's host_ip
                            got[field] = [(None if want[0] is None else have[0], *have[1:])
                                          for want, have in zip(value, got[field])]
                        self.assertEqual(got[field], value, f"{case}: service {name}, field {field}")

    def test_the_corpus_covers_every_mapped_key(self):
        """A key added to the mapping without a corpus file using it fails here."""
        from_files = set()
        for files in CASES.values():
            for path in files:
                with open(path, encoding="utf-8") as handle:
                    for service in (yaml.safe_load(handle).get("services") or {}).values():
                        from_files.update(service)
        mapped = {"image", "command", "entrypoint", "environment", "env_file", "ports", "volumes", "tmpfs",
                  "depends_on", "healthcheck", "restart", "deploy", "user", "working_dir", "read_only",
                  "cap_add", "cap_drop", "security_opt", "labels", "container_name", "stop_signal",
                  "stop_grace_period", "init", "extra_hosts", "profiles", "extends"}
        self.assertEqual(mapped - from_files, set())


if __name__ == "__main__":
    unittest.main()

"""The service registry as an operator meets it: the real binary, the real service plugins
(loaded through the ABI), --check-config, --print-config and the daemon's start."""
import json
import os
import signal
import tomllib
import unittest

from daemon_process import SANITIZED, Daemon, run, write_config

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(SOURCE_DIR, "packaging", "env-manager.example.toml")
SECRET = "pa55-Wd-never-shown-9f3"


class Services(unittest.TestCase):
    def config(self, text):
        path = write_config(text)
        self.addCleanup(os.unlink, path)
        return path

    def print_config(self, text="", *extra, **env):
        path = self.config(text)
        return run(["--print-config", *extra], ENV_MANAGER_CONFIG=path, **env)

    def test_the_packaged_example_passes_check_config(self):
        result = run(["--check-config", "--config", EXAMPLE])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("configuration OK", result.stdout)

    def test_print_config_shows_the_effective_services_of_every_tenant(self):
        text = ("[tenants.blue]\nport_offset = 100\n"
                "[services.infermesh-node-c]\nimage = \"official-infermesh:latest\"\nports = [\"19003:9000\"]\n"
                "env = { MESH_PORT = \"9000\" }\nreadiness = { type = \"http\", port = 9000, path = \"/health\" }\n")
        as_json = self.print_config(text, "--json")
        self.assertEqual(as_json.returncode, 0, as_json.stderr)
        tenants = json.loads(as_json.stdout)["tenants"]
        self.assertEqual(sorted(tenants), ["blue", "default"])
        default, blue = tenants["default"]["services"], tenants["blue"]["services"]
        self.assertEqual(sorted(default), ["infermesh-node-a", "infermesh-node-b", "infermesh-node-c",
                                           "infermesh-router", "ollama", "redb", "redis"])
        self.assertEqual(default["redis"]["ports"][0]["host_port"], 6379)
        self.assertEqual(default["redis"]["ports"][0]["host_ip"], "127.0.0.1")
        self.assertEqual(blue["redis"]["ports"][0]["host_port"], 6479)
        self.assertEqual(blue["redis"]["container_name"], "blue-redis")
        self.assertEqual(blue["redis"]["mounts"][0]["source"], "blue_redis_data")
        self.assertEqual(tenants["blue"]["network"], "env-manager-blue")
        self.assertEqual(default["redis"]["plugin"], "service.redis")
        self.assertEqual(default["redis"]["labels"]["env-manager.definition-hash"],
                         default["redis"]["definition_hash"])
        # The router's hook ran through the ABI: the node added in the file is in its list.
        self.assertEqual(default["infermesh-router"]["env"]["MESH_NODES"],
                         "infermesh-node-a:9000,infermesh-node-b:9000,infermesh-node-c:9000")
        as_toml = self.print_config(text)
        self.assertEqual(as_toml.returncode, 0, as_toml.stderr)
        parsed = tomllib.loads(as_toml.stdout)["tenants"]
        self.assertEqual(parsed["blue"]["services"]["redis"]["definition_hash"], blue["redis"]["definition_hash"])
        self.assertEqual(parsed["default"]["services"]["ollama"]["gpu"], default["ollama"]["gpu"])

    def test_check_config_lists_every_service_error_at_once_and_exits_2(self):
        path = self.config("[services.redis]\nimage = \"Redis:7\"\n"
                           "[services.redb]\ndepends_on = [\"redys\"]\n"
                           "[services.alpha]\nimage = \"busybox\"\ndepends_on = [\"alpha\"]\n"
                           "[tenants.blue]\n")
        result = run(["--check-config"], ENV_MANAGER_CONFIG=path)
        self.assertEqual(result.returncode, 2, result.stdout)
        self.assertIn(f"{path}:2:1: tenant 'default', service 'redis', field 'image': 'Redis:7' is not a valid "
                      "image reference", result.stderr)
        self.assertIn(f"{path}:4:15: tenant 'default', service 'redb', field 'depends_on[0].service': unknown "
                      "service 'redys'", result.stderr)
        self.assertIn("service 'alpha', field 'depends_on': dependency cycle: alpha -> alpha", result.stderr)
        self.assertIn("tenant 'blue', service 'redis', field 'ports[0].host_port': 127.0.0.1:6379/tcp is already "
                      "claimed by tenant 'default', service 'redis'", result.stderr)

    def test_the_daemon_refuses_to_start_with_service_errors(self):
        path = self.config("[services.redb]\ndepends_on = [\"redys\"]\n")
        result = run([], ENV_MANAGER_CONFIG=path)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("unknown service 'redys'", result.stderr)

    def test_an_unset_variable_is_an_error_naming_it(self):
        result = self.print_config("[services.redis]\nimage = \"redis:${REDIS_TAG}\"\n")
        self.assertEqual(result.returncode, 2)
        self.assertIn(":2:9: 'services.redis.image': ${REDIS_TAG} is not set and has no default", result.stderr)
        given = self.print_config("[services.redis]\nimage = \"redis:${REDIS_TAG}\"\n", "--json",
                                  REDIS_TAG="7.2-alpine")
        self.assertEqual(given.returncode, 0, given.stderr)
        self.assertEqual(json.loads(given.stdout)["tenants"]["default"]["services"]["redis"]["image"],
                         "redis:7.2-alpine")

    def test_registry_credentials_never_appear_in_output_errors_or_logs(self):
        inline = ("[plugins.\"backend.docker\"]\nhost = \"unix:///nonexistent/docker.sock\"\n"
                  f"registry_auth = {{ \"registry.example.com\" = {{ username = \"deploy\", password = \"{SECRET}\" }} }}\n"
                  f"[services.redb]\nenv = {{ REDB_PASSWORD = \"{SECRET}\" }}\n")
        from_env = ("[plugins.\"backend.docker\"]\nhost = \"unix:///nonexistent/docker.sock\"\n"
                    "registry_auth = { \"registry.example.com\" = { username = \"deploy\", password_env = \"REG_PW\" } }\n")
        outputs = []
        for extra in ((), ("--json",)):
            result = self.print_config(inline, *extra)
            self.assertEqual(result.returncode, 0, result.stderr)
            outputs += [result.stdout, result.stderr]
        missing = run(["--check-config"], ENV_MANAGER_CONFIG=self.config(from_env))
        self.assertEqual(missing.returncode, 2)
        self.assertIn("registry_auth.\"registry.example.com\".password_env: the variable REG_PW is not set",
                      missing.stderr)
        outputs += [missing.stdout, missing.stderr]
        # Under ASan this one daemon's exit met LeakSanitizer's own tracer crashing (signal 11 in
        # its stop-the-world, google/sanitizers#1353) every time once a second backend library was
        # in the plugin folder; what is tested here is the output, so its leak check is off. Every
        # other daemon of the e2e tests still ends under LeakSanitizer.
        quiet_leaks = {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"} if SANITIZED else {}
        daemon = Daemon((), ENV_MANAGER_CONFIG=self.config(from_env), ENV_MANAGER_LOG="trace", REG_PW=SECRET,
                        **quiet_leaks)
        self.addCleanup(daemon.kill)
        self.assertTrue(daemon.wait_for_log("env-manager ready"), daemon.output())
        daemon.signal(signal.SIGTERM)
        self.assertEqual(daemon.wait(timeout=10), 0, daemon.output())
        outputs.append(daemon.output())
        for text in outputs:
            self.assertNotIn(SECRET, text)


if __name__ == "__main__":
    unittest.main()

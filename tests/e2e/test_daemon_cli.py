"""The daemon's command line against the real binary and the fixture plugins."""
import json
import os
import signal
import time
import unittest

from daemon_process import FIXTURE_PLUGIN_DIR, Daemon, run, write_config


class ListPlugins(unittest.TestCase):
    def test_json_lists_good_plugins_with_kind_version_and_abi_and_refusals_with_reasons(self):
        result = run(["--list-plugins", "--json"], ENV_MANAGER_PLUGIN_PATH=FIXTURE_PLUGIN_DIR)
        self.assertEqual(result.returncode, 0, result.stderr)
        listing = json.loads(result.stdout)
        self.assertEqual(listing["host_abi_version"], "1.1")
        plugins = {p["id"]: p for p in listing["plugins"]}
        good = plugins["probe.fixture-good"]
        self.assertEqual(good["kind"], "probe")
        self.assertEqual(good["version"], "2.3.4")
        self.assertEqual(good["abi_version"], "1.0")
        self.assertTrue(good["file"].endswith("fixture_good_probe.so"))
        refused = {os.path.basename(r["file"]): r["reason"] for r in listing["refused"]}
        self.assertIn("invalid ELF header", refused["fixture_not_a_library.so"])
        self.assertIn("no entry point", refused["fixture_no_entry_point.so"])
        self.assertIn("ABI major versions disagree: plugin 99.0, host 1.1",
                      refused["fixture_wrong_major.so"])
        self.assertIn("descriptor is 48 bytes", refused["fixture_small_descriptor.so"])
        self.assertIn("duplicate plugin id 'probe.fixture-good'", refused["fixture_good_probe_copy.so"])
        # Listing creates each plugin, as the daemon would, so failing creates are refused too.
        self.assertIn("create failed (unavailable): fixture: the device it needs is missing",
                      refused["fixture_create_fails.so"])
        self.assertIn("create threw an exception: fixture: create exploded", refused["fixture_create_throws.so"])
        self.assertIn("invalid service definition", refused["fixture_service_invalid.so"])
        self.assertNotIn("probe.fixture-create-fails", plugins)

    def test_table_has_a_header_and_a_row_per_plugin(self):
        result = run(["--list-plugins"], ENV_MANAGER_PLUGIN_PATH=FIXTURE_PLUGIN_DIR)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0].split()[:4], ["ID", "KIND", "VERSION", "ABI"])
        self.assertTrue(any(line.split()[:4] == ["probe.fixture-good", "probe", "2.3.4", "1.0"]
                            for line in lines))
        self.assertIn("refused:", result.stdout)

    def test_bare_binary_finds_its_default_plugins_next_to_itself(self):
        result = run(["--list-plugins", "--json"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("does not exist", result.stderr)
        plugins = {p["id"]: p for p in json.loads(result.stdout)["plugins"]}
        self.assertEqual(plugins["backend.docker"]["kind"], "backend")
        self.assertEqual(plugins["backend.docker"]["abi_version"], "1.0")


class CheckConfig(unittest.TestCase):
    def check(self, text, **env):
        path = write_config(text)
        self.addCleanup(os.unlink, path)
        return path, run(["--check-config"], ENV_MANAGER_CONFIG=path, **env)

    def test_valid_configuration_passes(self):
        _, result = self.check('[server]\ngrpc_addr = "127.0.0.1:50100"\n')
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("configuration OK", result.stdout)

    def test_typo_in_a_key_names_file_line_column_and_key(self):
        path, result = self.check('[server]\ngrpc_addr = "127.0.0.1:1"\nmetrics_adr = "x:1"\n')
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"{path}:3:1: 'server.metrics_adr': unknown key (did you mean "
                      "'server.metrics_addr'?)", result.stderr)

    def test_wrong_type_names_the_key_and_expected_type(self):
        path, result = self.check("[scheduler]\nhealth_timeout_seconds = true\n")
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"{path}:2:26: 'scheduler.health_timeout_seconds': expected an integer, "
                      "got a boolean", result.stderr)

    def test_every_problem_of_a_file_is_listed_in_one_run(self):
        """A type error in [scheduler] does not hide the services' errors in the same file."""
        path, result = self.check('[scheduler]\nmax_concurrent_starts = "five"\n'
                                  '[services.web]\nimage = "busybox:latest"\nrestart_policy = "sometimes"\n'
                                  '[services.job]\nimage = "Bad:Image"\n')
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"{path}:2:25: 'scheduler.max_concurrent_starts': expected an integer", result.stderr)
        self.assertIn("'web'", result.stderr)
        self.assertIn("restart_policy", result.stderr)
        self.assertIn("'job'", result.stderr)
        self.assertIn("is not a valid image reference", result.stderr)
        self.assertRegex(result.stderr, r"configuration has [3-9] error\(s\)")

    def test_syntax_error_names_line_and_column(self):
        path, result = self.check("[server\ngrpc_addr = 1\n")
        self.assertEqual(result.returncode, 2)
        self.assertRegex(result.stderr, rf"{path}:1:\d+: syntax error: ")

    def test_plugin_settings_are_checked_against_the_plugin_schema(self):
        path, result = self.check('[plugins."probe.fixture-good"]\ngreeting = 5\n',
                                  ENV_MANAGER_PLUGIN_PATH=FIXTURE_PLUGIN_DIR)
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"{path}:2:1: 'plugins.probe.fixture-good.greeting': expected string, "
                      "got number", result.stderr)

    def test_packaged_default_configuration_is_valid(self):
        packaged = os.path.join(os.path.dirname(__file__), "..", "..", "packaging", "env-manager.toml")
        result = run(["--check-config", "--config", packaged])
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_unquoted_dotted_plugin_id_gets_a_hint(self):
        path, result = self.check('[plugins.probe.fixture-good]\ngreeting = "hi"\n',
                                  ENV_MANAGER_PLUGIN_PATH=FIXTURE_PLUGIN_DIR)
        self.assertEqual(result.returncode, 2)
        self.assertIn("'plugins.probe': no plugin with this id was found in the plugin path (write the id "
                      "in quotes: [plugins.\"probe.fixture-good\"])", result.stderr)

    def test_a_known_table_given_as_a_value_is_named(self):
        path, result = self.check('server = "0.0.0.0:1"\n')
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"{path}:1:1: 'server': expected a table, got a string", result.stderr)

    def test_invalid_service_definitions_are_configuration_errors(self):
        _, result = self.check("", ENV_MANAGER_PLUGIN_PATH=FIXTURE_PLUGIN_DIR)
        self.assertEqual(result.returncode, 2)
        self.assertIn("plugin 'service.fixture-invalid'", result.stderr)
        self.assertIn("invalid service definition: fixture-web: image: required", result.stderr)

    def test_bad_environment_value_is_named(self):
        _, result = self.check("", ENV_MANAGER_HEALTH_TIMEOUT="soon")
        self.assertEqual(result.returncode, 2)
        self.assertIn("ENV_MANAGER_HEALTH_TIMEOUT: 'scheduler.health_timeout_seconds': expected "
                      "an integer, got 'soon'", result.stderr)


class Lifecycle(unittest.TestCase):
    def start(self, *args, **env):
        daemon = Daemon(args, **env)
        self.addCleanup(daemon.kill)
        self.assertTrue(daemon.wait_for_log("env-manager ready"), daemon.output())
        return daemon

    def test_sigterm_with_nothing_running_exits_zero_within_two_seconds(self):
        daemon = self.start()
        began = time.monotonic()
        daemon.signal(signal.SIGTERM)
        self.assertEqual(daemon.wait(timeout=5), 0, daemon.output())
        self.assertLess(time.monotonic() - began, 2.0)
        self.assertIn("env-manager stopped", daemon.output())

    def test_broken_plugins_are_refused_and_the_daemon_goes_on(self):
        daemon = self.start(ENV_MANAGER_PLUGIN_PATH=FIXTURE_PLUGIN_DIR)
        output = daemon.output()
        self.assertIn("create failed (unavailable): fixture: the device it needs is missing", output)
        self.assertIn("create threw an exception: fixture: create exploded", output)
        self.assertIn("6 plugin(s) running, 1 service(s) in 1 tenant(s)", output)
        self.assertRegex(output, r"plugin probe\.fixture-good kind=probe version=2\.3\.4 abi=1\.0 file=")
        daemon.signal(signal.SIGINT)
        self.assertEqual(daemon.wait(timeout=5), 0, daemon.output())
        self.assertIn("fixture-good stopping", daemon.output())

    def test_a_stuck_plugin_is_given_its_bound_then_abandoned_never_destroyed(self):
        config = write_config("[plugins]\nstop_timeout_seconds = 1\n")
        self.addCleanup(os.unlink, config)
        daemon = self.start(ENV_MANAGER_PLUGIN_PATH=FIXTURE_PLUGIN_DIR, ENV_MANAGER_CONFIG=config,
                            FIXTURE_GOOD_HANG_ON_STOP="true")
        began = time.monotonic()
        daemon.signal(signal.SIGTERM)
        self.assertEqual(daemon.wait(timeout=10), 0, daemon.output())
        self.assertGreaterEqual(time.monotonic() - began, 0.9)
        self.assertIn("plugin probe.fixture-good is abandoned, not destroyed: it did not stop within 1000 ms",
                      daemon.output())

    def test_a_second_signal_forces_the_exit(self):
        daemon = self.start(ENV_MANAGER_PLUGIN_PATH=FIXTURE_PLUGIN_DIR,
                            FIXTURE_GOOD_HANG_ON_STOP="true")
        daemon.signal(signal.SIGTERM)
        self.assertTrue(daemon.wait_for_log("fixture-good stopping"), daemon.output())
        daemon.signal(signal.SIGTERM)
        self.assertEqual(daemon.wait(timeout=3), 128 + signal.SIGTERM, daemon.output())
        self.assertIn("exiting at once", daemon.output())

    def test_json_log_format_writes_one_object_per_line(self):
        daemon = self.start("--log-format", "json", RUST_LOG="env_manager=debug")
        daemon.signal(signal.SIGTERM)
        self.assertEqual(daemon.wait(timeout=5), 0)
        lines = [line for line in daemon.output().splitlines() if line.strip()]
        self.assertGreater(len(lines), 2)
        records = [json.loads(line) for line in lines]
        self.assertTrue(all({"timestamp", "level", "target", "message"} <= r.keys() for r in records))
        self.assertIn("debug", {r["level"] for r in records}, "RUST_LOG=env_manager=debug not honoured")

    def test_configuration_error_stops_the_start_with_a_non_zero_exit(self):
        result = run([], ENV_MANAGER_GRPC_ADDR="no-port-here")
        self.assertEqual(result.returncode, 2)
        self.assertIn("ENV_MANAGER_GRPC_ADDR: 'server.grpc_addr': expected HOST:PORT", result.stderr)


if __name__ == "__main__":
    unittest.main()

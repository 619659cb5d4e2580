#include "host/loader/plugin_settings.h"

#include <gtest/gtest.h>

namespace envmgr::host::loader {
namespace {

constexpr const char* kSchema = R"({
  "host": {"type": "string", "default": "unix:///var/run/docker.sock", "env": "DOCKER_HOST"},
  "timeout_ms": {"type": "integer", "default": 1000, "env": "FAKE_TIMEOUT_MS"},
  "verify": {"type": "boolean", "default": true}
})";

TEST(PluginSettings, DefaultsThenFileThenEnvironment) {
    host::config::Config config;
    config.plugin_settings["backend.x"] = {{"host", "tcp://file:2375"}, {"timeout_ms", 5}};
    const auto env = host::config::map_environment({{"DOCKER_HOST", "tcp://env:2375"}});
    const auto settings = resolve_plugin_settings("backend.x", kSchema, config, env);
    ASSERT_TRUE(settings.errors.empty()) << settings.errors.front();
    EXPECT_EQ(settings.values["host"], "tcp://env:2375");
    EXPECT_EQ(settings.values["timeout_ms"], 5);
    EXPECT_EQ(settings.values["verify"], true);
}

TEST(PluginSettings, WrongTypesAreNamed) {
    host::config::Config config;
    config.config_file = "c.toml";
    config.plugin_settings["backend.x"] = {{"verify", "yes"}};
    const auto env = host::config::map_environment({{"FAKE_TIMEOUT_MS", "soon"}});
    const auto settings = resolve_plugin_settings("backend.x", kSchema, config, env);
    ASSERT_EQ(settings.errors.size(), 2U);
    EXPECT_EQ(settings.errors[0], "c.toml: 'plugins.backend.x.verify': expected boolean, got string");
    EXPECT_EQ(settings.errors[1],
              "FAKE_TIMEOUT_MS: 'plugins.backend.x.timeout_ms': expected integer, got 'soon'");
}

TEST(PluginSettings, NumbersComeFromTheEnvironmentToo) {
    host::config::Config config;
    const auto settings = resolve_plugin_settings(
        "probe.z", R"({"ratio": {"type": "number", "default": 0.5, "env": "FAKE_RATIO"}})", config,
        host::config::map_environment({{"FAKE_RATIO", "0.25"}}));
    ASSERT_TRUE(settings.errors.empty()) << settings.errors.front();
    EXPECT_DOUBLE_EQ(settings.values["ratio"].get<double>(), 0.25);
}

TEST(PluginSettings, NoSchemaMeansNoKeys) {
    host::config::Config config;
    config.plugin_settings["probe.y"] = {{"anything", 1}};
    const auto settings =
        resolve_plugin_settings("probe.y", nullptr, config, host::config::map_environment({}));
    ASSERT_EQ(settings.errors.size(), 1U);
    EXPECT_NE(settings.errors[0].find("unknown key"), std::string::npos);
}

TEST(PluginSettings, AKeyMayStartFromAHostSetting) {
    host::config::Config config;
    config.grpc_addr = "unix:/run/env-manager/grpc.sock";
    constexpr const char* schema = R"({"addr": {"type": "string", "host_key": "server.grpc_addr"}})";
    const auto settings =
        resolve_plugin_settings("frontend.g", schema, config, host::config::map_environment({}));
    ASSERT_TRUE(settings.errors.empty()) << settings.errors.front();
    EXPECT_EQ(settings.values["addr"], "unix:/run/env-manager/grpc.sock");
    // The plugin's own table still wins; an unknown host setting is the plugin's error.
    config.plugin_settings["frontend.g"] = {{"addr", "127.0.0.1:9"}};
    EXPECT_EQ(resolve_plugin_settings("frontend.g", schema, config, host::config::map_environment({}))
                  .values["addr"],
              "127.0.0.1:9");
    const auto wrong =
        resolve_plugin_settings("frontend.g", R"({"addr": {"type": "string", "host_key": "server.nope"}})",
                                config, host::config::map_environment({}));
    ASSERT_EQ(wrong.errors.size(), 1U);
    EXPECT_NE(wrong.errors[0].find("unknown host setting 'server.nope'"), std::string::npos);
}

}  // namespace
}  // namespace envmgr::host::loader

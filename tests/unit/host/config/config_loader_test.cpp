#include "host/config/config_loader.h"
#include "host/config/config_keys.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace envmgr::host::config {
namespace {

class ConfigLoaderTest : public ::testing::Test {
protected:
    std::string write_file(const std::string& text) {
        const auto path = dir_ / "env-manager.toml";
        std::ofstream(path) << text;
        return path.string();
    }
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("envmgr-config-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path dir_;
};

TEST_F(ConfigLoaderTest, DefaultsMatchTheSeedReadme) {
    const auto result = load_config(map_environment({}));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.grpc_addr, "0.0.0.0:50100");
    EXPECT_EQ(result.config.metrics_addr, "0.0.0.0:50101");
    EXPECT_EQ(result.config.log_level, "info");
    EXPECT_EQ(result.config.max_concurrent_starts, 5);
    EXPECT_EQ(result.config.health_timeout_seconds, 60);
    EXPECT_FALSE(result.config.verbose);
    EXPECT_TRUE(result.config.plugin_path.empty());
}

TEST_F(ConfigLoaderTest, EnvironmentBeatsFileBeatsDefaults) {
    const auto file = write_file(R"(
[server]
grpc_addr = "127.0.0.1:6000"
metrics_addr = "127.0.0.1:6001"
[scheduler]
max_concurrent_starts = 3
)");
    const auto result = load_config(
        map_environment({{"ENV_MANAGER_CONFIG", file}, {"ENV_MANAGER_GRPC_ADDR", "127.0.0.1:7000"}}));
    ASSERT_TRUE(result.ok()) << result.errors.front().to_string();
    EXPECT_EQ(result.config.grpc_addr, "127.0.0.1:7000");
    EXPECT_EQ(result.config.metrics_addr, "127.0.0.1:6001");
    EXPECT_EQ(result.config.max_concurrent_starts, 3);
    EXPECT_EQ(result.config.config_file, file);
}

TEST_F(ConfigLoaderTest, ListenAddressesMayBeUnixSockets) {
    const auto unix_socket =
        load_config(map_environment({{"ENV_MANAGER_GRPC_ADDR", "unix:/run/envmgr.sock"}}));
    ASSERT_TRUE(unix_socket.ok()) << unix_socket.errors.front().to_string();
    EXPECT_EQ(unix_socket.config.grpc_addr, "unix:/run/envmgr.sock");
    const auto relative = load_config(map_environment({{"ENV_MANAGER_GRPC_ADDR", "unix:run/envmgr.sock"}}));
    ASSERT_FALSE(relative.ok());
    EXPECT_NE(relative.errors.front().to_string().find("expected unix:/ABSOLUTE/PATH"), std::string::npos);
}

TEST_F(ConfigLoaderTest, EnvironmentVariablesOfTheEarlierImplementationAreRead) {
    const auto result = load_config(map_environment({{"ENV_MANAGER_MAX_CONCURRENT", "9"},
                                                     {"ENV_MANAGER_HEALTH_TIMEOUT", "120"},
                                                     {"ENV_MANAGER_PLUGIN_PATH", "/a:/b"},
                                                     {"ENV_MANAGER_LOG_FORMAT", "json"}}));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.max_concurrent_starts, 9);
    EXPECT_EQ(result.config.health_timeout_seconds, 120);
    EXPECT_EQ(result.config.plugin_path, (std::vector<std::string>{"/a", "/b"}));
    EXPECT_EQ(result.config.log_format, LogFormat::json);
}

TEST_F(ConfigLoaderTest, RustLogIsTheFallbackForEnvManagerLog) {
    EXPECT_EQ(load_config(map_environment({{"RUST_LOG", "env_manager=debug"}})).config.log_level, "debug");
    EXPECT_EQ(
        load_config(map_environment({{"RUST_LOG", "debug"}, {"ENV_MANAGER_LOG", "error"}})).config.log_level,
        "error");
}

TEST_F(ConfigLoaderTest, VerboseMeansDebugUnlessALevelIsSet) {
    EXPECT_EQ(load_config(map_environment({{"ENV_MANAGER_VERBOSE", "true"}})).config.log_level, "debug");
    EXPECT_EQ(
        load_config(map_environment({{"ENV_MANAGER_VERBOSE", "1"}, {"RUST_LOG", "warn"}})).config.log_level,
        "warn");
}

TEST_F(ConfigLoaderTest, UnknownKeyIsAnErrorNamingFileLineColumnAndKey) {
    const auto file = write_file("[server]\ngrpc_adr = \"0.0.0.0:1\"\n");
    const auto result = load_config(map_environment({}), file);
    ASSERT_EQ(result.errors.size(), 1U);
    const auto& error = result.errors.front();
    EXPECT_EQ(error.line, 2U);
    EXPECT_EQ(error.column, 1U);
    EXPECT_EQ(error.key, "server.grpc_adr");
    EXPECT_EQ(error.to_string(), file +
                                     ":2:1: 'server.grpc_adr': unknown key (did you mean "
                                     "'server.grpc_addr'?)");
    EXPECT_NE(error.to_string().find("unknown key"), std::string::npos);
    EXPECT_EQ(error.to_string().rfind(file + ":2:1: 'server.grpc_adr'", 0), 0U);
}

TEST_F(ConfigLoaderTest, WrongTypeNamesKeyAndExpectedType) {
    const auto file = write_file("[scheduler]\nmax_concurrent_starts = \"five\"\n");
    const auto result = load_config(map_environment({}), file);
    ASSERT_EQ(result.errors.size(), 1U);
    EXPECT_EQ(result.errors[0].line, 2U);
    EXPECT_EQ(result.errors[0].column, 25U);
    EXPECT_EQ(result.errors[0].key, "scheduler.max_concurrent_starts");
    EXPECT_NE(result.errors[0].message.find("expected an integer, got a string"), std::string::npos);
}

TEST_F(ConfigLoaderTest, SyntaxErrorNamesLineAndColumn) {
    const auto file = write_file("[server]\ngrpc_addr = \"unterminated\n");
    const auto result = load_config(map_environment({}), file);
    ASSERT_EQ(result.errors.size(), 1U);
    EXPECT_EQ(result.errors[0].source, file);
    EXPECT_EQ(result.errors[0].line, 2U);
    EXPECT_GT(result.errors[0].column, 1U);
    EXPECT_NE(result.errors[0].message.find("syntax error"), std::string::npos);
}

TEST_F(ConfigLoaderTest, OutOfRangeValuesAreErrors) {
    const auto file =
        write_file("[server]\ngrpc_addr = \"0.0.0.0:70000\"\n[scheduler]\nmax_concurrent_starts = 0\n");
    const auto result = load_config(map_environment({}), file);
    ASSERT_EQ(result.errors.size(), 2U);
    EXPECT_EQ(result.errors[0].key, "server.grpc_addr");
    EXPECT_EQ(result.errors[1].key, "scheduler.max_concurrent_starts");
}

TEST_F(ConfigLoaderTest, BadEnvironmentValueNamesTheVariableAndType) {
    const auto result = load_config(map_environment({{"ENV_MANAGER_MAX_CONCURRENT", "many"}}));
    ASSERT_EQ(result.errors.size(), 1U);
    EXPECT_EQ(
        result.errors[0].to_string(),
        "ENV_MANAGER_MAX_CONCURRENT: 'scheduler.max_concurrent_starts': expected an integer, got 'many'");
}

TEST_F(ConfigLoaderTest, MissingFileIsAnError) {
    const auto result = load_config(map_environment({{"ENV_MANAGER_CONFIG", (dir_ / "nope.toml").string()}}));
    ASSERT_EQ(result.errors.size(), 1U);
    EXPECT_NE(result.errors[0].message.find("no such file"), std::string::npos);
}

TEST_F(ConfigLoaderTest, PluginTablesAreKeptWithTheirOrigins) {
    const auto file = write_file("[plugins.\"backend.docker\"]\nhost = \"unix:///x.sock\"\n");
    const auto result = load_config(map_environment({}), file);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.plugin_settings.at("backend.docker").at("host"), "unix:///x.sock");
    EXPECT_EQ(result.config.plugin_setting_origins.at("backend.docker.host"), file + ":2:1");
}

TEST_F(ConfigLoaderTest, EveryKeyHasAnEnvironmentVariableOrIsFileOnlyAndADescription) {
    for (const auto& key : config_keys()) {
        EXPECT_FALSE(key.description.empty()) << key.key;
        EXPECT_FALSE(key.default_text.empty()) << key.key;
    }
}

}  // namespace
}  // namespace envmgr::host::config

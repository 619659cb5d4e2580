// The example frontend tested as the plugin guide says a plugin is tested: its library's entry
// point, created and started on the SDK's fake host, fed events, read back from its file.
#include <envmgr/sdk/sdk.h>
#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

extern "C" const envmgr_plugin_descriptor* envmgr_plugin_entry(uint16_t host_abi_major,
                                                               uint16_t host_abi_minor);

namespace {

std::vector<nlohmann::json> lines_of(const std::filesystem::path& path) {
    std::vector<nlohmann::json> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

struct EventLogOnFakeHost : testing::Test {
    void SetUp() override {
        path =
            std::filesystem::temp_directory_path() / ("event-log-" + std::to_string(::getpid()) + ".jsonl");
        std::filesystem::remove(path);
    }
    void TearDown() override {
        if (instance != nullptr) plugin->destroy(instance);
        std::filesystem::remove(path);
    }
    envmgr_status create(const nlohmann::json& config) {
        return plugin->create(fake.api(), config.dump().c_str(), &instance, error, sizeof error);
    }

    envmgr::sdk::testing::FakeHost fake;
    const envmgr_plugin_descriptor* plugin =
        envmgr_plugin_entry(ENVMGR_ABI_VERSION_MAJOR, ENVMGR_ABI_VERSION_MINOR);
    envmgr_plugin_instance* instance = nullptr;
    char error[ENVMGR_ERROR_BUFFER_SIZE] = {};
    std::filesystem::path path;
};

TEST_F(EventLogOnFakeHost, AppendsEachEventOfItsTopicsAsOneJsonLineUntilStopped) {
    ASSERT_EQ(plugin->kind, ENVMGR_PLUGIN_KIND_FRONTEND);
    ASSERT_EQ(create({{"path", path.string()}, {"topics", "health"}}), ENVMGR_STATUS_OK) << error;
    ASSERT_EQ(plugin->start(instance, error, sizeof error), ENVMGR_STATUS_OK) << error;
    EXPECT_EQ(fake.subscription_count(), 1U);

    EXPECT_EQ(fake.publish("health", R"({"service": "redis", "transition": "ready"})"), 1U);
    EXPECT_EQ(fake.publish("status", R"({"service": "redis"})"), 0U);  // not a topic it follows
    const auto lines = lines_of(path);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0]["topic"], "health");
    EXPECT_EQ(lines[0]["event"]["transition"], "ready");

    std::optional<envmgr::sdk::Result> stopped;
    const auto callbacks =
        envmgr::sdk::make_callbacks([&](envmgr::sdk::Result r) { stopped = std::move(r); });
    plugin->stop(instance, &callbacks);
    ASSERT_TRUE(stopped.has_value() && stopped->ok());
    EXPECT_EQ(fake.publish("health", R"({"service": "redis", "transition": "exited"})"), 0U);
    EXPECT_EQ(lines_of(path).size(), 1U);
}

TEST_F(EventLogOnFakeHost, AFileItCannotOpenFailsStartWithThePath) {
    ASSERT_EQ(create({{"path", "/nonexistent-folder/events.jsonl"}, {"topics", ""}}), ENVMGR_STATUS_OK)
        << error;
    EXPECT_EQ(plugin->start(instance, error, sizeof error), ENVMGR_STATUS_INVALID);
    EXPECT_STREQ(error, "path: cannot open /nonexistent-folder/events.jsonl to append");
}

}  // namespace

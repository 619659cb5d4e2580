#include "host/loader/plugin_manager.h"
#include "host/config/config_loader.h"
#include "host/loader/host_context.h"

#include <envmgr/sdk/async_call.h>
#include <envmgr/sdk/documents.h>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <algorithm>
#include <sstream>

namespace envmgr::host::loader {
namespace {

class PluginManagerTest : public ::testing::Test {
protected:
    PluginManagerTest()
        : logger_(std::make_shared<spdlog::logger>("test",
                                                   std::make_shared<spdlog::sinks::ostream_sink_mt>(log_))) {
        services_.metrics = &metrics_;
    }

    const PluginRecord* record_for(const PluginManager& manager, const std::string& file_stem) {
        for (const auto& record : manager.records()) {
            if (std::filesystem::path(record.file).stem() == file_stem) return &record;
        }
        return nullptr;
    }

    std::ostringstream log_;
    std::shared_ptr<spdlog::logger> logger_;
    host::metrics::MetricsRegistry metrics_;
    HostServices services_;
};

TEST_F(PluginManagerTest, EachBrokenPluginIsRefusedWithItsOwnReasonWhileGoodOnesRun) {
    PluginManager manager(services_, logger_);
    manager.discover({ENVMGR_FIXTURE_PLUGIN_DIR});
    const auto config = host::config::load_config(host::config::map_environment({})).config;
    manager.create_all(config, host::config::map_environment({}));
    manager.start_all();

    const std::vector<std::pair<std::string, std::string>> refused{
        {"fixture_not_a_library", "not a loadable shared library"},
        {"fixture_no_entry_point", "no entry point"},
        {"fixture_wrong_major", "ABI major versions disagree"},
        {"fixture_newer_minor", "needs ABI 1.99"},
        {"fixture_small_descriptor", "descriptor is 48 bytes"},
        {"fixture_create_fails", "create failed (unavailable): fixture: the device it needs is missing"},
        {"fixture_create_throws", "create threw an exception: fixture: create exploded"},
        {"fixture_sdk_constructor_throws", "create failed (invalid): fixture: refusing to run"},
        {"fixture_good_probe_copy", "duplicate plugin id 'probe.fixture-good': already loaded from "},
        {"fixture_bad_schema", "config schema: 'port' needs a type"},
        {"fixture_service_invalid", "invalid service definition: fixture-web: image: required"},
        {"fixture_same_probe_type",
         "duplicate probe type 'fixture-good': already handled by probe.fixture-good ("},
        {"fixture_no_check", "symbol not implemented: check"},
        {"fixture_entry_throws", "the entry point threw an exception"},
    };
    for (const auto& [stem, reason] : refused) {
        const auto* record = record_for(manager, stem);
        ASSERT_NE(record, nullptr) << stem;
        EXPECT_NE(record->refusal.find(reason), std::string::npos) << stem << ": " << record->refusal;
        EXPECT_NE(log_.str().find(record->refusal), std::string::npos) << "not logged: " << stem;
    }
    // Files load in name order: fixture_service_clash comes before fixture_service_good, so
    // the clash is the good one's refusal.
    const auto* second = record_for(manager, "fixture_service_good");
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(second->refusal, "service 'fixture-web' is already defined by plugin 'service.fixture-clash'");
    ASSERT_EQ(manager.service_definitions().size(), 1U);
    EXPECT_EQ(manager.service_definitions()[0].first, "service.fixture-clash");
    for (const auto& stem : {"fixture_good_probe", "fixture_larger_descriptor", "fixture_service_clash",
                             "fixture_abi_1_0", "fixture_needs_1_1", "fixture_never_unload"}) {
        const auto* record = record_for(manager, stem);
        ASSERT_NE(record, nullptr) << stem;
        EXPECT_TRUE(record->accepted()) << stem << ": " << record->refusal;
    }
    EXPECT_EQ(manager.instance_count(), 6U);
    manager.stop_all(std::chrono::seconds(1));
    EXPECT_NE(log_.str().find("fixture-good stopping"), std::string::npos);
}

TEST_F(PluginManagerTest, FakeBackendIsReachableThroughTheHostApi) {
    PluginManager manager(services_, logger_);
    manager.discover({ENVMGR_FAKE_PLUGIN_DIR});
    auto config = host::config::load_config(host::config::map_environment({})).config;
    config.plugin_settings["backend.fake-in-memory"] = {{"images", {"redis:7-alpine"}}};
    manager.create_all(config, host::config::map_environment({}));
    ASSERT_TRUE(manager.active_backend().has_value());

    auto context = make_host_context("probe.test", logger_, services_);
    context->services.active_backend = [&] { return manager.active_backend(); };
    sdk::Result created;
    sdk::ContainerSpec spec;
    spec.name = "redis";
    spec.image = "redis:7-alpine";
    auto callbacks = sdk::make_callbacks([&](sdk::Result r) { created = std::move(r); });
    context->api.backend_invoke(context.get(), "container.create",
                                nlohmann::json{{"spec", spec}}.dump().c_str(), &callbacks);
    ASSERT_TRUE(created.ok()) << created.payload;

    sdk::Result missing;
    spec.name = "other";
    spec.image = "nope:latest";
    callbacks = sdk::make_callbacks([&](sdk::Result r) { missing = std::move(r); });
    context->api.backend_invoke(context.get(), "container.create",
                                nlohmann::json{{"spec", spec}}.dump().c_str(), &callbacks);
    EXPECT_EQ(missing.status, ENVMGR_STATUS_NOT_FOUND);
    EXPECT_EQ(missing.payload, "No such image: nope:latest");
}

TEST_F(PluginManagerTest, ABackendNamedButNotFoundIsAnErrorAndNoBackendIsCreated) {
    PluginManager manager(services_, logger_);
    manager.discover({ENVMGR_FAKE_PLUGIN_DIR});
    auto config = host::config::load_config(host::config::map_environment({})).config;
    config.plugin_settings["backend.fake-in-memory"] = {{"images", {"redis:7-alpine"}}};
    config.backend = "backend.swarm";
    const auto errors = manager.check_settings(config, host::config::map_environment({}));
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0],
              "plugins.backend: no backend plugin 'backend.swarm' was found in the plugin path (found: "
              "backend.fake-in-memory)");
    manager.create_all(config, host::config::map_environment({}));  // as --check-config does after it
    EXPECT_FALSE(manager.active_backend().has_value());
    const auto* fake = record_for(manager, "fake_in_memory_backend");
    ASSERT_NE(fake, nullptr);
    EXPECT_EQ(fake->idle, "idle: " + errors[0]);
}

TEST_F(PluginManagerTest, BackendInvokeWithoutBackendCompletesUnavailable) {
    auto context = make_host_context("probe.test", logger_, services_);
    sdk::Result result;
    auto callbacks = sdk::make_callbacks([&](sdk::Result r) { result = std::move(r); });
    context->api.backend_invoke(context.get(), "system.ping", "{}", &callbacks);
    EXPECT_EQ(result.status, ENVMGR_STATUS_UNAVAILABLE);
    EXPECT_EQ(result.payload, "no backend plugin is loaded");
}

TEST_F(PluginManagerTest, SettingsForUnknownPluginsAndUnknownKeysAreErrors) {
    PluginManager manager(services_, logger_);
    manager.discover({ENVMGR_FIXTURE_PLUGIN_DIR});
    auto config = host::config::load_config(host::config::map_environment({})).config;
    config.config_file = "test.toml";
    config.plugin_settings["probe.fixture-good"] = {{"greting", "hi"}};
    config.plugin_setting_origins["probe.fixture-good.greting"] = "test.toml:3:1";
    config.plugin_settings["probe.does-not-exist"] = nlohmann::json::object();
    config.plugin_setting_origins["probe.does-not-exist"] = "test.toml:5:1";
    const auto errors = manager.check_settings(config, host::config::map_environment({}));
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0],
              "test.toml:3:1: 'plugins.probe.fixture-good.greting': unknown key for plugin "
              "'probe.fixture-good'");
    EXPECT_EQ(errors[1],
              "test.toml:5:1: 'plugins.probe.does-not-exist': no plugin with this id was "
              "found in the plugin path");
}

}  // namespace
}  // namespace envmgr::host::loader

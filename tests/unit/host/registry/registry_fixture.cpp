#include "tests/unit/host/registry/registry_fixture.h"

#include "plugins/services/infermesh/infermesh_service.h"
#include "plugins/services/ollama/ollama_service.h"
#include "plugins/services/redb/redb_service.h"
#include "plugins/services/redis/redis_service.h"

#include <envmgr/sdk/testing/fake_host.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>

namespace envmgr::tests {
namespace {

namespace fs = std::filesystem;
namespace services = plugins::services;

std::string write_temp(const std::string& text) {
    static std::atomic<int> counter{0};
    const auto path = fs::temp_directory_path() / ("envmgr-registry-" + std::to_string(::getpid()) + "-" +
                                                   std::to_string(counter++) + ".toml");
    std::ofstream(path) << text;
    return path.string();
}

template <typename Plugin>
host::registry::ResolveAnswer resolve_with(Plugin& plugin, const std::string& service,
                                           const nlohmann::json& context) {
    std::promise<sdk::Result> answer;
    const auto callbacks = sdk::make_callbacks([&](const sdk::Result& r) { answer.set_value(r); });
    plugin.resolve(service, context, sdk::Completion(&callbacks));
    const auto result = answer.get_future().get();
    if (!result.ok()) return {false, {}, result.payload};
    return {true, nlohmann::json::parse(result.payload), {}};
}

}  // namespace

std::string BuiltRegistry::errors_text() const {
    std::string text;
    for (const auto& error : registry.errors) text += error.to_string() + "\n";
    return text;
}

const host::registry::EffectiveService& BuiltRegistry::service(const std::string& tenant,
                                                               const std::string& name) const {
    const auto* found = registry.find(tenant, name);
    if (found == nullptr) throw std::runtime_error("no service " + name + " in tenant " + tenant);
    return *found;
}

BuiltRegistry build_registry_from(const std::string& toml, const RegistryOptions& options) {
    BuiltRegistry built;
    built.config_path = write_temp(toml);
    built.loaded =
        host::config::load_config(host::config::map_environment(options.environment), built.config_path);
    fs::remove(built.config_path);

    const auto dev = fs::temp_directory_path() / ("envmgr-registry-dev-" + std::to_string(::getpid()));
    fs::create_directories(dev);
    if (options.host_has_gpus) std::ofstream(dev / "nvidia0").put('\n');
    sdk::testing::FakeHost fake;
    services::redis::RedisService redis(fake.host(), {});
    services::redb::RedbService redb(fake.host(), {});
    services::infermesh::InfermeshService infermesh(fake.host(), {});
    services::ollama::OllamaService ollama(
        fake.host(), {{"dev_dir", dev.string()}, {"proc_dir", (dev / "none").string()}, {"nvidia_smi", ""}});
    fs::remove_all(dev);

    host::registry::RegistryInputs inputs;
    for (const auto& definition : redis.definitions()) {
        inputs.plugin_definitions.push_back({redis.id, definition});
    }
    for (const auto& definition : redb.definitions()) {
        inputs.plugin_definitions.push_back({redb.id, definition});
    }
    for (const auto& definition : infermesh.definitions()) {
        inputs.plugin_definitions.push_back({infermesh.id, definition});
    }
    for (const auto& definition : ollama.definitions()) {
        inputs.plugin_definitions.push_back({ollama.id, definition});
    }
    inputs.probe_types = {"exec", "http", "tcp"};
    inputs.resolver = [&](const std::string& plugin_id, const std::string& service,
                          const nlohmann::json& context) {
        if (plugin_id == infermesh.id) return resolve_with(infermesh, service, context);
        if (plugin_id == ollama.id) return resolve_with(ollama, service, context);
        return host::registry::ResolveAnswer{true, nlohmann::json::object(), {}};
    };
    built.registry = host::registry::build_registry(built.loaded.config, inputs);
    return built;
}

}  // namespace envmgr::tests

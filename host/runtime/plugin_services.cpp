#include "host/runtime/plugin_services.h"

#include <chrono>

namespace envmgr::host::runtime {
namespace {

// A resolve hook answers from what it already knows (definitions, GPUs found at create); one
// that takes longer than this is broken, and the registry says so.
constexpr std::chrono::seconds kResolveTimeout{5};

}  // namespace

registry::Registry registry_from_plugins(const config::Config& config, const loader::PluginManager& manager) {
    registry::RegistryInputs inputs;
    for (const auto& [plugin_id, definition] : manager.service_definitions()) {
        inputs.plugin_definitions.push_back({plugin_id, definition});
    }
    inputs.probe_types = manager.probe_types();
    inputs.probe_address = config.health_probe_address;
    inputs.resolver = [&manager](const std::string& plugin_id, const std::string& service,
                                 const nlohmann::json& context) {
        auto outcome = manager.resolve_service(plugin_id, service, context, kResolveTimeout);
        return registry::ResolveAnswer{outcome.ok, std::move(outcome.patch), std::move(outcome.error)};
    };
    return registry::build_registry(config, inputs);
}

}  // namespace envmgr::host::runtime

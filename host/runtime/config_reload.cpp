#include "host/runtime/config_reload.h"

#include "host/config/config_loader.h"
#include "host/runtime/plugin_services.h"

namespace envmgr::host::runtime {
namespace {

// The settings a reload does not apply, by their configuration key, when the file changed them.
std::vector<std::string> not_reloaded(const config::Config& running, const config::Config& next) {
    std::vector<std::string> changed;
    if (next.grpc_addr != running.grpc_addr) changed.emplace_back("server.grpc_addr");
    if (next.metrics_addr != running.metrics_addr) changed.emplace_back("server.metrics_addr");
    if (next.plugin_path != running.plugin_path) changed.emplace_back("plugins.path");
    if (next.log_level != running.log_level) changed.emplace_back("log.level");
    if (next.log_format != running.log_format) changed.emplace_back("log.format");
    if (next.plugin_settings != running.plugin_settings) changed.emplace_back("plugins.<id> sections");
    return changed;
}

}  // namespace

std::shared_ptr<const registry::Registry> reload_configuration(const ReloadInputs& inputs) {
    auto& logger = inputs.logger;
    const std::string& file = inputs.running.config_file;
    logger.info("SIGHUP: reloading the configuration{}",
                file.empty() ? " (no file: the environment)" : " from " + file);
    auto loaded = config::load_config(inputs.environment, file);
    loaded.config.compose_files = inputs.running.compose_files;  // --compose: re-read, the same files
    std::vector<std::string> errors;
    for (const auto& error : loaded.errors) errors.push_back(error.to_string());
    if (errors.empty()) errors = inputs.plugins.check_settings(loaded.config, inputs.environment);
    auto next = std::make_shared<registry::Registry>();
    if (errors.empty()) {
        *next = registry_from_plugins(loaded.config, inputs.plugins);
        for (const auto& error : next->errors) errors.push_back(error.to_string());
    }
    if (!errors.empty()) {
        for (const auto& error : errors) logger.error("reload refused: {}", error);
        logger.error("reload refused: {} error(s); the services stay as they were", errors.size());
        return nullptr;
    }
    for (const auto& warning : next->warnings) logger.warn("services: {}", warning);
    for (const auto& key : not_reloaded(inputs.running, loaded.config)) {
        logger.warn("reload: {} changed; it takes effect at the daemon's next start", key);
    }
    const auto& previous = inputs.engine.registry();
    for (const auto& tenant : next->tenants) {
        for (const auto& service : tenant.services) {  // new ones get their series, as at start-up
            if (previous.find(tenant.name, service.definition.name) == nullptr) {
                inputs.status_metrics.known(tenant.name, service.definition.name, "stopped");
            }
        }
    }
    inputs.engine.replace_registry(next);
    logger.info(
        "reload: {} service(s) in {} tenant(s); each is recreated when its definition changed, at its next "
        "start",
        next->service_count(), next->tenants.size());
    return next;
}

}  // namespace envmgr::host::runtime

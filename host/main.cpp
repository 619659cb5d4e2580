// env-manager: wires the command line, configuration, logging and the daemon together.
#include "cli/command_line.h"
#include "config/config_loader.h"
#include "logging/logging.h"
#include "metrics/metrics_registry.h"
#include "plugins/plugin_listing.h"
#include "plugins/plugin_manager.h"
#include "plugins/plugin_path.h"
#include "runtime/daemon.h"
#include "runtime/exit_codes.h"

#include <envmgr/abi.h>

#include <spdlog/spdlog.h>

#include <iostream>

namespace {

using envmgr::runtime::kExitConfigError;
using envmgr::runtime::kExitFatal;
using envmgr::runtime::kExitOk;

// The plugins of the plugin path, loaded for a one-shot command rather than for the daemon.
struct OfflinePlugins {
    OfflinePlugins(const envmgr::config::Config& config, const std::shared_ptr<spdlog::logger>& logger)
        : manager(services_for(metrics), logger) {
        manager.discover(envmgr::plugins::plugin_search_path(config.plugin_path));
    }
    // Creates (without starting) and destroys every plugin, so that whatever the daemon would
    // refuse at create is refused here too, with its reason.
    void create_and_destroy(const envmgr::config::Config& config,
                            const envmgr::config::Environment& environment) {
        manager.create_all(config, environment);
        manager.stop_all(std::chrono::seconds(1));
    }

    envmgr::metrics::MetricsRegistry metrics;
    envmgr::plugins::PluginManager manager;

private:
    static envmgr::plugins::HostServices services_for(envmgr::metrics::MetricsRegistry& registry) {
        envmgr::plugins::HostServices services;
        services.metrics = &registry;
        return services;
    }
};

int list_plugins(const envmgr::config::Config& config, const envmgr::config::Environment& environment,
                 bool json, const std::shared_ptr<spdlog::logger>& logger) {
    OfflinePlugins plugins(config, logger);
    plugins.create_and_destroy(config, environment);
    if (json) {
        std::cout << envmgr::plugins::listing_json(plugins.manager.records()).dump(2) << '\n';
    } else {
        std::cout << envmgr::plugins::listing_table(plugins.manager.records());
    }
    return kExitOk;
}

int check_config(const envmgr::config::LoadResult& loaded, const envmgr::config::Environment& environment,
                 const std::shared_ptr<spdlog::logger>& logger) {
    std::vector<std::string> errors;
    for (const auto& error : loaded.errors) errors.push_back(error.to_string());
    {
        OfflinePlugins plugins(loaded.config, logger);
        const auto setting_errors = plugins.manager.check_settings(loaded.config, environment);
        errors.insert(errors.end(), setting_errors.begin(), setting_errors.end());
        if (setting_errors.empty() && loaded.ok()) {
            // Settings a plugin rejects at create, and service definitions that are invalid or
            // clash, are configuration errors too.
            plugins.create_and_destroy(loaded.config, environment);
            for (const auto& record : plugins.manager.records()) {
                if (!record.accepted() && record.info) {
                    errors.push_back("plugin '" + record.info->id + "' (" + record.file +
                                     "): " + record.refusal);
                }
            }
        }
    }
    if (errors.empty()) {
        const auto& file = loaded.config.config_file;
        std::cout << "configuration OK (" << (file.empty() ? "no file; defaults and environment" : file)
                  << ")\n";
        return kExitOk;
    }
    std::cerr << "configuration has " << errors.size() << " error(s):\n";
    for (const auto& error : errors) std::cerr << "  " << error << '\n';
    return kExitConfigError;
}

}  // namespace

int main(int argc, char** argv) {
    const auto parsed = envmgr::cli::parse_command_line({argv + 1, argv + argc});
    if (!parsed.error.empty()) {
        std::cerr << "env-manager: " << parsed.error << '\n';
        return kExitConfigError;
    }
    const auto& cl = parsed.command_line;
    if (cl.help) {
        std::cout << envmgr::cli::usage_text();
        return kExitOk;
    }
    if (cl.version) {
        std::cout << "env-manager " << ENVMGR_VERSION << " (plugin ABI " << ENVMGR_ABI_VERSION_MAJOR << "."
                  << ENVMGR_ABI_VERSION_MINOR << ")\n";
        return kExitOk;
    }

    auto environment = envmgr::config::process_environment();
    auto loaded = envmgr::config::load_config(environment, cl.config_file);
    if (cl.log_format) {
        loaded.config.log_format =
            *cl.log_format == "json" ? envmgr::config::LogFormat::json : envmgr::config::LogFormat::text;
    }
    // Listing and checking print their own results; the log only carries warnings there.
    const bool one_shot = cl.list_plugins || cl.check_config;
    auto logger =
        envmgr::logging::setup_logging(one_shot ? "warn" : loaded.config.log_level, loaded.config.log_format);

    if (cl.check_config) return check_config(loaded, environment, logger);
    if (!loaded.ok()) {
        for (const auto& error : loaded.errors) logger->critical("configuration: {}", error.to_string());
        return kExitConfigError;
    }
    if (cl.list_plugins) return list_plugins(loaded.config, environment, cl.json, logger);

    try {
        envmgr::runtime::Daemon daemon(loaded.config, environment, logger);
        return daemon.run();
    } catch (const std::exception& e) {
        logger->critical("fatal: {}", e.what());
        return kExitFatal;
    }
}

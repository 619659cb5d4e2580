// env-manager: wires the command line, configuration, logging and the daemon together.
#include "cli/command_line.h"
#include "config/config_loader.h"
#include "logging/logging.h"
#include "metrics/metrics_registry.h"
#include "plugins/plugin_listing.h"
#include "plugins/plugin_manager.h"
#include "plugins/plugin_path.h"
#include "runtime/daemon.h"

#include <envmgr/abi.h>

#include <spdlog/spdlog.h>

#include <iostream>

namespace {

constexpr int kExitConfigError = 2;

int list_plugins(const envmgr::config::Config& config, bool json,
                 const std::shared_ptr<spdlog::logger>& logger) {
    envmgr::metrics::MetricsRegistry metrics;
    envmgr::plugins::HostServices services;
    services.metrics = &metrics;
    envmgr::plugins::PluginManager manager(services, logger);
    manager.discover(envmgr::plugins::plugin_search_path(config.plugin_path));
    // Created (not started) and destroyed again, so that a plugin whose create fails is listed
    // as refused, with its reason, as the daemon would refuse it.
    manager.create_all(config, envmgr::config::process_environment());
    manager.stop_all(std::chrono::seconds(1));
    if (json) {
        std::cout << envmgr::plugins::listing_json(manager.records()).dump(2) << '\n';
    } else {
        std::cout << envmgr::plugins::listing_table(manager.records());
    }
    return 0;
}

int check_config(const envmgr::config::LoadResult& loaded, const envmgr::config::Environment& environment,
                 const std::shared_ptr<spdlog::logger>& logger) {
    std::vector<std::string> errors;
    for (const auto& error : loaded.errors) errors.push_back(error.to_string());
    {
        envmgr::metrics::MetricsRegistry metrics;
        envmgr::plugins::HostServices services;
        services.metrics = &metrics;
        envmgr::plugins::PluginManager manager(services, logger);
        manager.discover(envmgr::plugins::plugin_search_path(loaded.config.plugin_path));
        const auto setting_errors = manager.check_settings(loaded.config, environment);
        errors.insert(errors.end(), setting_errors.begin(), setting_errors.end());
        if (setting_errors.empty() && loaded.ok()) {
            // Create (not start) every plugin: settings a plugin rejects, and service
            // definitions that are invalid or clash, are configuration errors too.
            manager.create_all(loaded.config, environment);
            manager.stop_all(std::chrono::seconds(1));
            for (const auto& record : manager.records()) {
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
        return 0;
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
        return 0;
    }
    if (cl.version) {
        std::cout << "env-manager " << ENVMGR_VERSION << " (plugin ABI " << ENVMGR_ABI_VERSION_MAJOR << "."
                  << ENVMGR_ABI_VERSION_MINOR << ")\n";
        return 0;
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
    if (cl.list_plugins) return list_plugins(loaded.config, cl.json, logger);

    try {
        envmgr::runtime::Daemon daemon(loaded.config, environment, logger);
        return daemon.run();
    } catch (const std::exception& e) {
        logger->critical("fatal: {}", e.what());
        return 1;
    }
}

#include "host/runtime/commands.h"

#include "host/config/config_loader.h"
#include "host/logging/logging.h"
#include "host/registry/registry_printer.h"
#include "host/runtime/daemon.h"
#include "host/runtime/exit_codes.h"
#include "host/runtime/offline_plugins.h"
#include "host/runtime/plugin_listing.h"
#include "host/runtime/plugin_services.h"

#include <envmgr/abi.h>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

namespace envmgr::host::runtime {
namespace {

int list_plugins(const config::Config& config, const config::Environment& environment, bool json,
                 const std::shared_ptr<spdlog::logger>& logger) {
    OfflinePlugins plugins(config, logger);
    plugins.create_and_destroy(config, environment);
    if (json) {
        std::cout << listing_json(plugins.manager().records()).dump(2) << '\n';
    } else {
        std::cout << listing_table(plugins.manager().records());
    }
    return kExitOk;
}

int check_config(const config::LoadResult& loaded, const config::Environment& environment,
                 const std::shared_ptr<spdlog::logger>& logger) {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;  // printed, but the configuration is still usable
    for (const auto& error : loaded.errors) errors.push_back(error.to_string());
    {
        OfflinePlugins plugins(loaded.config, logger);
        const auto setting_errors = plugins.manager().check_settings(loaded.config, environment);
        errors.insert(errors.end(), setting_errors.begin(), setting_errors.end());
        // Settings a plugin rejects at create, and service definitions that are invalid or
        // clash, are configuration errors too: checked even when other keys of the file are
        // wrong, so that one run lists every problem. A plugin refused for its settings (listed
        // above already) is not listed twice.
        plugins.create(loaded.config, environment);
        for (const auto& record : plugins.manager().records()) {
            if (!record.accepted() && record.info && !record.refusal.starts_with("configuration: ")) {
                errors.push_back("plugin '" + record.info->id + "' (" + record.file + "): " + record.refusal);
            }
        }
        const auto services = registry_from_plugins(loaded.config, plugins.manager());
        for (const auto& error : services.errors) errors.push_back(error.to_string());
        warnings.insert(warnings.end(), services.warnings.begin(), services.warnings.end());
    }
    for (const auto& warning : warnings) std::cout << "warning: " << warning << '\n';
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

int print_config(const config::LoadResult& loaded, const config::Environment& environment, bool json,
                 const std::shared_ptr<spdlog::logger>& logger) {
    std::vector<std::string> errors;
    for (const auto& error : loaded.errors) errors.push_back(error.to_string());
    OfflinePlugins plugins(loaded.config, logger);
    if (errors.empty()) errors = plugins.manager().check_settings(loaded.config, environment);
    if (errors.empty()) {
        plugins.create(loaded.config, environment);
        const auto services = registry_from_plugins(loaded.config, plugins.manager());
        if (services.ok()) {
            std::cout << (json ? registry::registry_json(services) : registry::registry_toml(services));
            return kExitOk;
        }
        for (const auto& error : services.errors) errors.push_back(error.to_string());
    }
    std::cerr << "configuration has " << errors.size() << " error(s) (--check-config lists them all):\n";
    for (const auto& error : errors) std::cerr << "  " << error << '\n';
    return kExitConfigError;
}

}  // namespace

int run_command(const cli::CommandLine& cl) {
    if (cl.help) {
        std::cout << cli::usage_text();
        return kExitOk;
    }
    if (cl.version) {
        std::cout << "env-manager " << ENVMGR_VERSION << " (plugin ABI " << ENVMGR_ABI_VERSION_MAJOR << "."
                  << ENVMGR_ABI_VERSION_MINOR << ")\n";
        return kExitOk;
    }

    auto environment = config::process_environment();
    auto loaded = config::load_config(environment, cl.config_file);
    for (const auto& file : cl.compose_files) {
        loaded.config.compose_files.push_back(std::filesystem::absolute(file).lexically_normal().string());
    }
    if (cl.log_format) {
        loaded.config.log_format =
            *cl.log_format == "json" ? config::LogFormat::json : config::LogFormat::text;
    }
    // Listing and checking print their own results; the log only carries warnings there.
    const bool one_shot = cl.list_plugins || cl.check_config || cl.print_config;
    auto logger =
        logging::setup_logging(one_shot ? "warn" : loaded.config.log_level, loaded.config.log_format);

    if (cl.check_config) return check_config(loaded, environment, logger);
    if (cl.print_config) return print_config(loaded, environment, cl.json, logger);
    if (!loaded.ok()) {
        for (const auto& error : loaded.errors) logger->critical("configuration: {}", error.to_string());
        return kExitConfigError;
    }
    if (cl.list_plugins) return list_plugins(loaded.config, environment, cl.json, logger);

    try {
        Daemon daemon(loaded.config, environment, logger);
        return daemon.run();
    } catch (const std::exception& e) {
        logger->critical("fatal: {}", e.what());
        return kExitFatal;
    }
}

}  // namespace envmgr::host::runtime

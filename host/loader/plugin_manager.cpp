#include "host/loader/plugin_manager.h"

#include "host/loader/backend_choice.h"
#include "host/loader/plugin_settings.h"
#include "host/registry/plugin_definitions.h"

#include <envmgr/sdk/async_call.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <future>
#include <map>
#include <set>
#include <thread>

namespace envmgr::host::loader {
namespace {

std::vector<std::filesystem::path> plugin_files(const std::filesystem::path& dir, spdlog::logger& logger) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        logger.warn("plugin folder {} does not exist; skipped", dir.string());
        return files;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".so" && !entry.is_directory()) files.push_back(entry.path());
    }
    if (ec) logger.error("cannot read plugin folder {}: {}", dir.string(), ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

// Lower ranks are created first and stopped last: frontends call into services, probes
// and services call into the backend.
int creation_rank(envmgr_plugin_kind kind) {
    switch (kind) {
        case ENVMGR_PLUGIN_KIND_BACKEND: return 0;
        case ENVMGR_PLUGIN_KIND_PROBE: return 1;
        case ENVMGR_PLUGIN_KIND_SERVICE: return 2;
        case ENVMGR_PLUGIN_KIND_FRONTEND: return 3;
    }
    return 4;
}

// Instances that may never be destroyed live here until the process exits: reachable, so that
// leak checkers do not report them, and never freed, so that nothing of theirs is destroyed.
void abandon(std::shared_ptr<PluginInstance> instance) {
    static auto* const abandoned = new std::vector<std::shared_ptr<PluginInstance>>();
    static std::mutex mutex;
    const std::lock_guard lock(mutex);
    abandoned->push_back(std::move(instance));
}

}  // namespace

PluginManager::PluginManager(HostServices services, std::shared_ptr<spdlog::logger> logger)
    : services_(std::move(services)), logger_(std::move(logger)) {
    services_.active_backend = [this] { return active_backend(); };
}

PluginManager::~PluginManager() {
    stop_all(kDefaultBound);
}

void PluginManager::discover(const std::vector<std::filesystem::path>& dirs) {
    std::map<std::string, std::string> file_of_id;
    std::map<std::string, std::string> file_of_probe_type;
    for (const auto& dir : dirs) {
        logger_->debug("searching {} for plugins", dir.string());
        for (const auto& file : plugin_files(dir, *logger_)) {
            PluginRecord record{file.string(), std::nullopt, {}, {}};
            auto outcome = load_plugin_library(file);
            if (outcome.library) {
                record.info = outcome.library->info();
                const std::string& id = record.info->id;
                const bool probe = record.info->kind == ENVMGR_PLUGIN_KIND_PROBE;
                const std::string probe_type = probe ? outcome.library->probe_api.probe_type : "";
                if (const auto it = file_of_id.find(id); it != file_of_id.end()) {
                    outcome.library.reset();
                    outcome.reason = "duplicate plugin id '" + id + "': already loaded from " + it->second;
                } else if (const auto owner = file_of_probe_type.find(probe_type);
                           probe && owner != file_of_probe_type.end()) {
                    outcome.library.reset();
                    outcome.reason =
                        "duplicate probe type '" + probe_type + "': already handled by " + owner->second;
                } else {
                    file_of_id.emplace(id, record.file);
                    if (probe) file_of_probe_type.emplace(probe_type, id + " (" + record.file + ")");
                }
            }
            record.refusal = outcome.reason;
            records_.push_back(std::move(record));
            libraries_.push_back(std::move(outcome.library));
            const auto& added = records_.back();
            if (added.accepted()) {
                const auto& info = *added.info;
                logger_->info("plugin {} kind={} version={} abi={}.{} file={}", info.id, kind_name(info.kind),
                              info.version, info.abi_major, info.abi_minor, added.file);
            } else {
                logger_->error("plugin refused: {}: {}", added.file, added.refusal);
            }
        }
    }
}

std::vector<std::string> PluginManager::check_settings(const config::Config& config,
                                                       const config::Environment& environment) const {
    std::vector<std::string> errors;
    std::set<std::string> known_ids;
    for (std::size_t i = 0; i < records_.size(); ++i) {
        if (records_[i].info) known_ids.insert(records_[i].info->id);
        if (!records_[i].accepted() || !libraries_[i]) continue;
        const auto& info = libraries_[i]->info();
        auto settings = resolve_plugin_settings(info.id, libraries_[i]->config_schema(), config, environment);
        errors.insert(errors.end(), settings.errors.begin(), settings.errors.end());
    }
    if (auto choice = choose_backend(records_, config.backend); !choice.error.empty()) {
        errors.push_back(std::move(choice.error));
    }
    for (const auto& [id, table] : config.plugin_settings) {
        if (known_ids.contains(id)) continue;
        const auto origin = config.plugin_setting_origins.find(id);
        std::string hint;
        // [plugins.backend.docker] (unquoted) reads as the id "backend" with a table "docker".
        if (table.is_object()) {
            for (const auto& [nested, value] : table.items()) {
                if (value.is_object() && known_ids.contains(id + "." + nested)) {
                    hint = " (write the id in quotes: [plugins.\"" + id + "." + nested + "\"])";
                }
            }
        }
        errors.push_back(
            (origin != config.plugin_setting_origins.end() ? origin->second : config.config_file) +
            ": 'plugins." + id + "': no plugin with this id was found in the plugin path" + hint);
    }
    return errors;
}

void PluginManager::create_all(const config::Config& config, const config::Environment& environment) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < records_.size(); ++i) {
        if (records_[i].accepted() && libraries_[i]) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return creation_rank(records_[a].info->kind) < creation_rank(records_[b].info->kind);
    });
    const auto choice = choose_backend(records_, config.backend);
    for (const std::size_t i : order) {
        const auto& info = records_[i].info.value();
        const bool chosen = choice.record && i == *choice.record;
        if (info.kind == ENVMGR_PLUGIN_KIND_BACKEND && !chosen && (choice.record || !choice.error.empty())) {
            records_[i].idle = choice.record ? "idle: " + records_[*choice.record].info->id +
                                                   " is the backend (plugins.backend)"
                                             : "idle: " + choice.error;
            logger_->info("plugin {} {}", info.id, records_[i].idle);
            // Unloaded at once: nothing of it ever ran, so nothing can outlive its code, and an
            // idle backend holds no memory.
            libraries_[i].reset();
            continue;
        }
        auto settings = resolve_plugin_settings(info.id, libraries_[i]->config_schema(), config, environment);
        if (!settings.errors.empty()) {
            refuse(i, "configuration: " + settings.errors.front());
            continue;
        }
        auto logger = logger_->clone(info.id);
        auto context = make_host_context(info.id, std::move(logger), services_);
        auto outcome = PluginInstance::create(libraries_[i], std::move(context), settings.values.dump());
        if (!outcome.instance) {
            refuse(i, outcome.error);
            continue;
        }
        logger_->debug("plugin {} created", info.id);
        const std::unique_lock lock(instances_mutex_);
        instances_.push_back(std::move(outcome.instance));
        instance_records_.push_back(i);
    }
    collect_service_definitions();
}

void PluginManager::collect_service_definitions() {
    std::vector<registry::DefinitionsDocument> documents;
    std::map<std::string, std::size_t> record_of;  // plugin id -> its record
    std::vector<std::pair<std::size_t, std::string>> refusals;
    for (std::size_t n = 0; n < instances_.size(); ++n) {
        if (instances_[n]->info().kind != ENVMGR_PLUGIN_KIND_SERVICE) continue;
        const auto answer = ServiceHandle(instances_[n], calls_).definitions();
        if (!answer.json) {
            refusals.emplace_back(
                instance_records_[n],
                "definitions() returned nothing" + (answer.error.empty() ? "" : ": " + answer.error));
            continue;
        }
        record_of.emplace(instances_[n]->info().id, instance_records_[n]);
        documents.push_back({instances_[n]->info().id, *answer.json});
    }
    auto read = registry::read_plugin_definitions(documents);
    for (auto& [plugin_id, reason] : read.refusals) {
        refusals.emplace_back(record_of.at(plugin_id), std::move(reason));
    }
    for (const auto& [plugin_id, definition] : read.definitions) {
        logger_->debug("service {} from plugin {}", definition.name, plugin_id);
    }
    definitions_ = std::move(read.definitions);
    for (auto& [record, reason] : refusals) drop_instance(record, std::move(reason));
}

PluginManager::ResolveOutcome PluginManager::resolve_service(const std::string& plugin_id,
                                                             const std::string& service,
                                                             const nlohmann::json& context,
                                                             std::chrono::milliseconds timeout) const {
    std::optional<ServiceHandle> plugin;
    {
        const std::shared_lock lock(instances_mutex_);
        for (const auto& instance : instances_) {
            if (instance->info().id == plugin_id && instance->info().kind == ENVMGR_PLUGIN_KIND_SERVICE) {
                plugin.emplace(instance, calls_);
            }
        }
    }
    if (!plugin) return {false, {}, "service plugin '" + plugin_id + "' is not running"};
    if (!plugin->resolves()) return {true, nlohmann::json::object(), {}};
    auto outcome = std::make_shared<std::promise<sdk::Result>>();
    auto answer = outcome->get_future();
    const auto call = plugin->resolve(service, context.dump(),
                                      [outcome](const sdk::Result& result) { outcome->set_value(result); });
    if (answer.wait_for(timeout) != std::future_status::ready) {
        plugin->cancel(call);
        return {false, {}, "resolve did not answer within " + std::to_string(timeout.count()) + " ms"};
    }
    const auto result = answer.get();
    if (!result.ok()) return {false, {}, "resolve failed: " + result.payload};
    auto patch =
        nlohmann::json::parse(result.payload.empty() ? std::string("{}") : result.payload, nullptr, false);
    if (!patch.is_object()) return {false, {}, "resolve answered something other than a JSON object"};
    return {true, std::move(patch), {}};
}

void PluginManager::start_all() {
    for (std::size_t n = 0; n < instances_.size();) {
        const std::string error = instances_[n]->start();
        if (!error.empty()) {
            drop_instance(instance_records_[n], error);
            continue;
        }
        const auto& instance = instances_[n];
        if (instance->info().kind == ENVMGR_PLUGIN_KIND_FRONTEND) {
            const auto endpoint = FrontendHandle(instance, calls_).endpoint();
            if (!endpoint.empty()) logger_->info("frontend {} serving {}", instance->info().id, endpoint);
        }
        ++n;
    }
}

void PluginManager::stop_all(std::chrono::milliseconds bound_each) {
    for (;;) {
        std::shared_ptr<PluginInstance> instance;
        {
            const std::unique_lock lock(instances_mutex_);
            if (instances_.empty()) break;
            instance = std::move(instances_.back());
            instances_.pop_back();
            instance_records_.pop_back();
        }
        retire_and_destroy(std::move(instance), bound_each);
    }
}

void PluginManager::retire_and_destroy(std::shared_ptr<PluginInstance> instance,
                                       std::chrono::milliseconds bound) {
    const std::string id = instance->info().id;
    const auto retirement = instance->retire(bound);
    // No new holder can appear (the instance left instances_); a caller still inside a host
    // API call lets go within moments.
    const auto deadline = std::chrono::steady_clock::now() + std::max(bound, std::chrono::milliseconds(1000));
    while (instance.use_count() > 1 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::string abandoned_because;
    switch (retirement) {
        case PluginInstance::Retirement::stop_timed_out:
            abandoned_because = "it did not stop within " + std::to_string(bound.count()) + " ms";
            break;
        case PluginInstance::Retirement::callback_busy:
            abandoned_because =
                "a callback into it was still running after " + std::to_string(bound.count()) + " ms";
            break;
        case PluginInstance::Retirement::ready:
            if (instance.use_count() > 1) abandoned_because = "another thread still held it";
            break;
    }
    if (abandoned_because.empty()) {
        instance.reset();  // destroy, here
        logger_->debug("plugin {} stopped and destroyed", id);
        return;
    }
    logger_->warn("plugin {} is abandoned, not destroyed: {} (its memory and library stay until exit)", id,
                  abandoned_because);
    abandon(std::move(instance));
}

std::size_t PluginManager::instance_count() const {
    const std::shared_lock lock(instances_mutex_);
    return instances_.size();
}

std::optional<BackendHandle> PluginManager::active_backend() const {
    const std::shared_lock lock(instances_mutex_);
    for (const auto& instance : instances_) {
        if (instance->info().kind == ENVMGR_PLUGIN_KIND_BACKEND) return BackendHandle(instance, calls_);
    }
    return std::nullopt;
}

std::set<std::string> PluginManager::probe_types() const {
    std::set<std::string> types;
    for (std::size_t i = 0; i < records_.size(); ++i) {
        if (records_[i].accepted() && libraries_[i] && records_[i].info->kind == ENVMGR_PLUGIN_KIND_PROBE) {
            types.insert(libraries_[i]->probe_api.probe_type);
        }
    }
    return types;
}

std::optional<ProbeHandle> PluginManager::probe_for(const std::string& type) const {
    const std::shared_lock lock(instances_mutex_);
    for (const auto& instance : instances_) {
        if (instance->info().kind != ENVMGR_PLUGIN_KIND_PROBE) continue;
        // Compared in place: this runs for every check, a handle is made only for the match.
        const char* handled = instance->library().probe_api.probe_type;
        if (handled != nullptr && type == handled) return ProbeHandle(instance, calls_);
    }
    return std::nullopt;
}

void PluginManager::drop_instance(std::size_t record, std::string reason) {
    std::shared_ptr<PluginInstance> dropped;
    {
        const std::unique_lock lock(instances_mutex_);
        const auto it = std::find(instance_records_.begin(), instance_records_.end(), record);
        if (it != instance_records_.end()) {
            const auto n = it - instance_records_.begin();
            dropped = instances_[static_cast<std::size_t>(n)];
            instances_.erase(instances_.begin() + n);
            instance_records_.erase(it);
        }
    }
    if (dropped) retire_and_destroy(std::move(dropped), kDefaultBound);
    refuse(record, std::move(reason));
}

void PluginManager::refuse(std::size_t record, std::string reason) {
    records_[record].refusal = std::move(reason);
    logger_->error("plugin refused: {} ({}): {}", records_[record].info ? records_[record].info->id : "?",
                   records_[record].file, records_[record].refusal);
}

}  // namespace envmgr::host::loader

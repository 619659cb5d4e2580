#include "host/registry/service_registry.h"

#include "host/model/dependency_graph.h"
#include "host/registry/compose_layer.h"
#include "host/registry/definition_checks.h"
#include "host/registry/definition_hash.h"
#include "host/registry/probe_advice.h"
#include "host/registry/service_table.h"
#include "host/registry/tenant_hashes.h"
#include "host/registry/tenant_settings.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace envmgr::host::registry {
namespace {

// One service while the layers are applied, still a JSON document.
struct Draft {
    std::string plugin_id;
    nlohmann::json document;
    std::map<std::string, std::string> field_paths;  // field -> where in the file it was written
    std::string table_path;                          // its own TOML table, when it has one
    bool enabled = true;
    bool tenant_set_ports = false;
    std::map<std::string, std::string> compose_places;  // field -> "file:line:column" in a Compose file
    std::string compose_origin;                         // the Compose service's own place
};

// Where a field's nearest written ancestor is in places: "ports[0].host_port" -> "ports[0]".
std::optional<std::string> written_at(const std::map<std::string, std::string>& places, std::string field) {
    while (!field.empty()) {
        if (const auto it = places.find(field); it != places.end()) return it->second;
        const auto cut = field.find_last_of(".[");
        if (cut == std::string::npos) break;
        field.erase(cut);
    }
    return std::nullopt;
}

bool is_any_address(const std::string& ip) {
    return ip == "0.0.0.0" || ip == "::" || ip.empty();
}

class RegistryBuilder {
public:
    RegistryBuilder(const config::Config& config, const RegistryInputs& inputs)
        : config_(config), inputs_(inputs) {}

    Registry build() {
        std::vector<TableProblem> problems;
        defaults_ = read_defaults(config_.defaults, problems);
        for (const auto& problem : problems) config_error("", "", "defaults." + problem.field, problem);
        problems.clear();
        auto tenants = read_tenants(config_.tenants, problems);
        auto& command_line = tenants.front().compose;  // --compose FILE: the default tenant's
        command_line.insert(command_line.end(), config_.compose_files.begin(), config_.compose_files.end());
        for (const auto& problem : problems) config_error("", "", problem.config_path, problem);
        for (const auto& tenant : tenants) build_tenant(tenant);
        check_across_tenants();
        return std::move(registry_);
    }

private:
    [[nodiscard]] std::string origin_of(const std::string& config_path) const {
        const auto it = config_.service_origins.find(config_path);
        return it == config_.service_origins.end() ? config_.config_file : it->second;
    }

    void config_error(const std::string& tenant, const std::string& service, const std::string& field,
                      const TableProblem& problem) {
        registry_.errors.push_back({tenant, service, field, problem.message, origin_of(problem.config_path)});
    }

    void error(const std::string& tenant, const std::string& service, const Draft& draft,
               const std::string& field, std::string message) {
        std::string origin;
        if (const auto path = written_at(draft.field_paths, field)) {
            origin = origin_of(*path);
        } else if (const auto place = written_at(draft.compose_places, field)) {
            origin = *place;
        } else if (!draft.compose_origin.empty()) {
            origin = draft.compose_origin;
        } else if (!draft.plugin_id.empty()) {
            origin = "plugin " + draft.plugin_id;
        } else if (!draft.table_path.empty()) {
            origin = origin_of(draft.table_path);
        }
        registry_.errors.push_back({tenant, service, field, std::move(message), std::move(origin)});
    }

    // Applies [services.NAME] (or a tenant's) tables to the drafts; a new name declares a service.
    void apply_tables(const std::string& tenant, std::map<std::string, Draft>& drafts,
                      const nlohmann::json& tables, const std::string& path, bool tenant_layer) {
        for (const auto& [name, table] : tables.items()) {
            auto [it, added] = drafts.try_emplace(name);
            Draft& draft = it->second;
            if (added) {  // declared here: [defaults] first, then its own keys
                sdk::ServiceDefinition blank;
                blank.name = name;
                draft.document = blank;
                apply_defaults(draft);
            }
            const std::string table_path = path + "." + name;
            if (draft.table_path.empty()) draft.table_path = table_path;
            std::vector<TableProblem> problems;
            const auto outcome =
                apply_service_table(draft.document, table, table_path, problems, draft.field_paths);
            for (const auto& problem : problems) config_error(tenant, name, problem.field, problem);
            if (outcome.enabled) draft.enabled = *outcome.enabled;
            if (tenant_layer && outcome.ports_given) draft.tenant_set_ports = true;
        }
    }

    void apply_defaults(Draft& draft) const {
        for (const auto& [key, value] : defaults_.readiness.items()) draft.document["readiness"][key] = value;
        if (defaults_.restart_policy) draft.document["restart_policy"] = *defaults_.restart_policy;
    }

    void apply_tenant_names(const TenantSettings& tenant, Draft& draft) {
        const std::string host_ip = tenant.host_ip.empty() ? defaults_.host_ip : tenant.host_ip;
        for (auto& port : draft.document["ports"]) {
            if (port.value("host_ip", "").empty()) port["host_ip"] = host_ip;
            const int host_port = port.value("host_port", 0);
            if (host_port > 0 && !draft.tenant_set_ports) port["host_port"] = host_port + tenant.port_offset;
        }
        for (auto& mount : draft.document["mounts"]) {
            if (mount.value("type", "volume") == "volume" && mount.contains("source") &&
                !exact_volumes_[tenant.name].contains(mount.value("source", ""))) {
                mount["source"] = volume_name(tenant.name, mount["source"].get<std::string>());
            }
        }
    }

    void resolve(const std::string& tenant, std::map<std::string, Draft>& drafts) {
        if (!inputs_.resolver) return;
        nlohmann::json names = nlohmann::json::array();
        nlohmann::json documents = nlohmann::json::object();
        for (const auto& [name, draft] : drafts) {
            names.push_back(name);
            documents[name] = draft.document;
        }
        for (auto& [name, draft] : drafts) {
            if (draft.plugin_id.empty()) continue;
            const nlohmann::json context{{"tenant", tenant},
                                         {"services", names},
                                         {"gpus", nlohmann::json::array()},
                                         {"definition", draft.document},
                                         {"definitions", documents}};
            const auto answer = inputs_.resolver(draft.plugin_id, name, context);
            if (!answer.ok) {
                error(tenant, name, draft, "resolve", "plugin '" + draft.plugin_id + "': " + answer.error);
                continue;
            }
            if (answer.patch.contains("name") && answer.patch["name"] != name) {
                error(tenant, name, draft, "resolve",
                      "plugin '" + draft.plugin_id + "' tried to rename the service");
                continue;
            }
            draft.document.merge_patch(answer.patch);
        }
    }

    // The tenant's Compose services join the drafts; one that a plugin defines too is an error.
    void add_compose(const TenantSettings& settings, std::map<std::string, Draft>& drafts) {
        if (settings.compose.empty()) return;
        const auto environment = inputs_.compose_environment ? inputs_.compose_environment
                                                             : config::process_environment_keeping_empty();
        auto layer = compose_layer(settings, config_.config_file, environment);
        registry_.errors.insert(registry_.errors.end(), layer.errors.begin(), layer.errors.end());
        registry_.warnings.insert(registry_.warnings.end(), layer.warnings.begin(), layer.warnings.end());
        if (layer.network && settings.network.empty()) compose_networks_[settings.name] = *layer.network;
        exact_volumes_[settings.name] = layer.exact_volumes;
        for (auto& service : layer.services) {
            if (const auto clash = drafts.find(service.name); clash != drafts.end()) {
                registry_.errors.push_back({settings.name, service.name, "",
                                            "defined by plugin '" + clash->second.plugin_id +
                                                "' and by a Compose file: rename the Compose service, or set "
                                                "plugin_services = false in [tenants." +
                                                settings.name + "] to run only the Compose and TOML services",
                                            service.origin});
                continue;
            }
            Draft draft{"", std::move(service.document), {}, {}, true, false, {}, {}};
            draft.compose_places = std::move(service.places);
            draft.compose_origin = std::move(service.origin);
            drafts[service.name] = std::move(draft);
        }
    }

    void build_tenant(const TenantSettings& settings) {
        auto& drafts = drafts_[settings.name];
        if (settings.plugin_services) {
            for (const auto& [plugin_id, definition] : inputs_.plugin_definitions) {
                drafts[definition.name] = Draft{plugin_id, definition, {}, {}, true, false, {}, {}};
            }
        }
        add_compose(settings, drafts);
        for (auto& [name, draft] : drafts) apply_defaults(draft);
        apply_tables(settings.name, drafts, config_.services, "services", false);
        apply_tables(settings.name, drafts, settings.services, "tenants." + settings.name + ".services",
                     true);
        std::erase_if(drafts, [](const auto& entry) { return !entry.second.enabled; });
        for (auto& [name, draft] : drafts) apply_tenant_names(settings, draft);
        resolve(settings.name, drafts);

        TenantServices tenant;
        tenant.name = settings.name;
        const auto compose_network = compose_networks_.find(settings.name);
        tenant.network = compose_network != compose_networks_.end() ? compose_network->second
                                                                    : network_name(defaults_, settings);
        std::map<std::string, const Draft*> usable;
        for (auto& [name, draft] : drafts) {
            sdk::ServiceDefinition definition;
            try {
                definition = draft.document.get<sdk::ServiceDefinition>();
            } catch (const nlohmann::json::exception& e) {
                error(settings.name, name, draft, "resolve",
                      "plugin '" + draft.plugin_id + "' resolved a field to the wrong type: " + e.what());
                continue;
            }
            for (const auto& problem : check_definition(definition)) {
                error(settings.name, name, draft, problem.field, problem.message);
            }
            check_probe(settings.name, draft, definition);
            EffectiveService service;
            service.tenant = settings.name;
            service.plugin_id = draft.plugin_id;
            service.source = draft.compose_origin;
            service.container_name = definition.container_name.empty() ? container_name(settings.name, name)
                                                                       : definition.container_name;
            service.network = tenant.network;
            service.definition = std::move(definition);
            tenant.services.push_back(std::move(service));
            usable[name] = &draft;
        }
        check_dependencies(settings.name, tenant, usable);
        hash_definitions(tenant);
        for (auto& service : tenant.services) {
            service.definition.labels[kTenantLabel] = tenant.name;
            service.definition.labels[kServiceLabel] = service.definition.name;
            service.definition.labels[kDefinitionHashLabel] = service.definition_hash;
            for (const auto& mount : service.definition.mounts) {
                if (mount.type == "volume" && std::find(tenant.volumes.begin(), tenant.volumes.end(),
                                                        mount.source) == tenant.volumes.end()) {
                    tenant.volumes.push_back(mount.source);
                }
            }
        }
        std::sort(tenant.volumes.begin(), tenant.volumes.end());
        registry_.tenants.push_back(std::move(tenant));
    }

    void check_probe(const std::string& tenant, const Draft& draft,
                     const sdk::ServiceDefinition& definition) {
        const auto& type = definition.readiness.type;
        if (!type.empty() && !inputs_.probe_types.contains(type)) {
            std::string known;
            for (const auto& name : inputs_.probe_types) known += (known.empty() ? "" : ", ") + name;
            error(
                tenant, definition.name, draft, "readiness.type",
                "no probe plugin handles '" + type + "' (loaded: " + (known.empty() ? "none" : known) + ")");
        }
        for (const auto& warning : probe_warnings(definition, inputs_.probe_address)) {
            registry_.warnings.push_back((tenant == kDefaultTenant ? "" : "tenant '" + tenant + "', ") +
                                         warning);
        }
    }

    void check_dependencies(const std::string& tenant, const TenantServices& services,
                            const std::map<std::string, const Draft*>& drafts) {
        model::DependencyMap graph;
        for (const auto& service : services.services) {
            const auto& definition = service.definition;
            auto& edges = graph[definition.name];
            for (std::size_t i = 0; i < definition.depends_on.size(); ++i) {
                const auto& dependency = definition.depends_on[i].service;
                if (dependency.empty()) continue;
                if (!drafts.contains(dependency)) {
                    error(tenant, definition.name, *drafts.at(definition.name),
                          "depends_on[" + std::to_string(i) + "].service",
                          "unknown service '" + dependency + "'" +
                              (tenant == kDefaultTenant ? "" : " in this tenant") +
                              " (disabled, misspelt, or defined by a plugin that is not loaded)");
                    continue;
                }
                edges.push_back(dependency);
            }
        }
        for (const auto& cycle : model::find_cycles(graph)) {
            error(tenant, cycle.front(), *drafts.at(cycle.front()), "depends_on",
                  "dependency cycle: " + model::cycle_text(cycle));
        }
    }

    void check_across_tenants() {
        struct Claim {
            std::string ip;
            const EffectiveService* service;
        };
        std::map<std::pair<int, std::string>, std::vector<Claim>> ports;  // (port, protocol)
        std::map<std::string, const EffectiveService*> names;
        std::map<std::string, std::string> networks;
        for (const auto& tenant : registry_.tenants) {
            if (const auto [it, fresh] = networks.emplace(tenant.network, tenant.name); !fresh) {
                registry_.errors.push_back({tenant.name, "", "network",
                                            "network '" + tenant.network + "' is also used by tenant '" +
                                                it->second + "'; each tenant needs its own",
                                            origin_of("tenants." + tenant.name)});
            }
            for (const auto& service : tenant.services) {
                const auto& definition = service.definition;
                const Draft& draft = drafts_.at(tenant.name).at(definition.name);
                if (const auto [it, fresh] = names.emplace(service.container_name, &service); !fresh) {
                    error(tenant.name, definition.name, draft, "container_name",
                          "container name '" + service.container_name + "' is also used by tenant '" +
                              it->second->tenant + "', service '" + it->second->definition.name + "'");
                }
                for (std::size_t i = 0; i < definition.ports.size(); ++i) {
                    const auto& port = definition.ports[i];
                    if (port.host_port == 0) continue;
                    auto& claims = ports[{port.host_port, port.protocol}];
                    for (const auto& claim : claims) {
                        if (claim.ip == port.host_ip || is_any_address(claim.ip) ||
                            is_any_address(port.host_ip)) {
                            error(
                                tenant.name, definition.name, draft,
                                "ports[" + std::to_string(i) + "].host_port",
                                port.host_ip + ":" + std::to_string(port.host_port) + "/" + port.protocol +
                                    " is already claimed by tenant '" + claim.service->tenant +
                                    "', service '" + claim.service->definition.name + "' (" + claim.ip + ")" +
                                    (tenant.name != claim.service->tenant ? "; give this tenant a port_offset"
                                                                          : ""));
                            break;
                        }
                    }
                    claims.push_back({port.host_ip, &service});
                }
            }
        }
    }

    const config::Config& config_;
    const RegistryInputs& inputs_;
    Defaults defaults_;
    std::map<std::string, std::map<std::string, Draft>> drafts_;  // tenant -> service -> draft
    std::map<std::string, std::string> compose_networks_;         // tenant -> networks.default.name
    std::map<std::string, std::set<std::string>> exact_volumes_;  // tenant -> volumes named as written
    Registry registry_;
};

}  // namespace

const TenantServices* Registry::tenant(const std::string& name) const {
    for (const auto& tenant : tenants) {
        if (tenant.name == name) return &tenant;
    }
    return nullptr;
}

const EffectiveService* Registry::find(const std::string& tenant_name, const std::string& service) const {
    const auto* found = tenant(tenant_name);
    if (found == nullptr) return nullptr;
    for (const auto& candidate : found->services) {
        if (candidate.definition.name == service) return &candidate;
    }
    return nullptr;
}

std::size_t Registry::service_count() const {
    std::size_t count = 0;
    for (const auto& tenant : tenants) count += tenant.services.size();
    return count;
}

Registry build_registry(const config::Config& config, const RegistryInputs& inputs) {
    return RegistryBuilder(config, inputs).build();
}

}  // namespace envmgr::host::registry

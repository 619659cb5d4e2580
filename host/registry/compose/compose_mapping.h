// What the parts of the Compose service mapping share: the service being mapped, the definition
// being built and the problems found. Used by compose_service.cpp and compose_runtime_keys.cpp.
#pragma once

#include "host/registry/compose/compose_service.h"
#include "host/registry/compose/yaml_tree.h"

#include <string>
#include <vector>

namespace envmgr::host::registry::compose {

struct MappingState {
    const ComposeService& service;
    const MappingContext& context;
    std::vector<ComposeProblem>& problems;
    ComposedService out;
    nlohmann::json checked;  // the service's keys whose values have the kind the key takes

    [[nodiscard]] const nlohmann::json& config() const { return checked; }
    [[nodiscard]] bool has(const char* key) const { return checked.contains(key); }
    nlohmann::json& field(const char* name) { return out.definition[name]; }

    // The definition field was written at the Compose key (a pointer below the service: "/ports").
    void place(const std::string& field, const std::string& pointer) {
        out.field_places[field] = service.at(pointer);
    }
    void error(const std::string& pointer, const std::string& key, std::string message) {
        add(ComposeProblem::Severity::error, pointer, key, std::move(message));
    }
    void warning(const std::string& pointer, const std::string& key, std::string message) {
        add(ComposeProblem::Severity::warning, pointer, key, std::move(message));
    }

private:
    void add(ComposeProblem::Severity severity, const std::string& pointer, const std::string& key,
             std::string message) {
        problems.push_back({severity, service.at(pointer), service.name, key, std::move(message)});
    }
};

// healthcheck -> readiness (an exec probe with the same thresholds)
void map_healthcheck(MappingState& state);
// restart and deploy.restart_policy -> restart_policy, restart_max_retries
void map_restart(MappingState& state);
// deploy.resources, mem_limit, mem_reservation, cpus -> resources, gpu; the rest of deploy
void map_deploy(MappingState& state);
// user, working_dir, read_only, capabilities, security_opt, extra_hosts, stop_*, init,
// container_name, labels, profiles, networks and network_mode
void map_process_options(MappingState& state);

}  // namespace envmgr::host::registry::compose

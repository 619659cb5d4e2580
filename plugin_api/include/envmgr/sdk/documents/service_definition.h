// Service definition: what a service plugin contributes (plugin_api/docs/service-definition.md).
#pragma once

#include <envmgr/sdk/documents/container_spec.h>
#include <envmgr/sdk/documents/probe.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <map>
#include <string>
#include <vector>

namespace envmgr::sdk {

struct Dependency {
    std::string service;
    std::string condition = "healthy";  // "started" | "healthy" | "completed_successfully"
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Dependency, service, condition)

struct ServiceDefinition {
    std::string name;  // unique within a tenant; also the container's DNS alias
    std::string image;
    std::vector<std::string> command;
    std::map<std::string, std::string> env;
    std::vector<PortMapping> ports;
    std::vector<Mount> mounts;
    std::vector<Dependency> depends_on;
    ProbeSpec readiness;  // type "" : ready once the container runs
    std::map<std::string, std::string> labels;
    std::string restart_policy = "unless-stopped";
    int restart_max_retries = 0;  // on-failure: how many restarts before giving up (0: no limit)
    // Restart a service that turned unhealthy after it was ready, as a failed exit would be
    // (Nomad's check_restart): its policy and back-off decide. Compose cannot (compose#6669).
    bool restart_on_unhealthy = false;
    bool init = true;       // an init process as PID 1, so SIGTERM stops the service at once
    bool optional = false;  // a failure is reported but does not fail the whole start
    Resources resources;
    std::string gpu = "none";  // "none" | "optional" (when the host has GPUs) | "required"
    std::int64_t stop_timeout_seconds = 10;
    // Added after 1.1 (for Compose files):
    std::vector<std::string> entrypoint;      // empty: the image's ENTRYPOINT
    ProcessOptions process;                   // user, working_dir, read_only, capabilities, ...
    int gpu_count = -1;                       // with gpu "required": how many (-1: all)
    std::vector<std::string> gpu_device_ids;  // with gpu "required": these devices instead of a count
    std::string container_name;               // "" : the tenant's naming (service, or tenant-service)
    // Added after 1.1, for a backend that places services on several machines (container-spec.md):
    int replicas = 1;
    std::vector<std::string> placement;              // constraints
    std::vector<std::string> placement_preferences;  // spread descriptors
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ServiceDefinition, name, image, command, env, ports, mounts,
                                                depends_on, readiness, labels, restart_policy,
                                                restart_max_retries, restart_on_unhealthy, init, optional,
                                                resources, gpu, stop_timeout_seconds, entrypoint, process,
                                                gpu_count, gpu_device_ids, container_name, replicas,
                                                placement, placement_preferences)

// A service's name is its DNS alias on the tenant's network: one DNS label.
inline constexpr std::size_t kMaxServiceName = 63;
// A tenant's name is at most this long (tenants.md): a longer one is refused, never echoed whole.
inline constexpr std::size_t kMaxTenantName = 32;

inline std::vector<std::string> validate(const ServiceDefinition& def) {
    std::vector<std::string> errors;
    const std::string prefix = def.name.empty() ? std::string("service") : def.name;
    auto add = [&](const std::string& e) { errors.push_back(prefix + ": " + e); };
    if (def.name.empty()) add("name: required");
    if (def.name.size() > kMaxServiceName) {
        add("name: at most " + std::to_string(kMaxServiceName) + " characters (it is a DNS label)");
    }
    for (char c : def.name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
            add("name: only letters, digits, '-' and '_' are allowed");
            break;
        }
    }
    if (def.image.empty()) add("image: required");
    if (def.replicas < 1) add("replicas: must be >= 1");
    for (std::size_t i = 0; i < def.ports.size(); ++i) {
        for (auto& e : validate(def.ports[i], "ports[" + std::to_string(i) + "]")) add(e);
    }
    for (std::size_t i = 0; i < def.mounts.size(); ++i) {
        for (auto& e : validate(def.mounts[i], "mounts[" + std::to_string(i) + "]")) add(e);
    }
    for (std::size_t i = 0; i < def.depends_on.size(); ++i) {
        const auto& dep = def.depends_on[i];
        const std::string where = "depends_on[" + std::to_string(i) + "]";
        if (dep.service.empty()) add(where + ".service: required");
        if (dep.condition != "started" && dep.condition != "healthy" &&
            dep.condition != "completed_successfully") {
            add(where + ".condition: must be started, healthy or completed_successfully, got '" +
                dep.condition + "'");
        }
    }
    if (!def.readiness.type.empty()) {
        for (auto& e : validate(def.readiness)) add("readiness." + e);
    }
    if (def.restart_policy != "no" && def.restart_policy != "always" &&
        def.restart_policy != "unless-stopped" && def.restart_policy != "on-failure") {
        add("restart_policy: must be no, always, unless-stopped or on-failure, got '" + def.restart_policy +
            "'");
    }
    if (def.restart_max_retries < 0) add("restart_max_retries: must be >= 0");
    if (def.resources.cpus < 0) add("resources.cpus: must be >= 0");
    if (def.resources.memory_bytes < 0) add("resources.memory_bytes: must be >= 0");
    if (def.resources.memory_reservation_bytes < 0) add("resources.memory_reservation_bytes: must be >= 0");
    if (def.gpu_count < -1 || def.gpu_count == 0) add("gpu_count: must be -1 (all) or 1 or more");
    if (def.stop_timeout_seconds < 0) add("stop_timeout_seconds: must be >= 0");
    if (def.gpu != "none" && def.gpu != "optional" && def.gpu != "required") {
        add("gpu: must be none, optional or required");
    }
    return errors;
}

}  // namespace envmgr::sdk

// Container spec: what a backend creates (plugin_api/docs/container-spec.md).
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envmgr::sdk {

struct PortMapping {
    int container_port = 0;
    int host_port = 0;    // 0: not published
    std::string host_ip;  // "" : the backend's default (all addresses)
    std::string protocol = "tcp";
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PortMapping, container_port, host_port, host_ip, protocol)

struct Mount {
    std::string type = "volume";  // "volume" | "bind" | "tmpfs"
    std::string source;           // volume name or host path; unused for tmpfs
    std::string target;           // absolute path in the container
    bool read_only = false;
    std::int64_t tmpfs_size_bytes = 0;  // tmpfs: 0 is the engine's default (half the memory). Added after 1.1
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Mount, type, source, target, read_only, tmpfs_size_bytes)

struct Resources {
    double cpus = 0.0;              // 0: unlimited; 1.5 = one and a half cores
    std::int64_t memory_bytes = 0;  // 0: unlimited
    std::int64_t memory_reservation_bytes =
        0;  // a soft limit the kernel reclaims to under pressure. Added after 1.1
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Resources, cpus, memory_bytes, memory_reservation_bytes)

struct GpuRequest {
    int count = 0;  // 0: none; -1: all
    std::string driver = "nvidia";
    std::vector<std::string> capabilities{"gpu"};
    std::vector<std::string> device_ids;  // instead of a count: these devices. Added after 1.1
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(GpuRequest, count, driver, capabilities, device_ids)

// How the main process runs and what it may do; in a service definition and a container spec
// alike. Added after 1.1 (for Compose files); empty values leave the image's and the engine's
// defaults.
struct ProcessOptions {
    std::string user;         // "uid[:gid]" or a name the image knows
    std::string working_dir;  // absolute path in the container
    bool read_only = false;   // the root filesystem mounted read-only
    std::vector<std::string> cap_add;
    std::vector<std::string> cap_drop;
    std::vector<std::string> security_opt;  // as the engine takes them: "no-new-privileges:true"
    std::vector<std::string> extra_hosts;   // "name:address" lines added to /etc/hosts
    std::string stop_signal;                // "" : SIGTERM
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProcessOptions, user, working_dir, read_only, cap_add,
                                                cap_drop, security_opt, extra_hosts, stop_signal)

struct ContainerSpec {
    std::string name;
    std::string image;
    std::vector<std::string> command;     // empty: the image's CMD
    std::vector<std::string> entrypoint;  // empty: the image's ENTRYPOINT
    std::map<std::string, std::string> env;
    std::map<std::string, std::string> labels;
    std::vector<PortMapping> ports;
    std::vector<Mount> mounts;
    std::string network;  // "" : the engine's default network
    std::vector<std::string> network_aliases;
    std::string restart_policy = "no";  // "no" | "always" | "unless-stopped" | "on-failure"
    int restart_max_retries = 0;
    bool init = false;  // run an init process as PID 1 (reaps, forwards signals)
    bool tty = false;   // a terminal: logs are then one raw stream
    Resources resources;
    GpuRequest gpu;
    std::int64_t stop_timeout_seconds = 10;
    ProcessOptions process;  // Added after 1.1
    // Added after 1.1, for a backend that places containers on several machines (backend.swarm);
    // one engine refuses replicas above 1 and has no choice of place.
    int replicas = 1;
    std::vector<std::string> placement;              // constraints, e.g. "node.labels.gpu == true"
    std::vector<std::string> placement_preferences;  // spread over, e.g. "node.labels.zone"
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ContainerSpec, name, image, command, entrypoint, env, labels,
                                                ports, mounts, network, network_aliases, restart_policy,
                                                restart_max_retries, init, tty, resources, gpu,
                                                stop_timeout_seconds, process, replicas, placement,
                                                placement_preferences)

inline std::vector<std::string> validate(const Mount& mount, const std::string& where) {
    std::vector<std::string> errors;
    if (mount.type != "volume" && mount.type != "bind" && mount.type != "tmpfs") {
        errors.push_back(where + ".type: must be volume, bind or tmpfs, got '" + mount.type + "'");
    }
    if (mount.type != "tmpfs" && mount.source.empty()) errors.push_back(where + ".source: required");
    if (mount.tmpfs_size_bytes < 0) errors.push_back(where + ".tmpfs_size_bytes: must be >= 0");
    if (mount.target.empty() || mount.target.front() != '/') {
        errors.push_back(where + ".target: must be an absolute path");
    }
    return errors;
}

inline std::vector<std::string> validate(const PortMapping& port, const std::string& where) {
    std::vector<std::string> errors;
    if (port.container_port < 1 || port.container_port > 65535) {
        errors.push_back(where + ".container_port: must be 1..65535");
    }
    if (port.host_port < 0 || port.host_port > 65535) {
        errors.push_back(where + ".host_port: must be 0..65535");
    }
    if (port.protocol != "tcp" && port.protocol != "udp") {
        errors.push_back(where + ".protocol: must be tcp or udp");
    }
    return errors;
}

inline std::vector<std::string> validate(const ContainerSpec& spec) {
    std::vector<std::string> errors;
    if (spec.image.empty()) errors.emplace_back("image: required");
    for (std::size_t i = 0; i < spec.ports.size(); ++i) {
        for (auto& e : validate(spec.ports[i], "ports[" + std::to_string(i) + "]")) errors.push_back(e);
    }
    for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
        for (auto& e : validate(spec.mounts[i], "mounts[" + std::to_string(i) + "]")) errors.push_back(e);
    }
    static const std::vector<std::string> policies{"no", "always", "unless-stopped", "on-failure"};
    if (std::find(policies.begin(), policies.end(), spec.restart_policy) == policies.end()) {
        errors.emplace_back("restart_policy: must be no, always, unless-stopped or on-failure");
    }
    if (spec.resources.cpus < 0) errors.emplace_back("resources.cpus: must be >= 0");
    if (spec.resources.memory_bytes < 0) errors.emplace_back("resources.memory_bytes: must be >= 0");
    if (spec.resources.memory_reservation_bytes < 0) {
        errors.emplace_back("resources.memory_reservation_bytes: must be >= 0");
    }
    if (spec.gpu.count < -1) errors.emplace_back("gpu.count: must be -1 (all), 0 or more");
    if (spec.stop_timeout_seconds < 0) errors.emplace_back("stop_timeout_seconds: must be >= 0");
    if (spec.replicas < 1) errors.emplace_back("replicas: must be >= 1");
    return errors;
}

}  // namespace envmgr::sdk

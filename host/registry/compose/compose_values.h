// Compose's value syntaxes read into env-manager's types: durations, byte sizes, ports (short and
// long), volumes (short and long), tmpfs lines and commands. Each returns the value or why not.
#pragma once

#include <envmgr/sdk/documents/container_spec.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace envmgr::host::registry::compose {

struct ValueError {
    std::string message;
};

// "1m30s", "10s", "250ms", "1h", "1.5s", "2us"; a bare number is seconds.
std::variant<std::int64_t, ValueError> duration_ms(const nlohmann::json& value);

// "512m", "1g", "64mb", "100k", 1024; units b, k, m, g (powers of 1024), case-insensitive.
std::variant<std::int64_t, ValueError> byte_size(const nlohmann::json& value);

// A number or a numeric string ("0.5").
std::variant<double, ValueError> decimal(const nlohmann::json& value);

struct PortsRead {
    std::vector<sdk::PortMapping> ports;
    bool random_host_port = false;  // "80": Compose publishes on a host port the engine picks
};
// "[HOST_IP:][HOST[-HOST_END]:]CONTAINER[-END][/PROTOCOL]", or the long syntax's mapping.
std::variant<PortsRead, ValueError> ports_of(const nlohmann::json& value);

struct VolumeRead {
    sdk::Mount mount;
    bool anonymous = false;            // "/data" alone: no source named
    std::vector<std::string> ignored;  // options read but not honoured ("z", "nocopy", ...)
};
// "SOURCE:TARGET[:MODE]", "TARGET", or the long syntax. A bind source that is relative (".",
// "..") is resolved against directory; "~" against home.
std::variant<VolumeRead, ValueError> volume_of(const nlohmann::json& value, const std::string& directory,
                                               const std::string& home);

// "/run" or "/run:size=64m,mode=1777" (only size is honoured).
std::variant<sdk::Mount, ValueError> tmpfs_of(const nlohmann::json& value);

// A list of words, or one string split as a shell would (without expanding anything).
std::variant<std::vector<std::string>, ValueError> words_of(const nlohmann::json& value);

}  // namespace envmgr::host::registry::compose

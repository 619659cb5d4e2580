#include "host/registry/definition_hash.h"

#include <cstdint>
#include <cstdio>

namespace envmgr::host::registry {

std::string definition_hash(const nlohmann::json& document) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : document.dump()) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

nlohmann::json hashed_definition(const sdk::ServiceDefinition& definition) {
    static const nlohmann::json blank = sdk::ServiceDefinition{};
    static const nlohmann::json blank_mount = sdk::Mount{};
    nlohmann::json document = definition;
    for (const char* field : {"entrypoint", "process", "gpu_count", "gpu_device_ids", "container_name",
                              "replicas", "placement", "placement_preferences"}) {
        if (document[field] == blank[field]) document.erase(field);
    }
    if (definition.resources.memory_reservation_bytes == 0) {
        document["resources"].erase("memory_reservation_bytes");
    }
    for (auto& mount : document["mounts"]) {
        if (mount["tmpfs_size_bytes"] == blank_mount["tmpfs_size_bytes"]) mount.erase("tmpfs_size_bytes");
    }
    return document;
}

}  // namespace envmgr::host::registry

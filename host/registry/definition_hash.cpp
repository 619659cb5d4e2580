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

}  // namespace envmgr::host::registry

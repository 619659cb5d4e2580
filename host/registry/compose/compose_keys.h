// Every service key of the Compose specification and what env-manager does with it: mapped into
// the service definition, ignored with a warning that says why, or refused (the service would
// not run as written).
#pragma once

#include <string_view>
#include <vector>

namespace envmgr::host::registry::compose {

enum class KeyHandling {
    mapped,   // read into the definition (compose_service.cpp)
    ignored,  // a warning: the service runs without it
    refused,  // an error for the service, unless the value asks for nothing (false, empty)
};

struct ComposeKey {
    std::string_view name;
    KeyHandling handling;
    std::string_view why;  // for ignored and refused keys: the reason, shown to the operator
};

// nullptr: not a Compose service key at all.
const ComposeKey* compose_key(std::string_view name);

// Every known key's name, for "did you mean".
std::vector<std::string_view> compose_key_names();

}  // namespace envmgr::host::registry::compose

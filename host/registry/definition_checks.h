// What makes one effective definition unusable, field by field: the SDK's own checks, plus what
// only the registry can tell (image reference grammar, bind mounts on relative paths, volume
// names, labels in env-manager's reserved namespace).
#pragma once

#include <envmgr/sdk/documents/service_definition.h>

#include <string>
#include <vector>

namespace envmgr::host::registry {

struct FieldError {
    std::string field;
    std::string message;
};

std::vector<FieldError> check_definition(const sdk::ServiceDefinition& definition);

}  // namespace envmgr::host::registry

#include "host/registry/definition_checks.h"

#include "host/registry/image_reference.h"

#include <cctype>

namespace envmgr::host::registry {
namespace {

// The SDK says "<service>: <field>: <message>"; the registry keeps field and message apart.
FieldError split_sdk_error(const sdk::ServiceDefinition& definition, const std::string& error) {
    std::string rest = error;
    const std::string prefix = (definition.name.empty() ? std::string("service") : definition.name) + ": ";
    if (rest.starts_with(prefix)) rest.erase(0, prefix.size());
    const auto colon = rest.find(": ");
    if (colon == std::string::npos) return {"", rest};
    return {rest.substr(0, colon), rest.substr(colon + 2)};
}

bool is_volume_name(const std::string& name) {
    if (name.empty() || std::isalnum(static_cast<unsigned char>(name.front())) == 0) return false;
    for (const char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '.' && c != '-') {
            return false;
        }
    }
    return true;
}

}  // namespace

std::vector<FieldError> check_definition(const sdk::ServiceDefinition& definition) {
    std::vector<FieldError> errors;
    for (const auto& error : sdk::validate(definition)) errors.push_back(split_sdk_error(definition, error));
    if (!definition.image.empty()) {
        if (auto problem = image_reference_problem(definition.image)) errors.push_back({"image", *problem});
    }
    for (std::size_t i = 0; i < definition.mounts.size(); ++i) {
        const auto& mount = definition.mounts[i];
        const std::string where = "mounts[" + std::to_string(i) + "].source";
        if (mount.type == "bind" && !mount.source.empty() && mount.source.front() != '/') {
            errors.push_back({where, "a bind mount needs an absolute host path, got '" + mount.source + "'"});
        }
        if (mount.type == "volume" && !mount.source.empty() && !is_volume_name(mount.source)) {
            errors.push_back(
                {where, "a volume name is letters, digits, '_', '.' or '-', got '" + mount.source + "'"});
        }
    }
    for (const auto& [key, value] : definition.labels) {
        if (key.starts_with("env-manager.")) {
            errors.push_back({"labels." + key, "the env-manager.* labels are env-manager's own"});
        }
    }
    return errors;
}

}  // namespace envmgr::host::registry

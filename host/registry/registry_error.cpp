#include "host/registry/registry_error.h"

namespace envmgr::host::registry {

std::string RegistryError::to_string() const {
    std::string text = origin.empty() ? std::string() : origin + ": ";
    std::string subject;
    if (!tenant.empty()) subject += "tenant '" + tenant + "'";
    if (!service.empty()) subject += (subject.empty() ? "" : ", ") + std::string("service '") + service + "'";
    if (!field.empty()) subject += (subject.empty() ? "" : ", ") + std::string("field '") + field + "'";
    if (!subject.empty()) text += subject + ": ";
    return text + message;
}

}  // namespace envmgr::host::registry

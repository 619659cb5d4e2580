#include "host/registry/service_overrides.h"

#include "host/model/shell_words.h"
#include "host/registry/definition_hash.h"
#include "host/registry/image_reference.h"

#include <envmgr/sdk/quote.h>

namespace envmgr::host::registry {
namespace {

constexpr const char* kKeys = "SERVICE.image, SERVICE.env.NAME, SERVICE.command";

}  // namespace

ServiceOverrides apply_overrides(const Registry& registry, const std::string& tenant,
                                 const std::map<std::string, std::string>& overrides) {
    ServiceOverrides result;
    std::map<std::string, std::shared_ptr<EffectiveService>> copies;
    std::map<std::string, nlohmann::json> applied;  // per service, what changed: for its hash
    for (const auto& entry : overrides) {
        const std::string& key = entry.first;
        const std::string& value = entry.second;
        const auto refuse = [&result, &key](const std::string& why) {
            result.services.clear();
            const std::string key_shown = sdk::cut_input(key);
            result.error = "overrides[" + key_shown + "]: " + why;
            return result;
        };
        const auto dot = key.find('.');
        if (dot == std::string::npos || dot == 0) return refuse("expected " + std::string(kKeys));
        const std::string service = key.substr(0, dot);
        const std::string field = key.substr(dot + 1);
        const auto* base = registry.find(tenant, service);
        if (base == nullptr) {
            const std::string name = sdk::quote_input(service);
            return refuse("no service " + name + " in tenant '" + tenant + "'");
        }
        auto& copy = copies[service];
        if (!copy) copy = std::make_shared<EffectiveService>(*base);
        if (field == "image") {
            if (value.empty()) return refuse("empty image");
            if (auto problem = image_reference_problem(value)) return refuse(*problem);
            copy->definition.image = value;
        } else if (field == "command") {
            auto words = model::split_shell_words(value);
            if (!words.error.empty()) return refuse(words.error);
            copy->definition.command = std::move(words.words);
        } else if (field.rfind("env.", 0) == 0 && field.size() > 4 && field.find('=') == std::string::npos) {
            copy->definition.env[field.substr(4)] = value;
        } else {
            const std::string name = sdk::quote_input(field);
            return refuse("unknown key " + name + " (expected " + std::string(kKeys) + ")");
        }
        applied[service][field] = value;
    }
    for (auto& [service, copy] : copies) {
        copy->definition_hash =
            definition_hash({{"base", copy->definition_hash}, {"overrides", applied[service]}});
        copy->definition.labels[kDefinitionHashLabel] = copy->definition_hash;
        result.services[service] = std::move(copy);
    }
    return result;
}

}  // namespace envmgr::host::registry

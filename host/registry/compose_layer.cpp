#include "host/registry/compose_layer.h"

#include "host/registry/compose/compose_project.h"

#include <filesystem>

namespace envmgr::host::registry {

ComposeLayer compose_layer(const TenantSettings& tenant, const std::string& config_file,
                           const config::Environment& environment) {
    ComposeLayer layer;
    const std::filesystem::path base = config_file.empty() ? std::filesystem::current_path()
                                                           : std::filesystem::path(config_file).parent_path();
    std::vector<std::string> paths;
    for (const auto& file : tenant.compose) {
        const std::filesystem::path path(file);
        paths.push_back((path.is_absolute() ? path : base / path).lexically_normal().string());
    }
    const auto home = environment("HOME");  // "~" in bind mounts: the same environment as the rest
    const auto project =
        compose::load_project(paths, environment, {tenant.compose_profiles, home.value_or("/root")});
    for (const auto& problem : project.problems) {
        const std::string field = problem.key.empty() ? "" : "compose " + problem.key;
        if (problem.severity == compose::ComposeProblem::Severity::error) {
            layer.errors.push_back(
                {tenant.name, problem.service, field, problem.message, problem.where.text()});
        } else {
            RegistryError as_text{tenant.name == kDefaultTenant ? "" : tenant.name, problem.service, field,
                                  problem.message, problem.where.text()};
            layer.warnings.push_back(as_text.to_string());
        }
    }
    for (const auto& service : project.services) {
        ComposeDraft draft{service.name, service.definition, {}, service.where.text()};
        for (const auto& [field, place] : service.field_places) draft.places[field] = place.text();
        layer.services.push_back(std::move(draft));
    }
    layer.network = project.network;
    layer.exact_volumes = project.exact_volumes;
    return layer;
}

}  // namespace envmgr::host::registry

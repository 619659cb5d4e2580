#include "host/registry/compose/compose_project.h"

#include "host/registry/compose/compose_environment.h"

#include <algorithm>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

std::vector<std::string> chosen_profiles(const ProjectOptions& options,
                                         const config::Environment& environment) {
    std::vector<std::string> profiles = options.profiles;
    if (const auto listed = environment("COMPOSE_PROFILES")) {
        std::size_t from = 0;
        while (from <= listed->size()) {
            const auto comma = listed->find(',', from);
            const std::string name =
                listed->substr(from, comma == std::string::npos ? std::string::npos : comma - from);
            if (!name.empty()) profiles.push_back(name);
            if (comma == std::string::npos) break;
            from = comma + 1;
        }
    }
    return profiles;
}

bool active(const ComposedService& service, const std::vector<std::string>& profiles) {
    if (service.profiles.empty()) return true;
    return std::any_of(service.profiles.begin(), service.profiles.end(), [&](const std::string& profile) {
        return profile == "*" || std::find(profiles.begin(), profiles.end(), profile) != profiles.end() ||
               std::find(profiles.begin(), profiles.end(), "*") != profiles.end();
    });
}

// A dependency on a service that is not active: dropped when it is not required, else an error.
void check_dependencies(ComposeProject& project, const std::map<std::string, const ComposedService*>& all) {
    std::set<std::string> names;
    for (const auto& service : project.services) names.insert(service.name);
    for (auto& service : project.services) {
        Json kept = Json::array();
        for (const auto& dependency : service.definition["depends_on"]) {
            const std::string name = dependency.value("service", "");
            const auto place = service.field_places.contains("depends_on")
                                   ? service.field_places.at("depends_on")
                                   : service.where;
            const auto found = all.find(name);
            if (names.contains(name) || found == all.end()) {
                kept.push_back(dependency);  // an unknown one too: the registry names it, as for any service
            } else if (service.optional_dependencies.contains(name)) {
                project.problems.push_back(ComposeProblem::warning(
                    place, service.name, "depends_on." + name,
                    "'" + name + "' is not part of this start (required: false): not waited for"));
            } else {
                std::string listed;
                for (const auto& profile : found->second->profiles) {
                    listed += (listed.empty() ? "" : ", ") + profile;
                }
                project.problems.push_back(
                    ComposeProblem::error(place, service.name, "depends_on." + name,
                                          "'" + name + "' runs only with profile " + listed +
                                              ": choose it (compose_profiles, or COMPOSE_PROFILES) or mark "
                                              "the dependency required: false"));
            }
        }
        service.definition["depends_on"] = kept;
    }
}

void read_network_and_volumes(ComposeProject& project, const ComposeModel& model) {
    if (model.networks.contains("default")) {
        const Json& network = model.networks["default"];
        if (network.is_object() && network.contains("name") && network["name"].is_string()) {
            project.network = network["name"].get<std::string>();
        }
    }
    for (const auto& [name, volume] : model.volumes.items()) {
        if (!volume.is_object()) continue;
        if (volume.contains("name") && volume["name"].is_string()) {
            project.exact_volumes.insert(volume["name"].get<std::string>());
        } else if (volume.contains("external") && volume["external"] == true) {
            project.exact_volumes.insert(name);
        }
        for (const char* key : {"driver", "driver_opts", "labels"}) {
            if (volume.contains(key)) {
                project.problems.push_back(ComposeProblem::warning(
                    model.top_places.at("volumes." + name), "", std::string("volumes.") + name + "." + key,
                    "ignored: env-manager creates volumes with the engine's local driver"));
            }
        }
    }
}

}  // namespace

ComposeProject project_of(const ComposeModel& model, const config::Environment& environment,
                          const ProjectOptions& options) {
    ComposeProject project;
    project.files = model.files;
    project.problems = model.problems;
    const MappingContext context{model, environment, options.home};
    std::vector<ComposedService> mapped;
    for (const auto& [name, service] : model.services) {
        mapped.push_back(map_service(service, context, project.problems));
    }
    std::map<std::string, const ComposedService*> all;
    for (const auto& service : mapped) all[service.name] = &service;
    const auto profiles = chosen_profiles(options, environment);
    for (const auto& service : mapped) {
        if (active(service, profiles)) project.services.push_back(service);
    }
    check_dependencies(project, all);
    read_network_and_volumes(project, model);
    return project;
}

ComposeProject load_project(const std::vector<std::string>& paths, const config::Environment& environment,
                            const ProjectOptions& options) {
    const ComposeModel model = load_compose(paths, environment);
    return project_of(model, compose_environment(environment, model.dotenv), options);
}

}  // namespace envmgr::host::registry::compose

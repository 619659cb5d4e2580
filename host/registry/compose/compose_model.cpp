#include "host/registry/compose/compose_model.h"

#include "host/registry/compose/compose_environment.h"
#include "host/registry/compose/compose_interpolation.h"
#include "host/registry/compose/compose_normalize.h"
#include "host/registry/compose/yaml_tree.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

// Top-level keys: what a file may hold beside services (x-* extension fields are free).
const std::set<std::string>& top_level_keys() {
    static const std::set<std::string> keys{"version",  "name",    "services", "volumes",
                                            "networks", "secrets", "configs",  "include"};
    return keys;
}

// What a service does not take from the service it extends (as docker-compose 1.29).
const std::set<std::string>& not_inherited() {
    static const std::set<std::string> keys{"depends_on", "links", "volumes_from", "extends"};
    return keys;
}

class FileReader {
public:
    FileReader(const YamlTree& tree, std::vector<ComposeProblem>& problems)
        : tree_(tree), problems_(problems) {}

    // The file's services, extends resolved and normalized.
    std::map<std::string, ComposeService> services(const std::string& directory) {
        const Json& root = tree_.value;
        if (!root.contains("services")) return {};
        if (!root["services"].is_object()) {
            error(tree_.at("/services"), "", "services", "expected a mapping of service names");
            return {};
        }
        for (const auto& [name, config] : root["services"].items()) {
            ComposeService service;
            service.name = name;
            service.directory = directory;
            const std::string base = pointer_append("/services", name);
            const auto key = tree_.key_places.find(base);
            service.where = key != tree_.key_places.end() ? key->second : tree_.at(base);
            if (!config.is_object() && !config.is_null()) {
                error(service.where, name, "", "expected a mapping");
                continue;
            }
            service.config = config.is_null() ? Json::object() : config;
            for (auto it = tree_.locations.lower_bound(base); it != tree_.locations.end(); ++it) {
                if (it->first.compare(0, base.size(), base) != 0) break;
                if (it->first.size() > base.size() && it->first[base.size()] != '/') continue;
                service.places[it->first.substr(base.size())] = it->second;
            }
            raw_[name] = std::move(service);
        }
        std::map<std::string, ComposeService> done;
        for (const auto& [name, service] : raw_) {
            std::set<std::string> chain;
            if (auto resolved = resolve(name, chain)) done[name] = std::move(*resolved);
        }
        for (auto& [name, service] : done) normalize_service(service, problems_);
        return done;
    }

private:
    // The service with what it extends merged under it; a cycle or an unknown base is a problem.
    std::optional<ComposeService> resolve(const std::string& name, std::set<std::string>& chain) {
        const ComposeService& service = raw_.at(name);
        if (!service.config.contains("extends")) return service;
        const Json& extends = service.config["extends"];
        const SourceLocation where = service.at("/extends");
        std::string base_name;
        if (extends.is_string()) {
            base_name = extends.get<std::string>();
        } else if (extends.is_object() && extends.contains("service") && extends["service"].is_string()) {
            base_name = extends["service"].get<std::string>();
            if (extends.contains("file")) {
                error(where, name, "extends.file",
                      "extends from another file is not supported: list that file under compose (or "
                      "--compose) before this one and extend the service by name");
                return std::nullopt;
            }
        } else {
            error(where, name, "extends", "expected a service name or {service: NAME}");
            return std::nullopt;
        }
        if (!raw_.contains(base_name)) {
            error(where, name, "extends", "extends unknown service '" + base_name + "' (only this file's)");
            return std::nullopt;
        }
        if (!chain.insert(name).second) {
            error(where, name, "extends", "extends itself through '" + base_name + "'");
            return std::nullopt;
        }
        auto base = resolve(base_name, chain);
        if (!base) return std::nullopt;
        for (const auto& key : not_inherited()) base->config.erase(key);
        ComposeService own = service;
        own.config.erase("extends");
        std::vector<ComposeProblem> ignored;
        normalize_service(*base, ignored);  // both sides in one form before the merge
        normalize_service(own, ignored);
        base->name = name;
        base->where = service.where;
        merge_service(*base, own);
        return base;
    }

    void error(const SourceLocation& where, const std::string& service, const std::string& key,
               std::string message) {
        problems_.push_back(ComposeProblem::error(where, service, key, std::move(message)));
    }

    const YamlTree& tree_;
    std::vector<ComposeProblem>& problems_;
    std::map<std::string, ComposeService> raw_;
};

void check_top_level(const YamlTree& tree, std::vector<ComposeProblem>& problems) {
    for (const auto& [key, value] : tree.value.items()) {
        const SourceLocation where = tree.at(pointer_append("", key));
        if (key.starts_with("x-")) continue;
        if (!top_level_keys().contains(key)) {
            problems.push_back(ComposeProblem::error(where, "", key, "unknown top-level key '" + key + "'"));
        } else if (key == "secrets" || key == "configs" || key == "include") {
            problems.push_back(ComposeProblem::warning(
                where, "", key, "top-level '" + key + "' is ignored: env-manager does not read it"));
        }
    }
}

void merge_top_level(ComposeModel& model, const YamlTree& tree, const char* section, Json& into) {
    if (!tree.value.contains(section) || tree.value[section].is_null()) return;
    const Json& entries = tree.value[section];
    const std::string base = pointer_append("", section);
    if (!entries.is_object()) {
        model.problems.push_back(ComposeProblem::error(tree.at(base), "", section,
                                                       std::string("expected a mapping of ") + section));
        return;
    }
    for (const auto& [name, config] : entries.items()) {
        into[name] = config.is_null() ? Json::object() : config;
        model.top_places[std::string(section) + "." + name] = tree.at(pointer_append(base, name));
    }
}

}  // namespace

ComposeModel read_compose(const std::vector<ComposeSource>& sources, const config::Environment& environment) {
    ComposeModel model;
    for (const auto& source : sources) {
        model.files.push_back(source.path);
        if (model.directory.empty()) {
            model.directory = std::filesystem::path(source.path).parent_path().lexically_normal().string();
        }
        auto read = read_yaml(source.text, source.path);
        if (auto* problem = std::get_if<ComposeProblem>(&read)) {
            model.problems.push_back(std::move(*problem));
            continue;
        }
        auto& tree = std::get<YamlTree>(read);
        if (!tree.value.is_object()) {
            if (!tree.value.is_null()) {
                model.problems.push_back(ComposeProblem::error(
                    tree.at(""), "", "", "expected a mapping at the top of a Compose file"));
            }
            continue;
        }
        interpolate_tree(tree, environment, model.problems);
        check_top_level(tree, model.problems);
        FileReader reader(tree, model.problems);
        for (auto& [name, service] : reader.services(model.directory)) {
            const auto [it, fresh] = model.services.try_emplace(name, service);
            if (!fresh) merge_service(it->second, service);
        }
        merge_top_level(model, tree, "volumes", model.volumes);
        merge_top_level(model, tree, "networks", model.networks);
    }
    return model;
}

ComposeModel load_compose(const std::vector<std::string>& paths, const config::Environment& process) {
    std::vector<ComposeSource> sources;
    std::vector<ComposeProblem> problems;
    for (const auto& path : paths) {
        std::ifstream file(path, std::ios::binary);
        std::stringstream text;
        if (file.is_open()) text << file.rdbuf();
        if (!file.is_open() || file.bad()) {
            problems.push_back(ComposeProblem::error(SourceLocation::at(path, 0, 0), "", "",
                                                     "cannot read the Compose file"));
            continue;
        }
        sources.push_back({path, text.str()});
    }
    std::map<std::string, std::string> dotenv;
    if (!paths.empty()) {
        const auto env_path = std::filesystem::path(paths.front()).parent_path() / ".env";
        std::ifstream file(env_path, std::ios::binary);
        if (file) {
            std::stringstream text;
            text << file.rdbuf();
            dotenv = read_dotenv(text.str(), env_path.string(), problems);
        }
    }
    ComposeModel model = read_compose(sources, compose_environment(process, dotenv));
    model.dotenv = std::move(dotenv);
    model.problems.insert(model.problems.begin(), problems.begin(), problems.end());
    return model;
}

}  // namespace envmgr::host::registry::compose

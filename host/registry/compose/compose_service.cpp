#include "host/registry/compose/compose_service.h"

#include "host/config/suggestion.h"
#include "host/registry/compose/compose_environment.h"
#include "host/registry/compose/compose_keys.h"
#include "host/registry/compose/compose_mapping.h"
#include "host/registry/compose/compose_values.h"

#include <envmgr/sdk/documents/service_definition.h>

#include <fstream>
#include <sstream>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

bool asks_for_nothing(const Json& value) {
    return value.is_null() || value == false || (value.is_array() && value.empty()) ||
           (value.is_object() && value.empty());
}

// The kind of value a key takes: a key written with another kind is an error and left out.
enum class Kind { any, list, mapping, text };

Kind kind_of(const std::string& key) {
    static const std::map<std::string, Kind> kinds{
        {"ports", Kind::list},          {"expose", Kind::list},         {"volumes", Kind::list},
        {"tmpfs", Kind::list},          {"cap_add", Kind::list},        {"cap_drop", Kind::list},
        {"security_opt", Kind::list},   {"extra_hosts", Kind::list},    {"profiles", Kind::list},
        {"env_file", Kind::list},       {"environment", Kind::mapping}, {"labels", Kind::mapping},
        {"depends_on", Kind::mapping},  {"healthcheck", Kind::mapping}, {"deploy", Kind::mapping},
        {"image", Kind::text},          {"user", Kind::text},           {"working_dir", Kind::text},
        {"container_name", Kind::text}, {"stop_signal", Kind::text},    {"restart", Kind::text}};
    const auto found = kinds.find(key);
    return found == kinds.end() ? Kind::any : found->second;
}

bool has_kind(const Json& value, Kind kind) {
    switch (kind) {
        case Kind::list: return value.is_array();
        case Kind::mapping: return value.is_object();
        case Kind::text: return value.is_string() || value.is_number();
        case Kind::any: return true;
    }
    return true;
}

void check_kinds(MappingState& state) {
    static const std::map<Kind, const char*> names{
        {Kind::list, "a list"}, {Kind::mapping, "a mapping"}, {Kind::text, "a string"}};
    state.checked = state.service.config;
    for (const auto& [key, value] : state.service.config.items()) {
        const Kind kind = kind_of(key);
        if (!has_kind(value, kind)) {
            state.error(pointer_append("", key), key, std::string("expected ") + names.at(kind));
            state.checked.erase(key);
        }
    }
}

void check_keys(MappingState& state) {
    static const auto known = [] {
        std::vector<std::string> names;
        for (const auto name : compose_key_names()) names.emplace_back(name);
        return names;
    }();
    for (const auto& [key, value] : state.config().items()) {
        const std::string pointer = pointer_append("", key);
        if (key.starts_with("x-")) continue;
        const ComposeKey* entry = compose_key(key);
        if (entry == nullptr) {
            const std::string near = config::closest_name(key, known);
            state.error(
                pointer, key,
                "unknown key '" + key + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
        } else if (entry->handling == KeyHandling::ignored) {
            state.warning(pointer, key, "ignored: " + std::string(entry->why));
        } else if (entry->handling == KeyHandling::refused && !asks_for_nothing(value)) {
            state.error(pointer, key, "not supported: " + std::string(entry->why));
        }
    }
}

void map_image(MappingState& state) {
    const bool build = state.has("build");
    if (state.has("image") && state.config()["image"].is_string()) {
        state.field("image") = state.config()["image"];
        state.place("image", "/image");
        if (build) {
            state.warning("/build", "build",
                          "not run: env-manager builds no images; image '" +
                              state.config()["image"].get<std::string>() +
                              "' is used as it is (pulled when missing)");
        }
    } else if (build) {
        state.error(
            "/build", "build",
            "env-manager builds no images: build it beforehand (docker build -t NAME) and give image: NAME");
    } else {
        state.error("", "image", "required (a string such as redis:7-alpine)");
    }
}

void map_words(MappingState& state, const char* key) {
    if (!state.has(key)) return;
    auto words = words_of(state.config()[key]);
    if (const auto* error = std::get_if<ValueError>(&words)) {
        state.error(pointer_append("", key), key, error->message);
        return;
    }
    state.field(key) = std::get<std::vector<std::string>>(words);
    state.place(key, pointer_append("", key));
}

void read_env_files(MappingState& state, Json& env) {
    if (!state.has("env_file")) return;
    const Json& files = state.config()["env_file"];
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string written = files[i].value("path", "");
        const std::string path = written.starts_with("/") ? written : state.service.directory + "/" + written;
        std::ifstream file(path, std::ios::binary);
        if (!file.is_open()) {
            if (files[i].value("required", true)) {
                state.error("/env_file/" + std::to_string(i), "env_file", "cannot read '" + path + "'");
            }
            continue;
        }
        std::stringstream text;
        text << file.rdbuf();
        for (auto& [name, value] : read_dotenv(text.str(), path, state.problems)) env[name] = value;
    }
}

void map_environment(MappingState& state) {
    Json env = Json::object();
    read_env_files(state, env);
    const Json environment = state.config().value("environment", Json::object());
    for (const auto& [name, value] : environment.items()) {
        if (!value.is_null()) {
            env[name] = value;
        } else if (auto found = state.context.environment(name)) {
            env[name] = *found;
        } else {
            env.erase(name);  // a bare name that is not set passes nothing, as in Compose
        }
    }
    state.field("env") = env;
    state.place("env", state.has("environment") ? "/environment" : "/env_file");
}

void map_ports(MappingState& state) {
    Json ports = Json::array();
    const Json listed = state.config().value("ports", Json::array());
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const std::string pointer = "/ports/" + std::to_string(i);
        auto read = ports_of(listed[i]);
        if (const auto* error = std::get_if<ValueError>(&read)) {
            state.error(pointer, "ports", error->message);
            continue;
        }
        const auto& found = std::get<PortsRead>(read);
        if (found.random_host_port) {
            state.warning(
                pointer, "ports",
                "no host port given: Compose publishes it on a port the engine picks; "
                "env-manager publishes fixed ports only, so it is reachable on the tenant network only");
        }
        for (const auto& port : found.ports) ports.push_back(port);
    }
    const Json exposed = state.config().value("expose", Json::array());
    for (std::size_t i = 0; i < exposed.size(); ++i) {
        Json entry = exposed[i].is_string() ? exposed[i] : Json(exposed[i].dump());
        auto read = ports_of(entry);
        if (const auto* error = std::get_if<ValueError>(&read)) {
            state.error("/expose/" + std::to_string(i), "expose", error->message);
            continue;
        }
        for (const auto& port : std::get<PortsRead>(read).ports) ports.push_back(port);
    }
    state.field("ports") = ports;
    state.place("ports", state.has("ports") ? "/ports" : "/expose");
}

// A volume the file names: declared at the top level, with its own name when it gives one.
std::string named_volume(MappingState& state, const std::string& source, const std::string& pointer) {
    const Json& declared = state.context.model.volumes;
    if (!declared.contains(source)) {
        state.error(pointer, "volumes",
                    "volume '" + source + "' is not declared under the top-level volumes");
        return source;
    }
    const Json& volume = declared[source];
    if (volume.is_object() && volume.contains("name") && volume["name"].is_string()) return volume["name"];
    return source;
}

void map_volumes(MappingState& state) {
    Json mounts = Json::array();
    const Json listed = state.config().value("volumes", Json::array());
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const std::string pointer = "/volumes/" + std::to_string(i);
        auto read = volume_of(listed[i], state.service.directory, state.context.home);
        if (const auto* error = std::get_if<ValueError>(&read)) {
            state.error(pointer, "volumes", error->message);
            continue;
        }
        auto& found = std::get<VolumeRead>(read);
        if (found.anonymous) {
            std::string name = state.service.name;
            for (const char c : found.mount.target) {
                name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
            }
            found.mount.type = "volume";
            found.mount.source = name;
            state.warning(
                pointer, "volumes",
                "an anonymous volume: env-manager names it '" + name + "' and keeps it across recreations");
        } else if (found.mount.type == "volume") {
            found.mount.source = named_volume(state, found.mount.source, pointer);
        }
        for (const auto& option : found.ignored) {
            state.warning(pointer, "volumes",
                          "option '" + option + "' ignored: env-manager mounts with the engine's defaults");
        }
        mounts.push_back(found.mount);
    }
    const Json tmpfs = state.config().value("tmpfs", Json::array());
    for (std::size_t i = 0; i < tmpfs.size(); ++i) {
        auto read = tmpfs_of(tmpfs[i]);
        if (const auto* error = std::get_if<ValueError>(&read)) {
            state.error("/tmpfs/" + std::to_string(i), "tmpfs", error->message);
            continue;
        }
        mounts.push_back(std::get<sdk::Mount>(read));
    }
    state.field("mounts") = mounts;
    state.place("mounts", state.has("volumes") ? "/volumes" : "/tmpfs");
}

void map_dependencies(MappingState& state) {
    Json dependencies = Json::array();
    const Json listed = state.config().value("depends_on", Json::object());
    for (const auto& [name, entry] : listed.items()) {
        const std::string pointer = "/depends_on/" + name;
        const std::string condition = entry.value("condition", "service_started");
        static const std::map<std::string, std::string> conditions{
            {"service_started", "started"},
            {"service_healthy", "healthy"},
            {"service_completed_successfully", "completed_successfully"}};
        const auto mapped = conditions.find(condition);
        if (mapped == conditions.end()) {
            state.error(pointer, "depends_on." + name + ".condition",
                        "expected service_started, service_healthy or service_completed_successfully");
            continue;
        }
        if (entry.value("required", true) == false) state.out.optional_dependencies.insert(name);
        if (entry.value("restart", false) == true) {
            state.warning(pointer, "depends_on." + name + ".restart",
                          "not honoured as such: env-manager recreates a dependent when its dependency's "
                          "definition changes, "
                          "not on each restart of it");
        }
        dependencies.push_back({{"service", name}, {"condition", mapped->second}});
    }
    state.field("depends_on") = dependencies;
    state.place("depends_on", "/depends_on");
}

}  // namespace

namespace {

ComposedService map_checked_service(const ComposeService& service, const MappingContext& context,
                                    std::vector<ComposeProblem>& problems) {
    MappingState state{service, context, problems, {}, {}};
    state.out.name = service.name;
    state.out.where = service.where;
    sdk::ServiceDefinition blank;
    blank.name = service.name;
    blank.init = false;  // Compose's default
    state.out.definition = blank;
    check_kinds(state);
    check_keys(state);
    map_image(state);
    map_words(state, "command");
    map_words(state, "entrypoint");
    map_environment(state);
    map_ports(state);
    map_volumes(state);
    map_dependencies(state);
    map_healthcheck(state);
    map_restart(state);
    map_deploy(state);
    map_process_options(state);
    return std::move(state.out);
}

}  // namespace

ComposedService map_service(const ComposeService& service, const MappingContext& context,
                            std::vector<ComposeProblem>& problems) {
    // The kinds of the service's own keys are checked first; a value deeper down of a kind no
    // reader expects ends the mapping of this service with an error rather than the daemon.
    try {
        return map_checked_service(service, context, problems);
    } catch (const nlohmann::json::exception& e) {
        problems.push_back(
            ComposeProblem::error(service.where, service.name, "",
                                  std::string("a value of a kind this key does not take: ") + e.what()));
        ComposedService failed;
        failed.name = service.name;
        failed.where = service.where;
        return failed;
    }
}

}  // namespace envmgr::host::registry::compose

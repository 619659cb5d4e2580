// How the process runs (user, folder, capabilities, signals), what the container is called and
// labelled, which profiles it belongs to, and which network it joins.
#include "host/registry/compose/compose_mapping.h"
#include "host/registry/compose/compose_values.h"

#include <cmath>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

void copy_string(MappingState& state, const char* key, Json& into, const char* field) {
    if (!state.has(key)) return;
    const Json& value = state.config()[key];
    if (!value.is_string() && !value.is_number()) {
        state.error(pointer_append("", key), key, "expected a string");
        return;
    }
    into[field] = value.is_string() ? value.get<std::string>() : value.dump();
    state.place(std::string("process.") + field, pointer_append("", key));
}

void copy_list(MappingState& state, const char* key, Json& into) {
    if (!state.has(key)) return;
    Json list = Json::array();
    for (const auto& item : state.config()[key]) {
        std::string text = item.is_string() ? item.get<std::string>() : item.dump();
        if (std::string(key) ==
            "extra_hosts") {  // "name=address" is Compose's other spelling of "name:address"
            if (const auto equals = text.find('='); equals != std::string::npos) text[equals] = ':';
        }
        list.push_back(text);
    }
    into[key] = list;
    state.place(std::string("process.") + key, pointer_append("", key));
}

void map_stop(MappingState& state, Json& process) {
    copy_string(state, "stop_signal", process, "stop_signal");
    if (!state.has("stop_grace_period")) return;
    auto grace = duration_ms(state.config()["stop_grace_period"]);
    if (const auto* error = std::get_if<ValueError>(&grace)) {
        state.error("/stop_grace_period", "stop_grace_period", error->message);
        return;
    }
    // The engine takes whole seconds; a part of one rounds up so the service gets at least its time.
    state.field("stop_timeout_seconds") = (std::get<std::int64_t>(grace) + 999) / 1000;
    state.place("stop_timeout_seconds", "/stop_grace_period");
}

void map_labels_and_names(MappingState& state) {
    if (state.has("labels")) {
        state.field("labels") = state.config()["labels"];
        state.place("labels", "/labels");
    }
    if (state.has("container_name")) {
        state.field("container_name") = state.config()["container_name"];
        state.place("container_name", "/container_name");
    }
    if (state.has("init")) {
        state.field("init") = state.config()["init"] == true;
        state.place("init", "/init");
    }
    for (const auto& profile : state.config().value("profiles", Json::array())) {
        state.out.profiles.push_back(profile.is_string() ? profile.get<std::string>() : profile.dump());
    }
}

void map_networks(MappingState& state) {
    if (state.has("network_mode")) {
        const Json& mode = state.config()["network_mode"];
        if (mode != "bridge" && mode != "default") {
            state.error("/network_mode", "network_mode",
                        "not supported: every service of a tenant runs on the tenant's own network");
        }
    }
    if (!state.has("networks")) return;
    const Json& networks = state.config()["networks"];
    std::vector<std::string> names;
    if (networks.is_array()) {
        for (const auto& name : networks) {
            names.push_back(name.is_string() ? name.get<std::string>() : name.dump());
        }
    } else if (networks.is_object()) {
        for (const auto& [name, settings] : networks.items()) {
            names.push_back(name);
            if (settings.is_object() && !settings.empty()) {
                state.warning(pointer_append("/networks", name), "networks." + name,
                              "settings ignored (aliases, addresses): the service is reached by its name");
            }
        }
    }
    for (const auto& name : names) {
        if (name != "default") {
            state.warning(pointer_append("/networks", name), "networks",
                          "network '" + name +
                              "' is not joined: every service of a tenant is on the tenant's one network, "
                              "where all of them reach each other by name");
        }
    }
}

}  // namespace

void map_process_options(MappingState& state) {
    Json& process = state.field("process");
    copy_string(state, "user", process, "user");
    copy_string(state, "working_dir", process, "working_dir");
    if (state.has("read_only")) {
        process["read_only"] = state.config()["read_only"] == true;
        state.place("process.read_only", "/read_only");
    }
    for (const char* key : {"cap_add", "cap_drop", "security_opt", "extra_hosts"}) {
        copy_list(state, key, process);
    }
    map_stop(state, process);
    map_labels_and_names(state);
    map_networks(state);
}

}  // namespace envmgr::host::registry::compose

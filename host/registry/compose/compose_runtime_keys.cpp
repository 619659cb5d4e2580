// healthcheck, restart and deploy: how a Compose service is watched, restarted and limited.
#include "host/registry/compose/compose_mapping.h"
#include "host/registry/compose/compose_values.h"

#include <algorithm>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

// Docker's own defaults for a healthcheck's timings (HEALTHCHECK in the Dockerfile reference).
constexpr std::int64_t kDockerHealthIntervalMs = 30'000;
constexpr std::int64_t kDockerHealthTimeoutMs = 30'000;
constexpr int kDockerHealthRetries = 3;

std::optional<std::vector<std::string>> health_command(MappingState& state, const Json& test) {
    if (test.is_string()) return std::vector<std::string>{"/bin/sh", "-c", test.get<std::string>()};
    if (!test.is_array() || test.empty() || !test[0].is_string()) {
        state.error("/healthcheck/test", "healthcheck.test",
                    R"(expected a string or ["CMD", ...] / ["CMD-SHELL", "..."])");
        return std::nullopt;
    }
    const std::string form = test[0].get<std::string>();
    std::vector<std::string> words;
    for (std::size_t i = 1; i < test.size(); ++i) {
        words.push_back(test[i].is_string() ? test[i].get<std::string>() : test[i].dump());
    }
    if (form == "NONE") return std::vector<std::string>{};
    if (form == "CMD" && !words.empty()) return words;
    if (form == "CMD-SHELL" && !words.empty()) {
        std::string line;
        for (const auto& word : words) line += (line.empty() ? "" : " ") + word;
        return std::vector<std::string>{"/bin/sh", "-c", line};
    }
    state.error("/healthcheck/test", "healthcheck.test",
                "the first word must be CMD, CMD-SHELL or NONE, followed by the command");
    return std::nullopt;
}

void health_timing(MappingState& state, const Json& check, const char* key, const char* field,
                   std::int64_t fallback) {
    std::int64_t value = fallback;
    if (check.contains(key)) {
        auto read = duration_ms(check[key]);
        if (const auto* error = std::get_if<ValueError>(&read)) {
            state.error(std::string("/healthcheck/") + key, std::string("healthcheck.") + key,
                        error->message);
            return;
        }
        value = std::get<std::int64_t>(read);
    }
    state.field("readiness")[field] = value;
}

// Reads object[key] with parse into resources.FIELD; a value it cannot read is an error at its
// place (pointer below the service, e.g. "/deploy/resources/limits"; key_path "deploy.resources.limits").
template <typename Parse>
void read_resource(MappingState& state, const Json& object, const std::string& key,
                   const std::string& pointer, const std::string& key_path, Parse parse, const char* field) {
    if (!object.contains(key)) return;
    auto read = parse(object[key]);
    if (const auto* error = std::get_if<ValueError>(&read)) {
        state.error(pointer + "/" + key, key_path.empty() ? key : key_path + "." + key, error->message);
        return;
    }
    state.field("resources")[field] = std::get<0>(read);
}

void map_limits(MappingState& state, const Json& limits) {
    const std::string pointer = "/deploy/resources/limits";
    read_resource(state, limits, "cpus", pointer, "deploy.resources.limits", decimal, "cpus");
    read_resource(state, limits, "memory", pointer, "deploy.resources.limits", byte_size, "memory_bytes");
    if (limits.contains("pids")) {
        state.warning("/deploy/resources/limits/pids", "deploy.resources.limits.pids",
                      "ignored: the engine's default applies");
    }
    state.place("resources", "/deploy/resources");
}

void map_devices(MappingState& state, const Json& devices) {
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const Json& device = devices[i];
        const std::string pointer = "/deploy/resources/reservations/devices/" + std::to_string(i);
        const Json capabilities = device.value("capabilities", Json::array());
        if (std::find(capabilities.begin(), capabilities.end(), Json("gpu")) == capabilities.end()) {
            state.error(pointer, "deploy.resources.reservations.devices",
                        "env-manager reserves GPUs only (capabilities: [gpu])");
            continue;
        }
        state.field("gpu") = "required";
        if (device.contains("device_ids")) {
            state.field("gpu_device_ids") = device["device_ids"];
        } else if (device.contains("count") && device["count"] != "all") {
            state.field("gpu_count") = device["count"].is_number_integer() ? device["count"].get<int>() : -1;
        }
        state.place("gpu", pointer);
    }
}

void map_reservations(MappingState& state, const Json& reservations) {
    read_resource(state, reservations, "memory", "/deploy/resources/reservations",
                  "deploy.resources.reservations", byte_size, "memory_reservation_bytes");
    if (reservations.contains("cpus")) {
        state.warning("/deploy/resources/reservations/cpus", "deploy.resources.reservations.cpus",
                      "ignored: the engine reserves CPUs only in Docker Swarm (a limit is honoured)");
    }
    if (reservations.contains("devices") && reservations["devices"].is_array()) {
        map_devices(state, reservations["devices"]);
    }
}

// deploy.replicas and deploy.placement: honoured by a backend that places services on several
// machines (backend.swarm); one engine refuses more than one replica when the service starts.
void map_placement(MappingState& state, const Json& deploy) {
    if (deploy.contains("replicas")) {
        const Json& replicas = deploy["replicas"];
        if (!replicas.is_number_integer() || replicas.get<std::int64_t>() < 1) {
            state.error("/deploy/replicas", "deploy.replicas", "expected a whole number of at least 1");
        } else if (replicas.get<std::int64_t>() > 1) {
            state.field("replicas") = replicas;
            state.place("replicas", "/deploy/replicas");
            state.warning(
                "/deploy/replicas", "deploy.replicas",
                "needs a backend that places services (backend.swarm): one engine runs one container "
                "per service and refuses to start more");
        }
    }
    if (!deploy.contains("placement") || !deploy["placement"].is_object()) return;
    const Json& placement = deploy["placement"];
    if (placement.contains("constraints") && placement["constraints"].is_array()) {
        state.field("placement") = placement["constraints"];
        state.place("placement", "/deploy/placement/constraints");
    }
    auto spread = Json::array();
    for (const auto& preference : placement.value("preferences", Json::array())) {
        if (preference.is_object() && preference.contains("spread")) spread.push_back(preference["spread"]);
    }
    if (!spread.empty()) {
        state.field("placement_preferences") = spread;
        state.place("placement_preferences", "/deploy/placement/preferences");
    }
}

void map_legacy_resources(MappingState& state) {
    read_resource(state, state.config(), "mem_limit", "", "", byte_size, "memory_bytes");
    read_resource(state, state.config(), "mem_reservation", "", "", byte_size, "memory_reservation_bytes");
    read_resource(state, state.config(), "cpus", "", "", decimal, "cpus");
}

}  // namespace

void map_healthcheck(MappingState& state) {
    if (!state.has("healthcheck")) return;
    const Json& check = state.config()["healthcheck"];
    state.place("readiness", "/healthcheck");
    if (!check.is_object()) {
        state.error("/healthcheck", "healthcheck", "expected a mapping");
        return;
    }
    if (check.value("disable", false)) return;
    if (!check.contains("test")) {
        state.warning(
            "/healthcheck", "healthcheck",
            "no test: the image's own HEALTHCHECK is not read, so the service counts as ready once it runs");
        return;
    }
    const auto command = health_command(state, check["test"]);
    if (!command || command->empty()) return;
    Json& readiness = state.field("readiness");
    readiness["type"] = "exec";
    readiness["name"] = "healthcheck";
    readiness["command"] = *command;
    health_timing(state, check, "interval", "interval_ms", kDockerHealthIntervalMs);
    health_timing(state, check, "timeout", "timeout_ms", kDockerHealthTimeoutMs);
    health_timing(state, check, "start_period", "start_period_ms", 0);
    readiness["failure_threshold"] = kDockerHealthRetries;
    if (check.contains("retries")) {
        if (!check["retries"].is_number_integer() || check["retries"].get<int>() < 1) {
            state.error("/healthcheck/retries", "healthcheck.retries",
                        "expected a whole number of at least 1");
        } else {
            readiness["failure_threshold"] = check["retries"].get<int>();
        }
    }
    // start_interval is honoured by construction: until a service is ready env-manager probes it
    // at its own readiness pace (from 10 ms), faster than any start_interval.
}

void map_restart(MappingState& state) {
    state.field("restart_policy") = "no";  // Compose's default, not env-manager's unless-stopped
    const Json deploy = state.config().value("deploy", Json::object());
    if (state.has("restart")) {
        const Json& value = state.config()["restart"];
        const std::string text =
            value.is_string() ? value.get<std::string>() : (value == false ? "no" : value.dump());
        state.place("restart_policy", "/restart");
        if (text == "no" || text == "always" || text == "unless-stopped" || text == "on-failure") {
            state.field("restart_policy") = text;
        } else if (text.starts_with("on-failure:")) {
            state.field("restart_policy") = "on-failure";
            try {
                state.field("restart_max_retries") = std::stoi(text.substr(11));
            } catch (const std::exception&) {
                state.error("/restart", "restart", "expected on-failure:N with a whole number N");
            }
        } else {
            state.error("/restart", "restart",
                        "expected no, always, unless-stopped or on-failure[:N], got '" + text + "'");
        }
        return;
    }
    if (!deploy.contains("restart_policy") || !deploy["restart_policy"].is_object()) return;
    const Json& policy = deploy["restart_policy"];
    state.place("restart_policy", "/deploy/restart_policy");
    const std::string condition = policy.value("condition", "any");
    if (condition == "none") state.field("restart_policy") = "no";
    if (condition == "any") state.field("restart_policy") = "always";
    if (condition == "on-failure") state.field("restart_policy") = "on-failure";
    if (condition != "none" && condition != "any" && condition != "on-failure") {
        state.error("/deploy/restart_policy/condition", "deploy.restart_policy.condition",
                    "expected none, on-failure or any");
    }
    if (policy.contains("max_attempts") && policy["max_attempts"].is_number_integer()) {
        state.field("restart_max_retries") = policy["max_attempts"].get<int>();
    }
    for (const char* key : {"delay", "window"}) {
        if (policy.contains(key)) {
            state.warning(std::string("/deploy/restart_policy/") + key,
                          std::string("deploy.restart_policy.") + key,
                          "ignored: env-manager restarts with its own back-off (restart.backoff_* settings)");
        }
    }
}

void map_deploy(MappingState& state) {
    map_legacy_resources(state);
    if (!state.has("deploy")) return;
    const Json& deploy = state.config()["deploy"];
    if (!deploy.is_object()) {
        state.error("/deploy", "deploy", "expected a mapping");
        return;
    }
    const Json resources = deploy.value("resources", Json::object());
    if (resources.contains("limits") && resources["limits"].is_object()) {
        map_limits(state, resources["limits"]);
    }
    if (resources.contains("reservations") && resources["reservations"].is_object()) {
        map_reservations(state, resources["reservations"]);
    }
    map_placement(state, deploy);
    if (deploy.value("mode", "replicated") != "replicated") {
        state.warning("/deploy/mode", "deploy.mode", "ignored: one container per service on this engine");
    }
    for (const char* key : {"update_config", "rollback_config", "endpoint_mode", "labels"}) {
        if (deploy.contains(key)) {
            state.warning(std::string("/deploy/") + key, std::string("deploy.") + key,
                          "ignored: it applies to Docker Swarm only");
        }
    }
}

}  // namespace envmgr::host::registry::compose

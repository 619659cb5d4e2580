#include "host/registry/compose/compose_normalize.h"

#include <algorithm>
#include <set>

namespace envmgr::host::registry::compose {
namespace {

using Json = nlohmann::json;

const std::set<std::string>& merged_mappings() {
    static const std::set<std::string> keys{"environment", "labels",  "depends_on", "healthcheck",
                                            "deploy",      "logging", "ulimits",    "sysctls",
                                            "build",       "networks"};
    return keys;
}

const std::set<std::string>& merged_lists() {
    static const std::set<std::string> keys{"ports",       "expose",       "cap_add",    "cap_drop",
                                            "dns",         "security_opt", "tmpfs",      "env_file",
                                            "extra_hosts", "devices",      "dns_search", "external_links",
                                            "profiles"};
    return keys;
}

std::string scalar_text(const Json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    return value.dump();
}

class Normalizer {
public:
    Normalizer(ComposeService& service, std::vector<ComposeProblem>& problems)
        : service_(service), problems_(problems) {}

    void run() {
        auto& config = service_.config;
        for (const char* key : {"environment", "labels"}) {
            if (config.contains(key)) {
                config[key] = key_values(config[key], key, std::string(key) == "environment");
            }
        }
        if (config.contains("depends_on")) config["depends_on"] = dependencies(config["depends_on"]);
        if (config.contains("extra_hosts") && config["extra_hosts"].is_object()) {
            Json hosts = Json::array();
            for (const auto& [host, address] : config["extra_hosts"].items()) {
                hosts.push_back(host + ":" + scalar_text(address));
            }
            config["extra_hosts"] = hosts;
        }
        for (const auto& key : merged_lists()) {
            if (config.contains(key) && (config[key].is_string() || config[key].is_number())) {
                config[key] = Json::array({config[key]});
            }
        }
        if (config.contains("env_file")) config["env_file"] = env_files(config["env_file"]);
    }

private:
    // environment / labels: a list of NAME=value (a bare NAME: null for environment, "" for labels)
    // or a mapping; values become strings, null stays null (environment: taken from the process).
    Json key_values(const Json& value, const std::string& key, bool bare_is_null) {
        Json out = Json::object();
        if (value.is_array()) {
            for (const auto& item : value) {
                const std::string entry = scalar_text(item);
                const auto equals = entry.find('=');
                if (equals == std::string::npos) {
                    out[entry] = bare_is_null ? Json(nullptr) : Json("");
                } else {
                    out[entry.substr(0, equals)] = entry.substr(equals + 1);
                }
            }
            return out;
        }
        if (!value.is_object()) {
            problem("/" + key, key, "expected a list of NAME=value or a mapping");
            return out;
        }
        for (const auto& [name, item] : value.items()) {
            if (item.is_object() || item.is_array()) {
                problem("/" + key + "/" + name, key + "." + name, "expected a string, a number or nothing");
                continue;
            }
            out[name] = item.is_null() ? (bare_is_null ? Json(nullptr) : Json("")) : Json(scalar_text(item));
        }
        return out;
    }

    Json dependencies(const Json& value) {
        Json out = Json::object();
        if (value.is_array()) {
            for (const auto& name : value) {
                out[scalar_text(name)] = {
                    {"condition", "service_started"}, {"required", true}, {"restart", false}};
            }
            return out;
        }
        if (!value.is_object()) {
            problem("/depends_on", "depends_on", "expected a list of services or a mapping");
            return out;
        }
        for (const auto& [name, item] : value.items()) {
            Json entry = item.is_object() ? item : Json::object();
            if (!entry.contains("condition")) entry["condition"] = "service_started";
            if (!entry.contains("required")) entry["required"] = true;
            if (!entry.contains("restart")) entry["restart"] = false;
            out[name] = entry;
        }
        return out;
    }

    static Json env_files(const Json& value) {
        Json out = Json::array();
        for (const auto& entry : value) {
            if (entry.is_object()) {
                out.push_back(
                    {{"path", entry.value("path", "")}, {"required", entry.value("required", true)}});
            } else {
                out.push_back({{"path", scalar_text(entry)}, {"required", true}});
            }
        }
        return out;
    }

    void problem(const std::string& pointer, const std::string& key, std::string message) {
        problems_.push_back(
            ComposeProblem::error(service_.at(pointer), service_.name, key, std::move(message)));
    }

    ComposeService& service_;
    std::vector<ComposeProblem>& problems_;
};

// A volume's container path: long syntax "target", short syntax "source:target[:mode]" or "target".
std::string volume_target(const Json& volume) {
    if (volume.is_object()) {
        return volume.contains("target") && volume["target"].is_string() ? volume["target"].get<std::string>()
                                                                         : "";
    }
    std::string text = scalar_text(volume);
    const auto first = text.find(':');
    if (first == std::string::npos) return text;
    const auto second = text.find(':', first + 1);
    return text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
}

void merge_volumes(Json& base, const Json& override_with) {
    for (const auto& volume : override_with) {
        const std::string target = volume_target(volume);
        const auto same = std::find_if(base.begin(), base.end(), [&](const Json& existing) {
            return volume_target(existing) == target;
        });
        if (same != base.end()) {
            *same = volume;
        } else {
            base.push_back(volume);
        }
    }
}

void merge_deep(Json& base, const Json& override_with) {
    for (const auto& [key, value] : override_with.items()) {
        if (value.is_object() && base.contains(key) && base[key].is_object()) {
            merge_deep(base[key], value);
        } else {
            base[key] = value;
        }
    }
}

}  // namespace

SourceLocation ComposeService::at(std::string pointer) const {
    return nearest_place(places, std::move(pointer), where);
}

void normalize_service(ComposeService& service, std::vector<ComposeProblem>& problems) {
    try {
        Normalizer(service, problems).run();
    } catch (const nlohmann::json::exception& e) {  // a value deeper down of a kind nothing reads
        problems.push_back(
            ComposeProblem::error(service.where, service.name, "",
                                  std::string("a value of a kind this key does not take: ") + e.what()));
    }
}

void merge_service(ComposeService& base, const ComposeService& override_with) {
    for (const auto& [key, value] : override_with.config.items()) {
        Json& slot = base.config[key];
        if (merged_mappings().contains(key) && value.is_object() && slot.is_object()) {
            merge_deep(slot, value);
        } else if (key == "volumes" && value.is_array() && slot.is_array()) {
            merge_volumes(slot, value);
        } else if (merged_lists().contains(key) && value.is_array() && slot.is_array()) {
            for (const auto& item : value) {
                if (std::find(slot.begin(), slot.end(), item) == slot.end()) slot.push_back(item);
            }
        } else {
            slot = value;
        }
    }
    for (const auto& [pointer, place] : override_with.places) base.places[pointer] = place;
}

}  // namespace envmgr::host::registry::compose

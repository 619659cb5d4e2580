#include "host/registry/service_table.h"

#include "host/config/suggestion.h"
#include "host/registry/short_syntax.h"

#include <envmgr/sdk/documents/document_fields.h>
#include <envmgr/sdk/documents/service_definition.h>

#include <algorithm>
#include <variant>

namespace envmgr::host::registry {
namespace {

// A value's type as an operator wrote it in TOML: an object is a table.
std::string describe(const nlohmann::json& value) {
    return sdk::json_kind(value, "a table");
}

// Whether {key: value} reads as T; else what the key expects. The SDK's own JSON mapping is
// the schema, so the check can never drift from what the documents accept.
template <typename T>
std::optional<std::string> type_problem(const std::string& key, const nlohmann::json& value) {
    try {
        (void)nlohmann::json{{key, value}}.get<T>();
        return std::nullopt;
    } catch (const nlohmann::json::exception&) {
        const auto expected = nlohmann::json(T{}).value(key, nlohmann::json());
        return "expected " + describe(expected) + ", got " + describe(value);
    }
}

std::string unknown_key(const std::string& key, const std::vector<std::string>& known) {
    const auto best = config::closest_name(key, known);
    return "unknown key" + (best.empty() ? std::string() : " (did you mean '" + best + "'?)");
}

class TableReader {
public:
    TableReader(nlohmann::json& definition, std::string table_path, std::vector<TableProblem>& problems,
                std::map<std::string, std::string>& field_paths)
        : definition_(definition),
          path_(std::move(table_path)),
          problems_(problems),
          field_paths_(field_paths) {}

    TableOutcome apply(const nlohmann::json& table) {
        // env_remove before env, so one table can drop a key and set another.
        if (table.contains("env_remove")) apply_key("env_remove", table["env_remove"]);
        for (const auto& [key, value] : table.items()) {
            if (key != "env_remove") apply_key(key, value);
        }
        return outcome_;
    }

private:
    void problem(const std::string& field, std::string message, const std::string& config_suffix = {}) {
        problems_.push_back(
            {field, std::move(message), path_ + "." + (config_suffix.empty() ? field : config_suffix)});
    }

    void written(const std::string& field) { field_paths_[field] = path_ + "." + field; }

    void apply_key(const std::string& key, const nlohmann::json& value) {
        if (key == "enabled") {
            if (!value.is_boolean()) return problem(key, "expected a boolean, got " + describe(value));
            outcome_.enabled = value.get<bool>();
        } else if (key == "name") {
            problem(key, "a service is named by its table ([services.NAME]); the name cannot be set");
        } else if (key == "env") {
            apply_env(value);
        } else if (key == "env_remove") {
            apply_env_remove(value);
        } else if (key == "labels") {
            apply_string_map(key, value);
        } else if (key == "ports") {
            apply_list(
                key, value,
                [](const nlohmann::json& item) -> std::variant<nlohmann::json, SyntaxError> {
                    if (item.is_string()) return parse_port(item.get<std::string>());
                    return item;
                },
                sdk::field_names<sdk::PortMapping>(),
                [](const std::string& k, const nlohmann::json& v) {
                    return type_problem<sdk::PortMapping>(k, v);
                });
            outcome_.ports_given = true;
        } else if (key == "mounts") {
            apply_list(
                key, value,
                [](const nlohmann::json& item) -> std::variant<nlohmann::json, SyntaxError> {
                    if (item.is_string()) return parse_mount(item.get<std::string>());
                    return item;
                },
                sdk::field_names<sdk::Mount>(),
                [](const std::string& k, const nlohmann::json& v) { return type_problem<sdk::Mount>(k, v); });
        } else if (key == "depends_on") {
            apply_list(
                key, value,
                [](const nlohmann::json& item) -> std::variant<nlohmann::json, SyntaxError> {
                    if (item.is_string()) return nlohmann::json{{"service", item}, {"condition", "healthy"}};
                    return item;
                },
                sdk::field_names<sdk::Dependency>(),
                [](const std::string& k, const nlohmann::json& v) {
                    return type_problem<sdk::Dependency>(k, v);
                });
        } else if (key == "readiness") {
            apply_readiness(value);
        } else if (key == "resources") {
            apply_resources(value);
        } else if (definition_.contains(key)) {
            if (auto wrong = type_problem<sdk::ServiceDefinition>(key, value)) return problem(key, *wrong);
            definition_[key] = value;
            written(key);
        } else {
            problem(key, unknown_key(key, service_table_keys()));
        }
    }

    void apply_env(const nlohmann::json& value) {
        if (!value.is_object()) {
            return problem("env", "expected a table of NAME = \"value\", got " + describe(value));
        }
        for (const auto& [name, item] : value.items()) {
            const std::string field = "env." + name;
            if (item.is_string()) {
                definition_["env"][name] = item;
            } else if (item.is_number() || item.is_boolean()) {
                definition_["env"][name] = item.dump();  // compose accepts PORT = 8080 too
            } else {
                problem(field, "expected a string, got " + describe(item));
                continue;
            }
            written(field);
        }
    }

    void apply_env_remove(const nlohmann::json& value) {
        if (!value.is_array()) {
            return problem("env_remove", "expected an array of names, got " + describe(value));
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (!value[i].is_string()) {
                problem("env_remove[" + std::to_string(i) + "]",
                        "expected a string, got " + describe(value[i]));
                continue;
            }
            definition_["env"].erase(value[i].get<std::string>());
        }
    }

    void apply_string_map(const std::string& key, const nlohmann::json& value) {
        if (!value.is_object()) return problem(key, "expected a table of strings, got " + describe(value));
        for (const auto& [name, item] : value.items()) {
            if (!item.is_string()) {
                problem(key + "." + name, "expected a string, got " + describe(item));
                continue;
            }
            definition_[key][name] = item;
            written(key + "." + name);
        }
    }

    template <typename Normalize, typename Check>
    void apply_list(const std::string& key, const nlohmann::json& value, Normalize normalize,
                    const std::vector<std::string>& item_keys, Check check) {
        if (!value.is_array()) return problem(key, "expected an array, got " + describe(value));
        auto items = nlohmann::json::array();
        for (std::size_t i = 0; i < value.size(); ++i) {
            const std::string field = key + "[" + std::to_string(i) + "]";
            auto normalized = normalize(value[i]);
            if (auto* bad = std::get_if<SyntaxError>(&normalized)) {
                problem(field, bad->message);
                continue;
            }
            auto& item = std::get<nlohmann::json>(normalized);
            if (!item.is_object()) {
                problem(field, "expected a string or a table, got " + describe(item));
                continue;
            }
            bool usable = true;
            for (const auto& [name, member] : item.items()) {
                if (std::find(item_keys.begin(), item_keys.end(), name) == item_keys.end()) {
                    problem(field + "." + name, unknown_key(name, item_keys), field);
                    usable = false;
                } else if (auto wrong = check(name, member)) {
                    problem(field + "." + name, *wrong, field);
                    usable = false;
                }
            }
            if (!usable) continue;
            field_paths_[key + "[" + std::to_string(items.size()) + "]"] = path_ + "." + field;
            items.push_back(item);
        }
        definition_[key] = items;
        written(key);
    }

    void apply_readiness(const nlohmann::json& value) {
        if (!value.is_object()) {
            return problem("readiness", "expected a table (a probe spec), got " + describe(value));
        }
        static const auto known = sdk::field_names<sdk::ProbeSpec>();
        for (const auto& [name, member] : value.items()) {
            const std::string field = "readiness." + name;
            if (std::find(known.begin(), known.end(), name) == known.end()) {
                problem(field, unknown_key(name, known));
            } else if (auto wrong = type_problem<sdk::ProbeSpec>(name, member)) {
                problem(field, *wrong);
            } else {
                definition_["readiness"][name] = member;
                written(field);
            }
        }
    }

    void apply_resources(const nlohmann::json& value) {
        if (!value.is_object()) {
            return problem("resources", "expected a table { cpus, memory }, got " + describe(value));
        }
        for (const auto& [name, member] : value.items()) {
            const std::string field = "resources." + name;
            if (name == "cpus") {
                if (!member.is_number() || member.get<double>() < 0) {
                    problem(field, "expected a number of cores >= 0 (0: unlimited), got " + member.dump());
                    continue;
                }
                definition_["resources"]["cpus"] = member;
            } else if (name == "memory" || name == "memory_bytes") {
                auto bytes = parse_memory(member);
                if (auto* bad = std::get_if<SyntaxError>(&bytes)) {
                    problem(field, bad->message);
                    continue;
                }
                definition_["resources"]["memory_bytes"] = std::get<std::int64_t>(bytes);
            } else {
                problem(field, unknown_key(name, {"cpus", "memory", "memory_bytes"}));
                continue;
            }
            written(field);
        }
    }

    nlohmann::json& definition_;
    std::string path_;
    std::vector<TableProblem>& problems_;
    std::map<std::string, std::string>& field_paths_;
    TableOutcome outcome_;
};

}  // namespace

const std::vector<std::string>& service_table_keys() {
    static const std::vector<std::string> keys = [] {
        auto names = sdk::field_names<sdk::ServiceDefinition>();
        std::erase(names, "name");
        names.emplace_back("enabled");
        names.emplace_back("env_remove");
        return names;
    }();
    return keys;
}

TableOutcome apply_service_table(nlohmann::json& definition, const nlohmann::json& table,
                                 const std::string& table_path, std::vector<TableProblem>& problems,
                                 std::map<std::string, std::string>& field_paths) {
    if (!table.is_object()) {
        problems.push_back({"", "expected a table, got " + describe(table), table_path});
        return {};
    }
    return TableReader(definition, table_path, problems, field_paths).apply(table);
}

}  // namespace envmgr::host::registry

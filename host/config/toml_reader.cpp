#include "host/config/toml_reader.h"

#include "host/config/config_keys.h"
#include "host/config/interpolation.h"
#include "host/config/suggestion.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <variant>

namespace envmgr::host::config {
namespace {

std::optional<Value> read_value(const toml::node& node, ValueType type, const auto& text_of) {
    switch (type) {
        case ValueType::string:
            if (const auto* text = node.as_string()) return Value(text_of(*text));
            break;
        case ValueType::integer:
            if (const auto* integer = node.as_integer()) return Value(integer->get());
            break;
        case ValueType::boolean:
            if (const auto* boolean = node.as_boolean()) return Value(boolean->get());
            break;
        case ValueType::string_list:
            if (const auto* array = node.as_array()) {
                std::vector<std::string> items;
                for (const auto& item : *array) {
                    const auto* text = item.as_string();
                    if (text == nullptr) return std::nullopt;
                    items.push_back(text_of(*text));
                }
                return Value(std::move(items));
            }
            break;
    }
    return std::nullopt;
}

std::string_view node_type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a float";
        case toml::node_type::boolean: return "a boolean";
        default: return "a date or time";
    }
}

class Reader {
public:
    Reader(std::string path, const Environment& environment, Config& config, std::vector<ConfigError>& errors)
        : path_(std::move(path)), environment_(environment), config_(config), errors_(errors) {}

    void walk(const toml::table& table, const std::string& prefix) {
        for (const auto& [key, node] : table) {
            const std::string name(key.str());
            const std::string dotted = prefix.empty() ? name : prefix + "." + name;
            if (prefix.empty() && (name == "services" || name == "defaults" || name == "tenants")) {
                read_service_table(name, node, key.source());
            } else if (prefix == "plugins" && node.is_table()) {
                read_plugin_table(name, *node.as_table(), key.source());
            } else if (const auto* definition = find_key(dotted)) {
                read_key(*definition, node);
            } else if (is_known_table(dotted)) {
                if (node.is_table()) {
                    walk(*node.as_table(), dotted);
                } else {
                    error(key.source(), dotted, "expected a table, got " + std::string(node_type_name(node)));
                }
            } else {
                error(key.source(), dotted, "unknown key" + suggestion_for(dotted));
            }
        }
    }

    std::set<std::string> explicit_keys;

private:
    static const KeyDefinition* find_key(const std::string& dotted) {
        for (const auto& definition : config_keys()) {
            if (definition.key == dotted) return &definition;
        }
        return nullptr;
    }

    static std::string suggestion_for(const std::string& dotted) {
        // The closest known key catches both a typo and a key put into the wrong table.
        const auto leaf_of = [](std::string_view key) {
            const auto dot = key.rfind('.');
            return dot == std::string_view::npos ? key : key.substr(dot + 1);
        };
        std::string_view best;
        std::size_t best_distance = 3;  // more than two edits away is no suggestion
        for (const auto& definition : config_keys()) {
            const std::size_t distance =
                std::min(edit_distance_under(dotted, definition.key, best_distance),
                         edit_distance_under(leaf_of(dotted), leaf_of(definition.key), best_distance));
            if (distance < best_distance) {
                best_distance = distance;
                best = definition.key;
            }
        }
        if (best.empty()) return " (the configuration reference in README.md lists every key)";
        return " (did you mean '" + std::string(best) + "'?)";
    }

    // A TOML node as JSON, strings interpolated; origins (when given) get the location of
    // every key and array item under path.
    nlohmann::json to_json(const toml::node& node, const std::string& path,
                           std::map<std::string, std::string>* origins) {
        if (const auto* table = node.as_table()) {
            auto object = nlohmann::json::object();
            for (const auto& [key, value] : *table) {
                const std::string child = path + "." + std::string(key.str());
                if (origins != nullptr) (*origins)[child] = location(key.source());
                object[std::string(key.str())] = to_json(value, child, origins);
            }
            return object;
        }
        if (const auto* array = node.as_array()) {
            auto items = nlohmann::json::array();
            for (const auto& value : *array) {
                const std::string child = path + "[" + std::to_string(items.size()) + "]";
                if (origins != nullptr) (*origins)[child] = location(value.source());
                items.push_back(to_json(value, child, origins));
            }
            return items;
        }
        if (const auto* text = node.as_string()) return interpolated(*text, path);
        if (const auto* integer = node.as_integer()) return integer->get();
        if (const auto* floating = node.as_floating_point()) return floating->get();
        if (const auto* boolean = node.as_boolean()) return boolean->get();
        std::ostringstream out;  // dates and times travel as their TOML text
        node.visit([&](const auto& leaf) { out << leaf; });
        return out.str();
    }

    std::string interpolated(const toml::value<std::string>& text, const std::string& key) {
        auto result = interpolate(text.get(), environment_);
        if (auto* problem = std::get_if<InterpolationError>(&result)) {
            error(text.source(), key, problem->message);
            return text.get();
        }
        return std::get<std::string>(std::move(result));
    }

    void read_service_table(const std::string& name, const toml::node& node,
                            const toml::source_region& where) {
        if (!node.is_table()) {
            error(where, name, "expected a table, got " + std::string(node_type_name(node)));
            return;
        }
        config_.service_origins[name] = location(where);
        auto& target = name == "services"   ? config_.services
                       : name == "defaults" ? config_.defaults
                                            : config_.tenants;
        target = to_json(node, name, &config_.service_origins);
    }

    void read_key(const KeyDefinition& definition, const toml::node& node) {
        const auto value = read_value(node, definition.type, [&](const toml::value<std::string>& text) {
            return interpolated(text, std::string(definition.key));
        });
        if (!value) {
            error(node.source(), std::string(definition.key),
                  "expected " + std::string(type_name(definition.type)) + ", got " +
                      std::string(node_type_name(node)));
            return;
        }
        if (auto problem = definition.apply(config_, *value)) {
            error(node.source(), std::string(definition.key), *problem);
            return;
        }
        explicit_keys.insert(std::string(definition.key));
    }

    void read_plugin_table(const std::string& plugin_id, const toml::table& table,
                           const toml::source_region& where) {
        config_.plugin_settings[plugin_id] = to_json(table, "plugins." + plugin_id, nullptr);
        config_.plugin_setting_origins[plugin_id] = location(where);
        for (const auto& [key, node] : table) {
            config_.plugin_setting_origins[plugin_id + "." + std::string(key.str())] = location(key.source());
        }
    }

    [[nodiscard]] std::string location(const toml::source_region& where) const {
        return path_ + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
    }

    void error(const toml::source_region& where, std::string key, std::string message) {
        errors_.push_back({path_, where.begin.line, where.begin.column, std::move(key), std::move(message)});
    }

    std::string path_;
    const Environment& environment_;
    Config& config_;
    std::vector<ConfigError>& errors_;
};

}  // namespace

std::set<std::string> read_toml_file(const std::string& path, const Environment& environment, Config& config,
                                     std::vector<ConfigError>& errors) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        errors.push_back({path, 0, 0, {}, "cannot read the configuration file: no such file"});
        return {};
    }
    if (!std::filesystem::is_regular_file(path, ec)) {
        errors.push_back({path, 0, 0, {}, "cannot read the configuration file: not a regular file"});
        return {};
    }
    std::ifstream probe(path);
    if (!probe) {
        errors.push_back(
            {path, 0, 0, {}, "cannot read the configuration file: " + std::string(std::strerror(errno))});
        return {};
    }
    std::ostringstream text;
    text << probe.rdbuf();
    return read_toml_text(text.str(), path, environment, config, errors);
}

std::set<std::string> read_toml_text(std::string_view text, const std::string& source,
                                     const Environment& environment, Config& config,
                                     std::vector<ConfigError>& errors) {
    toml::table table;
    try {
        table = toml::parse(text, source);
    } catch (const toml::parse_error& failure) {
        errors.push_back({source,
                          failure.source().begin.line,
                          failure.source().begin.column,
                          {},
                          "syntax error: " + std::string(failure.description())});
        return {};
    }
    Reader reader(source, environment, config, errors);
    const auto first_new = static_cast<std::ptrdiff_t>(errors.size());
    reader.walk(table, "");
    // toml++ iterates keys in sorted order; report in file order instead.
    std::stable_sort(errors.begin() + first_new, errors.end(), [](const auto& a, const auto& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    return reader.explicit_keys;
}

}  // namespace envmgr::host::config

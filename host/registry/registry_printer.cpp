#include "host/registry/registry_printer.h"

#include <toml++/toml.h>

#include <cctype>
#include <sstream>

namespace envmgr::host::registry {
namespace {

toml::array toml_array(const nlohmann::json& items);

toml::table toml_table(const nlohmann::json& object) {
    toml::table table;
    for (const auto& [key, value] : object.items()) {
        if (value.is_object()) {
            table.insert_or_assign(key, toml_table(value));
        } else if (value.is_array()) {
            table.insert_or_assign(key, toml_array(value));
        } else if (value.is_string()) {
            table.insert_or_assign(key, value.get<std::string>());
        } else if (value.is_boolean()) {
            table.insert_or_assign(key, value.get<bool>());
        } else if (value.is_number_integer()) {
            table.insert_or_assign(key, value.get<std::int64_t>());
        } else if (value.is_number()) {
            table.insert_or_assign(key, value.get<double>());
        }  // null has no TOML form; a definition holds none
    }
    return table;
}

toml::array toml_array(const nlohmann::json& items) {
    toml::array array;
    for (const auto& value : items) {
        if (value.is_object()) {
            array.push_back(toml_table(value));
        } else if (value.is_array()) {
            array.push_back(toml_array(value));
        } else if (value.is_string()) {
            array.push_back(value.get<std::string>());
        } else if (value.is_boolean()) {
            array.push_back(value.get<bool>());
        } else if (value.is_number_integer()) {
            array.push_back(value.get<std::int64_t>());
        } else if (value.is_number()) {
            array.push_back(value.get<double>());
        }
    }
    return array;
}

}  // namespace

bool looks_secret(const std::string& env_name) {
    std::string upper = env_name;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const char* word :
         {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL", "API_KEY", "PRIVATE_KEY"}) {
        if (upper.find(word) != std::string::npos) return true;
    }
    return upper.ends_with("_KEY");
}

nlohmann::json registry_document(const Registry& registry) {
    nlohmann::json tenants = nlohmann::json::object();
    for (const auto& tenant : registry.tenants) {
        nlohmann::json services = nlohmann::json::object();
        for (const auto& service : tenant.services) {
            nlohmann::json entry = service.definition;
            entry.erase("name");  // the table's key
            for (auto& [name, value] : entry["env"].items()) {
                if (looks_secret(name)) value = kMasked;
            }
            entry["container_name"] = service.container_name;
            entry["definition_hash"] = service.definition_hash;
            entry["plugin"] = !service.plugin_id.empty() ? service.plugin_id
                              : service.source.empty()   ? "(configuration file)"
                                                         : "(Compose file)";
            if (!service.source.empty()) entry["source"] = service.source;
            services[service.definition.name] = std::move(entry);
        }
        tenants[tenant.name] = {
            {"network", tenant.network}, {"volumes", tenant.volumes}, {"services", services}};
    }
    return {{"tenants", tenants}};
}

std::string registry_json(const Registry& registry) {
    return registry_document(registry).dump(2) + "\n";
}

std::string registry_toml(const Registry& registry) {
    std::ostringstream out;
    out << "# The effective services of every tenant, as env-manager will run them.\n"
           "# Environment values of secret-looking names are masked.\n\n"
        << toml_table(registry_document(registry)) << "\n";
    return out.str();
}

}  // namespace envmgr::host::registry

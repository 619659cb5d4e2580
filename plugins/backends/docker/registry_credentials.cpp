#include "plugins/backends/docker/registry_credentials.h"

#include "plugins/backends/docker/image_reference.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace envmgr::plugins::backends::docker {

CredentialSources process_credential_sources() {
    return {[](const std::string& name) -> std::optional<std::string> {
                const char* value = std::getenv(name.c_str());
                if (value == nullptr || *value == '\0') return std::nullopt;
                return std::string(value);
            },
            [](const std::string& path, std::string& error) -> std::optional<std::string> {
                std::ifstream file(path, std::ios::binary);
                if (!file) {
                    error = std::strerror(errno);
                    return std::nullopt;
                }
                std::ostringstream text;
                text << file.rdbuf();
                return text.str();
            }};
}

std::variant<nlohmann::json, std::string> resolve_registry_auth(const nlohmann::json& configured,
                                                                const CredentialSources& sources) {
    nlohmann::json resolved = nlohmann::json::object();
    if (configured.is_null()) return resolved;
    if (!configured.is_object()) return std::string("registry_auth: expected a table of registries");
    for (const auto& [registry, entry] : configured.items()) {
        const std::string where = "registry_auth.\"" + registry + "\"";
        if (!entry.is_object()) {
            return where + ": expected a table { username, password | password_file | password_env }";
        }
        int given = 0;
        for (const char* key : {"password", "password_file", "password_env"}) {
            given += entry.contains(key) ? 1 : 0;
        }
        if (given != 1) return where + ": give exactly one of password, password_file and password_env";
        for (const auto& [key, value] : entry.items()) {
            if (key != "username" && key != "password" && key != "password_file" && key != "password_env") {
                return where + "." + key + ": unknown key (username, password, password_file, password_env)";
            }
            if (!value.is_string()) return where + "." + key + ": expected a string";
        }
        if (!entry.contains("username")) return where + ".username: required";
        std::string password;
        if (entry.contains("password")) {
            password = entry["password"];
        } else if (entry.contains("password_env")) {
            const std::string variable = entry["password_env"];
            auto value = sources.environment(variable);
            if (!value) return where + ".password_env: the variable " + variable + " is not set";
            password = std::move(*value);
        } else {
            const std::string path = entry["password_file"];
            std::string error;
            auto text = sources.read_file(path, error);
            if (!text) return where + ".password_file: cannot read " + path + ": " + error;
            password = std::move(*text);
            // A secret file usually ends with a newline the password does not have.
            while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
                password.pop_back();
            }
        }
        resolved[registry] = {{"username", entry["username"]}, {"password", password}};
    }
    return resolved;
}

nlohmann::json registry_auth_for(const nlohmann::json& resolved, const std::string& image) {
    const std::string registry = registry_of(image);
    if (!resolved.is_object() || !resolved.contains(registry)) return nullptr;
    auto auth = resolved.at(registry);
    auth["serveraddress"] = registry;
    return auth;
}

}  // namespace envmgr::plugins::backends::docker

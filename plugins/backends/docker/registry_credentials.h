// registry_auth as configured -> the credentials image.pull sends. A password may be written
// inline, read from a file (password_file, e.g. a systemd credential or a Docker secret) or from
// an environment variable (password_env). No message ever holds a password.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace envmgr::plugins::backends::docker {

struct CredentialSources {
    std::function<std::optional<std::string>(const std::string& name)> environment;
    // The file's text, or nullopt with why in error.
    std::function<std::optional<std::string>(const std::string& path, std::string& error)> read_file;
};

// The process's own environment and files.
CredentialSources process_credential_sources();

// {"registry.example.com": {"username", "password"}} on success; else the problem, naming the
// registry and the key.
std::variant<nlohmann::json, std::string> resolve_registry_auth(const nlohmann::json& configured,
                                                                const CredentialSources& sources);

// The X-Registry-Auth document for image out of the resolved credentials: its registry's, with
// serveraddress; null when none are configured for that registry.
nlohmann::json registry_auth_for(const nlohmann::json& resolved, const std::string& image);

}  // namespace envmgr::plugins::backends::docker

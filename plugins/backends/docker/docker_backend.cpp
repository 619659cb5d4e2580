#include "plugins/backends/docker/docker_backend.h"

#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/registry_credentials.h"

#include <variant>

namespace envmgr::plugins::backends::docker {
namespace {

EngineSettings settings_from(const nlohmann::json& config_json) {
    const sdk::PluginConfig config(config_json, DockerBackend::config_schema());
    auto auth =
        resolve_registry_auth(object_at(config.json(), "registry_auth"), process_credential_sources());
    if (auto* problem = std::get_if<std::string>(&auth)) throw sdk::Error(ENVMGR_STATUS_INVALID, *problem);
    return {.api_version = config.get<std::string>("api_version"),
            .timeout = std::chrono::milliseconds(config.get<std::int64_t>("timeout_ms")),
            .registry_auth = std::get<nlohmann::json>(std::move(auth))};
}

Endpoint endpoint_from(const nlohmann::json& config_json) {
    return parse_endpoint(
        sdk::PluginConfig(config_json, DockerBackend::config_schema()).get<std::string>("host"));
}

}  // namespace

const char* DockerBackend::config_schema() {
    return R"json({
  "host": {"type": "string", "default": "unix:///var/run/docker.sock", "env": "DOCKER_HOST",
           "description": "engine endpoint: unix:///path or tcp://host:port"},
  "api_version": {"type": "string", "default": "", "env": "DOCKER_API_VERSION",
                  "description": "engine API version to use; empty: negotiated from GET /version"},
  "timeout_ms": {"type": "integer", "default": 30000,
                 "description": "deadline of one engine call (streams: until the response starts)"},
  "registry_auth": {"type": "table", "default": {},
                    "description": "per registry host: {username, and one of password, password_file, password_env}, used by image.pull"}
})json";
}

DockerBackend::DockerBackend(const sdk::Host& host, const nlohmann::json& config)
    : EngineBackend(host, id),
      engine_(io_thread_.context(), endpoint_from(config), settings_from(config), this->host(), operations_) {
    const std::string api_version = engine_.negotiated_api_version();
    this->host().info("engine endpoint " + engine_.endpoint().text +
                      (api_version.empty() ? "" : ", API " + api_version));
}

DockerBackend::~DockerBackend() {
    shut_down();
}

void DockerBackend::dispatch(const OperationPtr& op) {
    const auto& table = operation_table();
    const auto it = table.find(op->name);
    if (supported(op, it != table.end())) it->second(engine_, op);
}

}  // namespace envmgr::plugins::backends::docker

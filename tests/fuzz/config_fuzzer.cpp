// Fuzzes the configuration as the daemon reads it: the input is a TOML file's text, read with
// `${VAR}` interpolation against a fixed environment into the daemon's settings, then the
// services of [defaults], [services.*] and [tenants.*] built into the registry over two plugin
// definitions, and printed as --print-config prints them. The input is also interpolated as
// one string. Errors are expected; a crash, a hang or a sanitizer report is a bug.
#include "host/config/interpolation.h"
#include "host/config/toml_reader.h"
#include "host/registry/registry_printer.h"
#include "host/registry/service_registry.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace envmgr::host;

const config::Environment& environment() {
    static const auto fixed = config::map_environment(
        {{"TAG", "7.2"}, {"HOST_IP", "127.0.0.1"}, {"EMPTY", ""}, {"PORT", "6380"}, {"NESTED", "${TAG}"}});
    return fixed;
}

registry::RegistryInputs plugin_definitions() {
    registry::RegistryInputs inputs;
    envmgr::sdk::ServiceDefinition redis;
    redis.name = "redis";
    redis.image = "redis:7-alpine";
    redis.ports = {{6379, 6379, "127.0.0.1", "tcp"}};
    redis.mounts = {{"volume", "redis_data", "/data", false}};
    redis.readiness.type = "tcp";
    redis.readiness.port = 6379;
    envmgr::sdk::ServiceDefinition web;
    web.name = "web";
    web.image = "busybox:latest";
    web.depends_on = {{"redis", "healthy"}};
    inputs.plugin_definitions = {{"service.redis", redis}, {"service.web", web}};
    inputs.probe_types = {"tcp", "http", "exec"};
    return inputs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)config::interpolate(text, environment());
    config::Config settings;
    std::vector<config::ConfigError> errors;
    (void)config::read_toml_text(text, "fuzz.toml", environment(), settings, errors);
    for (const auto& error : errors) (void)error.to_string();
    if (!errors.empty()) return 0;
    static const auto inputs = plugin_definitions();
    const auto services = registry::build_registry(settings, inputs);
    for (const auto& error : services.errors) (void)error.to_string();
    if (services.ok()) {
        (void)registry::registry_toml(services);
        (void)registry::registry_json(services);
    }
    return 0;
}

// system.ping, system.version, system.info.
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/operation_table.h"

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

void system_ping(EngineApi& engine, const OperationPtr& op) {
    engine.call_unversioned(op, engine.make(http::verb::get, "/_ping"),
                            [&engine, op](const HttpResponse& response) {
                                engine.succeed(op, {{"ok", response.body == "OK"}});
                            });
}

void system_version(EngineApi& engine, const OperationPtr& op) {
    engine.call(op, engine.make(http::verb::get, "/version"), [&engine, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        engine.succeed(op, {{"version", body.value("Version", "")},
                            {"api_version", body.value("ApiVersion", "")},
                            {"min_api_version", body.value("MinAPIVersion", "")},
                            {"negotiated_api_version", engine.negotiated_api_version()},
                            {"os", body.value("Os", "")},
                            {"arch", body.value("Arch", "")},
                            {"kernel_version", body.value("KernelVersion", "")}});
    });
}

void system_info(EngineApi& engine, const OperationPtr& op) {
    engine.call(op, engine.make(http::verb::get, "/info"), [&engine, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        auto runtimes = nlohmann::json::array();
        for (const auto& [name, value] : object_at(body, "Runtimes").items()) runtimes.push_back(name);
        engine.succeed(op, {{"cpus", body.value("NCPU", 0)},
                            {"memory_bytes", body.value("MemTotal", std::int64_t{0})},
                            {"server_version", body.value("ServerVersion", "")},
                            {"operating_system", body.value("OperatingSystem", "")},
                            {"runtimes", runtimes},
                            {"default_runtime", body.value("DefaultRuntime", "")},
                            {"containers_running", body.value("ContainersRunning", 0)}});
    });
}

}  // namespace

void add_system_operations(OperationTable& table) {
    table.emplace("system.ping", &system_ping);
    table.emplace("system.version", &system_version);
    table.emplace("system.info", &system_info);
}

}  // namespace envmgr::plugins::backends::docker

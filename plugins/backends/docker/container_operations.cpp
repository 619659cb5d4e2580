// container.create, start, stop, kill, remove, inspect, list, wait, stats.
#include "plugins/backends/docker/container_mapping.h"
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/docker/stats_mapping.h"

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

std::string container_path(const OperationPtr& op, const std::string& suffix = {}) {
    return "/containers/" + url_encode(required_string(op->request, "id")) + suffix;
}

void container_create(EngineApi& engine, const OperationPtr& op) {
    const auto spec = container_spec_of(op->request);
    if (spec.replicas > 1) {
        throw sdk::Error(ENVMGR_STATUS_INVALID,
                         "spec.replicas: one engine runs one container of a service; more replicas need a "
                         "backend that places services on several machines (backend.swarm)");
    }
    HttpRequest request = engine.make(
        http::verb::post, "/containers/create" + (spec.name.empty() ? "" : "?name=" + url_encode(spec.name)));
    request.body = container_create_body(spec).dump();
    engine.call(op, std::move(request), [&engine, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        engine.succeed(op, {{"id", body.value("Id", "")}, {"warnings", list_at(body, "Warnings")}});
    });
}

void container_start(EngineApi& engine, const OperationPtr& op) {
    engine.call(op, engine.make(http::verb::post, container_path(op, "/start")),
                [&engine, op](const HttpResponse& response) {
                    engine.succeed(op, {{"already_running", response.status == 304}});
                });
}

void container_stop(EngineApi& engine, const OperationPtr& op) {
    const std::string inspect_path = container_path(op, "/json");
    const int grace = op->request.value("timeout_seconds", 10);
    if (grace < 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "timeout_seconds: must be >= 0");
    HttpRequest request =
        engine.make(http::verb::post, container_path(op, "/stop?t=" + std::to_string(grace)));
    request.timeout = engine.timeout() + std::chrono::seconds(grace);  // the engine waits the grace period
    engine.call(op, std::move(request), [&engine, op, inspect_path](const HttpResponse& stopped) {
        const bool already = stopped.status == 304;
        // The exit code tells whether SIGTERM was enough: 137 is death by SIGKILL.
        engine.call(op, engine.make(http::verb::get, inspect_path),
                    [&engine, op, already](const HttpResponse& response) {
                        const auto state = object_at(nlohmann::json::parse(response.body), "State");
                        const auto exit_code = state.value("ExitCode", 0);
                        engine.succeed(op, {{"already_stopped", already},
                                            {"exit_code", exit_code},
                                            {"killed", !already && exit_code == 137}});
                    });
    });
}

void container_kill(EngineApi& engine, const OperationPtr& op) {
    const std::string signal = op->request.value("signal", "SIGKILL");
    engine.call(op, engine.make(http::verb::post, container_path(op, "/kill?signal=" + url_encode(signal))),
                [&engine, op](const HttpResponse&) { engine.succeed(op, nlohmann::json::object()); });
}

void container_remove(EngineApi& engine, const OperationPtr& op) {
    const bool force = op->request.value("force", false);
    const bool volumes = op->request.value("volumes", false);
    const std::string query = std::string("?force=") + (force ? "1" : "0") + "&v=" + (volumes ? "1" : "0");
    engine.call(op, engine.make(http::verb::delete_, container_path(op, query)),
                [&engine, op](const HttpResponse&) { engine.succeed(op, nlohmann::json::object()); });
}

void container_inspect(EngineApi& engine, const OperationPtr& op) {
    engine.call(op, engine.make(http::verb::get, container_path(op, "/json")),
                [&engine, op](const HttpResponse& response) {
                    engine.succeed(
                        op, container_from_inspect(parse_selected(response.body, inspect_selection())));
                });
}

void container_list(EngineApi& engine, const OperationPtr& op) {
    const auto labels = string_map(op->request, "labels");
    const bool all = op->request.value("all", true);
    std::string path = "/containers/json?all=" + std::string(all ? "1" : "0");
    if (!labels.empty()) path += "&filters=" + url_encode(label_filters(labels));
    engine.call(op, engine.make(http::verb::get, path), [&engine, op](const HttpResponse& response) {
        auto containers = nlohmann::json::array();
        for (const auto& entry : parse_selected(response.body, list_entry_selection())) {
            containers.push_back(container_from_list_entry(entry));
        }
        engine.succeed(op, {{"containers", containers}});
    });
}

void container_wait(EngineApi& engine, const OperationPtr& op) {
    const std::string condition = op->request.value("condition", "not-running");
    HttpRequest request =
        engine.make(http::verb::post, container_path(op, "/wait?condition=" + url_encode(condition)));
    request.timeout =
        bounded_timeout(op->request.value("timeout_ms", std::int64_t{0}), std::chrono::hours(24));
    engine.call(op, std::move(request), [&engine, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        engine.succeed(op, {{"exit_code", body.value("StatusCode", 0)}});
    });
}

void container_stats(EngineApi& engine, const OperationPtr& op) {
    // stream=false waits for a second sample so that precpu_stats is filled (~1 s).
    engine.call(op, engine.make(http::verb::get, container_path(op, "/stats?stream=false")),
                [&engine, op](const HttpResponse& response) {
                    engine.succeed(
                        op,
                        nlohmann::json(usage_from_stats(parse_selected(response.body, stats_selection()))));
                });
}

}  // namespace

void add_container_operations(OperationTable& table) {
    table.emplace("container.create", &container_create);
    table.emplace("container.start", &container_start);
    table.emplace("container.stop", &container_stop);
    table.emplace("container.kill", &container_kill);
    table.emplace("container.remove", &container_remove);
    table.emplace("container.inspect", &container_inspect);
    table.emplace("container.list", &container_list);
    table.emplace("container.wait", &container_wait);
    table.emplace("container.stats", &container_stats);
}

}  // namespace envmgr::plugins::backends::docker

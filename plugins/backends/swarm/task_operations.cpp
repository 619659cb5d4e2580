// container.logs from the manager (GET /services/{id}/logs answers in the frames of a container's
// logs, every task of the service in one stream); container.exec and container.stats on the
// engine of the node that runs the service's task, when that engine was configured; container.run
// as a throwaway container on the manager's own engine.
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/log_stream.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/swarm/swarm.h"

namespace envmgr::plugins::backends::swarm {
namespace {
namespace http = boost::beast::http;

using docker::object_at;
using docker::required_string;

void service_logs(Swarm& swarm, const OperationPtr& op) {
    const std::string id = docker::url_encode(required_string(op->request, "id"));
    const bool follow = op->request.value("follow", false);
    const std::int64_t tail = op->request.value("tail", std::int64_t{0});
    const std::int64_t since = op->request.value("since", std::int64_t{0});
    swarm.manager.call(
        op, swarm.manager.make(http::verb::get, "/services/" + id),
        [&swarm, op, id, follow, tail, since](const HttpResponse& inspected) {
            const bool tty =
                object_at(object_at(object_at(nlohmann::json::parse(inspected.body), "Spec"), "TaskTemplate"),
                          "ContainerSpec")
                    .value("TTY", false);
            std::string path = "/services/" + id +
                               "/logs?stdout=1&stderr=1&timestamps=1&follow=" + (follow ? "1" : "0") +
                               "&tail=" + (tail > 0 ? std::to_string(tail) : std::string("all"));
            if (since > 0) path += "&since=" + std::to_string(since);
            docker::read_logs(swarm.manager, op, swarm.manager.make(http::verb::get, path), tty);
        });
}

// Runs the docker backend's own handler of op on the engine of the node that runs the service's
// task, with the task's container in place of the service.
void on_task_node(Swarm& swarm, const OperationPtr& op) {
    fetch_service(
        swarm, op, required_string(op->request, "id"),
        [&swarm, op](const nlohmann::json& service, const nlohmann::json& tasks, const NodeMap& nodes) {
            const auto document = container_from_service(service, tasks, nodes);
            if (!document["running"].get<bool>()) {
                return swarm.manager.finish(op, ENVMGR_STATUS_CONFLICT,
                                            "no task of service " + service.value("ID", "") + " is running");
            }
            const std::string node = document["node"];
            const auto engine = swarm.node_engines.find(node);
            if (engine == swarm.node_engines.end()) {
                return swarm.manager.finish(
                    op, ENVMGR_STATUS_UNSUPPORTED,
                    op->name + " needs the engine of node " + node +
                        ", where the task runs: name it in [plugins.\"backend.swarm\"] nodes");
            }
            op->request["id"] = document["task_container_id"];
            docker::operation_table().at(op->name)(*engine->second, op);
        });
}

}  // namespace

void add_task_operations(SwarmTable& table) {
    table.emplace("container.logs", &service_logs);
    table.emplace("container.exec", &on_task_node);
    table.emplace("container.stats", &on_task_node);
    table.emplace("container.run", &on_manager);
}

}  // namespace envmgr::plugins::backends::swarm

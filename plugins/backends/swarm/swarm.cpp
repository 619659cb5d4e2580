#include "plugins/backends/swarm/swarm.h"

#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/registry_credentials.h"

#include <boost/asio/steady_timer.hpp>

namespace envmgr::plugins::backends::swarm {
namespace http = boost::beast::http;

void fetch_tasks(Swarm& swarm, const OperationPtr& op, const std::string& service_id, TasksView next,
                 const EngineApi::ErrorHandler& on_error) {
    std::string path = "/tasks";
    if (!service_id.empty()) {
        path += "?filters=" + docker::url_encode(nlohmann::json{{"service", {service_id}}}.dump());
    }
    swarm.manager.call(
        op, swarm.manager.make(http::verb::get, path),
        [&swarm, op, next = std::move(next), on_error](const HttpResponse& listed) {
            auto tasks = nlohmann::json::parse(listed.body);
            swarm.manager.call(
                op, swarm.manager.make(http::verb::get, "/nodes"),
                [tasks = std::move(tasks), next](const HttpResponse& nodes) {
                    next(tasks, nodes_from_list(nlohmann::json::parse(nodes.body)));
                },
                on_error);
        },
        on_error);
}

void fetch_services(Swarm& swarm, const OperationPtr& op, const std::map<std::string, std::string>& labels,
                    ServicesView next, const EngineApi::ErrorHandler& on_error) {
    std::string path = "/services";
    if (!labels.empty()) path += "?filters=" + docker::url_encode(docker::label_filters(labels));
    swarm.manager.call(
        op, swarm.manager.make(http::verb::get, path),
        [&swarm, op, next = std::move(next), on_error](const HttpResponse& listed) {
            fetch_tasks(
                swarm, op, "",
                [services = nlohmann::json::parse(listed.body), next](
                    const nlohmann::json& tasks, const NodeMap& nodes) { next(services, tasks, nodes); },
                on_error);
        },
        on_error);
}

void fetch_service(Swarm& swarm, const OperationPtr& op, const std::string& id, ServiceView next) {
    swarm.manager.call(op, swarm.manager.make(http::verb::get, "/services/" + docker::url_encode(id)),
                       [&swarm, op, next = std::move(next)](const HttpResponse& inspected) {
                           auto service = nlohmann::json::parse(inspected.body);
                           const std::string service_id = service.value("ID", "");
                           fetch_tasks(swarm, op, service_id,
                                       [service = std::move(service), next](const nlohmann::json& tasks,
                                                                            const NodeMap& nodes) {
                                           next(service, tasks, nodes);
                                       });
                       });
}

void after(Swarm& swarm, const OperationPtr& op, std::chrono::milliseconds interval,
           std::function<void()> step) {
    if (op->cancelled || op->done.done()) return;
    auto timer = std::make_shared<boost::asio::steady_timer>(swarm.manager.io(), interval);
    op->cleanup = [timer] { timer->cancel(); };
    timer->async_wait([&swarm, op, timer, step = std::move(step)](const boost::system::error_code& error) {
        if (error || op->cancelled || op->done.done()) return;
        swarm.manager.finish_if_throws(op, ENVMGR_STATUS_INTERNAL, "", step);
    });
}

void add_registry_auth(const Swarm& swarm, HttpRequest& request, const nlohmann::json& service_spec) {
    using docker::object_at;
    const std::string image =
        object_at(object_at(service_spec, "TaskTemplate"), "ContainerSpec").value("Image", "");
    if (const auto auth = docker::registry_auth_for(swarm.manager.registry_auth(), image); auth.is_object()) {
        request.headers.emplace_back("X-Registry-Auth", docker::base64url(auth.dump()));
    }
}

void update_service(Swarm& swarm, const OperationPtr& op, const nlohmann::json& service,
                    const std::function<void(nlohmann::json& spec)>& edit, const std::function<void()>& next,
                    int tries) {
    auto spec = docker::object_at(service, "Spec");
    edit(spec);
    const std::string id = service.value("ID", "");
    const auto version = docker::int_or_zero(docker::object_at(service, "Version"), "Index");
    HttpRequest request =
        swarm.manager.make(http::verb::post, "/services/" + docker::url_encode(id) +
                                                 "/update?version=" + std::to_string(version));
    add_registry_auth(swarm, request, spec);
    request.body = spec.dump();
    swarm.manager.call(
        op, std::move(request), [next](const HttpResponse&) { next(); },
        // The manager moves a service's version by itself (its allocator, right after a create):
        // an update at the version read before is refused "out of sequence" and made again.
        [&swarm, op, id, edit, next, tries](envmgr_status, const std::string& message, unsigned) {
            if (message.find("out of sequence") == std::string::npos || tries <= 1) return false;
            swarm.manager.call(op, swarm.manager.make(http::verb::get, "/services/" + docker::url_encode(id)),
                               [&swarm, op, edit, next, tries](const HttpResponse& again) {
                                   update_service(swarm, op, nlohmann::json::parse(again.body), edit, next,
                                                  tries - 1);
                               });
            return true;
        });
}

std::set<std::string> task_ids(const nlohmann::json& tasks) {
    std::set<std::string> ids;
    for (const auto& task : tasks) ids.insert(task.value("ID", ""));
    return ids;
}

std::string task_words(const nlohmann::json& task) {
    return docker::object_at(task, "Status").value("State", "") + ": " + task_message(task);
}

void on_manager(Swarm& swarm, const OperationPtr& op) {
    docker::operation_table().at(op->name)(swarm.manager, op);
}

const SwarmTable& swarm_table() {
    static const SwarmTable table = [] {
        SwarmTable built;
        add_service_start_operations(built);
        add_service_operations(built);
        add_task_operations(built);
        add_swarm_events(built);
        add_swarm_objects(built);
        return built;
    }();
    return table;
}

}  // namespace envmgr::plugins::backends::swarm

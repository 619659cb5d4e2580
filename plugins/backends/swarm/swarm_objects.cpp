// network.*, volume.*, system.* and image.* on a swarm. Networks are overlay networks that
// containers outside the services may join too (attachable). A named volume lives on each node
// and its engine makes it when a task first mounts it, so volume.ensure only names it. The
// system and image operations are the manager's engine's own (each node pulls what its tasks
// need when Swarm places them).
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/swarm/swarm.h"

namespace envmgr::plugins::backends::swarm {
namespace {
namespace http = boost::beast::http;

using docker::required_string;

void network_ensure(Swarm& swarm, const OperationPtr& op) {
    const std::string name = required_string(op->request, "name");
    const auto labels = docker::string_map(op->request, "labels");
    auto create = [&swarm, op, name, labels] {
        HttpRequest request = swarm.manager.make(http::verb::post, "/networks/create");
        request.body = nlohmann::json{
            {"Name", name},
            {"Driver", "overlay"},
            {"Attachable", true},
            {"CheckDuplicate", true},
            {"Labels",
             labels}}.dump();
        swarm.manager.call(op, std::move(request), [&swarm, op](const HttpResponse& response) {
            swarm.manager.succeed(
                op, {{"id", nlohmann::json::parse(response.body).value("Id", "")}, {"created", true}});
        });
    };
    swarm.manager.call(
        op, swarm.manager.make(http::verb::get, "/networks/" + docker::url_encode(name)),
        [&swarm, op, name](const HttpResponse& response) {
            const auto network = nlohmann::json::parse(response.body);
            if (network.value("Driver", "") != "overlay") {
                return swarm.manager.finish(op, ENVMGR_STATUS_CONFLICT,
                                            "network " + name + " exists with driver " +
                                                network.value("Driver", "") +
                                                ": a swarm's services need an overlay network");
            }
            swarm.manager.succeed(op, {{"id", network.value("Id", "")}, {"created", false}});
        },
        [create](envmgr_status status, const std::string&, unsigned) {
            if (status != ENVMGR_STATUS_NOT_FOUND) return false;
            create();
            return true;
        });
}

void volume_ensure(Swarm& swarm, const OperationPtr& op) {
    swarm.manager.succeed(op, {{"id", required_string(op->request, "name")}, {"created", false}});
}

}  // namespace

void add_swarm_objects(SwarmTable& table) {
    table.emplace("network.ensure", &network_ensure);
    table.emplace("volume.ensure", &volume_ensure);
    for (const char* name : {"network.inspect", "network.remove", "system.ping", "system.version",
                             "system.info", "image.inspect", "image.pull", "image.remove"}) {
        table.emplace(name, &on_manager);
    }
}

}  // namespace envmgr::plugins::backends::swarm

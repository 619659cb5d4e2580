// network.ensure/inspect/remove and volume.ensure/inspect/remove: the same three verbs over
// the engine's two kinds of named objects.
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/operation_table.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"

namespace envmgr::plugins::backends::docker {
namespace {
namespace http = boost::beast::http;

enum class ObjectKind { network, volume };

std::string object_path(ObjectKind kind, const std::string& name) {
    return (kind == ObjectKind::network ? "/networks/" : "/volumes/") + url_encode(name);
}

// The engine names a network by its Id and a volume by its Name.
std::string object_id(ObjectKind kind, const nlohmann::json& body) {
    return body.value(kind == ObjectKind::network ? "Id" : "Name", "");
}

void create_object(EngineApi& engine, const OperationPtr& op, ObjectKind kind, const std::string& name,
                   const std::map<std::string, std::string>& labels, const std::string& driver) {
    HttpRequest create =
        engine.make(http::verb::post, kind == ObjectKind::network ? "/networks/create" : "/volumes/create");
    nlohmann::json body{{"Name", name}, {"Labels", labels}};
    if (kind == ObjectKind::network) {
        body["CheckDuplicate"] = true;
        body["Driver"] = driver;
    }
    create.body = body.dump();
    engine.call(op, std::move(create), [&engine, op, kind](const HttpResponse& response) {
        engine.succeed(op,
                       {{"id", object_id(kind, nlohmann::json::parse(response.body))}, {"created", true}});
    });
}

void ensure_object(EngineApi& engine, const OperationPtr& op, ObjectKind kind) {
    const std::string name = required_string(op->request, "name");
    const auto labels = string_map(op->request, "labels");
    const std::string driver = optional_string(op->request, "driver", "bridge");
    engine.call(
        op, engine.make(http::verb::get, object_path(kind, name)),
        [&engine, op, kind](const HttpResponse& response) {
            engine.succeed(
                op, {{"id", object_id(kind, nlohmann::json::parse(response.body))}, {"created", false}});
        },
        [&engine, op, kind, name, labels, driver](envmgr_status status, const std::string&, unsigned) {
            if (status != ENVMGR_STATUS_NOT_FOUND) return false;
            create_object(engine, op, kind, name, labels, driver);
            return true;
        });
}

void inspect_object(EngineApi& engine, const OperationPtr& op, ObjectKind kind) {
    const std::string name = required_string(op->request, "name");
    engine.call(op, engine.make(http::verb::get, object_path(kind, name)),
                [&engine, op, kind](const HttpResponse& response) {
                    const auto body = nlohmann::json::parse(response.body);
                    nlohmann::json result{{"name", body.value("Name", "")},
                                          {"labels", object_at(body, "Labels")},
                                          {"id", object_id(kind, body)}};
                    if (kind == ObjectKind::network) {
                        result["driver"] = body.value("Driver", "");
                        auto containers = nlohmann::json::array();
                        for (const auto& [container_id, c] : object_at(body, "Containers").items()) {
                            containers.push_back({{"id", container_id}, {"name", c.value("Name", "")}});
                        }
                        result["containers"] = containers;
                    } else {
                        result["mountpoint"] = body.value("Mountpoint", "");
                    }
                    engine.succeed(op, result);
                });
}

void remove_object(EngineApi& engine, const OperationPtr& op, ObjectKind kind) {
    std::string path = object_path(kind, required_string(op->request, "name"));
    if (kind == ObjectKind::volume && op->request.value("force", false)) path += "?force=1";
    engine.call(op, engine.make(http::verb::delete_, path),
                [&engine, op](const HttpResponse&) { engine.succeed(op, nlohmann::json::object()); });
}

}  // namespace

void add_object_operations(OperationTable& table) {
    table.emplace("network.ensure",
                  [](EngineApi& e, const OperationPtr& op) { ensure_object(e, op, ObjectKind::network); });
    table.emplace("network.inspect",
                  [](EngineApi& e, const OperationPtr& op) { inspect_object(e, op, ObjectKind::network); });
    table.emplace("network.remove",
                  [](EngineApi& e, const OperationPtr& op) { remove_object(e, op, ObjectKind::network); });
    table.emplace("volume.ensure",
                  [](EngineApi& e, const OperationPtr& op) { ensure_object(e, op, ObjectKind::volume); });
    table.emplace("volume.inspect",
                  [](EngineApi& e, const OperationPtr& op) { inspect_object(e, op, ObjectKind::volume); });
    table.emplace("volume.remove",
                  [](EngineApi& e, const OperationPtr& op) { remove_object(e, op, ObjectKind::volume); });
}

}  // namespace envmgr::plugins::backends::docker

#include "plugins/backends/swarm/swarm_backend.h"

#include "plugins/backends/docker/endpoint.h"

#include <boost/asio/post.hpp>

namespace envmgr::plugins::backends::swarm {
namespace {

sdk::PluginConfig read_config(const nlohmann::json& config_json) {
    return {config_json, SwarmBackend::config_schema()};
}

docker::EngineSettings engine_settings(const sdk::PluginConfig& config) {
    return {.api_version = "",
            .timeout = std::chrono::milliseconds(config.get<std::int64_t>("timeout_ms")),
            .registry_auth = nlohmann::json::object()};
}

SwarmSettings swarm_settings(const sdk::PluginConfig& config) {
    SwarmSettings settings;
    settings.services.endpoint_mode = config.get<std::string>("endpoint_mode");
    if (settings.services.endpoint_mode != "dnsrr" && settings.services.endpoint_mode != "vip") {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "endpoint_mode: expected dnsrr or vip, got '" +
                                                    settings.services.endpoint_mode + "'");
    }
    for (const auto& [service, constraints] : config.json().at("placement").items()) {
        if (!constraints.is_array() || !std::all_of(constraints.begin(), constraints.end(),
                                                    [](const nlohmann::json& c) { return c.is_string(); })) {
            throw sdk::Error(ENVMGR_STATUS_INVALID,
                             "placement." + service + ": expected a list of constraints");
        }
        settings.services.placement[service] = constraints.get<std::vector<std::string>>();
    }
    const auto poll = config.get<std::int64_t>("poll_interval_ms");
    if (poll < 10) throw sdk::Error(ENVMGR_STATUS_INVALID, "poll_interval_ms: must be at least 10");
    settings.poll_interval = std::chrono::milliseconds(poll);
    return settings;
}

}  // namespace

const char* SwarmBackend::config_schema() {
    return R"json({
  "manager": {"type": "string", "default": "unix:///var/run/docker.sock", "env": "ENV_MANAGER_SWARM_MANAGER",
              "description": "a manager node's engine: unix:///path or tcp://host:port"},
  "nodes": {"type": "table", "default": {},
            "description": "node host name -> its engine (unix:///path or tcp://host:port), for exec and stats of the tasks it runs"},
  "placement": {"type": "table", "default": {},
                "description": "service name -> Swarm placement constraints, e.g. {\"node-a\": [\"node.labels.gpu == true\"]}"},
  "endpoint_mode": {"type": "string", "default": "dnsrr",
                    "description": "dnsrr (works without IPVS) or vip (a virtual address per service; needs IPVS)"},
  "poll_interval_ms": {"type": "integer", "default": 250,
                       "description": "how often task states are read for events.stream and container.wait"},
  "timeout_ms": {"type": "integer", "default": 30000,
                 "description": "deadline of one engine call, and of a start waiting for its task to run"}
})json";
}

SwarmBackend::SwarmBackend(const sdk::Host& host, const nlohmann::json& config)
    : BackendPlugin(host),
      settings_(swarm_settings(read_config(config))),
      io_thread_([this](const std::string& what) {
          this->host().error("backend.swarm: unexpected exception on the io thread: " + what);
      }),
      manager_(io_thread_.context(), docker::parse_endpoint(read_config(config).get<std::string>("manager")),
               engine_settings(read_config(config)), this->host(), operations_),
      swarm_{manager_, settings_, node_engines_} {
    const auto parsed = read_config(config);
    for (const auto& [node, endpoint] : parsed.json().at("nodes").items()) {
        if (!endpoint.is_string()) {
            throw sdk::Error(ENVMGR_STATUS_INVALID, "nodes." + node + ": expected an endpoint");
        }
        node_engines_.emplace(
            node, std::make_unique<EngineApi>(io_thread_.context(),
                                              docker::parse_endpoint(endpoint.get<std::string>()),
                                              engine_settings(parsed), this->host(), operations_));
    }
    this->host().info("swarm manager " + manager_.endpoint().text + "; " +
                      std::to_string(node_engines_.size()) + " node engine(s) for exec and stats");
}

SwarmBackend::~SwarmBackend() {
    cancel_all();
    boost::asio::post(io_thread_.context(), [this] {
        manager_.shutdown();
        for (auto& [node, engine] : node_engines_) engine->shutdown();
    });
    io_thread_.shutdown();
}

void SwarmBackend::cancel_all() {
    for (const auto op_id : operations_.ids()) cancel(op_id);
    boost::asio::post(io_thread_.context(), [this] {
        manager_.cancel_negotiation();
        for (auto& [node, engine] : node_engines_) engine->cancel_negotiation();
    });
}

void SwarmBackend::stop(const sdk::Completion& done) {
    cancel_all();
    boost::asio::post(io_thread_.context(), [done] { done.ok(); });
}

envmgr_operation_id SwarmBackend::invoke(std::string_view operation, const nlohmann::json& request,
                                         const sdk::Completion& done) {
    auto op = operations_.add(std::string(operation), request, done);
    boost::asio::post(io_thread_.context(), [this, op] { dispatch(op); });
    return op->id;
}

void SwarmBackend::cancel(envmgr_operation_id operation_id) {
    if (auto op = operations_.find(operation_id)) {
        boost::asio::post(io_thread_.context(), [this, op = std::move(op)] { manager_.cancel(op); });
    }
}

void SwarmBackend::dispatch(const OperationPtr& op) {
    if (op->cancelled) return;
    manager_.finish_if_throws(op, ENVMGR_STATUS_INVALID, "", [&] {
        const auto& table = swarm_table();
        const auto it = table.find(op->name);
        if (it == table.end()) {
            manager_.finish(op, ENVMGR_STATUS_UNSUPPORTED,
                            "backend.swarm has no operation '" + op->name + "'");
            return;
        }
        it->second(swarm_, op);
    });
}

}  // namespace envmgr::plugins::backends::swarm

#include "plugins/backends/swarm/swarm_backend.h"

#include "plugins/backends/docker/endpoint.h"
#include "plugins/backends/docker/registry_credentials.h"

#include <algorithm>
#include <variant>

namespace envmgr::plugins::backends::swarm {
namespace {

sdk::PluginConfig read_config(const nlohmann::json& config_json) {
    return {config_json, SwarmBackend::config_schema()};
}

docker::EngineSettings engine_settings(const sdk::PluginConfig& config) {
    auto auth = docker::resolve_registry_auth(config.json().at("registry_auth"),
                                              docker::process_credential_sources());
    if (auto* problem = std::get_if<std::string>(&auth)) throw sdk::Error(ENVMGR_STATUS_INVALID, *problem);
    return {.api_version = "",
            .timeout = std::chrono::milliseconds(config.get<std::int64_t>("timeout_ms")),
            .registry_auth = std::get<nlohmann::json>(std::move(auth))};
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
    const auto addresses = config.get<std::string>("addresses");
    if (addresses != "overlay" && addresses != "node") {
        throw sdk::Error(ENVMGR_STATUS_INVALID,
                         "addresses: expected overlay or node, got '" + addresses + "'");
    }
    settings.services.node_addresses = addresses == "node";
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
  "addresses": {"type": "string", "default": "overlay",
                "description": "how services reach each other: overlay (Swarm's DNS on the tenant's overlay network) or node (each SERVICE:PORT in a started service's environment becomes the node address and published port of that service's task)"},
  "poll_interval_ms": {"type": "integer", "default": 250,
                       "description": "how often task states are read for events.stream and container.wait"},
  "timeout_ms": {"type": "integer", "default": 30000,
                 "description": "deadline of one engine call, and of a start waiting for its task to run"},
  "registry_auth": {"type": "table", "default": {},
                    "description": "per registry host: {username, and one of password, password_file, password_env}, passed to the nodes that pull a service's image"}
})json";
}

SwarmBackend::SwarmBackend(const sdk::Host& host, const nlohmann::json& config)
    : EngineBackend(host, id),
      settings_(swarm_settings(read_config(config))),
      manager_(io_thread_.context(), docker::parse_endpoint(read_config(config).get<std::string>("manager")),
               engine_settings(read_config(config)), this->host(), operations_),
      swarm_{manager_, settings_, node_engines_} {
    const auto parsed = read_config(config);
    for (const auto& [node, endpoint] : parsed.json().at("nodes").items()) {
        if (!endpoint.is_string()) {
            throw sdk::Error(ENVMGR_STATUS_INVALID, "nodes." + node + ": expected an endpoint");
        }
        auto where = docker::parse_endpoint(endpoint.get<std::string>());
        auto settings = engine_settings(parsed);
        // A node reached over TCP is another machine: its process ids are not this one's.
        settings.processes_visible = where.kind == docker::Endpoint::Kind::unix_socket;
        node_engines_.emplace(
            node, std::make_unique<EngineApi>(io_thread_.context(), std::move(where), std::move(settings),
                                              this->host(), operations_));
    }
    this->host().info("swarm manager " + manager_.endpoint().text + "; " +
                      std::to_string(node_engines_.size()) + " node engine(s) for exec and stats");
}

SwarmBackend::~SwarmBackend() {
    shut_down();
}

void SwarmBackend::for_each_engine(const std::function<void(EngineApi&)>& visit) {
    visit(manager_);
    for (auto& [node, engine] : node_engines_) visit(*engine);
}

void SwarmBackend::dispatch(const OperationPtr& op) {
    const auto& table = swarm_table();
    const auto it = table.find(op->name);
    if (supported(op, it != table.end())) it->second(swarm_, op);
}

}  // namespace envmgr::plugins::backends::swarm

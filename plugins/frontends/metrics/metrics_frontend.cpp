#include "plugins/frontends/metrics/metrics_frontend.h"

namespace envmgr::plugins::frontends::metrics_frontend {

const char* MetricsFrontend::config_schema() {
    return R"json({
      "addr": {"type": "string", "host_key": "server.metrics_addr",
               "description": "listen address, host:port or unix:PATH (server.metrics_addr, ENV_MANAGER_METRICS_ADDR)"},
      "request_timeout_ms": {"type": "integer", "default": 10000,
                             "description": "to read one request and write its answer; a slower client is cut off"},
      "health_timeout_ms": {"type": "integer", "default": 3000,
                            "description": "how long /health waits for the daemon (and the engine) to answer"}
    })json";
}

ServerSettings settings_from(const nlohmann::json& config_json) {
    const sdk::PluginConfig config(config_json, MetricsFrontend::config_schema());
    ServerSettings settings;
    // The address's default is the host's (server.metrics_addr), which the host fills in.
    settings.address = config.get_or<std::string>("addr", "");
    const auto request = config.get<std::int64_t>("request_timeout_ms");
    const auto health = config.get<std::int64_t>("health_timeout_ms");
    if (request < 100) throw sdk::Error(ENVMGR_STATUS_INVALID, "request_timeout_ms: must be at least 100");
    if (health < 100) throw sdk::Error(ENVMGR_STATUS_INVALID, "health_timeout_ms: must be at least 100");
    settings.request_timeout = std::chrono::milliseconds(request);
    settings.health_timeout = std::chrono::milliseconds(health);
    return settings;
}

MetricsFrontend::MetricsFrontend(const sdk::Host& host, const nlohmann::json& config)
    : FrontendPlugin(host),
      settings_(settings_from(config)),
      io_([host](const std::string& what) { host.error("frontend.metrics handler threw: " + what); }) {}

MetricsFrontend::~MetricsFrontend() {
    if (server_) server_->close();
    io_.shutdown();
}

void MetricsFrontend::start() {
    server_ = std::make_unique<HttpServer>(io_.context(), host(), settings_);
    server_->listen();
    host().info("HTTP /health and /metrics on " + settings_.address);
}

void MetricsFrontend::stop(const sdk::Completion& done) {
    if (server_) server_->close();
    io_.shutdown();
    server_.reset();
    done.ok();
}

}  // namespace envmgr::plugins::frontends::metrics_frontend

// frontend.metrics: the daemon's HTTP face for dashboards, systemd, Kubernetes and load
// balancers on server.metrics_addr: /health, /health/live, /health/ready and /metrics
// (Prometheus text, or the same as JSON). Uses only the host API: render_metrics and the
// daemon.health manager operation.
#pragma once

#include <envmgr/kit/io_thread.h>
#include "plugins/frontends/metrics/http_server.h"

#include <envmgr/sdk/sdk.h>

#include <memory>
#include <string>

namespace envmgr::plugins::frontends::metrics_frontend {

// The settings from the plugin's configuration; throws sdk::Error(INVALID) naming the key.
ServerSettings settings_from(const nlohmann::json& config);

class MetricsFrontend : public sdk::FrontendPlugin {
public:
    static constexpr const char* id = "frontend.metrics";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "HTTP /health, /health/live, /health/ready and /metrics";
    static const char* config_schema();

    MetricsFrontend(const sdk::Host& host, const nlohmann::json& config);
    ~MetricsFrontend() override;
    MetricsFrontend(const MetricsFrontend&) = delete;
    MetricsFrontend& operator=(const MetricsFrontend&) = delete;

    [[nodiscard]] std::string endpoint() const { return "http://" + settings_.address; }
    void start();  // throws when the address cannot be bound
    void stop(const sdk::Completion& done);

private:
    ServerSettings settings_;
    kit::IoThread io_;
    std::unique_ptr<HttpServer> server_;
};

}  // namespace envmgr::plugins::frontends::metrics_frontend

// Loads the real backend.docker plugin through the host's plugin manager and calls it through
// the host API, as probes and the scheduler do. Every call here goes to a real engine.
#pragma once

#include "host/config/config_loader.h"
#include "host/loader/host_context.h"
#include "host/loader/plugin_manager.h"
#include "host/metrics/metrics_registry.h"

#include <envmgr/sdk/async_call.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace envmgr::tests {

struct CallResult {
    envmgr_status status = ENVMGR_STATUS_INTERNAL;
    std::string payload;
    std::vector<nlohmann::json> items;
    std::chrono::milliseconds elapsed{0};

    [[nodiscard]] bool ok() const { return status == ENVMGR_STATUS_OK; }
    [[nodiscard]] nlohmann::json json() const {
        return nlohmann::json::parse(payload.empty() ? "null" : payload);
    }
};

// A stream that keeps running in the background; items are collected as they arrive.
class RunningStream {
public:
    void add(nlohmann::json item);
    void complete(envmgr_status status, std::string payload);
    // Waits until an item satisfies pred; returns its arrival time, or nullopt after timeout.
    std::optional<std::chrono::steady_clock::time_point> wait_for(
        const std::function<bool(const nlohmann::json&)>& pred, std::chrono::milliseconds timeout);
    bool wait_done(std::chrono::milliseconds timeout);
    std::vector<nlohmann::json> items();
    envmgr_status status();
    std::string payload();

    envmgr_operation_id id = 0;

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::pair<nlohmann::json, std::chrono::steady_clock::time_point>> items_;
    bool done_ = false;
    envmgr_status status_ = ENVMGR_STATUS_INTERNAL;
    std::string payload_;
};

class BackendHarness {
public:
    // env: extra environment for the plugin's settings, e.g. {"DOCKER_HOST", "tcp://..."}.
    // settings: the backend's table ([plugins."backend.docker"]), e.g. {"timeout_ms": 300}.
    // base: what the host offers besides the backend (an executor, an event bus); none by default.
    // backend: the backend plugin that runs (plugins.backend).
    explicit BackendHarness(std::map<std::string, std::string> env = {},
                            nlohmann::json settings = nlohmann::json::object(),
                            host::loader::HostServices base = {},
                            const std::string& backend = "backend.docker");
    ~BackendHarness();

    CallResult call(const std::string& operation, const nlohmann::json& request,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60));
    std::shared_ptr<RunningStream> start_stream(const std::string& operation, const nlohmann::json& request);
    void cancel(envmgr_operation_id id);

    [[nodiscard]] std::string metrics_text() const { return metrics_.text(); }
    [[nodiscard]] bool loaded() const { return manager_->active_backend().has_value(); }
    // Every plugin of the default plugin folder (the probes too), created and started.
    [[nodiscard]] host::loader::PluginManager& manager() { return *manager_; }

private:
    host::metrics::MetricsRegistry metrics_;
    std::unique_ptr<host::loader::PluginManager> manager_;
    std::unique_ptr<envmgr_host_context> context_;
};

// Fails the current test with a clear message when no engine answers.
void require_engine();

// A unique name for objects a test creates; they also carry the envmgr.test label.
std::string unique_name(const std::string& prefix);

}  // namespace envmgr::tests

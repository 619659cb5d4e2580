#include "tests/support/backend_harness.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <atomic>
#include <future>
#include <random>

namespace envmgr::tests {

void RunningStream::add(nlohmann::json item) {
    const std::lock_guard lock(mutex_);
    items_.emplace_back(std::move(item), std::chrono::steady_clock::now());
    changed_.notify_all();
}

void RunningStream::complete(envmgr_status status, std::string payload) {
    const std::lock_guard lock(mutex_);
    done_ = true;
    status_ = status;
    payload_ = std::move(payload);
    changed_.notify_all();
}

std::optional<std::chrono::steady_clock::time_point> RunningStream::wait_for(
    const std::function<bool(const nlohmann::json&)>& pred, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::size_t checked = 0;
    std::optional<std::chrono::steady_clock::time_point> found;
    changed_.wait_for(lock, timeout, [&] {
        for (; checked < items_.size(); ++checked) {
            if (pred(items_[checked].first)) {
                found = items_[checked].second;
                return true;
            }
        }
        return done_;
    });
    return found;
}

bool RunningStream::wait_done(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return done_; });
}

std::vector<nlohmann::json> RunningStream::items() {
    const std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> out;
    out.reserve(items_.size());
    for (const auto& item : items_) out.push_back(item.first);
    return out;
}

std::string RunningStream::payload() {
    const std::lock_guard lock(mutex_);
    return payload_;
}

envmgr_status RunningStream::status() {
    const std::lock_guard lock(mutex_);
    return status_;
}

BackendHarness::BackendHarness(std::map<std::string, std::string> env, nlohmann::json settings,
                               host::loader::HostServices base, const std::string& backend) {
    auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    host::loader::HostServices services = std::move(base);
    services.metrics = &metrics_;
    manager_ = std::make_unique<host::loader::PluginManager>(services, logger);
    manager_->discover({ENVMGR_DEFAULT_PLUGIN_DIR});
    const auto environment = host::config::map_environment(std::move(env));
    auto config = host::config::load_config(host::config::map_environment({})).config;
    config.backend = backend;
    if (!settings.empty()) config.plugin_settings[backend] = std::move(settings);
    manager_->create_all(config, environment);
    manager_->start_all();
    context_ = host::loader::make_host_context("probe.integration-test", logger, services);
    context_->services.active_backend = [this] { return manager_->active_backend(); };
}

BackendHarness::~BackendHarness() {
    manager_->stop_all(std::chrono::seconds(5));
}

CallResult BackendHarness::call(const std::string& operation, const nlohmann::json& request,
                                std::chrono::milliseconds timeout) {
    auto stream = start_stream(operation, request);
    const auto started = std::chrono::steady_clock::now();
    CallResult result;
    if (!stream->wait_done(timeout)) {
        cancel(stream->id);
        stream->wait_done(std::chrono::seconds(5));
        ADD_FAILURE() << operation << " did not complete within " << timeout.count() << " ms";
    }
    result.elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    result.items = stream->items();
    result.status = stream->status();
    result.payload = stream->payload();
    return result;
}

std::shared_ptr<RunningStream> BackendHarness::start_stream(const std::string& operation,
                                                            const nlohmann::json& request) {
    auto stream = std::make_shared<RunningStream>();
    const auto callbacks = sdk::make_callbacks(
        [stream](const sdk::Result& result) { stream->complete(result.status, result.payload); },
        [stream](std::string_view item) { stream->add(nlohmann::json::parse(item)); });
    stream->id =
        context_->api.backend_invoke(context_.get(), operation.c_str(), request.dump().c_str(), &callbacks);
    return stream;
}

void BackendHarness::cancel(envmgr_operation_id id) {
    context_->api.backend_cancel(context_.get(), id);
}

void require_engine() {
    static const bool answers = [] {
        BackendHarness harness;
        return harness.loaded() && harness.call("system.ping", {}, std::chrono::seconds(5)).ok();
    }();
    if (!answers) {
        GTEST_FAIL() << "no Docker engine answers on DOCKER_HOST / unix:///var/run/docker.sock; "
                        "start the test-bed with `scripts/testbed.sh up` (as root)";
    }
}

std::string unique_name(const std::string& prefix) {
    static std::atomic<int> counter{0};
    static const auto run = std::random_device{}() % 100000;
    return "envmgr-test-" + prefix + "-" + std::to_string(run) + "-" + std::to_string(counter++);
}

}  // namespace envmgr::tests

#include "tests/support/lifecycle_harness.h"

#include "host/config/config_loader.h"
#include "host/runtime/plugin_services.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace envmgr::tests {
namespace {

host::config::Config config_from(const std::string& toml) {
    const auto path =
        std::filesystem::temp_directory_path() / ("envmgr-lifecycle-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path) << toml;
    auto loaded = host::config::load_config(host::config::map_environment({}), path.string());
    std::filesystem::remove(path);
    for (const auto& error : loaded.errors) ADD_FAILURE() << error.to_string();
    return loaded.config;
}

}  // namespace

LifecycleHarness::LifecycleHarness(const std::string& toml, host::scheduler::EngineSettings settings)
    : registry_(host::runtime::registry_from_plugins(config_from(toml), health_.backend().manager())) {
    for (const auto& error : registry_.errors) ADD_FAILURE() << error.to_string();
    for (const auto& tenant : registry_.tenants) tenants_.push_back(tenant.name);
    auto& manager = health_.backend().manager();
    client_ = std::make_unique<host::scheduler::PluginBackendClient>(manager);
    auto logger =
        std::make_shared<spdlog::logger>("lifecycle", std::make_shared<spdlog::sinks::null_sink_mt>());
    engine_ = std::make_unique<host::scheduler::LifecycleEngine>(
        health_.executor(), *client_, health_.supervisor(), &health_.bus(), registry_, settings, logger);
    subscription_ = health_.bus().subscribe({"status", 1U << 16U, true}, [this](const std::string& /*topic*/,
                                                                                const std::string& json) {
        const auto event = nlohmann::json::parse(json, nullptr, false);
        const std::lock_guard lock(mutex_);
        events_.push_back({event.value("tenant", ""), event.value("service", ""), event.value("state", ""),
                           event.value("message", ""), std::chrono::steady_clock::now()});
    });
}

LifecycleHarness::~LifecycleHarness() {
    for (const auto& tenant : tenants_) {
        if (tenant != "default") remove_tenant(tenant);
    }
    health_.bus().unsubscribe(subscription_);
    engine_.reset();
}

host::scheduler::RunResult LifecycleHarness::start(const host::scheduler::StartRequest& request,
                                                   std::chrono::seconds timeout) {
    auto done = std::make_shared<std::promise<host::scheduler::RunResult>>();
    engine_->start(request, nullptr,
                   [done](host::scheduler::RunResult result) { done->set_value(std::move(result)); });
    auto future = done->get_future();
    if (future.wait_for(timeout) != std::future_status::ready) {
        ADD_FAILURE() << "the start did not finish within " << timeout.count() << " s";
        return {ENVMGR_STATUS_TIMEOUT, "test timeout", {}};
    }
    return future.get();
}

host::scheduler::RunResult LifecycleHarness::stop(const host::scheduler::StopRequest& request,
                                                  std::chrono::seconds timeout) {
    auto done = std::make_shared<std::promise<host::scheduler::RunResult>>();
    engine_->stop(request, [done](host::scheduler::RunResult result) { done->set_value(std::move(result)); });
    auto future = done->get_future();
    if (future.wait_for(timeout) != std::future_status::ready) {
        ADD_FAILURE() << "the stop did not finish within " << timeout.count() << " s";
        return {ENVMGR_STATUS_TIMEOUT, "test timeout", {}};
    }
    return future.get();
}

nlohmann::json LifecycleHarness::snapshot(const std::string& tenant) {
    std::promise<nlohmann::json> done;
    engine_->snapshot(tenant, [&done](const sdk::StatusSnapshot& snapshot) { done.set_value(snapshot); });
    return done.get_future().get();
}

std::vector<TimedEvent> LifecycleHarness::events() {
    const std::lock_guard lock(mutex_);
    return events_;
}

std::optional<TimedEvent> LifecycleHarness::first(const std::string& service, const std::string& state,
                                                  std::chrono::steady_clock::time_point since) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the bus delivers asynchronously
    for (const auto& timed : events()) {
        if (timed.at >= since && timed.service == service && timed.state == state) return timed;
    }
    return std::nullopt;
}

void LifecycleHarness::remove_tenant(const std::string& tenant) {
    auto& backend = health_.backend();
    const auto listed =
        backend.call("container.list", {{"labels", {{"env-manager.tenant", tenant}}}, {"all", true}});
    if (listed.ok()) {
        for (const auto& container : listed.json().value("containers", nlohmann::json::array())) {
            backend.call("container.remove", {{"id", container.value("id", "")}, {"force", true}});
        }
    }
    if (const auto* found = registry_.tenant(tenant)) {
        for (const auto& volume : found->volumes) {
            backend.call("volume.remove", {{"name", volume}, {"force", true}});
        }
        backend.call("network.remove", {{"name", found->network}});
    }
}

}  // namespace envmgr::tests

#include "host/runtime/service_lifecycle.h"

#include <future>

namespace envmgr::host::runtime {

scheduler::EngineSettings engine_settings(const config::Config& config) {
    scheduler::EngineSettings settings;
    settings.max_concurrent_starts = static_cast<std::size_t>(config.max_concurrent_starts);
    settings.health_timeout = std::chrono::seconds(config.health_timeout_seconds);
    settings.restart_backoff_max = std::chrono::seconds(config.restart_backoff_max_seconds);
    settings.restart_stable_period = std::chrono::seconds(config.restart_stable_seconds);
    return settings;
}

void adopt_running(scheduler::LifecycleEngine& engine, spdlog::logger& logger) {
    auto listed = std::make_shared<std::promise<std::pair<envmgr_status, std::size_t>>>();
    engine.adopt([listed](envmgr_status status, std::size_t found) { listed->set_value({status, found}); });
    auto future = listed->get_future();
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        logger.warn("adoption: the engine did not list the containers within 10 s");
        return;
    }
    const auto [status, found] = future.get();
    if (status != ENVMGR_STATUS_OK) {
        logger.warn("adoption: cannot list the containers (status {}); none adopted", status);
    } else {
        logger.info(
            "adoption: {} container(s) of env-manager found; the running ones are watched, not restarted",
            found);
    }
}

void stop_all_services(scheduler::LifecycleEngine& engine, const registry::Registry& registry,
                       std::chrono::seconds budget, spdlog::logger& logger) {
    std::vector<std::future<scheduler::RunResult>> stops;
    for (const auto& tenant : registry.tenants) {
        auto stopped = std::make_shared<std::promise<scheduler::RunResult>>();
        stops.push_back(stopped->get_future());
        engine.stop({tenant.name, {}, 0, true},
                    [stopped](scheduler::RunResult result) { stopped->set_value(std::move(result)); });
    }
    const auto deadline = std::chrono::steady_clock::now() + budget;
    for (std::size_t i = 0; i < stops.size(); ++i) {
        if (stops[i].wait_until(deadline) != std::future_status::ready) {
            logger.warn("shutdown: the services of tenant '{}' did not stop within {} s",
                        registry.tenants[i].name, budget.count());
            continue;
        }
        const auto result = stops[i].get();
        if (result.status != ENVMGR_STATUS_OK) {
            logger.warn("shutdown: tenant '{}': {}", registry.tenants[i].name, result.message);
        }
    }
}

}  // namespace envmgr::host::runtime

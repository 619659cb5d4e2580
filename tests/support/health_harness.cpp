#include "tests/support/health_harness.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

namespace envmgr::tests {

using namespace std::chrono_literals;

HealthHarness::HealthHarness(const host::health::SupervisorSettings& settings)
    : work_(boost::asio::make_work_guard(io_)), bus_(io_.get_executor()) {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
    host::loader::HostServices base;
    base.executor = io_.get_executor();
    base.event_bus = &bus_;
    backend_ = std::make_unique<BackendHarness>(std::map<std::string, std::string>{},
                                                nlohmann::json::object(), base);
    auto& manager = backend_->manager();
    runner_ = std::make_unique<host::health::PluginProbeRunner>(manager);
    auto logger = std::make_shared<spdlog::logger>("health", std::make_shared<spdlog::sinks::null_sink_mt>());
    supervisor_ = std::make_unique<host::health::HealthSupervisor>(io_.get_executor(), *runner_, settings,
                                                                   &bus_, logger);
    supervisor_->subscribe([this](const host::health::HealthTransition& transition) {
        const std::lock_guard lock(mutex_);
        transitions_.push_back(transition);
        changed_.notify_all();
    });
    events_ = std::make_unique<host::health::ContainerEvents>([&manager] { return manager.active_backend(); },
                                                              logger);
    events_->subscribe(
        [this](const host::health::ContainerEvent& event) { supervisor_->on_container_event(event); });
    events_->start();
    std::this_thread::sleep_for(
        300ms);  // the engine only sends events that happen after the stream connected
}

HealthHarness::~HealthHarness() {
    remove_all();
    events_->stop();
    supervisor_->stop();
    supervisor_.reset();
    backend_.reset();
    work_.reset();
    for (auto& thread : threads_) thread.join();
}

host::health::WatchTarget HealthHarness::run(nlohmann::json spec, std::vector<sdk::ProbeSpec> probes) {
    spec["labels"]["env-manager.tenant"] = "integration-test";
    spec["labels"]["envmgr.test"] = "1";
    const auto created = backend_->call("container.create", {{"spec", spec}});
    EXPECT_TRUE(created.ok()) << created.payload;
    const std::string id = created.json().value("id", "");
    containers_.push_back(id);
    host::health::WatchTarget target;
    target.tenant = "integration-test";
    target.service = spec.value("name", "");
    target.container_id = id;
    target.probes = std::move(probes);
    const auto started = backend_->call("container.start", {{"id", id}});
    target.started = host::health::Clock::now();
    EXPECT_TRUE(started.ok()) << started.payload;
    const auto inspected = backend_->call("container.inspect", {{"id", id}}).json();
    target.container_ip = inspected.value("ip_address", "");
    for (const auto& port : inspected["ports"]) {
        if (port.value("protocol", "") == "tcp" && port.value("host_port", 0) != 0) {
            target.published_ports[port["container_port"].get<int>()] = {port.value("host_ip", ""),
                                                                         port["host_port"].get<int>()};
        }
    }
    return target;
}

void HealthHarness::remove_all() {
    for (const auto& id : containers_) backend_->call("container.remove", {{"id", id}, {"force", true}});
    containers_.clear();
}

std::optional<host::health::HealthTransition> HealthHarness::wait_for(const std::string& kind,
                                                                      const std::string& container_id,
                                                                      std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<host::health::HealthTransition> found;
    changed_.wait_for(lock, timeout, [&] {
        for (const auto& t : transitions_) {
            if (t.kind == kind && t.container_id == container_id) {
                found = t;
                return true;
            }
        }
        return false;
    });
    return found;
}

}  // namespace envmgr::tests

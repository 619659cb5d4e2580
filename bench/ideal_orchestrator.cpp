#include "bench/ideal_orchestrator.h"

#include "host/health/health_supervisor.h"
#include "host/model/dependency_graph.h"
#include "host/scheduler/container_spec_builder.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace envmgr::bench {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class IdealOrchestrator {
public:
    IdealOrchestrator(tests::LifecycleHarness& harness, host::health::ProbeRunner& runner,
                      const std::string& tenant)
        : harness_(harness), runner_(runner), tenant_(*harness.registry().tenant(tenant)) {
        std::set<std::string> all;
        for (const auto& service : tenant_.services) {
            auto& needs = graph_[service.definition.name];
            for (const auto& dependency : service.definition.depends_on) needs.push_back(dependency.service);
            services_[service.definition.name] = &service;
            all.insert(service.definition.name);
        }
        priority_ = host::model::remaining_path_lengths(graph_, all);
    }

    double run(IdealMode mode) {
        const bool precreate = mode != IdealMode::plain;
        const auto began = Clock::now();
        const nlohmann::json labels{{"env-manager.tenant", tenant_.name}};
        harness_.backend().call("network.ensure", {{"name", tenant_.network}, {"labels", labels}});
        for (const auto& volume : tenant_.volumes) {
            harness_.backend().call("volume.ensure", {{"name", volume}, {"labels", labels}});
        }
        std::map<std::string, std::shared_future<std::string>> created;
        if (mode == IdealMode::gated) created = create_gated();
        if (mode == IdealMode::precreate) {
            for (const auto& entry : services_) {
                created[entry.first] =
                    std::async(std::launch::async, [this, name = entry.first] { return create(name); });
            }
        }
        std::vector<std::thread> threads;
        threads.reserve(services_.size());
        for (const auto& entry : services_) {
            threads.emplace_back([this, name = entry.first, precreate, &created] {
                wait_for_dependencies(name);
                const std::string id = precreate ? created.at(name).get() : create(name);
                launch_and_probe(name, id);
            });
        }
        for (auto& thread : threads) thread.join();
        const double took = std::chrono::duration<double, std::milli>(Clock::now() - began).count();
        if (gate_thread_.joinable()) gate_thread_.join();
        return took;
    }

private:
    std::string create(const std::string& name, bool gate = false) {
        nlohmann::json spec = host::scheduler::container_spec_for(*services_.at(name));
        if (gate) {
            // The gate: a shell that waits for SIGUSR1 (a trap, so the container's first process
            // takes the signal) and then runs the service's own entrypoint and command.
            // As the engine runs it: an entrypoint of the spec's own drops the image's command.
            nlohmann::json command = spec.value("entrypoint", nlohmann::json::array());
            nlohmann::json rest = spec.value("command", nlohmann::json::array());
            if (command.empty()) {
                const auto image =
                    harness_.backend().call("image.inspect", {{"image", spec["image"]}}).json();
                command = image.value("entrypoint", nlohmann::json::array());
                if (rest.empty()) rest = image.value("command", nlohmann::json::array());
            }
            for (const auto& word : rest) command.push_back(word);
            spec["entrypoint"] = {"sh", "-c", R"(trap 'exec "$@"' USR1; while :; do sleep 1 & wait $!; done)",
                                  "gate"};
            spec["command"] = command;
        }
        const auto created = harness_.backend().call("container.create", {{"spec", spec}});
        if (!created.ok()) std::printf("ideal: create %s: %s\n", name.c_str(), created.payload.c_str());
        std::string id = created.json().value("id", "");
        if (gate) {
            harness_.backend().call("container.start", {{"id", id}});
            const std::lock_guard lock(mutex_);
            gate_started_[name] = Clock::now();
        }
        return id;
    }

    // Services without a dependency are created as in precreate; the others are created and
    // started behind the gate one after another, the longest path first, as the engine would
    // take them in that order anyway.
    std::map<std::string, std::shared_future<std::string>> create_gated() {
        std::map<std::string, std::shared_future<std::string>> created;
        std::vector<std::string> gated;
        for (const auto& entry : services_) {
            if (graph_.at(entry.first).empty()) {
                created[entry.first] =
                    std::async(std::launch::async, [this, name = entry.first] { return create(name); });
            } else {
                gated.push_back(entry.first);
            }
        }
        std::sort(gated.begin(), gated.end(),
                  [this](const auto& a, const auto& b) { return priority_.at(a) > priority_.at(b); });
        auto promises = std::make_shared<std::map<std::string, std::promise<std::string>>>();
        for (const auto& name : gated) created[name] = (*promises)[name].get_future().share();
        gated_ = {gated.begin(), gated.end()};
        gate_thread_ = std::thread([this, gated, promises] {
            for (const auto& name : gated) (*promises)[name].set_value(create(name, true));
        });
        return created;
    }

    // Released in critical-path order: among the services whose dependencies were all ready at
    // the same moment, the one with the longest path still ahead goes first.
    void wait_for_dependencies(const std::string& name) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
            return released(name) && std::none_of(graph_.begin(), graph_.end(), [&](const auto& other) {
                       return !launched_.contains(other.first) &&
                              priority_.at(other.first) > priority_.at(name) && released(other.first);
                   });
        });
        launched_.insert(name);
        changed_.notify_all();
    }

    // Every dependency of the service is ready (under mutex_).
    [[nodiscard]] bool released(const std::string& name) const {
        const auto& needs = graph_.at(name);
        return std::all_of(needs.begin(), needs.end(),
                           [&](const auto& need) { return ready_.contains(need); });
    }

    void launch_and_probe(const std::string& name, const std::string& id) {
        const bool gated = gated_.contains(name);
        if (gated) {
            // The gate sets its trap within a few ms of its start; a signal before that would end it.
            Clock::time_point started;
            {
                const std::lock_guard lock(mutex_);
                started = gate_started_.at(name);
            }
            std::this_thread::sleep_until(started + 20ms);
        }
        harness_.backend().call(
            gated ? "container.kill" : "container.start",
            gated ? nlohmann::json{{"id", id}, {"signal", "SIGUSR1"}} : nlohmann::json{{"id", id}});
        const auto inspected = harness_.backend().call("container.inspect", {{"id", id}}).json();
        host::health::WatchTarget target;
        target.container_id = id;
        target.container_ip = inspected.value("ip_address", "");
        const auto& probe = services_.at(name)->definition.readiness;
        const auto deadline = Clock::now() + 60s;
        while (!probe.type.empty() && !healthy(probe, target)) {
            if (Clock::now() > deadline) {
                std::printf("ideal: %s not ready within 60 s\n", name.c_str());
                break;
            }
            std::this_thread::sleep_for(10ms);
        }
        const std::lock_guard lock(mutex_);
        ready_.insert(name);
        changed_.notify_all();
    }

    bool healthy(const sdk::ProbeSpec& probe, const host::health::WatchTarget& target) {
        std::promise<bool> answer;
        runner_.check(host::health::HealthSupervisor::check_spec(probe, target, "auto"),
                      [&answer](const host::health::CheckOutcome& outcome) {
                          answer.set_value(outcome.ran && outcome.result.healthy);
                      });
        return answer.get_future().get();
    }

    tests::LifecycleHarness& harness_;
    host::health::ProbeRunner& runner_;
    const host::registry::TenantServices& tenant_;
    host::model::DependencyMap graph_;
    std::map<std::string, const host::registry::EffectiveService*> services_;
    std::map<std::string, int> priority_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::set<std::string> launched_;
    std::set<std::string> ready_;
    std::set<std::string> gated_;                            // started behind the gate at t0
    std::map<std::string, Clock::time_point> gate_started_;  // when its start returned
    std::thread gate_thread_;
};

}  // namespace

double ideal_start(tests::LifecycleHarness& harness, host::health::ProbeRunner& runner,
                   const std::string& tenant, IdealMode mode) {
    return IdealOrchestrator(harness, runner, tenant).run(mode);
}

}  // namespace envmgr::bench

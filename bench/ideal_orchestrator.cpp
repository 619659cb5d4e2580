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

    double run(bool precreate) {
        const auto began = Clock::now();
        const nlohmann::json labels{{"env-manager.tenant", tenant_.name}};
        harness_.backend().call("network.ensure", {{"name", tenant_.network}, {"labels", labels}});
        for (const auto& volume : tenant_.volumes) {
            harness_.backend().call("volume.ensure", {{"name", volume}, {"labels", labels}});
        }
        std::map<std::string, std::shared_future<std::string>> created;
        if (precreate) {
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
        return std::chrono::duration<double, std::milli>(Clock::now() - began).count();
    }

private:
    std::string create(const std::string& name) {
        const auto created = harness_.backend().call(
            "container.create", {{"spec", host::scheduler::container_spec_for(*services_.at(name))}});
        if (!created.ok()) std::printf("ideal: create %s: %s\n", name.c_str(), created.payload.c_str());
        return created.json().value("id", "");
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
        harness_.backend().call("container.start", {{"id", id}});
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
};

}  // namespace

double ideal_start(tests::LifecycleHarness& harness, host::health::ProbeRunner& runner,
                   const std::string& tenant, bool precreate) {
    return IdealOrchestrator(harness, runner, tenant).run(precreate);
}

}  // namespace envmgr::bench

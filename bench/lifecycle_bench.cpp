// The lifecycle engine against the floor, in the same run (these machines are shared and noisy,
// so figures are ratios):
//  - the default stack (images present, containers absent) to all ready: env-manager against the
//    strongest orchestrator a script could be (ideal_orchestrator.h: every service launched on
//    its own thread the instant its dependencies answer, critical path first, probed every
//    10 ms), and against the same with every container created at t0; the three take turns
//    going first, medians of 7 runs;
//  - an idempotent start on the running stack;
//  - stopping the stack against stopping every container at once through the raw API;
//  - the scheduler's own cost on a synthetic 200-service graph against the in-memory engine.
// Needs the test-bed (scripts/testbed.sh up). Usage: build/release/bin/lifecycle_bench [runs]
// (default 7)
#include "bench/ideal_orchestrator.h"
#include "host/health/health_supervisor.h"
#include "host/health/plugin_probe_runner.h"
#include "tests/support/fake_backend_client.h"
#include "tests/support/lifecycle_harness.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <cstdio>
#include <future>
#include <map>
#include <random>
#include <thread>

namespace {

using namespace envmgr;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;

constexpr const char* kTenant = "bench";

std::string stack_toml() {
    std::string toml = std::string("[tenants.") + kTenant + "]\nport_offset = 2000\n";
    for (const char* service :
         {"redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"}) {
        toml += std::string("[tenants.") + kTenant + ".services." + service +
                "]\nlabels = { \"envmgr.test\" = \"1\" }\n";
    }
    return toml;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

double raw_parallel_stop(tests::LifecycleHarness& harness) {
    const auto listed =
        harness.backend().call("container.list", {{"labels", {{"env-manager.tenant", kTenant}}}});
    const auto began = Clock::now();
    std::vector<std::thread> stops;
    for (const auto& container : listed.json().value("containers", nlohmann::json::array())) {
        stops.emplace_back([&harness, id = container.value("id", "")] {
            harness.backend().call("container.stop", {{"id", id}, {"timeout_seconds", 10}});
        });
    }
    for (auto& stop : stops) stop.join();
    return Millis(Clock::now() - began).count();
}

// Dependents first, as a stop must: each round stops, in parallel, every container that nothing
// still running depends on. The floor for an ordered stop.
double raw_ordered_stop(tests::LifecycleHarness& harness) {
    const auto listed =
        harness.backend().call("container.list", {{"labels", {{"env-manager.tenant", kTenant}}}});
    std::map<std::string, std::string> ids;  // service -> container
    for (const auto& container : listed.json().value("containers", nlohmann::json::array())) {
        ids[container["labels"].value("env-manager.service", "")] = container.value("id", "");
    }
    std::map<std::string, std::vector<std::string>> needs;
    for (const auto& service : harness.registry().tenant(kTenant)->services) {
        for (const auto& dependency : service.definition.depends_on) {
            needs[service.definition.name].push_back(dependency.service);
        }
    }
    const auto began = Clock::now();
    while (!ids.empty()) {
        std::vector<std::string> round;
        for (const auto& [service, id] : ids) {
            const bool needed = std::any_of(ids.begin(), ids.end(), [&, name = service](const auto& other) {
                const auto& deps = needs[other.first];
                return std::find(deps.begin(), deps.end(), name) != deps.end();
            });
            if (!needed) round.push_back(service);
        }
        std::vector<std::thread> stops;
        stops.reserve(round.size());
        for (const auto& service : round) {
            stops.emplace_back([&harness, id = ids[service]] {
                harness.backend().call("container.stop", {{"id", id}, {"timeout_seconds", 10}});
            });
        }
        for (auto& stop : stops) stop.join();
        for (const auto& service : round) ids.erase(service);
    }
    return Millis(Clock::now() - began).count();
}

void scheduler_overhead() {
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    std::vector<std::thread> threads;
    threads.reserve(2);
    for (int i = 0; i < 2; ++i) threads.emplace_back([&io] { io.run(); });
    host::registry::RegistryInputs inputs;
    std::mt19937 random(42);
    constexpr int kServices = 200;
    for (int i = 0; i < kServices; ++i) {
        sdk::ServiceDefinition definition;
        definition.name = "s" + std::to_string(i);
        definition.image = "img/s:1";
        for (int d = 0; d < std::min(i, 3); ++d) {  // up to 3 edges back: a deep, branching graph
            definition.depends_on.push_back(
                {"s" + std::to_string(random() % static_cast<unsigned>(i)), "healthy"});
        }
        std::sort(definition.depends_on.begin(), definition.depends_on.end(),
                  [](const auto& a, const auto& b) { return a.service < b.service; });
        definition.depends_on.erase(
            std::unique(definition.depends_on.begin(), definition.depends_on.end(),
                        [](const auto& a, const auto& b) { return a.service == b.service; }),
            definition.depends_on.end());
        inputs.plugin_definitions.push_back({"bench", definition});
    }
    const auto registry = host::registry::build_registry(host::config::Config{}, inputs);
    tests::FakeBackendClient backend(io.get_executor());
    backend.add_image("img/s:1");
    struct NoProbes : host::health::ProbeRunner {
        std::uint64_t check(const sdk::ProbeSpec& /*spec*/, Done done) override {
            done({});
            return 0;
        }
        void cancel(std::uint64_t /*id*/) override {}
        [[nodiscard]] bool has_type(const std::string& /*type*/) const override { return false; }
    } runner;
    auto logger = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
    host::health::HealthSupervisor supervisor(io.get_executor(), runner, {}, nullptr, logger);
    std::vector<double> per_service;
    for (int run = 0; run < 5; ++run) {
        host::scheduler::EngineSettings settings;
        settings.max_concurrent_starts = 5;
        host::scheduler::LifecycleEngine engine(io.get_executor(), backend, supervisor, nullptr, registry,
                                                settings, logger);
        std::promise<host::scheduler::RunResult> done;
        const auto began = Clock::now();
        engine.start({"default", {}, true}, nullptr,
                     [&done](host::scheduler::RunResult result) { done.set_value(std::move(result)); });
        const auto result = done.get_future().get();
        per_service.push_back(Millis(Clock::now() - began).count() / kServices);
        if (result.status != ENVMGR_STATUS_OK) {
            std::printf("synthetic start failed: %s\n", result.message.c_str());
        }
        std::promise<host::scheduler::RunResult> stopped;
        engine.stop({"default", {}, 0, true},
                    [&stopped](host::scheduler::RunResult r) { stopped.set_value(std::move(r)); });
        stopped.get_future().get();
    }
    std::printf(
        "scheduler overhead, 200-service graph, in-memory engine: %.3f ms per service (median of 5)\n",
        median(per_service));
    supervisor.stop();
    work.reset();
    for (auto& thread : threads) thread.join();
}

// Where env-manager's last start went, link by link of its critical chain: when each link
// could go on, and how long its create, start and probing took.
void print_critical_chain(const tests::LifecycleHarness& harness) {
    const auto document = harness.engine().timelines().runs(kTenant);
    // The newest run that started something (an idempotent start has no chain).
    const auto found = std::find_if(document.runs.begin(), document.runs.end(),
                                    [](const auto& r) { return !r.critical_chain.empty(); });
    if (found == document.runs.end()) return;
    const auto& run = *found;
    std::printf("env-manager's critical chain (last run, ms from the start call):\n");
    for (const auto& link : run.critical_chain) {
        const auto service = std::find_if(run.services.begin(), run.services.end(),
                                          [&](const auto& s) { return s.service == link.service; });
        if (service == run.services.end()) continue;
        std::printf(
            "  %-18s launched @%4.0f%s: create %3.0f, start %3.0f, probing %3.0f; ready @%4.0f\n",
            link.service.c_str(), service->launched,
            link.waited_for.empty() ? "" : (" (" + link.wait + " of " + link.waited_for + ")").c_str(),
            service->start_begin - service->create_begin, service->probe_begin - service->start_begin,
            service->ready - service->probe_begin, service->ready);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is known
    scheduler_overhead();
    tests::LifecycleHarness harness(stack_toml());
    auto& manager = harness.backend().manager();
    host::health::PluginProbeRunner runner(manager);
    harness.remove_tenant(kTenant);
    std::vector<double> ours;
    std::vector<double> ideal;
    std::vector<double> precreated;
    std::vector<double> again;
    std::vector<double> our_stop;
    std::vector<double> raw_stop;
    std::vector<double> raw_ordered;
    for (int run = 0; run < runs; ++run) {
        // Take turns going first, so that none always meets a warmer engine.
        for (int turn = 0; turn < 3; ++turn) {
            switch ((run + turn) % 3) {
                case 0: {
                    const auto began = Clock::now();
                    const auto result = harness.start({kTenant, {}, true});
                    ours.push_back(Millis(Clock::now() - began).count());
                    if (result.status != ENVMGR_STATUS_OK) {
                        std::printf("start failed: %s\n", result.message.c_str());
                    }
                    const auto again_began = Clock::now();
                    harness.start({kTenant, {}, true});
                    again.push_back(Millis(Clock::now() - again_began).count());
                    const auto stop_began = Clock::now();
                    harness.stop({kTenant, {}, 0, false});
                    our_stop.push_back(Millis(Clock::now() - stop_began).count());
                    break;
                }
                case 1:
                    ideal.push_back(bench::ideal_start(harness, runner, kTenant, false));
                    raw_stop.push_back(raw_parallel_stop(harness));
                    break;
                default:
                    precreated.push_back(bench::ideal_start(harness, runner, kTenant, true));
                    raw_ordered.push_back(raw_ordered_stop(harness));
                    break;
            }
            harness.remove_tenant(kTenant);
        }
    }
    const double strongest = std::min(median(ideal), median(precreated));
    std::printf(
        "default stack to all ready (%d runs, medians): env-manager %.0f ms; ideal orchestrator %.0f ms "
        "(%.2fx); ideal with every container created at t0 %.0f ms (%.2fx); against the stronger: %.2fx\n",
        runs, median(ours), median(ideal), median(ours) / median(ideal), median(precreated),
        median(ours) / median(precreated), median(ours) / strongest);
    print_critical_chain(harness);
    std::printf("idempotent start on the running stack: %.1f ms\n", median(again));
    std::printf(
        "stop of the whole stack: env-manager %.0f ms; raw parallel stop (no order) %.0f ms: %.2fx; raw "
        "dependents-first stop %.0f ms: %.2fx\n",
        median(our_stop), median(raw_stop), median(our_stop) / median(raw_stop), median(raw_ordered),
        median(our_stop) / median(raw_ordered));
    return 0;
}

// The lifecycle engine against the floor, in the same run (these machines are shared and noisy,
// so figures are ratios):
//  - the default stack (images present, containers absent) to all ready: env-manager against the
//    strongest orchestrator a script could be (ideal_orchestrator.h: every service launched on
//    its own thread the instant its dependencies answer, critical path first, probed every
//    10 ms), and against the same with every container created at t0; env-manager also without
//    creating containers ahead (what that pre-work is worth); and, as an experiment, the script
//    with every waiting container started at t0 behind a gate (ideal_orchestrator.h); the five
//    take turns going first, medians of 7 runs;
//  - an idempotent start on the running stack;
//  - stopping the stack against stopping every container at once through the raw API.
// The scheduler's own cost, without an engine, is scheduler_scale_bench's.
// Needs the test-bed (scripts/testbed.sh up). Usage: build/release/bin/lifecycle_bench [runs]
// (default 7)
#include "bench/ideal_orchestrator.h"
#include "host/health/plugin_probe_runner.h"
#include "tests/support/lifecycle_harness.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <future>
#include <map>
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

// Milliseconds for the harness's engine to bring the stack to ready; a failure is printed.
double timed_start(tests::LifecycleHarness& harness, const char* what) {
    const auto began = Clock::now();
    const auto result = harness.start({kTenant, {}, true});
    const double took = Millis(Clock::now() - began).count();
    if (result.status != ENVMGR_STATUS_OK) std::printf("%s failed: %s\n", what, result.message.c_str());
    return took;
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
        // A container created ahead has no create in its launch.
        const std::string create =
            service->create_begin >= 0
                ? std::to_string(std::lround(service->start_begin - service->create_begin))
                : std::string("ahead");
        std::printf(
            "  %-18s launched @%4.0f%s: create %5s, start %3.0f, probing %3.0f; ready @%4.0f\n",
            link.service.c_str(), service->launched,
            link.waited_for.empty() ? "" : (" (" + link.wait + " of " + link.waited_for + ")").c_str(),
            create.c_str(), service->probe_begin - service->start_begin,
            service->ready - service->probe_begin, service->ready);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is known
    tests::LifecycleHarness harness(stack_toml());
    host::scheduler::EngineSettings lazy_settings;
    lazy_settings.precreate_containers = false;
    tests::LifecycleHarness lazy(stack_toml(), lazy_settings);
    auto& manager = harness.backend().manager();
    host::health::PluginProbeRunner runner(manager);
    harness.remove_tenant(kTenant);
    std::vector<double> ours;
    std::vector<double> ours_lazy;
    std::vector<double> ideal;
    std::vector<double> precreated;
    std::vector<double> gated;
    std::vector<double> again;
    std::vector<double> our_stop;
    std::vector<double> raw_stop;
    std::vector<double> raw_ordered;
    for (int run = 0; run < runs; ++run) {
        // Take turns going first, so that none always meets a warmer engine.
        for (int turn = 0; turn < 5; ++turn) {
            switch ((run + turn) % 5) {
                case 0: {
                    ours.push_back(timed_start(harness, "start"));
                    const auto again_began = Clock::now();
                    harness.start({kTenant, {}, true});
                    again.push_back(Millis(Clock::now() - again_began).count());
                    const auto stop_began = Clock::now();
                    harness.stop({kTenant, {}, 0, false});
                    our_stop.push_back(Millis(Clock::now() - stop_began).count());
                    break;
                }
                case 1:
                    ours_lazy.push_back(timed_start(lazy, "start (no containers ahead)"));
                    lazy.stop({kTenant, {}, 0, false});
                    break;
                case 2:
                    ideal.push_back(bench::ideal_start(harness, runner, kTenant, bench::IdealMode::plain));
                    raw_stop.push_back(raw_parallel_stop(harness));
                    break;
                case 3:
                    precreated.push_back(
                        bench::ideal_start(harness, runner, kTenant, bench::IdealMode::precreate));
                    raw_ordered.push_back(raw_ordered_stop(harness));
                    break;
                default:
                    gated.push_back(bench::ideal_start(harness, runner, kTenant, bench::IdealMode::gated));
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
    std::printf(
        "env-manager without creating containers ahead: %.0f ms (%.2fx of the stronger baseline; "
        "creating ahead is worth %.0f ms)\n",
        median(ours_lazy), median(ours_lazy) / strongest, median(ours_lazy) - median(ours));
    std::printf(
        "experiment: the ideal script, waiting containers started at t0 behind a gate a signal releases: "
        "%.0f ms (%.2fx of the stronger baseline; env-manager is %.2fx of it)\n",
        median(gated), median(gated) / strongest, median(ours) / median(gated));
    print_critical_chain(harness);
    std::printf("idempotent start on the running stack: %.1f ms\n", median(again));
    std::printf(
        "stop of the whole stack: env-manager %.0f ms; raw parallel stop (no order) %.0f ms: %.2fx; raw "
        "dependents-first stop %.0f ms: %.2fx\n",
        median(our_stop), median(raw_stop), median(our_stop) / median(raw_stop), median(raw_ordered),
        median(our_stop) / median(raw_ordered));
    return 0;
}

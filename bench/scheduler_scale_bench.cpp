// How the scheduler's own cost grows with the graph, against the in-memory engine (no container
// engine, so only env-manager's work is timed): a synthetic graph of N services, each depending on
// up to 3 earlier ones (deep and branching), for N from 100 to 10,000. For each N: the start of
// the whole graph per service, and a status snapshot of all N services, both as the engine builds
// it and as the status.snapshot document (JSON) a frontend receives: built with every status new
// (the first after the start), built after one service changed (only its status and its text are
// made anew: lifecycle_engine.h, status_fragments.h), and kept (asked again with nothing changed:
// the document kept from the call before, status_documents.h). Each figure
// is printed with its ratio to the 100-service figure per service (1.00x at every N: linear).
// Medians of 5 runs (3 at 10,000). Usage: build/release/bin/scheduler_scale_bench [largest N] (default 10000)
#include "host/health/health_supervisor.h"
#include "host/manager/manager_operations.h"
#include "tests/support/fake_backend_client.h"

#include <envmgr/sdk/async_call.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <random>
#include <thread>

namespace {

using namespace envmgr;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

host::registry::Registry synthetic_graph(int services) {
    host::registry::RegistryInputs inputs;
    std::mt19937 random(42);
    for (int i = 0; i < services; ++i) {
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
    return host::registry::build_registry(host::config::Config{}, inputs);
}

struct NoProbes : host::health::ProbeRunner {
    std::uint64_t check(const sdk::ProbeSpec& /*spec*/, Done done) override {
        done({});
        return 0;
    }
    void cancel(std::uint64_t /*id*/) override {}
    [[nodiscard]] bool has_type(const std::string& /*type*/) const override { return false; }
};

struct Figures {
    double start_per_service = 0;  // ms
    double snapshot = 0;           // ms, the engine's, every status built (the first after the start)
    double snapshot_one = 0;       // ms, the engine's after one service changed
    double document = 0;           // ms, status.snapshot through the manager operations, all new
    double document_one = 0;       // ms, the same after one service changed
    double kept = 0;               // ms, the same again with nothing changed
};

double timed_snapshot(host::scheduler::LifecycleEngine& engine) {
    std::promise<void> taken;
    const auto began = Clock::now();
    engine.shared_snapshot(
        "default", [&taken](const host::scheduler::SharedStatuses& /*statuses*/) { taken.set_value(); });
    taken.get_future().wait();
    return Millis(Clock::now() - began).count();
}

// The manager's status.snapshot, waited for (a document is built when no kept one is current).
double timed_document(host::manager::ManagerOperations& operations) {
    std::promise<void> done;
    const auto began = Clock::now();
    operations.invoke("status.snapshot", "{}",
                      sdk::make_callbacks([&done](const sdk::Result& /*result*/) { done.set_value(); }));
    done.get_future().wait();
    return Millis(Clock::now() - began).count();
}

Figures measure(int services, int runs, boost::asio::io_context& io) {
    const auto registry = synthetic_graph(services);
    tests::FakeBackendClient backend(io.get_executor());
    backend.add_image("img/s:1");
    NoProbes runner;
    auto logger = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
    host::health::SupervisorSettings supervisor_settings;
    supervisor_settings.no_probe_ready_after = std::chrono::milliseconds(0);
    host::health::HealthSupervisor supervisor(io.get_executor(), runner, supervisor_settings, nullptr,
                                              logger);
    std::vector<double> per_service;
    std::vector<double> snapshots;
    std::vector<double> snapshots_one;
    std::vector<double> documents;
    std::vector<double> documents_one;
    std::vector<double> kept;
    for (int run = 0; run < runs; ++run) {
        host::scheduler::EngineSettings settings;
        host::scheduler::LifecycleEngine engine(io.get_executor(), backend, supervisor, nullptr, registry,
                                                settings, logger);
        host::tasks::TaskSettings task_settings;
        task_settings.nvidia_smi = "/nonexistent/nvidia-smi";  // no GPU figures wanted here
        host::tasks::TaskRunner tasks(engine, backend, task_settings);
        host::manager::ManagerOperations operations(engine, tasks);
        std::promise<host::scheduler::RunResult> done;
        const auto began = Clock::now();
        engine.start({"default", {}, true}, nullptr,
                     [&done](host::scheduler::RunResult result) { done.set_value(std::move(result)); });
        const auto result = done.get_future().get();
        per_service.push_back(Millis(Clock::now() - began).count() / services);
        if (result.status != ENVMGR_STATUS_OK) {
            std::printf("synthetic start failed: %s\n", result.message.c_str());
        }
        snapshots.push_back(timed_snapshot(engine));
        documents.push_back(timed_document(operations));
        kept.push_back(timed_document(operations));
        // One service changes (the last: nothing depends on it, so its stop takes nothing along).
        std::promise<host::scheduler::RunResult> one_stopped;
        engine.stop({"default", {"s" + std::to_string(services - 1)}, 0, true},
                    [&one_stopped](host::scheduler::RunResult r) { one_stopped.set_value(std::move(r)); });
        one_stopped.get_future().get();
        snapshots_one.push_back(timed_snapshot(engine));
        documents_one.push_back(timed_document(operations));
        std::promise<host::scheduler::RunResult> stopped;
        engine.stop({"default", {}, 0, true},
                    [&stopped](host::scheduler::RunResult r) { stopped.set_value(std::move(r)); });
        stopped.get_future().get();
    }
    supervisor.stop();
    return {median(per_service), median(snapshots),     median(snapshots_one),
            median(documents),   median(documents_one), median(kept)};
}

}  // namespace

int main(int argc, char** argv) {
    const int largest = argc > 1 ? std::max(100, std::atoi(argv[1])) : 10000;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    std::vector<std::thread> threads;
    threads.reserve(2);
    for (int i = 0; i < 2; ++i) threads.emplace_back([&io] { io.run(); });
    std::printf("%8s %16s %8s %12s %8s %12s %12s %8s %12s %10s\n", "services", "start ms/service", "vs 100",
                "snapshot ms", "per svc", "1 change ms", "document ms", "per svc", "1 change ms", "kept ms");
    Figures base;
    for (const int services : {100, 300, 1000, 3000, 10000}) {
        if (services > largest) break;
        const auto figures = measure(services, services >= 10000 ? 3 : 5, io);
        if (services == 100) base = figures;
        const double scale = services / 100.0;
        std::printf("%8d %16.4f %7.2fx %12.3f %7.2fx %12.3f %12.3f %7.2fx %12.3f %10.3f\n", services,
                    figures.start_per_service, figures.start_per_service / base.start_per_service,
                    figures.snapshot, figures.snapshot / scale / base.snapshot, figures.snapshot_one,
                    figures.document, figures.document / scale / base.document, figures.document_one,
                    figures.kept);
    }
    work.reset();
    for (auto& thread : threads) thread.join();
    return 0;
}

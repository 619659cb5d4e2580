// Many tenants on one engine: T tenants of the default stack (6 stand-in services each), started
// all at once, from nothing (images present). env-manager (one start per tenant, side by side)
// against the ideal script of lifecycle_bench run for every tenant at the same time
// (ideal_orchestrator.h: each service launched the instant its dependencies answer, probed every
// 10 ms), the strongest program a script could be at the engine's limit. Printed: containers
// ready per second for each and their ratio, and what env-manager's engine cost while starting
// them (this process's CPU seconds and resident memory per running container; the host and the
// backend plugin run in it, as in the daemon). The two take turns going first; medians of
// `runs`. Needs the test-bed. Usage: build/release/bin/scale_bench [tenants] [runs]
// (default 20 tenants: Docker's default address pools hold about 30 bridge networks; 3 runs).
#include "bench/ideal_orchestrator.h"
#include "host/health/plugin_probe_runner.h"
#include "tests/support/lifecycle_harness.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace {

using namespace envmgr;
using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;
constexpr int kServicesPerTenant = 6;

std::string tenant_name(int index) {
    return "scale" + std::to_string(100 + index).substr(1);
}

std::string tenants_toml(int tenants) {
    std::string toml;
    for (int i = 0; i < tenants; ++i) {
        const auto name = tenant_name(i);
        toml += "[tenants." + name + "]\nport_offset = " + std::to_string(10000 + i * 100) + "\n";
        for (const char* service :
             {"redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"}) {
            toml += "[tenants." + name + ".services." + service + "]\nlabels = { \"envmgr.test\" = \"1\" }\n";
        }
    }
    return toml;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double rss_mib() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0;
    long resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// Runs fn(tenant) for every tenant on a thread of its own; seconds until the last returns.
template <typename Fn>
double all_tenants(int tenants, Fn fn) {
    const auto began = Clock::now();
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(tenants));
    for (int i = 0; i < tenants; ++i) threads.emplace_back([&fn, i] { fn(tenant_name(i)); });
    for (auto& thread : threads) thread.join();
    return Seconds(Clock::now() - began).count();
}

struct Costs {
    double cpu_per_container = 0;  // s
    double rss_per_container = 0;  // MiB
};

}  // namespace

int main(int argc, char** argv) {
    const int tenants = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    tests::LifecycleHarness harness(tenants_toml(tenants));
    host::health::PluginProbeRunner runner(harness.backend().manager());
    const auto remove_all = [&] {
        all_tenants(tenants, [&](const std::string& t) { harness.remove_tenant(t); });
    };
    remove_all();
    const double containers = tenants * kServicesPerTenant;
    std::vector<double> ours;
    std::vector<double> ideal;
    std::vector<Costs> costs;
    for (int run = 0; run < runs; ++run) {
        for (int turn = 0; turn < 2; ++turn) {
            if ((run + turn) % 2 == 0) {
                const double cpu = cpu_seconds();
                const double rss = rss_mib();
                std::atomic<int> failed{0};
                ours.push_back(all_tenants(tenants, [&](const std::string& t) {
                    const auto result = harness.start({t, {}, true}, std::chrono::seconds(600));
                    if (result.status != ENVMGR_STATUS_OK) {
                        std::printf("%s: start failed: %s\n", t.c_str(), result.message.c_str());
                        ++failed;
                    }
                }));
                costs.push_back({(cpu_seconds() - cpu) / containers, (rss_mib() - rss) / containers});
                // Stopped through env-manager first: removed behind its back, its restart
                // policy would bring them back.
                all_tenants(tenants, [&](const std::string& t) {
                    harness.stop({t, {}, 0, true}, std::chrono::seconds(600));
                });
            } else {
                ideal.push_back(all_tenants(tenants, [&](const std::string& t) {
                    bench::ideal_start(harness, runner, t, bench::IdealMode::plain);
                }));
            }
            remove_all();
        }
    }
    const double our_rate = containers / median(ours);
    const double ideal_rate = containers / median(ideal);
    std::vector<double> cpu;
    std::vector<double> rss;
    for (const auto& cost : costs) {
        cpu.push_back(cost.cpu_per_container);
        rss.push_back(cost.rss_per_container);
    }
    std::printf(
        "%d tenants x %d services = %.0f containers, all started at once (%d runs, medians): env-manager "
        "%.1f s, %.1f containers ready/s; ideal script per tenant %.1f s, %.1f ready/s: %.2fx of its rate\n",
        tenants, kServicesPerTenant, containers, runs, median(ours), our_rate, median(ideal), ideal_rate,
        our_rate / ideal_rate);
    std::printf(
        "env-manager's engine while starting them: %.1f ms of CPU and %.2f MiB of RSS per container\n",
        median(cpu) * 1000.0, median(rss));
    return 0;
}

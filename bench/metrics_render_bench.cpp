// The cost of rendering the host's metrics, without HTTP: a registry shaped like the daemon's
// with the full stack in 15 tenants (over 1,000 series), rendered from scratch (prometheus-cpp's
// Collect and serializer over every family: the baseline) against MetricsRegistry::text() when
// nothing changed, when a small family changed (uptime, as every scrape), and when a large
// histogram family changed too (an engine call between two scrapes).
//   build/release/bin/metrics_render_bench [renders]
#include "host/metrics/metrics_registry.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace {

using envmgr::host::metrics::MetricsRegistry;

std::string numbered(const char* prefix, int number) {
    std::string name(prefix);
    name += std::to_string(number);  // not `prefix + to_string`: GCC 12 warns falsely (-Wrestrict)
    return name;
}

void fill(MetricsRegistry& registry) {
    const std::vector<std::string> services{
        "redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"};
    const std::vector<std::string> states{"pulling",   "creating",   "starting", "waiting-healthy", "healthy",
                                          "unhealthy", "restarting", "stopping", "stopped",         "failed"};
    for (int tenant = 0; tenant < 15; ++tenant) {
        for (const auto& service : services) {
            for (const auto& state : states) {
                registry.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_service_state", "state",
                                {{"tenant", numbered("t", tenant)}, {"service", service}, {"state", state}},
                                state == "healthy" ? 1 : 0);
            }
        }
    }
    for (int operation = 0; operation < 20; ++operation) {
        registry.record(ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "docker_api_duration_seconds", "engine calls",
                        {{"operation", numbered("op", operation)}}, 0.003);
    }
    for (const auto& service : services) {
        registry.record(ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "probe_duration_seconds", "probes",
                        {{"kind", "tcp"}, {"result", "success"}, {"service", service}}, 0.001);
    }
    for (int method = 0; method < 10; ++method) {
        registry.record(ENVMGR_METRIC_KIND_COUNTER_ADD, "grpc_server_handled_total", "calls",
                        {{"method", numbered("m", method)}, {"code", "OK"}}, 1);
    }
    registry.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_uptime_seconds", "uptime", {}, 1);
}

double median_microseconds(int renders, const std::function<void()>& before,
                           const std::function<void()>& render) {
    std::vector<double> times;
    times.reserve(static_cast<std::size_t>(renders));
    for (int i = 0; i < renders; ++i) {
        before();
        const auto began = std::chrono::steady_clock::now();
        render();
        times.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - began).count());
    }
    std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2),
                     times.end());
    return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const int renders = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
    MetricsRegistry registry;
    fill(registry);
    std::size_t bytes = 0;
    const auto from_scratch = [&] {
        bytes = prometheus::TextSerializer().Serialize(registry.registry()->Collect()).size();
    };
    double uptime = 1;
    const auto nothing = [] {};
    const auto tick = [&] {
        registry.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_uptime_seconds", "uptime", {}, ++uptime);
    };
    const auto tick_and_call = [&] {
        tick();
        registry.record(ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "docker_api_duration_seconds", "engine calls",
                        {{"operation", "op3"}}, 0.002);
    };
    const auto cached = [&] { bytes = registry.text().size(); };
    const double baseline = median_microseconds(renders, nothing, from_scratch);
    const double unchanged = median_microseconds(renders, nothing, cached);
    const double small = median_microseconds(renders, tick, cached);
    const double large = median_microseconds(renders, tick_and_call, cached);
    std::printf("%d renders each, %zu bytes of text\n", renders, bytes);
    std::printf("from scratch (Collect + serialize all)   %8.1f us  (the baseline)\n", baseline);
    std::printf("text(), nothing changed                  %8.1f us  (%.2fx)\n", unchanged,
                unchanged / baseline);
    std::printf("text(), uptime changed                   %8.1f us  (%.2fx)\n", small, small / baseline);
    std::printf("text(), uptime and an engine histogram   %8.1f us  (%.2fx)\n", large, large / baseline);
    return 0;
}

#include "host/metrics/metrics_registry.h"

#include <gtest/gtest.h>

namespace envmgr::host::metrics {
namespace {

TEST(MetricsRegistry, HistogramAndGaugeAppearInTextExposition) {
    MetricsRegistry registry;
    EXPECT_EQ(registry.record(ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "docker_api_duration_seconds",
                              "Docker API call duration", {{"operation", "container.inspect"}}, 0.002),
              "");
    EXPECT_EQ(registry.record(ENVMGR_METRIC_KIND_GAUGE_SET, "active_services", "Running services", {}, 3),
              "");
    const auto text = registry.text();
    EXPECT_NE(text.find("docker_api_duration_seconds_count{operation=\"container.inspect\"} 1"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("active_services 3"), std::string::npos) << text;
}

TEST(MetricsRegistry, DisagreeingKindOrLabelsOrBadNamesAreRejected) {
    MetricsRegistry registry;
    ASSERT_EQ(registry.record(ENVMGR_METRIC_KIND_COUNTER_ADD, "calls_total", "calls", {{"op", "a"}}, 1), "");
    EXPECT_NE(registry.record(ENVMGR_METRIC_KIND_GAUGE_SET, "calls_total", "calls", {{"op", "a"}}, 1), "");
    EXPECT_NE(registry.record(ENVMGR_METRIC_KIND_COUNTER_ADD, "calls_total", "calls", {{"kind", "a"}}, 1),
              "");
    EXPECT_NE(registry.record(ENVMGR_METRIC_KIND_COUNTER_ADD, "calls_total", "calls", {{"op", "a"}}, -1), "");
    EXPECT_NE(registry.record(ENVMGR_METRIC_KIND_COUNTER_ADD, "bad name!", "x", {}, 1), "");
}

}  // namespace
}  // namespace envmgr::host::metrics

#include "plugins/backends/docker/stats_mapping.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(StatsMapping, CpuPercentIsComputedAsTheDockerCliDoes) {
    const auto usage = usage_from_stats(nlohmann::json::parse(R"({
      "cpu_stats": {"cpu_usage": {"total_usage": 2000000000}, "system_cpu_usage": 20000000000, "online_cpus": 2},
      "precpu_stats": {"cpu_usage": {"total_usage": 1000000000}, "system_cpu_usage": 18000000000},
      "memory_stats": {"usage": 50000000, "stats": {"total_inactive_file": 10000000}},
      "networks": {"eth0": {"rx_bytes": 100, "tx_bytes": 50}, "eth1": {"rx_bytes": 1, "tx_bytes": 2}}
    })"));
    EXPECT_DOUBLE_EQ(usage.cpu_percent, 100.0);  // 1e9 / 2e9 * 2 cpus * 100
    EXPECT_EQ(usage.memory_bytes, 40000000);
    EXPECT_EQ(usage.network_rx_bytes, 101);
    EXPECT_EQ(usage.network_tx_bytes, 52);
    EXPECT_EQ(usage_from_stats(nlohmann::json::object()).cpu_percent, 0.0);
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker

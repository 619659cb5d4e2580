#include "plugins/backends/docker/stats_mapping.h"

#include "plugins/backends/docker/json_access.h"

namespace envmgr::plugins::backends::docker {

sdk::ResourceUsage usage_from_stats(const nlohmann::json& stats) {
    sdk::ResourceUsage usage;
    const auto cpu = object_at(stats, "cpu_stats");
    const auto pre = object_at(stats, "precpu_stats");
    const auto total = [](const nlohmann::json& s) {
        return static_cast<double>(int_or_zero(object_at(s, "cpu_usage"), "total_usage"));
    };
    const double cpu_delta = total(cpu) - total(pre);
    const double system_delta = static_cast<double>(int_or_zero(cpu, "system_cpu_usage")) -
                                static_cast<double>(int_or_zero(pre, "system_cpu_usage"));
    double online = static_cast<double>(int_or_zero(cpu, "online_cpus"));
    if (online == 0) {
        const auto percpu = object_at(cpu, "cpu_usage").value("percpu_usage", nlohmann::json::array());
        online = static_cast<double>(percpu.size());
    }
    if (cpu_delta > 0 && system_delta > 0) usage.cpu_percent = cpu_delta / system_delta * online * 100.0;

    const auto memory = object_at(stats, "memory_stats");
    const auto memory_detail = object_at(memory, "stats");
    // The docker CLI subtracts the inactive page cache: total_inactive_file on cgroup v1,
    // inactive_file on v2.
    std::int64_t cache = int_or_zero(memory_detail, "total_inactive_file");
    if (cache == 0) cache = int_or_zero(memory_detail, "inactive_file");
    const std::int64_t used = int_or_zero(memory, "usage");
    usage.memory_bytes = used > cache ? used - cache : used;

    for (const auto& [name, net] : object_at(stats, "networks").items()) {
        usage.network_rx_bytes += int_or_zero(net, "rx_bytes");
        usage.network_tx_bytes += int_or_zero(net, "tx_bytes");
    }
    return usage;
}

const JsonSelection& stats_selection() {
    static const JsonSelection selection{
        {"cpu_stats", {{"cpu_usage", {}}, {"system_cpu_usage", {}}, {"online_cpus", {}}}},
        {"precpu_stats", {{"cpu_usage", {}}, {"system_cpu_usage", {}}, {"online_cpus", {}}}},
        {"memory_stats", {{"usage", {}}, {"stats", {{"total_inactive_file", {}}, {"inactive_file", {}}}}}},
        {"networks", {}},
    };
    return selection;
}

}  // namespace envmgr::plugins::backends::docker

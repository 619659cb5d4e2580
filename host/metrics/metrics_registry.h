// The host's metrics: a prometheus-cpp registry that plugins and the core record into by
// name, and frontends read from.
#pragma once

#include <envmgr/abi.h>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace envmgr::host::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
public:
    MetricsRegistry();

    // Applies one sample; the family is created on first use. Returns an error message when
    // the name is invalid or the kind or label names disagree with the existing family.
    std::string record(envmgr_metric_kind kind, const std::string& name, const std::string& help,
                       const Labels& labels, double value);

    // Prometheus text exposition format (0.0.4), by prometheus-cpp's serializer.
    [[nodiscard]] std::string text() const;
    // The same families and values as JSON: [{name, help, type, metrics: [{labels, value} or
    // {labels, count, sum, buckets: [{le, count}]}]}] (metrics-json in the README).
    [[nodiscard]] std::string json() const;
    // Both render family by family, in name order, and keep each family's rendering until one
    // of its values changes: a scrape re-renders only what moved since the one before (the
    // per-series serializing is most of a scrape's cost, and most families rarely change).

    // Runs before each rendering: figures read when scraped (process, event bus). Any thread.
    void add_collector(std::function<void(MetricsRegistry&)> collect);

    [[nodiscard]] std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

private:
    using FamilyPtr =
        std::variant<prometheus::Family<prometheus::Counter>*, prometheus::Family<prometheus::Gauge>*,
                     prometheus::Family<prometheus::Histogram>*>;
    using SeriesPtr = std::variant<prometheus::Counter*, prometheus::Gauge*, prometheus::Histogram*>;
    struct Family {
        envmgr_metric_kind kind;
        std::vector<std::string> label_names;  // sorted
        FamilyPtr family;
        std::uint64_t generation = 1;  // bumped when a value of the family changes; under mutex_
    };
    struct Series {
        envmgr_metric_kind kind;
        SeriesPtr series;
        Family* family;  // map nodes do not move
    };
    enum Format : std::size_t { kText = 0, kJson = 1 };
    struct Rendering {
        std::uint64_t generation = 0;  // of the family when rendered; 0: never
        std::string text;
    };

    std::string add_series(envmgr_metric_kind kind, const std::string& name, const std::string& help,
                           const Labels& labels, const std::string& key);

    void run_collectors() const;
    [[nodiscard]] std::string render(Format format) const;

    std::shared_ptr<prometheus::Registry> registry_;
    mutable std::mutex collectors_mutex_;
    std::vector<std::function<void(MetricsRegistry&)>> collectors_;
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
    // Each time series once resolved, by name and label values: the hot path of a sample.
    std::unordered_map<std::string, Series> series_;
    mutable std::mutex render_mutex_;
    mutable std::map<std::string, std::array<Rendering, 2>> renderings_;  // by family name, by Format
};

// Buckets for durations from sub-millisecond engine calls to multi-second starts.
const std::vector<double>& duration_buckets();

}  // namespace envmgr::host::metrics

#include "host/metrics/metrics_registry.h"

#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace envmgr::host::metrics {
namespace {

std::vector<std::string> sorted_names(const Labels& labels) {
    std::vector<std::string> names;
    names.reserve(labels.size());
    for (const auto& label : labels) names.push_back(label.first);
    std::sort(names.begin(), names.end());
    return names;
}

std::string series_key(const std::string& name, const Labels& labels) {
    std::string key = name;
    for (const auto& [label, value] : labels) {
        key.push_back('\x1f');
        key += label;
        key.push_back('=');
        key += value;
    }
    return key;
}

// Applies a sample; `changed` says whether a value moved (a gauge set to what it holds, or a
// counter given 0, leaves the family's rendering as it is).
std::string apply(
    envmgr_metric_kind kind, const std::string& name,
    const std::variant<prometheus::Counter*, prometheus::Gauge*, prometheus::Histogram*>& series,
    double value, bool& changed) {
    changed = true;
    switch (kind) {
        case ENVMGR_METRIC_KIND_COUNTER_ADD:
            // NaN too: it would poison the counter, and `value > 0` would not see the change.
            if (!(value >= 0)) return "counter '" + name + "' takes only additions >= 0";
            changed = value > 0;
            std::get<prometheus::Counter*>(series)->Increment(value);
            break;
        case ENVMGR_METRIC_KIND_GAUGE_SET: {
            auto* gauge = std::get<prometheus::Gauge*>(series);
            // Bit for bit: -0 and 0 render differently, and the same NaN renders the same.
            changed = std::bit_cast<std::uint64_t>(gauge->Value()) != std::bit_cast<std::uint64_t>(value);
            gauge->Set(value);
            break;
        }
        case ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE:
            std::get<prometheus::Histogram*>(series)->Observe(value);
            break;
    }
    return {};
}

std::vector<prometheus::MetricFamily> collect(
    const std::variant<prometheus::Family<prometheus::Counter>*, prometheus::Family<prometheus::Gauge>*,
                       prometheus::Family<prometheus::Histogram>*>& family) {
    return std::visit([](const auto* typed) { return typed->Collect(); }, family);
}

std::string text_of(const std::vector<prometheus::MetricFamily>& families) {
    return prometheus::TextSerializer().Serialize(families);
}

// One family as a JSON object (plugin_api/docs/metrics-json.md).
std::string json_of(const prometheus::MetricFamily& family) {
    auto metrics = nlohmann::json::array();
    for (const auto& metric : family.metric) {
        nlohmann::json entry{{"labels", nlohmann::json::object()}};
        for (const auto& label : metric.label) entry["labels"][label.name] = label.value;
        switch (family.type) {
            case prometheus::MetricType::Counter: entry["value"] = metric.counter.value; break;
            case prometheus::MetricType::Gauge: entry["value"] = metric.gauge.value; break;
            case prometheus::MetricType::Histogram: {
                entry["count"] = metric.histogram.sample_count;
                entry["sum"] = metric.histogram.sample_sum;
                auto buckets = nlohmann::json::array();
                for (const auto& bucket : metric.histogram.bucket) {
                    // +Inf is not a JSON number: it is written as the string Prometheus uses.
                    const bool infinite = std::isinf(bucket.upper_bound);
                    buckets.push_back(
                        {{"le", infinite ? nlohmann::json("+Inf") : nlohmann::json(bucket.upper_bound)},
                         {"count", bucket.cumulative_count}});
                }
                entry["buckets"] = buckets;
                break;
            }
            default: entry["value"] = metric.untyped.value; break;
        }
        metrics.push_back(std::move(entry));
    }
    const char* type = family.type == prometheus::MetricType::Counter     ? "counter"
                       : family.type == prometheus::MetricType::Gauge     ? "gauge"
                       : family.type == prometheus::MetricType::Histogram ? "histogram"
                                                                          : "untyped";
    return nlohmann::json{{"name", family.name}, {"help", family.help}, {"type", type}, {"metrics", metrics}}
        .dump();
}

}  // namespace

const std::vector<double>& duration_buckets() {
    static const std::vector<double> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
    return buckets;
}

MetricsRegistry::MetricsRegistry() : registry_(std::make_shared<prometheus::Registry>()) {}

std::string MetricsRegistry::record(envmgr_metric_kind kind, const std::string& name, const std::string& help,
                                    const Labels& labels, double value) {
    const std::string key = series_key(name, labels);
    const std::lock_guard lock(mutex_);
    auto it = series_.find(key);
    if (it == series_.end()) {
        if (auto error = add_series(kind, name, help, labels, key); !error.empty()) return error;
        it = series_.find(key);
    }
    if (it->second.kind != kind) return "metric '" + name + "' was first recorded with another kind";
    bool changed = false;
    auto error = apply(kind, name, it->second.series, value, changed);
    if (changed) ++it->second.family->generation;
    return error;
}

std::string MetricsRegistry::add_series(envmgr_metric_kind kind, const std::string& name,
                                        const std::string& help, const Labels& labels,
                                        const std::string& key) {
    if (kind != ENVMGR_METRIC_KIND_COUNTER_ADD && kind != ENVMGR_METRIC_KIND_GAUGE_SET &&
        kind != ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE) {
        return "unknown metric kind " + std::to_string(static_cast<int>(kind));
    }
    try {
        auto family = families_.find(name);
        if (family == families_.end()) {
            FamilyPtr created;
            if (kind == ENVMGR_METRIC_KIND_COUNTER_ADD) {
                created = &prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
            } else if (kind == ENVMGR_METRIC_KIND_GAUGE_SET) {
                created = &prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
            } else {
                created = &prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
            }
            family = families_.emplace(name, Family{kind, sorted_names(labels), created}).first;
        }
        if (family->second.kind != kind) return "metric '" + name + "' was first recorded with another kind";
        if (family->second.label_names != sorted_names(labels)) {
            return "metric '" + name + "' was first recorded with other label names";
        }
        const std::map<std::string, std::string> label_map(labels.begin(), labels.end());
        SeriesPtr series;
        if (auto* counters = std::get_if<prometheus::Family<prometheus::Counter>*>(&family->second.family)) {
            series = &(*counters)->Add(label_map);
        } else if (auto* gauges =
                       std::get_if<prometheus::Family<prometheus::Gauge>*>(&family->second.family)) {
            series = &(*gauges)->Add(label_map);
        } else {
            series = &std::get<prometheus::Family<prometheus::Histogram>*>(family->second.family)
                          ->Add(label_map, duration_buckets());
        }
        ++family->second.generation;  // a new series is a change of the family's rendering
        series_.emplace(key, Series{kind, series, &family->second});
    } catch (const std::exception& e) {  // prometheus-cpp rejects invalid names by throwing
        return "metric '" + name + "': " + e.what();
    }
    return {};
}

void MetricsRegistry::add_collector(std::function<void(MetricsRegistry&)> collect) {
    const std::lock_guard lock(collectors_mutex_);
    collectors_.push_back(std::move(collect));
}

void MetricsRegistry::run_collectors() const {
    const std::lock_guard lock(collectors_mutex_);
    for (const auto& collect : collectors_) collect(const_cast<MetricsRegistry&>(*this));
}

std::string MetricsRegistry::text() const {
    return render(kText);
}

std::string MetricsRegistry::json() const {
    return render(kJson);
}

std::string MetricsRegistry::render(Format format) const {
    run_collectors();
    struct Current {
        const std::string* name;
        const Family* family;
        std::uint64_t generation;
    };
    std::vector<Current> current;
    {
        const std::lock_guard lock(mutex_);
        current.reserve(families_.size());
        for (const auto& [name, family] : families_) current.push_back({&name, &family, family.generation});
    }
    // A sample that lands while a family is collected bumps its generation past the one taken
    // above, so the next rendering collects that family again: nothing stays stale.
    const std::lock_guard lock(render_mutex_);
    std::string out = format == kJson ? "[" : "";
    for (const auto& [name, family, generation] : current) {
        auto& rendering = renderings_[*name][format];
        if (rendering.generation != generation) {
            const auto collected = collect(family->family);
            rendering.text =
                format == kJson ? (collected.empty() ? "" : json_of(collected.front())) : text_of(collected);
            rendering.generation = generation;
        }
        if (rendering.text.empty()) continue;
        if (format == kJson && out.size() > 1) out.push_back(',');
        out += rendering.text;
    }
    if (format == kJson) out.push_back(']');
    return out;
}

}  // namespace envmgr::host::metrics

#include "metrics/metrics_registry.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <map>

namespace envmgr::metrics {
namespace {

std::vector<std::string> sorted_names(const Labels& labels) {
    std::vector<std::string> names;
    names.reserve(labels.size());
    for (const auto& label : labels) names.push_back(label.first);
    std::sort(names.begin(), names.end());
    return names;
}

std::map<std::string, std::string> as_map(const Labels& labels) {
    return {labels.begin(), labels.end()};
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
    const std::lock_guard lock(mutex_);
    try {
        auto it = families_.find(name);
        if (it == families_.end()) {
            Family created{kind, sorted_names(labels), nullptr};
            switch (kind) {
                case ENVMGR_METRIC_KIND_COUNTER_ADD:
                    created.family = &prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
                    break;
                case ENVMGR_METRIC_KIND_GAUGE_SET:
                    created.family = &prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
                    break;
                case ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE:
                    created.family = &prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
                    break;
                default: return "unknown metric kind " + std::to_string(static_cast<int>(kind));
            }
            it = families_.emplace(name, std::move(created)).first;
        }
        Family& family = it->second;
        if (family.kind != kind) return "metric '" + name + "' was first recorded with another kind";
        if (family.label_names != sorted_names(labels)) {
            return "metric '" + name + "' was first recorded with other label names";
        }
        switch (kind) {
            case ENVMGR_METRIC_KIND_COUNTER_ADD:
                if (value < 0) return "counter '" + name + "' cannot decrease";
                static_cast<prometheus::Family<prometheus::Counter>*>(family.family)
                    ->Add(as_map(labels))
                    .Increment(value);
                break;
            case ENVMGR_METRIC_KIND_GAUGE_SET:
                static_cast<prometheus::Family<prometheus::Gauge>*>(family.family)
                    ->Add(as_map(labels))
                    .Set(value);
                break;
            case ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE:
                static_cast<prometheus::Family<prometheus::Histogram>*>(family.family)
                    ->Add(as_map(labels), duration_buckets())
                    .Observe(value);
                break;
            default: break;
        }
    } catch (const std::exception& e) {  // prometheus-cpp rejects invalid names by throwing
        return "metric '" + name + "': " + e.what();
    }
    return {};
}

std::string MetricsRegistry::text() const {
    return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace envmgr::metrics

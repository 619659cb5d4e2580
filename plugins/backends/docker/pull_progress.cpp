#include "plugins/backends/docker/pull_progress.h"

#include <algorithm>

namespace envmgr::plugins::backends::docker {

envmgr_status pull_error_status(const std::string& message) {
    const bool missing = message.find("not found") != std::string::npos ||
                         message.find("manifest unknown") != std::string::npos ||
                         message.find("does not exist") != std::string::npos;
    return missing ? ENVMGR_STATUS_NOT_FOUND : ENVMGR_STATUS_INTERNAL;
}

std::optional<nlohmann::json> PullProgress::on_line(const nlohmann::json& line) {
    if (!line.is_object()) return std::nullopt;
    if (line.contains("error")) {
        const auto& detail = line.value("errorDetail", nlohmann::json::object());
        error_ = detail.value("message",
                              line["error"].is_string() ? line["error"].get<std::string>() : "pull failed");
        return std::nullopt;
    }
    const std::string status = line.value("status", "");
    const std::string id = line.value("id", "");
    // Lines without a layer id ("Pulling from ...", "Digest: ...", "Status: ...") and the
    // line naming the tag carry no byte counts.
    if (id.empty() || status.starts_with("Pulling from")) return std::nullopt;
    Layer& layer = layers_[id];
    const auto detail = line.value("progressDetail", nlohmann::json::object());
    const auto current = detail.value("current", std::int64_t{-1});
    const auto total = detail.value("total", std::int64_t{-1});
    if (status == "Downloading") {
        layer.phase = "downloading";
        if (total > 0) layer.total = total;
        if (current >= 0) layer.current = std::min(current, layer.total > 0 ? layer.total : current);
    } else if (status == "Download complete" || status == "Verifying Checksum") {
        layer.phase = "downloading";
        if (layer.total > 0) layer.current = layer.total;
    } else if (status == "Extracting") {
        layer.phase = "extracting";
        if (layer.total > 0) layer.current = layer.total;
    } else if (status == "Pull complete" || status == "Already exists") {
        layer.phase = "complete";
        if (layer.total > 0) layer.current = layer.total;
    } else if (status == "Pulling fs layer" || status == "Waiting") {
        layer.phase = "waiting";
    } else {
        return std::nullopt;
    }
    return item(id, layer, status);
}

std::int64_t PullProgress::image_current() const {
    std::int64_t sum = 0;
    for (const auto& [id, layer] : layers_) sum += layer.current;
    return sum;
}

std::int64_t PullProgress::image_total() const {
    std::int64_t sum = 0;
    for (const auto& [id, layer] : layers_) sum += layer.total;
    return sum;
}

nlohmann::json PullProgress::item(const std::string& layer_id, const Layer& layer,
                                  const std::string& status) const {
    const std::int64_t total = image_total();
    const std::int64_t current = image_current();
    // 100 only once the engine says the pull is over (complete_item).
    const int percent = total > 0 ? static_cast<int>(std::min<std::int64_t>(99, current * 100 / total)) : 0;
    return {{"image", image_},          {"layer", layer_id},        {"status", layer.phase},
            {"engine_status", status},  {"current", layer.current}, {"total", layer.total},
            {"image_current", current}, {"image_total", total},     {"progress_percent", percent}};
}

nlohmann::json PullProgress::complete_item() const {
    const std::int64_t total = image_total();
    return {{"image", image_},        {"layer", ""},          {"status", "complete"},
            {"engine_status", ""},    {"current", total},     {"total", total},
            {"image_current", total}, {"image_total", total}, {"progress_percent", 100}};
}

}  // namespace envmgr::plugins::backends::docker

// Turns the engine's pull stream (one JSON object per line, per layer) into our progress
// items, with per-layer and per-image byte counts.
#pragma once

#include <envmgr/abi.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace envmgr::plugins::backends::docker {

// The status for the error line that ended a pull: NOT_FOUND when the image or its tag does
// not exist, INTERNAL otherwise.
envmgr_status pull_error_status(const std::string& message);

class PullProgress {
public:
    explicit PullProgress(std::string image) : image_(std::move(image)) {}

    // The item to emit for one engine line, or nullopt for lines that say nothing new.
    // An {"error": ...} line sets error() instead.
    std::optional<nlohmann::json> on_line(const nlohmann::json& line);

    [[nodiscard]] const std::optional<std::string>& error() const noexcept { return error_; }
    // The final item: everything complete.
    [[nodiscard]] nlohmann::json complete_item() const;
    [[nodiscard]] std::int64_t image_current() const;
    [[nodiscard]] std::int64_t image_total() const;

private:
    struct Layer {
        std::int64_t current = 0;
        std::int64_t total = 0;
        std::string phase = "waiting";  // waiting | downloading | extracting | complete
    };

    nlohmann::json item(const std::string& layer_id, const Layer& layer, const std::string& status) const;

    std::string image_;
    std::map<std::string, Layer> layers_;
    std::optional<std::string> error_;
};

}  // namespace envmgr::plugins::backends::docker

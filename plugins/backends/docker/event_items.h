// Engine events as events.stream items (docs/backend-operations.md).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace envmgr::plugins::backends::docker {

// The item for one engine event (GET /events line).
nlohmann::json event_item(const nlohmann::json& event);

// The "since" value that resumes a stream just after an event seen at time_nano: the engine's
// "since" includes events at the given time. "" when the event had no time.
std::string resume_point_after(std::int64_t time_nano);

}  // namespace envmgr::plugins::backends::docker

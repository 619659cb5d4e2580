#include "plugins/backends/docker/event_items.h"

#include "plugins/backends/docker/json_access.h"

#include <cstdlib>

namespace envmgr::plugins::backends::docker {

nlohmann::json event_item(const nlohmann::json& event) {
    const auto& actor = object_at(event, "Actor");
    const auto& attributes = object_at(actor, "Attributes");
    nlohmann::json item{{"type", event.value("Type", "")},
                        {"action", event.value("Action", "")},
                        {"id", actor.value("ID", "")},
                        {"name", attributes.value("name", "")},
                        {"labels", attributes},
                        {"time_nano", event.value("timeNano", std::int64_t{0})}};
    if (const auto code = attributes.find("exitCode"); code != attributes.end() && code->is_string()) {
        item["exit_code"] = std::atoi(code->get<std::string>().c_str());
    }
    return item;
}

std::string resume_point_after(std::int64_t time_nano) {
    if (time_nano <= 0) return {};
    constexpr std::int64_t kNanosPerSecond = 1000000000;
    const std::int64_t next = time_nano + 1;
    return std::to_string(next / kNanosPerSecond) + "." +
           std::to_string(kNanosPerSecond + next % kNanosPerSecond).substr(1);
}

}  // namespace envmgr::plugins::backends::docker

// Records one start run as it happens, for the start timeline: the start run reports its
// services, the images phase, each launch and each state change; the recorder keeps the first
// time each phase began. Pure: the caller passes the clock's readings.
#pragma once

#include "host/model/service_state.h"

#include <envmgr/sdk/documents/timeline_document.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envmgr::host::timeline {

using Clock = std::chrono::steady_clock;

class RunRecorder {
public:
    RunRecorder(std::string tenant, std::string kind, Clock::time_point begun, std::int64_t begun_unix_ms);

    void add_service(const std::string& service, std::vector<std::string> depends_on);
    void images_begin(Clock::time_point at);
    void images_end(Clock::time_point at);
    void launched(const std::string& service, Clock::time_point at);
    void state(const std::string& service, model::ServiceState state, Clock::time_point at);
    // The run is done with the service: ok (ready, or `completed` for a one-shot job), or failed.
    void settled(const std::string& service, bool ok, bool completed, const std::string& message,
                 Clock::time_point at);
    // The run as recorded, its critical chain toward the last service to settle.
    [[nodiscard]] sdk::TimelineRun finish(Clock::time_point at) const;

    [[nodiscard]] const std::string& tenant() const { return run_.tenant; }

private:
    [[nodiscard]] double since_begun(Clock::time_point at) const;
    sdk::TimelineService* find(const std::string& service);

    Clock::time_point begun_;
    sdk::TimelineRun run_;
    std::map<std::string, std::size_t> index_;
};

}  // namespace envmgr::host::timeline

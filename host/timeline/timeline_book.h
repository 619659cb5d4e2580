// The start timelines kept: the last few runs of each tenant, finished ones only. Thread-safe:
// start runs add on the engine's strand, manager operations read from any thread.
#pragma once

#include <envmgr/sdk/documents/timeline_document.h>

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace envmgr::host::timeline {

class TimelineBook {
public:
    static constexpr std::size_t kRunsKept = 5;  // per tenant

    void add(sdk::TimelineRun run);
    // The tenant's runs, the newest first.
    [[nodiscard]] sdk::TimelineDocument runs(const std::string& tenant) const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::deque<sdk::TimelineRun>> runs_;
};

}  // namespace envmgr::host::timeline

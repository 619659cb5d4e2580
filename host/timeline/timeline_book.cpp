#include "host/timeline/timeline_book.h"

namespace envmgr::host::timeline {

void TimelineBook::add(sdk::TimelineRun run) {
    const std::lock_guard lock(mutex_);
    auto& kept = runs_[run.tenant];
    kept.push_front(std::move(run));
    if (kept.size() > kRunsKept) kept.pop_back();
}

sdk::TimelineDocument TimelineBook::runs(const std::string& tenant) const {
    const std::lock_guard lock(mutex_);
    sdk::TimelineDocument document;
    if (const auto found = runs_.find(tenant); found != runs_.end()) {
        document.runs.assign(found->second.begin(), found->second.end());
    }
    return document;
}

}  // namespace envmgr::host::timeline

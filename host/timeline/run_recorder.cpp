#include "host/timeline/run_recorder.h"

#include "host/timeline/critical_chain.h"

namespace envmgr::host::timeline {
namespace {

// The first time a phase began is the one that counts (a pull reports many times).
void first(double& slot, double value) {
    if (slot < 0) slot = value;
}

}  // namespace

RunRecorder::RunRecorder(std::string tenant, std::string kind, Clock::time_point begun,
                         std::int64_t begun_unix_ms)
    : begun_(begun) {
    run_.tenant = std::move(tenant);
    run_.kind = std::move(kind);
    run_.started_unix_ms = begun_unix_ms;
}

double RunRecorder::since_begun(Clock::time_point at) const {
    return std::chrono::duration<double, std::milli>(at - begun_).count();
}

sdk::TimelineService* RunRecorder::find(const std::string& service) {
    const auto found = index_.find(service);
    return found == index_.end() ? nullptr : &run_.services[found->second];
}

void RunRecorder::add_service(const std::string& service, std::vector<std::string> depends_on) {
    if (find(service) != nullptr) return;
    index_[service] = run_.services.size();
    sdk::TimelineService entry;
    entry.service = service;
    entry.depends_on = std::move(depends_on);
    entry.outcome = "not_started";
    run_.services.push_back(std::move(entry));
}

void RunRecorder::images_begin(Clock::time_point at) {
    for (auto& service : run_.services) first(service.images_begin, since_begun(at));
}

void RunRecorder::images_end(Clock::time_point at) {
    for (auto& service : run_.services) first(service.images_end, since_begun(at));
}

void RunRecorder::launched(const std::string& service, Clock::time_point at) {
    if (auto* entry = find(service)) first(entry->launched, since_begun(at));
}

void RunRecorder::state(const std::string& service, model::ServiceState state, Clock::time_point at) {
    auto* entry = find(service);
    if (entry == nullptr) return;
    const double offset = since_begun(at);
    switch (state) {
        case model::ServiceState::pulling: entry->pulled = true; break;
        case model::ServiceState::creating: first(entry->create_begin, offset); break;
        case model::ServiceState::starting: first(entry->start_begin, offset); break;
        case model::ServiceState::waiting_healthy: first(entry->probe_begin, offset); break;
        case model::ServiceState::healthy: first(entry->ready, offset); break;
        default: break;
    }
}

void RunRecorder::settled(const std::string& service, bool ok, bool completed, const std::string& message,
                          Clock::time_point at) {
    auto* entry = find(service);
    if (entry == nullptr) return;
    const double offset = since_begun(at);
    entry->message = message;
    if (!ok) {
        entry->outcome = "failed";
        first(entry->failed, offset);
        return;
    }
    // Ready at launch with nothing done: it ran and was ready before this run.
    const bool nothing_done = entry->create_begin < 0 && entry->start_begin < 0 && entry->probe_begin < 0;
    entry->outcome = completed ? "completed" : nothing_done && entry->ready < 0 ? "already_ready" : "ready";
    if (entry->outcome != "already_ready") first(entry->ready, offset);
}

sdk::TimelineRun RunRecorder::finish(Clock::time_point at) const {
    auto run = run_;
    run.total = since_begun(at);
    run.chain_of = last_settled(run);
    run.critical_chain = critical_chain(run, run.chain_of);
    return run;
}

}  // namespace envmgr::host::timeline

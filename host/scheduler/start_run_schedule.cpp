// The scheduling of a start run: which members may launch, in what order, looking only at what
// changed. A member is looked at again when a dependency moved (its state, its settling), when
// its image came, or on the first round; those whose dependencies meet their condition wait in a
// ready set ordered by remaining path, and launch while slots are free.
#include "host/scheduler/start_run.h"

#include <algorithm>

namespace envmgr::host::scheduler {

void StartRun::enlist(const model::DependencyMap& graph) {
    priority_ = model::remaining_path_lengths(graph, services_);
    for (const auto& service : services_) {
        members_[service];
        core_->instance(key(service));  // known to the core: dependencies_met() reads every member
        const auto& needs = graph.at(service);
        recorder_.add_service(service, needs);  // services_ holds every dependency
        for (const auto& dependency : needs) dependents_[dependency].push_back(service);
        dirty_.insert(service);  // the first round looks at every service
    }
}

void StartRun::set_step(Member& member, Step step) {
    const auto counts = [](Step s) { return s == Step::launching || s == Step::running; };
    if (member.step == Step::launching) --launching_;
    if (counts(member.step)) --active_;
    if (member.step == Step::settled) --settled_;
    member.step = step;
    if (step == Step::launching) ++launching_;
    if (counts(step)) ++active_;
    if (step == Step::settled) ++settled_;
}

void StartRun::look_again_at_dependents_of(const std::string& service) {
    if (const auto found = dependents_.find(service); found != dependents_.end()) {
        dirty_.insert(found->second.begin(), found->second.end());
    }
}

const registry::EffectiveService* StartRun::configured(const std::string& service) const {
    const auto found = configured_.find(service);
    return found == configured_.end() ? nullptr : found->second;
}

bool StartRun::dependencies_met(const std::string& service, std::string& failed_dependency) const {
    const auto* definition = &configured(service)->definition;
    bool met = true;
    for (const auto& dependency : definition->depends_on) {
        const auto member = members_.find(dependency.service);
        if (member != members_.end() && member->second.step == Step::settled && !member->second.ok) {
            failed_dependency = dependency.service;
            return false;
        }
        const auto& instance = core_->instances().at(key(dependency.service));
        if (dependency.condition == "completed_successfully") {
            met = met && instance.completed;
        } else if (dependency.condition == "started") {
            met = met && (is_running(instance.state) || instance.completed);
        } else {
            met = met && instance.state == ServiceState::healthy;
        }
    }
    return met;
}

void StartRun::schedule() {
    if (finished_ || !network_ready_ || !listed_ || inspections_pending_ > 0) return;
    // A launch can settle its service at once (adopted and ready) and that schedules again: the
    // nested call only asks for another round, so no service is launched twice from a stale list.
    if (scheduling_) {
        reschedule_ = true;
        return;
    }
    scheduling_ = true;
    do {
        reschedule_ = false;
        schedule_round();
    } while (reschedule_ && !finished_);
    scheduling_ = false;
    if (!finished_ && settled_ == members_.size()) finish();
}

void StartRun::schedule_round() {
    // Only services whose dependencies may have moved are looked at (dirty_), so a round costs
    // what changed, not the size of the graph.
    while (!dirty_.empty() && !finished_) {
        std::set<std::string> looking;
        looking.swap(dirty_);
        for (const auto& service : looking) look_at(service);
    }
    // Launch in order of remaining path, while slots are free.
    while (!ready_.empty() && !finished_) {
        if (!request_.parallel && active_ > 0) break;
        if (launching_ >= std::max<std::size_t>(core_->settings().max_concurrent_starts, 1)) break;
        const std::string service = ready_.begin()->second;
        ready_.erase(ready_.begin());
        std::string failed_dependency;
        // A dependency that is no longer ready brings it back when it changes again.
        if (members_[service].step == Step::waiting && dependencies_met(service, failed_dependency)) {
            launch(service);
        }
    }
}

void StartRun::look_at(const std::string& service) {
    auto& member = members_[service];
    if (member.step != Step::waiting) return;
    const std::pair<int, std::string> rank{-priority_.at(service), service};
    std::string failed_dependency;
    if (dependencies_met(service, failed_dependency)) {
        if (member.image_ready) ready_.insert(rank);
        return;
    }
    ready_.erase(rank);
    if (failed_dependency.empty()) return;
    member.status = members_[failed_dependency].status;
    member.failed_as = ++failures_;
    leave_waiting(member);
    set_step(member, Step::settled);
    look_again_at_dependents_of(service);
    core_->set_state(key(service), ServiceState::failed,
                     "not started: its dependency '" + failed_dependency + "' failed");
}

}  // namespace envmgr::host::scheduler

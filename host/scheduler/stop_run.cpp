#include "host/scheduler/stop_run.h"

#include "host/model/dependency_graph.h"

#include <envmgr/sdk/documents/container_document.h>

#include <boost/asio/post.hpp>

#include <algorithm>

namespace envmgr::host::scheduler {

StopRun::StopRun(std::shared_ptr<EngineCore> core, StopRequest request, Done done)
    : core_(std::move(core)), request_(std::move(request)), done_(std::move(done)) {}

void StopRun::begin() {
    const auto* tenant = registry_.tenant(request_.tenant);
    if (tenant == nullptr) {
        finished_ = true;
        return done_({ENVMGR_STATUS_NOT_FOUND, "tenant '" + request_.tenant + "' is not configured", {}});
    }
    model::DependencyMap graph;
    for (const auto& service : tenant->services) {
        auto& needs = graph[service.definition.name];
        for (const auto& dependency : service.definition.depends_on) needs.push_back(dependency.service);
    }
    std::set<std::string> selection;
    for (const auto& name : request_.services) {
        if (!graph.contains(name)) {
            finished_ = true;
            return done_({ENVMGR_STATUS_NOT_FOUND,
                          "services: no service '" + name + "' in tenant '" + request_.tenant + "'",
                          {}});
        }
        selection.insert(name);
    }
    if (request_.services.empty()) {
        for (const auto& [name, needs] : graph) selection.insert(name);
    }
    pending_ = model::with_dependents(graph, selection);
    core_->queues().stops += static_cast<long>(pending_.size());
    // How many of the services this run stops still depend on each: a service is stopped once
    // none does (each dependent that stops counts its dependencies down).
    for (const auto& service : pending_) {
        auto& needs = needs_[service];
        for (const auto& dependency : graph[service]) {
            if (dependency == service || !pending_.contains(dependency)) continue;
            if (std::find(needs.begin(), needs.end(), dependency) != needs.end()) continue;
            needs.push_back(dependency);
            ++dependents_left_[dependency];
        }
    }
    for (const auto& service : pending_) {
        if (dependents_left_[service] == 0) free_.insert(service);
    }
    next();
}

void StopRun::dependent_stopped(const std::string& service) {
    for (const auto& dependency : needs_[service]) {
        if (--dependents_left_[dependency] == 0 && pending_.contains(dependency)) free_.insert(dependency);
    }
}

// Stops every pending service that nothing pending or stopping still depends on.
void StopRun::next() {
    if (finished_) return;
    std::vector<std::string> free(free_.begin(), free_.end());
    free_.clear();
    for (const auto& service : free) {
        // A stop that ends at once (nothing to stop) runs next() again from inside this loop,
        // which may have taken later services of `free` already: each is stopped once.
        if (pending_.erase(service) == 0) continue;
        --core_->queues().stops;
        stopping_.insert(service);
        // A start working on it goes first; then it is stopped.
        core_->when_idle(key(service), [self = shared_from_this(), service] { self->stop_one(service); });
    }
    if (pending_.empty() && stopping_.empty() && removing_.empty() && !finished_) {
        finished_ = true;
        RunResult result;
        for (auto& [service, outcome] : outcomes_) {
            const bool failed = outcome.state == ServiceState::failed || not_removed_.contains(service);
            if (failed && result.status == ENVMGR_STATUS_OK) {
                result.status = ENVMGR_STATUS_UNAVAILABLE;
                result.message = "service '" + service + "' " +
                                 (outcome.state == ServiceState::failed ? "did not stop: " : "") +
                                 outcome.message;
            }
            result.services.push_back(outcome);
        }
        done_(std::move(result));
    }
}

void StopRun::stop_one(const std::string& service) {
    auto& instance = core_->instance(key(service));
    core_->take_over(key(service));  // a pending restart is off
    instance.restarts = 0;
    core_->unwatch(key(service));
    if (instance.container_id.empty()) return stopped(service, "not running", false, true);
    // From here on the state is stopping: a restart timer that fires anyway does nothing.
    instance.busy = true;
    core_->set_state(key(service), ServiceState::stopping, "stopping " + instance.service->container_name);
    const std::int64_t grace = request_.timeout_seconds > 0
                                   ? request_.timeout_seconds
                                   : instance.service->definition.stop_timeout_seconds;
    core_->call("container.stop", {{"id", instance.container_id}, {"timeout_seconds", grace}},
                shared_from_this(), [this, service, grace](const sdk::Result& result) {
                    if (!result.ok() && result.status != ENVMGR_STATUS_NOT_FOUND) {
                        return stopped(service, "cannot stop: " + result.payload, false, false);
                    }
                    const auto stopped_container = sdk::read_document<sdk::StoppedContainer>(result.payload);
                    const bool killed = result.ok() && stopped_container && stopped_container->killed;
                    const std::string how = killed ? "stopped with SIGKILL: it did not stop within " +
                                                         std::to_string(grace) + " s of SIGTERM"
                                                   : "stopped";
                    auto& target = core_->instance(key(service));
                    if (!request_.remove || result.status == ENVMGR_STATUS_NOT_FOUND) {
                        if (result.status == ENVMGR_STATUS_NOT_FOUND) target.container_id.clear();
                        return stopped(service, how, killed, true);
                    }
                    // Its process has ended: what it depends on may stop now, while the engine
                    // removes the container (a removal costs as much as a stop here).
                    target.container_running = false;
                    core_->set_state(key(service), ServiceState::stopped, how);
                    stopping_.erase(service);
                    dependent_stopped(service);
                    removing_.insert(service);
                    remove_container(service, how, killed);
                    next();
                });
}

void StopRun::remove_container(const std::string& service, const std::string& how, bool killed) {
    core_->call("container.remove", {{"id", core_->instance(key(service)).container_id}}, shared_from_this(),
                [this, service, how, killed](const sdk::Result& removed) {
                    removing_.erase(service);
                    if (!removed.ok() && removed.status != ENVMGR_STATUS_NOT_FOUND) {
                        // Stopped, but the container is still there: said, and the stop is not a
                        // success (a later start removes it).
                        not_removed_.insert(service);
                        return stopped(
                            service, how + "; the engine could not remove its container: " + removed.payload,
                            killed, true, false);
                    }
                    auto& gone = core_->instance(key(service));
                    gone.container_id.clear();
                    // A start's overrides lived in that container: the next one runs from the
                    // configuration again.
                    if (gone.service_override) {
                        gone.service_override.reset();
                        gone.service = registry_.find(request_.tenant, service);
                    }
                    stopped(service, how, killed, true, false);
                });
}

void StopRun::stopped(const std::string& service, const std::string& message, bool killed, bool ok,
                      bool announce) {
    auto& instance = core_->instance(key(service));
    instance.container_running = false;
    instance.completed = false;
    if (announce) core_->set_state(key(service), ok ? ServiceState::stopped : ServiceState::failed, message);
    // Recorded before the release: a start waiting for this stop may begin inside it.
    outcomes_[service] = {service,
                          instance.state,
                          message,
                          instance.container_id,
                          instance.service != nullptr && instance.service->definition.optional,
                          killed};
    if (instance.busy) core_->release(key(service));
    if (stopping_.erase(service) != 0) dependent_stopped(service);
    next();
}

}  // namespace envmgr::host::scheduler

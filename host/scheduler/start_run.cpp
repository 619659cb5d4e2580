// A start run: its members and what runs at once (network, volumes, listing), the watch of each
// launched service, its settling and the result. Which member launches when is in
// start_run_schedule.cpp, the launch of one service in start_run_launch.cpp, the image phase in
// start_run_images.cpp, containers created ahead in start_run_precreate.cpp.
#include "host/scheduler/start_run.h"

#include "host/model/dependency_graph.h"

#include <envmgr/sdk/documents/container_document.h>
#include <envmgr/sdk/quote.h>

#include <boost/asio/post.hpp>

#include <algorithm>

namespace envmgr::host::scheduler {
sdk::RunResult run_result_document(const RunResult& result) {
    sdk::RunResult document{result.status == ENVMGR_STATUS_OK, result.message, {}};
    for (const auto& outcome : result.services) {
        document.services.push_back({outcome.service, std::string(state_name(outcome.state)), outcome.message,
                                     outcome.container_id, outcome.optional, outcome.killed});
    }
    return document;
}

StartRun::StartRun(std::shared_ptr<EngineCore> core, StartRequest request, Progress progress, Done done)
    : core_(std::move(core)),
      request_(std::move(request)),
      progress_(std::move(progress)),
      done_(std::move(done)),
      recorder_(request_.tenant, request_.kind, timeline::Clock::now(),
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count()) {}

void StartRun::begin() {
    const auto* tenant = registry_.tenant(request_.tenant);
    if (tenant == nullptr) {
        return fail_all(ENVMGR_STATUS_NOT_FOUND, "tenant '" + request_.tenant + "' is not configured");
    }
    model::DependencyMap graph;
    std::vector<std::string> everything;
    for (const auto& service : tenant->services) {
        configured_[service.definition.name] = &service;
        auto& needs = graph[service.definition.name];
        for (const auto& dependency : service.definition.depends_on) needs.push_back(dependency.service);
        everything.push_back(service.definition.name);
    }
    std::vector<std::string> unknown;
    services_ =
        model::with_dependencies(graph, request_.services.empty() ? everything : request_.services, unknown);
    if (!unknown.empty()) {
        std::string names;
        for (const auto& name : unknown) names += (names.empty() ? "'" : ", '") + name + "'";
        return fail_all(ENVMGR_STATUS_NOT_FOUND,
                        "services: no service " + names + " in tenant '" + request_.tenant + "'");
    }
    for (const auto& [service, definition] : request_.overrides) {
        if (std::find(services_.begin(), services_.end(), service) == services_.end()) {
            const std::string name = sdk::quote_input(service);
            return fail_all(ENVMGR_STATUS_INVALID,
                            "overrides: " + name + " is not one of the services this start brings up");
        }
    }
    enlist(graph);
    core_->queues().starts += static_cast<long>(members_.size());
    // The listener keeps the run alive while it waits for state changes alone (nothing else may
    // hold it then: an adopted service that is not ready yet); finish() lets go of it.
    listener_ =
        core_->listen([self = shared_from_this()](const InstanceKey& changed) { self->on_change(changed); });
    core_->logger().debug("start of tenant '{}': {} service(s)", request_.tenant, services_.size());
    // Independent of each other: the network (created in ~110 ms) and the listing with the
    // image checks that follow it.
    ensure_network_and_volumes();
    if (!finished_) list_containers();
}

void StartRun::leave_waiting(Member& member) {
    if (member.step == Step::waiting && !member.left_queue) {
        member.left_queue = true;
        --core_->queues().starts;
    }
}

void StartRun::fail_all(envmgr_status status, const std::string& message) {
    if (finished_) return;
    finished_ = true;
    if (listener_ != 0) core_->unlisten(listener_);
    core_->logger().warn("start of tenant '{}' failed: {}", request_.tenant, message);
    done_(RunResult{status, message, {}});
}

void StartRun::ensure_network_and_volumes() {
    const auto* tenant = registry_.tenant(request_.tenant);
    const nlohmann::json labels{{registry::kTenantLabel, request_.tenant}};
    std::vector<std::pair<std::string, nlohmann::json>> calls{
        {"network.ensure", {{"name", tenant->network}, {"labels", labels}}}};
    std::set<std::string> volumes;
    for (const auto& service : services_) {
        for (const auto& mount : configured(service)->definition.mounts) {
            if (mount.type == "volume") volumes.insert(mount.source);
        }
    }
    for (const auto& volume : volumes) {
        calls.emplace_back("volume.ensure", nlohmann::json{{"name", volume}, {"labels", labels}});
    }
    auto remaining = std::make_shared<std::size_t>(calls.size());
    auto failed = std::make_shared<bool>(false);
    for (const auto& [operation, request] : calls) {
        core_->call(
            operation, request, shared_from_this(),
            [this, remaining, failed, what = request["name"].get<std::string>()](const sdk::Result& result) {
                if (*failed || finished_) return;
                if (!result.ok()) {
                    *failed = true;
                    return fail_all(result.status, "cannot create '" + what + "': " + result.payload);
                }
                if (--*remaining == 0) {
                    core_->logger().debug("start of tenant '{}': network and volumes ready", request_.tenant);
                    network_ready_ = true;
                    precreate_ready();
                    schedule();
                }
            });
    }
}

void StartRun::list_containers() {
    const nlohmann::json request{{"labels", {{registry::kTenantLabel, request_.tenant}}}, {"all", true}};
    core_->call("container.list", request, shared_from_this(), [this](const sdk::Result& result) {
        if (finished_) return;
        if (!result.ok()) return fail_all(result.status, "cannot list containers: " + result.payload);
        const auto listing =
            sdk::read_document<sdk::ContainerList>(result.payload).value_or(sdk::ContainerList{});
        // What the engine lists is the truth: a container removed behind env-manager's back (by
        // hand, by another tool) is forgotten, so it is created again instead of "started".
        for (const auto& service : services_) {
            auto& known = core_->instance(key(service));
            if (!known.busy) {
                known.container_id.clear();
                known.container_state.clear();
                known.container_running = false;
            }
        }
        for (const auto& container : listing.containers) {
            const std::string service = container.label(registry::kServiceLabel);
            if (service.empty()) continue;
            auto& instance = core_->instance(key(service));
            if (instance.busy) continue;  // another run is working on it and knows better
            instance.container_id = container.id;
            instance.container_hash = container.label(registry::kDefinitionHashLabel);
            instance.container_state = container.state;
            instance.container_running = instance.container_state == "running";
        }
        core_->logger().debug("start of tenant '{}': containers listed", request_.tenant);
        listed_ = true;
        check_images();
    });
}

void StartRun::watch(const std::string& service) {
    set_step(members_[service], Step::running);
    core_->watch_container(key(service), shared_from_this(), [this, service](const sdk::Result& result) {
        if (!result.ok()) {
            return fail(service, result.status, "cannot inspect the container: " + result.payload);
        }
        arm_deadline(service);
    });
}

void StartRun::arm_deadline(const std::string& service) {
    auto& member = members_[service];
    member.deadline =
        std::make_unique<boost::asio::steady_timer>(core_->strand(), core_->settings().health_timeout);
    member.deadline->async_wait([self = shared_from_this(), service](boost::system::error_code ec) {
        if (ec || self->finished_ || self->core_->closed()) return;
        if (self->members_[service].step != Step::running) return;
        const auto& late = self->core_->instance(self->key(service));
        const std::string within =
            "not ready within " + std::to_string(self->core_->settings().health_timeout.count()) + " s";
        // In a crash loop since this run launched it (waiting for a restart, or between
        // restarts): the start gives up, the restart policy does not.
        if (late.state == ServiceState::restarting ||
            late.restarts > self->members_[service].restarts_at_launch) {
            return self->give_up(service, ENVMGR_STATUS_TIMEOUT,
                                 within + " (" + std::to_string(late.restarts) +
                                     " restart(s); the last: " + late.last_exit + "; now " +
                                     std::string(state_name(late.state)) + "); its restart policy goes on");
        }
        // The probes' own last words say why (a refused connection, "exit 127: ..."), where the
        // state's message only says it is waiting.
        std::string last = "last: " + late.message;
        if (const auto health = self->core_->health().status(late.watch); health && !health->checks.empty()) {
            last.clear();
            for (const auto& [probe, check] : health->checks) {
                last += (last.empty() ? "last check: " : "; ") + probe + ": " + check.message;
            }
        }
        self->fail(service, ENVMGR_STATUS_TIMEOUT, within + " (" + last + ")");
    });
}

void StartRun::on_change(const InstanceKey& changed) {
    if (finished_ || changed.first != request_.tenant || !members_.contains(changed.second)) return;
    const std::string& service = changed.second;
    auto& member = members_[service];
    const auto& instance = core_->instance(changed);
    recorder_.state(service, instance.state, timeline::Clock::now());
    if (progress_) {
        progress_({request_.tenant, service, instance.state, instance.message, instance.percent,
                   instance.container_id});
    }
    if (member.step == Step::running) {
        // An exit was decided by the restart policy (engine_core.cpp): restarting keeps it awaited
        // until the start's deadline; a one-shot job that completed counts as done.
        if (instance.state == ServiceState::healthy ||
            (instance.state == ServiceState::stopped && instance.completed)) {
            return settle(service, true);
        }
        if (instance.state == ServiceState::failed) {
            member.status = ENVMGR_STATUS_UNAVAILABLE;
            member.failed_as = ++failures_;
            return settle(service, false);
        }
    }
    look_again_at_dependents_of(service);  // a dependency may now be met, or no longer
    schedule();
}

void StartRun::fail(const std::string& service, envmgr_status status, const std::string& message) {
    auto& member = members_[service];
    member.status = status;
    member.failed_as = ++failures_;
    core_->set_state(key(service), ServiceState::failed, message);
    settle(service, false);
}

void StartRun::give_up(const std::string& service, envmgr_status status, const std::string& reason) {
    auto& member = members_[service];
    member.status = status;
    member.failed_as = ++failures_;
    member.reason = reason;
    core_->logger().warn("start of tenant '{}': {}: {}", request_.tenant, service, reason);
    settle(service, false);
}

void StartRun::settle(const std::string& service, bool ok) {
    auto& member = members_[service];
    if (member.step == Step::settled) return;
    leave_waiting(member);
    set_step(member, Step::settled);
    look_again_at_dependents_of(service);
    member.ok = ok;
    if (member.deadline) member.deadline->cancel();
    auto& instance = core_->instance(key(service));
    recorder_.settled(service, ok, instance.completed,
                      member.reason.empty() ? instance.message : member.reason, timeline::Clock::now());
    if (instance.busy) core_->release(key(service));
    schedule();
}

void StartRun::finish() {
    if (finished_) return;
    finished_ = true;
    core_->unlisten(listener_);
    for (auto& [service, member] : members_) leave_waiting(member);
    core_->logger().debug("start of tenant '{}': finished", request_.tenant);
    record_timeline();
    // The result is given once nothing created ahead and never started is left.
    remove_unused_precreated([self = shared_from_this()] { self->report(); });
}

void StartRun::report() {
    RunResult result;
    int first_failure = 0;  // the root cause is the earliest required failure, not the first by name
    for (const auto& [service, member] : members_) {
        const auto& instance = core_->instance(key(service));
        ServiceOutcome outcome{service, instance.state,
                               member.reason.empty() ? instance.message : member.reason,
                               instance.container_id, instance.service->definition.optional};
        if (!member.ok && !outcome.optional && (first_failure == 0 || member.failed_as < first_failure)) {
            first_failure = member.failed_as;
            result.status = member.status == ENVMGR_STATUS_OK ? ENVMGR_STATUS_UNAVAILABLE : member.status;
            result.message = "service '" + service +
                             "' failed: " + (member.reason.empty() ? instance.message : member.reason);
        }
        result.services.push_back(std::move(outcome));
    }
    done_(std::move(result));
}

}  // namespace envmgr::host::scheduler

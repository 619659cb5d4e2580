// The launch of one service in a start run: the definition it runs from, then adopt, recreate
// or create and start its container; a start the engine refuses names what holds its ports.
#include "host/scheduler/start_run.h"

#include "host/scheduler/container_spec_builder.h"
#include "host/scheduler/port_holders.h"

#include <algorithm>

namespace envmgr::host::scheduler {
namespace {

std::string ports_text(const sdk::ServiceDefinition& definition) {
    std::string text;
    for (const auto& port : definition.ports) {
        if (port.host_port == 0) continue;
        text += (text.empty() ? "" : ", ") + port.host_ip + ":" + std::to_string(port.host_port);
    }
    return text;
}

}  // namespace

const registry::EffectiveService* StartRun::chosen_definition(const std::string& service) {
    if (const auto found = request_.overrides.find(service); found != request_.overrides.end()) {
        return found->second.get();
    }
    const bool named =
        request_.services.empty() ||
        std::find(request_.services.begin(), request_.services.end(), service) != request_.services.end();
    return named ? configured(service) : core_->instance(key(service)).service;
}

void StartRun::choose_definition(const std::string& service) {
    auto& instance = core_->instance(key(service));
    const auto* chosen = chosen_definition(service);
    if (chosen == instance.service) return;
    const auto found = request_.overrides.find(service);
    instance.service_override = found != request_.overrides.end() ? found->second : nullptr;
    instance.service = chosen;
}

void StartRun::launch(const std::string& service) {
    auto& member = members_[service];
    leave_waiting(member);
    set_step(member, Step::launching);
    member.launched = true;
    recorder_.launched(service, timeline::Clock::now());
    // Another run starting or stopping it goes first; this one then joins what it left.
    core_->when_idle(key(service), [self = shared_from_this(), service] { self->launch_now(service); });
}

void StartRun::launch_now(const std::string& service) {
    if (finished_) return;
    choose_definition(service);
    auto& instance = core_->instance(key(service));
    instance.busy = true;
    core_->take_over(key(service));
    members_[service].restarts_at_launch = instance.restarts;
    const auto& hash = instance.service->definition_hash;
    core_->logger().debug("start of tenant '{}': launching {} (container {}, running {}, watched {}, {})",
                          request_.tenant, service, instance.container_id.empty() ? "none" : "exists",
                          instance.container_running, instance.watch != 0, state_name(instance.state));
    const bool doomed = instance.container_state == "dead" || instance.container_state == "removing";
    if (!instance.container_id.empty() && instance.container_hash == hash && !doomed) {
        if (instance.container_running && instance.watch != 0) {
            // Adopted and watched: only its readiness is awaited, within the same deadline.
            set_step(members_[service], Step::running);
            if (instance.state == ServiceState::healthy) return settle(service, true);
            arm_deadline(service);
            return schedule();
        }
        if (instance.container_running) {
            return watch(service);
        }
        return start_container(service);
    }
    if (!instance.container_id.empty()) {
        // The old container's end is env-manager's own doing, not an exit to restart from.
        core_->unwatch(key(service));
        core_->set_state(key(service), ServiceState::creating,
                         doomed ? "the old container is being removed: replacing it"
                                : "the definition changed: replacing the container");
        if (!doomed) return update_container(service);
        return replace_container(service);
    }
    create_and_start(service);
}

void StartRun::update_container(const std::string& service) {
    auto& instance = core_->instance(key(service));
    const nlohmann::json request{{"id", instance.container_id},
                                 {"spec", container_spec_for(*instance.service)}};
    core_->call("container.update", request, shared_from_this(), [this, service](const sdk::Result& result) {
        if (result.status == ENVMGR_STATUS_UNSUPPORTED) return replace_container(service);  // one engine
        if (!result.ok()) {
            return fail(service, result.status, "cannot update the container in place: " + result.payload);
        }
        auto& updated = core_->instance(key(service));
        updated.container_hash = updated.service->definition_hash;
        // The backend says whether it runs: a task that ended just before the update is started.
        const auto answer = sdk::read_document<sdk::UpdatedContainer>(result.payload);
        if (!answer || !answer->running) return start_container(service);
        now_running(service);
    });
}

void StartRun::replace_container(const std::string& service) {
    const std::string old_id = core_->instance(key(service)).container_id;
    core_->call(
        "container.remove", {{"id", old_id}, {"force", true}}, shared_from_this(),
        [this, service, old_id](const sdk::Result& result) {
            if (result.ok() || result.status == ENVMGR_STATUS_NOT_FOUND) return forget_container(service);
            if (result.payload.find("already in progress") == std::string::npos) {
                return fail(service, result.status, "cannot remove the old container: " + result.payload);
            }
            // The engine is removing it already (a stop's removal it has not finished):
            // wait for that, bounded, before the name is free again.
            core_->call("container.wait", {{"id", old_id}, {"condition", "removed"}, {"timeout_ms", 30000}},
                        shared_from_this(), [this, service](const sdk::Result& waited) {
                            if (!waited.ok() && waited.status != ENVMGR_STATUS_NOT_FOUND) {
                                return fail(service, waited.status,
                                            "the engine did not finish removing the old container: " +
                                                waited.payload);
                            }
                            forget_container(service);
                        });
        });
}

void StartRun::forget_container(const std::string& service) {
    auto& old = core_->instance(key(service));
    old.container_id.clear();
    old.container_state.clear();
    old.container_running = false;
    create_and_start(service);
}

void StartRun::create_and_start(const std::string& service) {
    auto& instance = core_->instance(key(service));
    core_->set_state(key(service), ServiceState::creating, "creating " + instance.service->container_name);
    const nlohmann::json request{{"spec", container_spec_for(*instance.service)}};
    core_->call("container.create", request, shared_from_this(), [this, service](const sdk::Result& result) {
        auto& created = core_->instance(key(service));
        if (!result.ok()) {
            const std::string why =
                result.status == ENVMGR_STATUS_CONFLICT
                    ? "the name " + created.service->container_name +
                          " is taken by a container env-manager did not label as this service: "
                    : "cannot create the container: ";
            return fail(service, result.status, why + result.payload);
        }
        created.container_id =
            sdk::read_document<sdk::CreatedContainer>(result.payload).value_or(sdk::CreatedContainer{}).id;
        created.container_hash = created.service->definition_hash;
        created.container_state = "created";
        start_container(service);
    });
}

void StartRun::start_container(const std::string& service) {
    auto& instance = core_->instance(key(service));
    core_->set_state(key(service), ServiceState::starting, "starting " + instance.service->container_name);
    core_->call("container.start", {{"id", instance.container_id}}, shared_from_this(),
                [this, service](const sdk::Result& result) {
                    if (!result.ok()) return start_failed(service, result);
                    now_running(service);
                });
}

void StartRun::now_running(const std::string& service) {
    auto& started = core_->instance(key(service));
    started.container_running = true;
    started.container_state = "running";
    watch(service);
    schedule();  // a launch slot is free
}

void StartRun::start_failed(const std::string& service, const sdk::Result& result) {
    // A taken host port fails with the engine's words and the ports asked for, and names the
    // holder when it is one of env-manager's own containers; only a port that none of them holds
    // is tried again, a bounded few times (retry_stale_port), so a real conflict makes no storm.
    const auto& definition = core_->instance(key(service)).service->definition;
    const std::string ports = ports_text(definition);
    const std::string message =
        "cannot start: " + result.payload + (ports.empty() ? "" : " (host ports: " + ports + ")");
    if (!is_port_taken(result.payload)) return fail(service, result.status, message);
    core_->call("container.list", {{"labels", {{registry::kTenantLabel, ""}}}}, shared_from_this(),
                [this, service, status = result.status, message](const sdk::Result& listed) {
                    std::string holders;
                    if (const auto listing = sdk::read_document<sdk::ContainerList>(listed.payload);
                        listed.ok() && listing) {
                        const auto& instance = core_->instance(key(service));
                        holders = port_holders_text(listing->containers, instance.container_id,
                                                    instance.service->definition);
                    }
                    if (holders.empty() && retry_stale_port(service, message)) return;
                    fail(service, status, message + holders);
                });
}

bool StartRun::retry_stale_port(const std::string& service, const std::string& message) {
    // The engine's own port book can name a port no container holds: an engine stopped in the
    // middle of a start gives the port back only once its clean-up has run, a second or so after
    // it answers again. Three tries, 0.25, 0.5 and 1 s apart, outlast that and bound a real
    // conflict with a container of someone else's.
    constexpr int kTries = 3;
    auto& member = members_[service];
    if (!is_port_booked(message) || member.stale_port_retries >= kTries) return false;
    const auto pause = std::chrono::milliseconds(250) * (1 << member.stale_port_retries);
    ++member.stale_port_retries;
    core_->logger().info(
        "{}: the engine still books a port of {} that no container of env-manager's holds; "
        "trying the start again in {} ms ({} of {})",
        request_.tenant, service, pause.count(), member.stale_port_retries, kTries);
    member.retry = std::make_unique<boost::asio::steady_timer>(core_->strand(), pause);
    member.retry->async_wait([self = shared_from_this(), service](boost::system::error_code ec) {
        if (ec || self->finished_ || self->core_->closed()) return;
        self->start_container(service);
    });
    return true;
}

}  // namespace envmgr::host::scheduler

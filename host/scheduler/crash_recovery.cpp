#include "host/scheduler/crash_recovery.h"

#include "host/model/restart_policy.h"
#include "host/scheduler/start_run.h"

#include <envmgr/sdk/documents/container_document.h>

namespace envmgr::host::scheduler {
namespace {

void restart(EngineCore& core, const InstanceKey& key);

// After its back-off, start the instance's container again.
void schedule_restart(EngineCore& core, const InstanceKey& key, const std::string& reason) {
    auto& ended = core.instance(key);
    const auto& settings = core.settings();
    const auto delay = model::restart_delay(
        ended.restarts, settings.restart_backoff_initial,
        std::chrono::duration_cast<std::chrono::milliseconds>(settings.restart_backoff_max));
    ++ended.restarts;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    ended.next_restart_at =
        std::chrono::duration_cast<std::chrono::seconds>(now + delay + std::chrono::milliseconds(999))
            .count();
    ended.restart_timer = std::make_shared<boost::asio::steady_timer>(core.strand(), delay);
    ended.restart_timer->async_wait([self = core.shared_from_this(), key](boost::system::error_code ec) {
        if (!ec && !self->closed()) restart(*self, key);
    });
    const std::string message = reason + "; restart " + std::to_string(ended.restarts) + " in " +
                                std::to_string(delay.count()) + " ms";
    core.notable("warn", key, message);
    core.set_state(key, ServiceState::restarting, message);
}

// The container is gone (removed behind env-manager's back): the service comes back in a new
// one, as a start of that service alone brings it. Restarting the old id would only fail again.
void recreate(EngineCore& core, const InstanceKey& key) {
    auto& gone = core.instance(key);
    core.unwatch(key);
    gone.container_id.clear();
    gone.container_hash.clear();
    gone.container_running = false;
    gone.container_state.clear();
    core.notable("warn", key, "the container is gone: creating a new one");
    core.set_state(key, ServiceState::stopped, "the container is gone: creating a new one");
    auto run = std::make_shared<StartRun>(core.shared_from_this(),
                                          StartRequest{key.first, {key.second}, true, {}, "restart"}, nullptr,
                                          [](const RunResult&) {});
    run->begin();  // on the strand already
}

void restart(EngineCore& core, const InstanceKey& key) {
    auto& target = core.instance(key);
    if (target.state != ServiceState::restarting) return;  // stopped or started meanwhile
    target.next_restart_at = 0;
    const auto generation = ++target.generation;
    core.set_state(key, ServiceState::starting, "restart " + std::to_string(target.restarts));
    core.call("container.start", {{"id", target.container_id}}, nullptr,
              [self = core.shared_from_this(), key, generation](const sdk::Result& result) {
                  auto& restarted = self->instance(key);
                  if (restarted.generation != generation || restarted.state != ServiceState::starting) return;
                  if (result.status == ENVMGR_STATUS_NOT_FOUND) return recreate(*self, key);
                  if (!result.ok()) {
                      return on_container_exit(*self, key, "the restart failed: " + result.payload);
                  }
                  restarted.container_running = true;
                  restarted.running_since = std::chrono::steady_clock::now();
                  self->watch_container(key, nullptr, [self, key](const sdk::Result& inspected) {
                      if (!inspected.ok()) {
                          self->set_state(key, ServiceState::failed, "cannot inspect: " + inspected.payload);
                      }
                  });
              });
}

// A run that lasted the stable period ends a crash loop: the next failure counts from zero.
void forget_old_restarts(const EngineCore& core, Instance& instance) {
    if (std::chrono::steady_clock::now() - instance.running_since >= core.settings().restart_stable_period) {
        instance.restarts = 0;
    }
}

}  // namespace

void on_container_exit(EngineCore& core, const InstanceKey& key, const std::string& reason) {
    const std::string id = core.instance(key).container_id;
    core.call("container.inspect", {{"id", id}}, nullptr,
              [self = core.shared_from_this(), key, reason](const sdk::Result& result) {
                  const auto inspected = sdk::read_document<sdk::ContainerDocument>(result.payload);
                  decide_exit(*self, key, reason, result.ok() && inspected ? inspected->exit_code : -1);
              });
}

void decide_exit(EngineCore& core, const InstanceKey& key, const std::string& reason, int exit_code) {
    auto& ended = core.instance(key);
    // A stop's own ending of the container (stopping, or stopped and kept) is no exit to react to.
    if (ended.state == ServiceState::stopping || ended.state == ServiceState::stopped ||
        ended.service == nullptr) {
        return;
    }
    ended.last_exit = reason;
    const auto& definition = ended.service->definition;
    forget_old_restarts(core, ended);
    const auto policy = model::restart_policy_of(definition.restart_policy);
    if (exit_code == 0 && policy == model::RestartPolicy::no) {
        ended.completed = true;  // a one-shot job done: what waits for it may go on
        return core.set_state(key, ServiceState::stopped, "completed (exit code 0)");
    }
    if (!model::should_restart(policy, exit_code, ended.restarts, definition.restart_max_retries)) {
        std::string why = reason;
        if (policy == model::RestartPolicy::on_failure && exit_code != 0 && ended.restarts > 0) {
            why += "; gave up after " + std::to_string(ended.restarts) + " restart(s)";
        }
        if (policy != model::RestartPolicy::no) core.notable("error", key, "failed: " + why);
        return core.set_state(key, ServiceState::failed, why);
    }
    schedule_restart(core, key, reason);
}

void restart_unhealthy(EngineCore& core, const InstanceKey& key, const std::string& reason) {
    auto& sick = core.instance(key);
    const auto& definition = sick.service->definition;
    forget_old_restarts(core, sick);
    // Counted as a failed exit would be: on-failure's limit applies, "no" never restarts.
    const auto policy = model::restart_policy_of(definition.restart_policy);
    if (!model::should_restart(policy, 1, sick.restarts, definition.restart_max_retries)) {
        core.notable(
            "warn", key,
            "unhealthy and not restarted: " + reason + " (restart_policy " +
                std::string(model::restart_policy_name(policy)) +
                (sick.restarts > 0 ? ", " + std::to_string(sick.restarts) + " restart(s) made" : "") + ")");
        return;
    }
    core.unwatch(key);
    const std::string why = "unhealthy: " + reason;
    core.set_state(key, ServiceState::restarting, why + "; stopping the container to restart it");
    core.call("container.stop",
              {{"id", sick.container_id}, {"timeout_seconds", definition.stop_timeout_seconds}}, nullptr,
              [self = core.shared_from_this(), key, why](const sdk::Result& result) {
                  auto& stopped = self->instance(key);
                  if (stopped.state != ServiceState::restarting) return;  // a stop or start took over
                  if (!result.ok()) {
                      return self->set_state(key, ServiceState::unhealthy,
                                             why + "; cannot stop it: " + result.payload);
                  }
                  stopped.container_running = false;
                  schedule_restart(*self, key, why);
              });
}

}  // namespace envmgr::host::scheduler

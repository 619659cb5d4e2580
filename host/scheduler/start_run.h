// One start: the selected services of a tenant and what they depend on, brought to ready as
// fast as the engine allows. What waits on no dependency happens at once and in parallel: the
// network and volumes, the listing, every image check and pull, and each container's creation
// as soon as its image is there (start_run_precreate.cpp). Each service is started the moment
// its own dependencies meet their condition; among those ready to launch, the ones on the
// longest remaining path go first (the engine nearly serializes container starts, about 460 ms
// each on a bridge network with a published port, so the order decides the total). Everything
// runs on the engine's strand.
#pragma once

#include "host/model/dependency_graph.h"
#include "host/scheduler/engine_core.h"
#include "host/timeline/run_recorder.h"

#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <set>

namespace envmgr::host::scheduler {

struct StartRequest {
    std::string tenant = "default";
    std::vector<std::string> services;  // empty: every service of the tenant
    bool parallel = true;               // false: one service at a time, in dependency order
    // Per-request overrides (registry/service_overrides.h): these services run from these
    // definitions instead of the configured ones.
    std::map<std::string, std::shared_ptr<const registry::EffectiveService>> overrides{};
    std::string kind = "start";  // start | restart: how the start timeline names the run
};

struct ServiceOutcome {
    std::string service;
    ServiceState state = ServiceState::stopped;
    std::string message;
    std::string container_id;
    bool optional = false;
    bool killed = false;  // a stop that needed SIGKILL
};

struct RunResult {
    envmgr_status status = ENVMGR_STATUS_OK;
    std::string message;  // why it failed: the first required service's reason
    std::vector<ServiceOutcome> services;
};
sdk::RunResult run_result_document(const RunResult& result);

class StartRun : public std::enable_shared_from_this<StartRun> {
public:
    using Progress = std::function<void(const StatusEvent&)>;
    using Done = std::function<void(RunResult)>;

    StartRun(std::shared_ptr<EngineCore> core, StartRequest request, Progress progress, Done done);

    // On the strand.
    void begin();

private:
    enum class Step { waiting, launching, running, settled };
    struct Member {
        Step step = Step::waiting;
        bool left_queue = false;  // counted out of the start queue
        bool ok = false;
        envmgr_status status = ENVMGR_STATUS_OK;  // why it failed
        int failed_as = 0;                        // 1 for the first failure of the run, 2 for the next...
        std::string reason;          // why this run gave up on it, when its state does not say so
        int restarts_at_launch = 0;  // the instance's restarts when this run launched it
        bool image_ready = false;    // its image is there (or its container needs none)
        bool launched = false;
        std::unique_ptr<boost::asio::steady_timer> deadline;
        int stale_port_retries = 0;  // starts tried again on a port the engine still books
        std::unique_ptr<boost::asio::steady_timer> retry;
    };

    InstanceKey key(const std::string& service) const { return {request_.tenant, service}; }
    // Which definition the service runs from in this start: the request's override; the
    // configuration when the request names it (or names none) without one; otherwise (pulled in
    // as a dependency) whatever it runs from now.
    // Only at launch does the instance take it; before that (the image phase) it is only read, so
    // that a start that fails early leaves the instance as it runs.
    void choose_definition(const std::string& service);
    void leave_waiting(Member& member);
    const registry::EffectiveService* chosen_definition(const std::string& service);
    void fail_all(envmgr_status status, const std::string& message);
    void ensure_network_and_volumes();
    void list_containers();
    void check_images();  // start_run_images.cpp
    void image_ready(const std::vector<std::string>& services, const sdk::Result& result);
    void pull(const std::string& image, const std::vector<std::string>& services,
              std::function<void(const sdk::Result&)> pulled);
    void enlist(const model::DependencyMap& graph);
    void set_step(Member& member, Step step);  // keeps the counts below
    // Its dependents are looked at again in the next round (their dependency moved).
    void look_again_at_dependents_of(const std::string& service);
    const registry::EffectiveService* configured(const std::string& service) const;
    void schedule();
    void schedule_round();
    // Ready to launch (dependencies met, image there), failed with a dependency, or waiting.
    void look_at(const std::string& service);
    bool dependencies_met(const std::string& service, std::string& failed_dependency) const;
    void launch(const std::string& service);
    void launch_now(const std::string& service);
    void fail(const std::string& service, envmgr_status status, const std::string& message);
    // Fails the service for this run only, leaving its state as it is (a restart policy at work
    // outlives the request that started the service).
    void give_up(const std::string& service, envmgr_status status, const std::string& reason);
    // Removes the instance's container (one of an older definition, or one the engine is
    // removing), then creates and starts a new one.
    // A backend that can (container.update) puts the changed definition in place: on a cluster
    // its tasks are replaced one at a time, and a stopped container stays stopped until the start.
    // One that cannot (UNSUPPORTED, as one engine) has the container removed and made anew.
    void update_container(const std::string& service);
    void replace_container(const std::string& service);
    void forget_container(const std::string& service);
    void create_and_start(const std::string& service);
    void start_container(const std::string& service);
    // Its container runs (started, or updated in place while it ran): watched, and its launch
    // slot given back.
    void now_running(const std::string& service);
    void start_failed(const std::string& service, const sdk::Result& result);
    // Whether the start is tried again: true when it was (after a pause).
    bool retry_stale_port(const std::string& service, const std::string& message);
    void watch(const std::string& service);
    // Fails the service when it is not ready within the health timeout.
    void arm_deadline(const std::string& service);
    void on_change(const InstanceKey& key);
    void settle(const std::string& service, bool ok);
    // Creates the containers of every waiting service whose image is there and that has none,
    // critical path first, before its dependencies are ready (start_run_precreate.cpp).
    void precreate_ready();
    void precreate(const std::string& service);
    // Removes the containers created ahead that this run never started (a dependency failed),
    // then runs then.
    void remove_unused_precreated(const std::function<void()>& then);
    void finish();
    void report();  // the run's result, to done_
    // Keeps the run's timeline, logs its total and critical chain, and publishes it on `timeline`.
    void record_timeline();

    std::shared_ptr<EngineCore> core_;
    // The configuration as the run began: a reload meanwhile applies to the next run.
    const registry::Registry& registry_ = core_->registry();
    StartRequest request_;
    Progress progress_;
    Done done_;
    timeline::RunRecorder recorder_;
    std::set<std::string> services_;
    std::map<std::string, int> priority_;
    std::map<std::string, Member> members_;
    std::map<std::string, const registry::EffectiveService*> configured_;  // the tenant's, by name
    std::map<std::string, std::vector<std::string>> dependents_;           // among the members
    std::set<std::string> dirty_;  // members whose dependencies may have moved since last looked at
    std::set<std::pair<int, std::string>> ready_;  // -remaining path, service: launch order
    std::size_t launching_ = 0;                    // members in Step::launching
    std::size_t active_ = 0;                       // launching or running
    std::size_t settled_ = 0;
    std::uint64_t listener_ = 0;
    int failures_ = 0;
    bool network_ready_ = false;           // network and volumes: no container is created before
    bool listed_ = false;                  // the tenant's containers as the engine lists them
    std::size_t images_pending_ = 0;       // checked and, if missing, pulled
    std::size_t inspections_pending_ = 0;  // image checks not answered yet
    std::set<std::string> precreated_;     // services whose container this run created ahead
    bool finished_ = false;
    bool scheduling_ = false;  // schedule() is running
    bool reschedule_ = false;  // asked for again while running
};

}  // namespace envmgr::host::scheduler

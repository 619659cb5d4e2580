// One stop: the selected services of a tenant and everything that depends on them, in reverse
// dependency order (a service stops once everything that needs it has stopped; independent
// services in parallel), each with its grace period. Volumes are never removed. On the strand.
#pragma once

#include "host/scheduler/engine_core.h"
#include "host/scheduler/start_run.h"

#include <memory>
#include <set>

namespace envmgr::host::scheduler {

struct StopRequest {
    std::string tenant = "default";
    std::vector<std::string> services;  // empty: every service of the tenant
    std::int64_t timeout_seconds = 0;   // grace period; 0: each service's own
    bool remove = true;                 // remove the containers (a start recreates them)
};

class StopRun : public std::enable_shared_from_this<StopRun> {
public:
    using Done = std::function<void(RunResult)>;

    StopRun(std::shared_ptr<EngineCore> core, StopRequest request, Done done);
    void begin();

private:
    InstanceKey key(const std::string& service) const { return {request_.tenant, service}; }
    void next();
    void stop_one(const std::string& service);
    // Its process has ended: the container goes (what it depends on may stop meanwhile).
    void remove_container(const std::string& service, const std::string& how, bool killed);
    // Records the outcome and goes on; announce: publish the state (false: published already,
    // when the process ended, before the container's removal).
    void stopped(const std::string& service, const std::string& message, bool killed, bool ok,
                 bool announce = true);

    std::shared_ptr<EngineCore> core_;
    // The configuration as the run began: a reload meanwhile applies to the next run.
    const registry::Registry& registry_ = core_->registry();
    StopRequest request_;
    Done done_;
    // Its process has ended: what it depends on has one dependent fewer to wait for.
    void dependent_stopped(const std::string& service);

    std::map<std::string, std::vector<std::string>> needs_;  // service -> what it depends on, in this run
    std::map<std::string, int> dependents_left_;  // service -> its dependents in this run still running
    std::set<std::string> free_;                  // pending, and nothing depends on it any more
    std::set<std::string> pending_;
    std::set<std::string> stopping_;     // their process may still run
    std::set<std::string> removing_;     // stopped, the container being removed
    std::set<std::string> not_removed_;  // stopped, the engine failed to remove the container
    std::map<std::string, ServiceOutcome> outcomes_;
    bool finished_ = false;
};

}  // namespace envmgr::host::scheduler

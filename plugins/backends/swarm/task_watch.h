// Container events from task states. The manager's event stream carries service and node events
// but no task events, and its container events are only of its own node, so a swarm's starts and
// exits are learnt by polling the tasks and comparing each poll with the one before.
#pragma once

#include "plugins/backends/swarm/service_mapping.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace envmgr::plugins::backends::swarm {

class TaskWatch {
public:
    // One poll: the services selected (GET /services with the label filter), every task and
    // every node. Returns the events since the previous poll, in time order: `start` when a
    // service's running task appears, `die` when it ends (with the task's exit code; a task lost
    // with its node dies with 255), `destroy` when a service that ran is gone. A service of
    // several replicas also dies when one of its other tasks fails, completes or is lost with
    // its node: Swarm (restart condition none) leaves that slot empty, and env-manager's restart
    // (container.start) fills it. A task Swarm stopped while another runs on was replaced on
    // env-manager's order (an update, a rolling restart) and is no exit; so is a replica an
    // operator drained or scaled away behind env-manager's back. The first poll only learns
    // what runs.
    std::vector<nlohmann::json> poll(const nlohmann::json& services, const nlohmann::json& tasks,
                                     const NodeMap& nodes, std::int64_t now_ns);

    struct Seen {
        std::string name;
        nlohmann::json labels;
        std::string running_task;             // "" when none runs
        std::set<std::string> running_tasks;  // every task of it that runs
    };

private:
    std::map<std::string, Seen> seen_;  // service ID -> what the last poll saw
    bool primed_ = false;
};

}  // namespace envmgr::plugins::backends::swarm

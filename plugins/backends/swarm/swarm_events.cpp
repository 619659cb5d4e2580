// events.stream on a swarm: the task states polled every poll_interval and compared
// (TaskWatch). While the manager cannot be reached the stream says `disconnected` once, keeps
// polling, and says `reconnected` when it answers again; it ends only when cancelled.
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/swarm/swarm.h"
#include "plugins/backends/swarm/task_watch.h"

namespace envmgr::plugins::backends::swarm {
namespace {
struct EventPoll {
    TaskWatch watch;
    std::map<std::string, std::string> labels;
    bool disconnected = false;
};

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void poll_once(Swarm& swarm, const OperationPtr& op, const std::shared_ptr<EventPoll>& poll);

void next_poll(Swarm& swarm, const OperationPtr& op, const std::shared_ptr<EventPoll>& poll) {
    after(swarm, op, swarm.settings.poll_interval, [&swarm, op, poll] { poll_once(swarm, op, poll); });
}

// Claims a failure of one poll: the stream says so once and polls again.
docker::EngineApi::ErrorHandler keep_polling(Swarm& swarm, const OperationPtr& op,
                                             const std::shared_ptr<EventPoll>& poll) {
    return [&swarm, op, poll](envmgr_status, const std::string& message, unsigned) {
        if (!poll->disconnected) {
            poll->disconnected = true;
            op->done.item(
                nlohmann::json{{"type", "stream"}, {"action", "disconnected"}, {"message", message}}.dump());
        }
        next_poll(swarm, op, poll);
        return true;
    };
}

void deliver(Swarm& swarm, const OperationPtr& op, const std::shared_ptr<EventPoll>& poll,
             const nlohmann::json& services, const nlohmann::json& tasks, const NodeMap& nodes) {
    if (poll->disconnected) {
        poll->disconnected = false;
        op->done.item(nlohmann::json{{"type", "stream"}, {"action", "reconnected"}}.dump());
    }
    for (const auto& event : poll->watch.poll(services, tasks, nodes, now_ns())) {
        op->done.item(event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    next_poll(swarm, op, poll);
}

void poll_once(Swarm& swarm, const OperationPtr& op, const std::shared_ptr<EventPoll>& poll) {
    fetch_services(
        swarm, op, poll->labels,
        [&swarm, op, poll](const nlohmann::json& services, const nlohmann::json& tasks,
                           const NodeMap& nodes) { deliver(swarm, op, poll, services, tasks, nodes); },
        keep_polling(swarm, op, poll));
}

void events_stream(Swarm& swarm, const OperationPtr& op) {
    auto poll = std::make_shared<EventPoll>();
    poll->labels = docker::string_map(op->request, "labels");
    poll_once(swarm, op, poll);
}

}  // namespace

void add_swarm_events(SwarmTable& table) {
    table.emplace("events.stream", &events_stream);
}

}  // namespace envmgr::plugins::backends::swarm

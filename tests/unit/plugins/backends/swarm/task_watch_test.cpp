#include "plugins/backends/swarm/task_watch.h"
#include "tests/unit/plugins/backends/swarm/swarm_fixtures.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace envmgr::plugins::backends::swarm {
namespace {

using testing::service_named;
using testing::swarm_fixture;

constexpr std::int64_t kNow = 1'796'700'000'000'000'000;  // after every time of the fixture

// The tasks of the fixture as they were before node 3 died: only the first task of each service.
nlohmann::json before_node3_died(const nlohmann::json& tasks) {
    auto first = nlohmann::json::array();
    for (const auto& task : tasks) {
        if (task["DesiredState"] == "shutdown") {
            auto was = task;
            was["DesiredState"] = "running";
            first.push_back(was);
        }
    }
    for (const auto& task : tasks) {
        const bool replaced = std::any_of(first.begin(), first.end(), [&](const nlohmann::json& t) {
            return t["ServiceID"] == task["ServiceID"];
        });
        if (!replaced) first.push_back(task);
    }
    return first;
}

NodeMap all_ready(NodeMap nodes) {
    for (auto& [id, node] : nodes) node.ready = true;
    return nodes;
}

TEST(TaskWatch, TheFirstPollOnlyLearnsWhatRuns) {
    TaskWatch watch;
    EXPECT_TRUE(watch
                    .poll(swarm_fixture("services"), swarm_fixture("tasks"),
                          nodes_from_list(swarm_fixture("nodes")), kNow)
                    .empty());
}

TEST(TaskWatch, ANodeThatWentDownIsADieWith255ThenAStartOfTheNewTask) {
    const auto services = swarm_fixture("services");
    const auto tasks = swarm_fixture("tasks");
    const auto nodes = nodes_from_list(swarm_fixture("nodes"));
    TaskWatch watch;
    watch.poll(services, before_node3_died(tasks), all_ready(nodes), kNow);
    const auto events = watch.poll(services, tasks, nodes, kNow);
    // redb and the router ran on node 3: each dies (lost: 255) and then starts again elsewhere,
    // the die stamped before the start, however late the poll learnt of it.
    ASSERT_EQ(events.size(), 4U);
    std::map<std::string, std::vector<nlohmann::json>> by_service;
    for (const auto& event : events) {
        EXPECT_EQ(event["type"], "container");
        EXPECT_EQ(event["labels"]["env-manager.tenant"], "default");
        by_service[event["name"]].push_back(event);
    }
    ASSERT_EQ(by_service.size(), 2U);
    for (const auto& name : {"redb", "infermesh-router"}) {
        const auto& pair = by_service.at(name);
        ASSERT_EQ(pair.size(), 2U) << name;
        EXPECT_EQ(pair[0]["action"], "die");
        EXPECT_EQ(pair[0]["exit_code"], 255);
        EXPECT_EQ(pair[1]["action"], "start");
        EXPECT_LT(pair[0]["time_nano"].get<std::int64_t>(), pair[1]["time_nano"].get<std::int64_t>());
        EXPECT_LT(pair[1]["time_nano"].get<std::int64_t>(), kNow);
    }
    EXPECT_TRUE(watch.poll(services, tasks, nodes, kNow).empty());  // nothing new: nothing said
}

TEST(TaskWatch, ATaskBeingStoppedStillRunsAndDiesWithItsOwnCode) {
    const auto services = swarm_fixture("services");
    auto tasks = swarm_fixture("tasks");
    const auto nodes = nodes_from_list(swarm_fixture("nodes"));
    TaskWatch watch;
    watch.poll(services, tasks, nodes, kNow);
    const std::string redis = service_named(services, "redis")["ID"];
    for (auto& task : tasks) {
        if (task["ServiceID"] == redis) task["DesiredState"] = "shutdown";  // the stop's grace period
    }
    EXPECT_TRUE(watch.poll(services, tasks, nodes, kNow).empty());
    for (auto& task : tasks) {
        if (task["ServiceID"] == redis) {
            task["Status"]["State"] = "shutdown";
            task["Status"]["ContainerStatus"]["ExitCode"] = 143;
        }
    }
    const auto events = watch.poll(services, tasks, nodes, kNow);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0]["exit_code"], 143);
}

TEST(TaskWatch, AfterAChangeOfLeaderNodesOfUnknownStateStillRunTheirTasks) {
    const auto services = swarm_fixture("services");
    const auto tasks = swarm_fixture("tasks");
    auto listed = swarm_fixture("nodes");
    TaskWatch watch;
    watch.poll(services, tasks, nodes_from_list(listed), kNow);
    for (auto& node : listed) {
        if (node["Status"]["State"] == "ready") node["Status"]["State"] = "unknown";
    }
    EXPECT_TRUE(watch.poll(services, tasks, nodes_from_list(listed), kNow).empty());
}

TEST(TaskWatch, ATaskThatExitedDiesWithItsCodeAndARemovedServiceIsDestroyed) {
    auto services = swarm_fixture("services");
    auto tasks = swarm_fixture("tasks");
    const auto nodes = nodes_from_list(swarm_fixture("nodes"));
    TaskWatch watch;
    watch.poll(services, tasks, nodes, kNow);
    const std::string redis = service_named(services, "redis")["ID"];
    for (auto& task : tasks) {
        if (task["ServiceID"] == redis) {
            task["Status"]["State"] = "failed";
            task["Status"]["ContainerStatus"]["ExitCode"] = 3;
            task["Status"]["Timestamp"] = "2026-12-07T00:50:00.5Z";
        }
    }
    auto events = watch.poll(services, tasks, nodes, kNow);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0]["action"], "die");
    EXPECT_EQ(events[0]["exit_code"], 3);
    EXPECT_EQ(events[0]["time_nano"], 1'796'604'600'500'000'000);
    services.erase(std::remove_if(services.begin(), services.end(),
                                  [&](const nlohmann::json& s) { return s["ID"] == redis; }),
                   services.end());
    events = watch.poll(services, tasks, nodes, kNow);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0]["action"], "destroy");
    EXPECT_EQ(events[0]["id"], redis);
}

// redis with a second replica beside its task, on another node of the fixture that is up.
nlohmann::json with_second_redis_replica(const nlohmann::json& services, nlohmann::json tasks,
                                         const NodeMap& nodes) {
    const std::string redis = service_named(services, "redis")["ID"];
    for (const auto& task : tasks) {
        if (task["ServiceID"] != redis || task["Status"]["State"] != "running") continue;
        auto second = task;
        second["ID"] = "second-replica";
        second["Status"]["Timestamp"] = "2026-12-07T00:49:00Z";
        for (const auto& [id, node] : nodes) {
            if (node.ready && id != task["NodeID"]) second["NodeID"] = id;
        }
        tasks.push_back(second);
        return tasks;
    }
    throw std::runtime_error("no running redis task in the fixture");
}

// redis with two replicas, watched since they both ran.
class TwoRedisReplicas : public ::testing::Test {
protected:
    // The second replica ends so: its state and exit code (Swarm's desired state follows).
    std::vector<nlohmann::json> second_ends(const std::string& state, int exit_code) {
        for (auto& task : tasks_) {
            if (task["ID"] != "second-replica") continue;
            task["DesiredState"] = state == "shutdown" ? "shutdown" : "running";
            task["Status"]["State"] = state;
            task["Status"]["ContainerStatus"]["ExitCode"] = exit_code;
            task["Status"]["Timestamp"] = "2026-12-07T00:55:00Z";
        }
        return watch_.poll(services_, tasks_, nodes_, kNow);
    }

    nlohmann::json services_ = swarm_fixture("services");
    NodeMap nodes_ = nodes_from_list(swarm_fixture("nodes"));
    nlohmann::json tasks_ = with_second_redis_replica(services_, swarm_fixture("tasks"), nodes_);
    TaskWatch watch_ = [this] {
        TaskWatch primed;
        primed.poll(services_, tasks_, nodes_, kNow);
        return primed;
    }();
};

TEST_F(TwoRedisReplicas, OneThatFailsBesideTheOtherIsADieOfTheServiceWithoutAStart) {
    const auto events = second_ends("failed", 2);
    ASSERT_EQ(events.size(), 1U);  // the service still runs: no start, and restart fills the slot
    EXPECT_EQ(events[0]["action"], "die");
    EXPECT_EQ(events[0]["name"], "redis");
    EXPECT_EQ(events[0]["exit_code"], 2);
}

TEST_F(TwoRedisReplicas, OneSwarmStoppedOnEnvManagersOrderIsNoExit) {
    // Replaced by an update or a restart, one at a time.
    EXPECT_TRUE(second_ends("shutdown", 143).empty());
}

TEST_F(TwoRedisReplicas, TheReportedOneReplacedWhileTheOtherRunsIsNoExitEither) {
    // A rolling restart stopped the reported task after the other one's new run began: a die of
    // it, stamped after that run's start, would read as the end of the run the host watches.
    const std::string redis = service_named(services_, "redis")["ID"];
    for (auto& task : tasks_) {
        if (task["ServiceID"] == redis && task["ID"] != "second-replica" &&
            task["Status"]["State"] == "running") {
            task["DesiredState"] = "shutdown";
            task["Status"]["State"] = "shutdown";
            task["Status"]["ContainerStatus"]["ExitCode"] = 143;
            task["Status"]["Timestamp"] = "2026-12-07T00:56:00Z";
        }
    }
    EXPECT_TRUE(watch_.poll(services_, tasks_, nodes_, kNow).empty());
}

TEST(TaskWatch, WhenTheReportedReplicaIsLostAnotherRunningOneStartsNothingNew) {
    const auto services = swarm_fixture("services");
    auto listed = swarm_fixture("nodes");
    const auto nodes = nodes_from_list(listed);
    const auto tasks = with_second_redis_replica(services, swarm_fixture("tasks"), nodes);
    TaskWatch watch;
    watch.poll(services, tasks, nodes, kNow);
    const std::string redis = service_named(services, "redis")["ID"];
    std::string first_node;
    for (const auto& task : tasks) {
        if (task["ServiceID"] == redis && task["ID"] != "second-replica" &&
            task["Status"]["State"] == "running") {
            first_node = task["NodeID"];
        }
    }
    for (auto& node : listed) {
        if (node["ID"] == first_node) node["Status"]["State"] = "down";
    }
    const auto events = watch.poll(services, tasks, nodes_from_list(listed), kNow);
    std::vector<nlohmann::json> of_redis;
    for (const auto& event : events) {
        if (event["name"] == "redis") of_redis.push_back(event);
    }
    ASSERT_EQ(of_redis.size(), 1U);
    EXPECT_EQ(of_redis[0]["action"], "die");
    EXPECT_EQ(of_redis[0]["exit_code"], 255);
    EXPECT_EQ(of_redis[0]["time_nano"], kNow);  // not before the run of the one that is left
}

}  // namespace
}  // namespace envmgr::plugins::backends::swarm

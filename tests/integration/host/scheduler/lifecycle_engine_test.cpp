// The lifecycle engine against the real engine and the test-bed's stand-in images (test
// fixtures: a real Redis, and small HTTP servers answering the health paths of RedB, InferMesh
// and Ollama under the real image names). Each test runs a tenant of its own.
#include "tests/support/lifecycle_harness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace envmgr::tests {
namespace {

using host::scheduler::ServiceState;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

const std::vector<std::string> kStack{
    "redis", "redb", "infermesh-node-a", "infermesh-node-b", "infermesh-router", "ollama"};

// The default stack in tenant `tenant`, its ports moved out of the way, labelled for the
// test-bed's clean-up; extra: more keys for a service's table.
std::string stack_toml(const std::string& tenant, const std::map<std::string, std::string>& extra = {},
                       int port_offset = 1000) {
    std::string toml = "[tenants." + tenant + "]\nport_offset = " + std::to_string(port_offset) + "\n";
    for (const auto& service : kStack) {
        toml += "[tenants." + tenant + ".services." + service + "]\nlabels = { \"envmgr.test\" = \"1\" }\n";
        if (const auto more = extra.find(service); more != extra.end()) toml += more->second + "\n";
    }
    return toml;
}

std::map<std::string, host::scheduler::ServiceOutcome> by_service(const host::scheduler::RunResult& result) {
    std::map<std::string, host::scheduler::ServiceOutcome> map;
    for (const auto& outcome : result.services) map[outcome.service] = outcome;
    return map;
}

TEST(LifecycleEngine, TheStackStartsInDependencyOrderStartsOnceAndStopsInReverse) {
    require_engine();
    LifecycleHarness harness(stack_toml("itstack"));
    harness.remove_tenant("itstack");

    const auto started = harness.start({"itstack", {}, true});
    ASSERT_EQ(started.status, ENVMGR_STATUS_OK) << started.message;
    auto outcomes = by_service(started);
    ASSERT_EQ(outcomes.size(), 6U);
    for (const auto& service : kStack) {
        EXPECT_EQ(outcomes[service].state, ServiceState::healthy)
            << service << ": " << outcomes[service].message;
    }
    // Readiness-driven order: a node is started only once Redis is ready, the router only once
    // both nodes are (their containers were created ahead, with no state change).
    const auto redis_ready = harness.first("redis", "healthy");
    const auto node_a_created = harness.first("infermesh-node-a", "starting");
    const auto router_created = harness.first("infermesh-router", "starting");
    ASSERT_TRUE(redis_ready && node_a_created && router_created);
    EXPECT_GE(node_a_created->at, redis_ready->at);
    for (const char* node : {"infermesh-node-a", "infermesh-node-b"}) {
        const auto ready = harness.first(node, "healthy");
        ASSERT_TRUE(ready) << node;
        EXPECT_GE(router_created->at, ready->at) << node;
    }
    const auto snapshot = harness.snapshot("itstack");
    ASSERT_EQ(snapshot["services"].size(), 6U);
    for (const auto& service : snapshot["services"]) EXPECT_EQ(service["state"], "healthy") << service.dump();

    // A second start adopts everything: nothing is created, the containers are the same.
    const auto events_before = harness.events().size();
    const auto again_began = std::chrono::steady_clock::now();
    const auto again = harness.start({"itstack", {}, true});
    const auto again_took = std::chrono::steady_clock::now() - again_began;
    ASSERT_EQ(again.status, ENVMGR_STATUS_OK) << again.message;
    auto again_outcomes = by_service(again);
    for (const auto& service : kStack) {
        EXPECT_EQ(again_outcomes[service].container_id, outcomes[service].container_id) << service;
    }
    std::this_thread::sleep_for(100ms);  // the bus delivers asynchronously
    const auto events = harness.events();
    for (std::size_t i = events_before; i < events.size(); ++i) {
        EXPECT_NE(events[i].state, "creating") << events[i].service;
        EXPECT_NE(events[i].state, "starting") << events[i].service;
    }
    EXPECT_LT(again_took, 2s);

    // Stop: dependents first, volumes kept.
    const auto stopped = harness.stop({"itstack", {}, 0, true});
    ASSERT_EQ(stopped.status, ENVMGR_STATUS_OK) << stopped.message;
    EXPECT_EQ(stopped.services.size(), 6U);
    const auto listed =
        harness.backend().call("container.list", {{"labels", {{"env-manager.tenant", "itstack"}}}});
    EXPECT_TRUE(listed.json()["containers"].empty()) << listed.payload;
    EXPECT_TRUE(harness.backend().call("volume.inspect", {{"name", "itstack_redis_data"}}).ok());
    const auto final_snapshot = harness.snapshot("itstack");
    for (const auto& service : final_snapshot["services"]) {
        EXPECT_EQ(service["state"], "stopped") << service.dump();
    }
}

TEST(LifecycleEngine, StopTakesDependentsFirst) {
    require_engine();
    LifecycleHarness harness(stack_toml("itorder"));
    harness.remove_tenant("itorder");
    ASSERT_EQ(harness.start({"itorder", {"infermesh-router"}, true}).status, ENVMGR_STATUS_OK);
    const auto began = std::chrono::steady_clock::now();
    const auto stopped = harness.stop({"itorder", {"redis"}, 0, true});
    ASSERT_EQ(stopped.status, ENVMGR_STATUS_OK) << stopped.message;
    // Stopping redis takes what depends on it along, router first, redis last.
    EXPECT_EQ(stopped.services.size(), 4U);
    const auto router_stopped = harness.first("infermesh-router", "stopped", began);
    const auto redis_stopping = harness.first("redis", "stopping", began);
    ASSERT_TRUE(router_stopped && redis_stopping);
    for (const char* node : {"infermesh-node-a", "infermesh-node-b"}) {
        const auto node_stopping = harness.first(node, "stopping", began);
        const auto node_stopped = harness.first(node, "stopped", began);
        ASSERT_TRUE(node_stopping && node_stopped) << node;
        EXPECT_GE(node_stopping->at, router_stopped->at) << node;
        EXPECT_GE(redis_stopping->at, node_stopped->at) << node;
    }
    const auto snapshot = harness.snapshot("itorder");
    for (const auto& service : snapshot["services"]) {
        if (service["name"] == "redb" || service["name"] == "ollama") continue;
        EXPECT_EQ(service["state"], "stopped") << service.dump();
    }
}

TEST(LifecycleEngine, ARequiredServiceThatNeverGetsReadyFailsTheStartAndLeavesItsDependentsAlone) {
    require_engine();
    host::scheduler::EngineSettings settings;
    settings.health_timeout = 3s;
    LifecycleHarness harness(stack_toml("itnever", {{"redis", "readiness = { expect = \"+NEVER\" }"}}),
                             settings);
    harness.remove_tenant("itnever");
    const auto result = harness.start({"itnever", {"infermesh-router"}, true});
    EXPECT_EQ(result.status, ENVMGR_STATUS_TIMEOUT);
    EXPECT_THAT(result.message, HasSubstr("service 'redis' failed: not ready within 3 s"));
    auto outcomes = by_service(result);
    EXPECT_EQ(outcomes.size(), 4U);
    for (const char* dependent : {"infermesh-node-a", "infermesh-node-b", "infermesh-router"}) {
        EXPECT_EQ(outcomes[dependent].state, ServiceState::failed) << dependent;
        EXPECT_THAT(outcomes[dependent].message, HasSubstr("not started")) << dependent;
        EXPECT_TRUE(outcomes[dependent].container_id.empty()) << dependent;
    }
    // Their containers were created ahead while redis was probed; never started, they are gone
    // by the time the start reports (containers include the created ones: all = true).
    const auto listed = harness.backend().call(
        "container.list", {{"labels", {{"env-manager.tenant", "itnever"}}}, {"all", true}});
    ASSERT_TRUE(listed.ok()) << listed.payload;
    std::vector<std::string> left;
    const auto listing = listed.json();
    for (const auto& container : listing["containers"]) {
        left.push_back(container["labels"].value("env-manager.service", ""));
    }
    EXPECT_EQ(left, std::vector<std::string>{"redis"}) << listed.payload;
}

TEST(LifecycleEngine, AnOptionalServicesFailureDoesNotFailTheStart) {
    require_engine();
    LifecycleHarness harness(
        stack_toml("itoptional", {{"ollama", "image = \"127.0.0.1:5000/envmgr-test/no-such-image:1\""}}));
    harness.remove_tenant("itoptional");
    const auto result = harness.start({"itoptional", {"redb", "ollama"}, true});
    ASSERT_EQ(result.status, ENVMGR_STATUS_OK) << result.message;
    auto outcomes = by_service(result);
    EXPECT_EQ(outcomes["redb"].state, ServiceState::healthy);
    EXPECT_EQ(outcomes["ollama"].state, ServiceState::failed);
    EXPECT_THAT(outcomes["ollama"].message,
                HasSubstr("pull of 127.0.0.1:5000/envmgr-test/no-such-image:1 failed"));
}

TEST(LifecycleEngine, AServiceThatKeepsExitingIsRestartedWithGrowingBackOffThenGivenUp) {
    require_engine();
    LifecycleHarness harness(stack_toml("itcrash") + R"(
[tenants.itcrash.services.crasher]
image = "envmgr-test/busybox:latest"
command = ["sh", "-c", "sleep 0.2; exit 3"]
restart_policy = "on-failure"
restart_max_retries = 2
labels = { "envmgr.test" = "1" }
)");
    harness.remove_tenant("itcrash");
    const auto began = std::chrono::steady_clock::now();
    // Exits at 0.2 s, before it has run long enough to count as ready (no probe: 500 ms), so
    // the start waits through the restarts: after 1 s, exits again; after 2 s; then given up.
    const auto result = harness.start({"itcrash", {"crasher"}, true});
    EXPECT_NE(result.status, ENVMGR_STATUS_OK);
    EXPECT_THAT(result.message, HasSubstr("gave up after 2 restart(s)"));
    std::optional<TimedEvent> failed;
    for (int i = 0; i < 150 && !failed; ++i) {
        std::this_thread::sleep_for(100ms);
        failed = harness.first("crasher", "failed", began);
    }
    ASSERT_TRUE(failed) << "never gave up";
    EXPECT_THAT(failed->message, HasSubstr("exited with code 3"));
    EXPECT_THAT(failed->message, HasSubstr("gave up after 2 restart(s)"));
    std::vector<std::chrono::steady_clock::time_point> restarting;
    std::vector<std::chrono::steady_clock::time_point> starting;
    for (const auto& timed : harness.events()) {
        if (timed.service != "crasher" || timed.at < began) continue;
        if (timed.state == "restarting") restarting.push_back(timed.at);
        if (timed.state == "starting") starting.push_back(timed.at);
    }
    ASSERT_EQ(restarting.size(), 2U);
    ASSERT_EQ(starting.size(), 3U);  // the first start and two restarts
    EXPECT_GE(starting[1] - restarting[0], 900ms);
    EXPECT_GE(starting[2] - restarting[1], 1900ms);  // doubled
}

TEST(LifecycleEngine, TwoTenantsRunSideBySideAndStopApart) {
    require_engine();
    LifecycleHarness harness(stack_toml("itblue", {}, 1200) + stack_toml("itgreen", {}, 1300));
    harness.remove_tenant("itblue");
    harness.remove_tenant("itgreen");
    const auto blue = harness.start({"itblue", {"redis", "redb"}, true});
    const auto green = harness.start({"itgreen", {"redis", "redb"}, true});
    ASSERT_EQ(blue.status, ENVMGR_STATUS_OK) << blue.message;
    ASSERT_EQ(green.status, ENVMGR_STATUS_OK) << green.message;
    auto blue_outcomes = by_service(blue);
    auto green_outcomes = by_service(green);
    EXPECT_NE(blue_outcomes["redis"].container_id, green_outcomes["redis"].container_id);
    const auto green_redis =
        harness.backend().call("container.inspect", {{"id", green_outcomes["redis"].container_id}});
    ASSERT_TRUE(green_redis.ok());
    EXPECT_TRUE(green_redis.json()["networks"].contains("env-manager-itgreen")) << green_redis.payload;
    EXPECT_FALSE(green_redis.json()["networks"].contains("env-manager-itblue"));
    EXPECT_EQ(green_redis.json()["ports"][0]["host_port"], 6379 + 1300);

    ASSERT_EQ(harness.stop({"itblue", {}, 0, true}).status, ENVMGR_STATUS_OK);
    const auto green_snapshot =
        harness.snapshot("itgreen");  // kept: a loop over a temporary's member dangles
    for (const auto& service : green_snapshot["services"]) {
        if (service["name"] == "redis" || service["name"] == "redb") {
            EXPECT_EQ(service["state"], "healthy") << service.dump();
        }
    }
    const auto still =
        harness.backend().call("container.inspect", {{"id", green_outcomes["redis"].container_id}});
    ASSERT_TRUE(still.ok());
    EXPECT_TRUE(still.json().value("running", false));
}

TEST(LifecycleEngine, SigkillIsReportedForAProcessThatIgnoresSigtermWithoutInit) {
    require_engine();
    // `sleep` as PID 1 has no SIGTERM handler, so the kernel ignores the signal: only SIGKILL ends
    // it. Under an init process (the default) the signal reaches it as a child and it ends.
    const std::string sleeper = R"(image = "envmgr-test/busybox:latest"
command = ["sleep", "3600"]
stop_timeout_seconds = 1
labels = { "envmgr.test" = "1" }
)";
    LifecycleHarness harness(stack_toml("itkill") + "[tenants.itkill.services.bare]\ninit = false\n" +
                             sleeper + "[tenants.itkill.services.inited]\n" + sleeper);
    harness.remove_tenant("itkill");
    ASSERT_EQ(harness.start({"itkill", {"bare", "inited"}, true}).status, ENVMGR_STATUS_OK);
    const auto stopped = harness.stop({"itkill", {"bare", "inited"}, 0, false});
    ASSERT_EQ(stopped.status, ENVMGR_STATUS_OK) << stopped.message;
    auto outcomes = by_service(stopped);
    EXPECT_TRUE(outcomes["bare"].killed);
    EXPECT_THAT(outcomes["bare"].message, HasSubstr("SIGKILL"));
    EXPECT_FALSE(outcomes["inited"].killed) << outcomes["inited"].message;
}

TEST(LifecycleEngine, AChangedImageRecreatesOnlyThatServiceAndWhatDependsOnIt) {
    require_engine();
    std::map<std::string, std::string> first_ids;
    {
        LifecycleHarness harness(stack_toml("itchange"));
        harness.remove_tenant("itchange");
        const auto started = harness.start({"itchange", {"infermesh-node-a", "redb"}, true});
        ASSERT_EQ(started.status, ENVMGR_STATUS_OK) << started.message;
        for (const auto& outcome : started.services) first_ids[outcome.service] = outcome.container_id;
        harness.keep_tenants();
    }
    // The same Redis under the test-bed registry's name: another image reference.
    LifecycleHarness harness(
        stack_toml("itchange", {{"redis", "image = \"127.0.0.1:5000/library/redis:7-alpine\""}}));
    const auto again = harness.start({"itchange", {"infermesh-node-a", "redb"}, true});
    ASSERT_EQ(again.status, ENVMGR_STATUS_OK) << again.message;
    auto outcomes = by_service(again);
    ASSERT_EQ(first_ids.size(), 3U);
    EXPECT_NE(outcomes["redis"].container_id, first_ids["redis"]);
    // The node depends on redis: it follows it. RedB does not: it is left running.
    EXPECT_NE(outcomes["infermesh-node-a"].container_id, first_ids["infermesh-node-a"]);
    EXPECT_EQ(outcomes["redb"].container_id, first_ids["redb"]);
    for (const auto& [service, id] : first_ids) {
        if (service == "redb") continue;
        EXPECT_EQ(harness.backend().call("container.inspect", {{"id", id}}).status, ENVMGR_STATUS_NOT_FOUND)
            << service << ": the old container is gone";
    }
}

TEST(LifecycleEngine, AServiceTurnedUnhealthyIsRestartedWhenItsPolicySaysSo) {
    require_engine();
    LifecycleHarness harness(stack_toml("itsick") + R"(
[tenants.itsick.services.sick]
image = "envmgr-test/busybox:latest"
command = ["sh", "-c", "touch /tmp/ok; exec sleep 3600"]
readiness = { type = "exec", command = ["sh", "-c", "test -f /tmp/ok"], interval_ms = 200, failure_threshold = 1 }
restart_policy = "always"
restart_on_unhealthy = true
stop_timeout_seconds = 1
labels = { "envmgr.test" = "1" }
)");
    harness.remove_tenant("itsick");
    const auto started = harness.start({"itsick", {"sick"}, true});
    ASSERT_EQ(started.status, ENVMGR_STATUS_OK) << started.message;
    const auto id = started.services.at(0).container_id;
    const auto broke = std::chrono::steady_clock::now();
    const auto removed =
        harness.backend().call("container.exec", {{"id", id}, {"command", {"sh", "-c", "rm /tmp/ok"}}});
    ASSERT_TRUE(removed.ok()) << removed.payload;
    ASSERT_EQ(removed.json().value("exit_code", -1), 0) << removed.payload;
    // Events arrive asynchronously (the start's own `healthy` may come after `broke`): wait for
    // the restart first, then for ready after it.
    std::optional<TimedEvent> restarting;
    for (int i = 0; i < 100 && !restarting; ++i) {
        std::this_thread::sleep_for(100ms);
        restarting = harness.first("sick", "restarting", broke);
    }
    ASSERT_TRUE(restarting) << "never restarted";
    std::optional<TimedEvent> healthy_again;
    for (int i = 0; i < 100 && !healthy_again; ++i) {
        std::this_thread::sleep_for(100ms);
        healthy_again = harness.first("sick", "healthy", restarting->at);
    }
    ASSERT_TRUE(healthy_again) << "never healthy again";
    const auto unhealthy = harness.first("sick", "unhealthy", broke);
    ASSERT_TRUE(unhealthy);
    EXPECT_LE(unhealthy->at, restarting->at);
    EXPECT_THAT(restarting->message, HasSubstr("unhealthy"));
    const auto snapshot = harness.snapshot("itsick");
    const auto& status = snapshot["services"];
    for (const auto& service : status) {
        if (service["name"] != "sick") continue;
        EXPECT_EQ(service["restart_count"], 1);
        EXPECT_EQ(service["container_id"], id);  // restarted, not recreated
    }
}

// Subscribers that end with the test, whatever way it ends: the stalled one released first.
struct Subscribers {
    host::events::EventBus& bus;
    std::vector<std::uint64_t> ids;
    std::promise<void> release;
    bool released = false;
    void let_go() {
        if (!released) release.set_value();
        released = true;
    }
    ~Subscribers() {
        let_go();
        for (const auto id : ids) bus.unsubscribe(id);
    }
};

TEST(LifecycleEngine, AThousandSubscribersWithOneStalledDoNotHoldAStartBack) {
    require_engine();
    LifecycleHarness harness(stack_toml("itsubs"));
    harness.remove_tenant("itsubs");
    std::vector<std::unique_ptr<std::atomic<int>>> counts;
    std::atomic<int> stalled_seen{0};
    std::atomic<long> stalled_dropped{0};
    Subscribers subscribers{harness.bus(), {}, {}};
    for (int i = 0; i < 999; ++i) {
        counts.push_back(std::make_unique<std::atomic<int>>(0));
        subscribers.ids.push_back(harness.bus().subscribe(
            {"status", 0, true},
            [count = counts.back().get()](const std::string& /*topic*/, const std::string& /*json*/) {
                count->fetch_add(1);
            }));
    }
    std::shared_future<void> released = subscribers.release.get_future().share();
    subscribers.ids.push_back(harness.bus().subscribe(
        {"status", 4, true}, [&, released](const std::string& topic, const std::string& json) {
            if (topic == "dropped") {
                stalled_dropped += nlohmann::json::parse(json).value("dropped", 0L);
                return;
            }
            if (stalled_seen.fetch_add(1) == 0) released.wait();  // stalls on its first event
        }));
    const auto result = harness.start({"itsubs", {"infermesh-node-a"}, true});
    ASSERT_EQ(result.status, ENVMGR_STATUS_OK) << result.message;
    std::this_thread::sleep_for(200ms);  // the bus delivers asynchronously
    int published = 0;
    for (const auto& timed : harness.events()) published += timed.tenant == "itsubs" ? 1 : 0;
    // redis: creating, starting, waiting-healthy, healthy; the node (created ahead): the last three.
    ASSERT_GE(published, 7);
    for (const auto& count : counts) EXPECT_EQ(count->load(), published);
    subscribers.let_go();
    std::this_thread::sleep_for(200ms);
    EXPECT_GT(stalled_dropped.load(), 0) << "the stalled subscriber lost its oldest events and was told";
    EXPECT_LE(stalled_seen.load(), 1 + 4);
}

}  // namespace
}  // namespace envmgr::tests

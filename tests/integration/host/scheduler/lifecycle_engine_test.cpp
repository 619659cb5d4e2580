// The lifecycle engine against the real engine and the test-bed's stand-in images (test
// fixtures: a real Redis, and small HTTP servers answering the health paths of RedB, InferMesh
// and Ollama under the real image names). Each test runs a tenant of its own.
#include "tests/support/lifecycle_harness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
std::string stack_toml(const std::string& tenant, const std::map<std::string, std::string>& extra = {}) {
    std::string toml = "[tenants." + tenant + "]\nport_offset = 30000\n";
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
    // Readiness-driven order: a node is created only once Redis is ready, the router only once
    // both nodes are.
    const auto redis_ready = harness.first("redis", "healthy");
    const auto node_a_created = harness.first("infermesh-node-a", "creating");
    const auto router_created = harness.first("infermesh-router", "creating");
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
    for (const auto& service : final_snapshot["services"])
        EXPECT_EQ(service["state"], "stopped") << service.dump();
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
    ASSERT_EQ(harness.start({"itcrash", {"crasher"}, true}).status, ENVMGR_STATUS_OK);
    // Exits at 0.2 s; restarted after 1 s, exits again; restarted after 2 s; then given up.
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

}  // namespace
}  // namespace envmgr::tests

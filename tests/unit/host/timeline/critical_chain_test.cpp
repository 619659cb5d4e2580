#include "host/timeline/critical_chain.h"
#include "host/timeline/run_recorder.h"

#include <gtest/gtest.h>

namespace envmgr::host::timeline {
namespace {

using std::chrono::milliseconds;

// redis -> node -> router, and redb (no dependencies) held up by the one start slot.
class CriticalChainTest : public ::testing::Test {
protected:
    Clock::time_point t0 = Clock::now();
    RunRecorder recorder{"default", "start", t0, 1'700'000'000'000};

    Clock::time_point at(int ms) const { return t0 + milliseconds(ms); }

    void run_service(const std::string& service, int launched, int started, int ready) {
        recorder.launched(service, at(launched));
        recorder.state(service, model::ServiceState::creating, at(launched));
        recorder.state(service, model::ServiceState::starting, at(launched + 10));
        recorder.state(service, model::ServiceState::waiting_healthy, at(started));
        recorder.state(service, model::ServiceState::healthy, at(ready));
        recorder.settled(service, true, false, "", at(ready));
    }

    void SetUp() override {
        recorder.add_service("redis", {});
        recorder.add_service("node", {"redis"});
        recorder.add_service("router", {"node"});
        recorder.add_service("redb", {});
        recorder.images_begin(at(1));
        recorder.images_end(at(5));
    }
};

TEST_F(CriticalChainTest, FollowsTheDependencyThatReleasedEachService) {
    run_service("redis", 5, 400, 450);
    run_service("node", 450, 900, 1000);
    run_service("router", 1000, 1400, 1500);
    run_service("redb", 400, 800, 820);
    const auto run = recorder.finish(at(1500));
    EXPECT_EQ(run.chain_of, "router");
    ASSERT_EQ(run.critical_chain.size(), 3U);
    EXPECT_EQ(run.critical_chain[0].service, "redis");
    EXPECT_EQ(run.critical_chain[0].waited_for, "");
    EXPECT_EQ(run.critical_chain[1].service, "node");
    EXPECT_EQ(run.critical_chain[1].waited_for, "redis");
    EXPECT_EQ(run.critical_chain[1].wait, "ready");
    EXPECT_EQ(run.critical_chain[2].waited_for, "node");
    // Each link begins where the one before it ended: the offsets add up.
    for (std::size_t i = 1; i < run.critical_chain.size(); ++i) {
        const auto& link = run.critical_chain[i];
        EXPECT_NEAR(link.at - link.took, run.critical_chain[i - 1].at, 1.5) << link.service;
    }
    EXPECT_NEAR(run.total, 1500, 1.5);
}

TEST_F(CriticalChainTest, NamesTheServiceWhoseStartFreedTheSlot) {
    run_service("redis", 5, 400, 450);
    run_service("node", 450, 900, 1000);
    run_service("router", 1000, 1400, 1500);
    run_service("redb", 1401, 1800, 1900);  // launched when router's start returned
    const auto run = recorder.finish(at(1900));
    EXPECT_EQ(run.chain_of, "redb");
    ASSERT_EQ(run.critical_chain.size(), 4U);
    EXPECT_EQ(run.critical_chain[3].service, "redb");
    EXPECT_EQ(run.critical_chain[3].waited_for, "router");
    EXPECT_EQ(run.critical_chain[3].wait, "start_slot");
    EXPECT_EQ(critical_chain(run, "node").size(), 2U);
}

TEST_F(CriticalChainTest, StopsAtAServiceThatNeverWentOn) {
    run_service("redis", 5, 400, 450);
    recorder.launched("node", at(450));
    recorder.settled("node", false, false, "image not found", at(460));
    const auto run = recorder.finish(at(460));
    EXPECT_EQ(run.chain_of, "node");
    ASSERT_EQ(run.critical_chain.size(), 2U);
    EXPECT_TRUE(critical_chain(run, "router").empty());
    EXPECT_TRUE(critical_chain(run, "no-such-service").empty());
    const auto& node = run.services[1];
    EXPECT_EQ(node.outcome, "failed");
    EXPECT_EQ(node.message, "image not found");
    EXPECT_EQ(run.services[2].outcome, "not_started");
}

TEST_F(CriticalChainTest, AServiceReadyBeforeTheRunIsAlreadyReadyAndHoldsNothingUp) {
    recorder.launched("redis", at(5));
    recorder.settled("redis", true, false, "", at(6));
    run_service("node", 6, 400, 500);
    const auto run = recorder.finish(at(500));
    EXPECT_EQ(run.services[0].outcome, "already_ready");
    ASSERT_EQ(critical_chain(run, "node").size(), 1U);
    EXPECT_EQ(critical_chain(run, "node")[0].waited_for, "");
}

TEST_F(CriticalChainTest, AOneShotJobThatExitedZeroIsCompleted) {
    recorder.launched("redis", at(5));
    recorder.state("redis", model::ServiceState::starting, at(10));
    recorder.settled("redis", true, true, "exited 0", at(30));
    const auto run = recorder.finish(at(30));
    EXPECT_EQ(run.services[0].outcome, "completed");
    EXPECT_NEAR(run.services[0].ready, 30, 1.5);
}

}  // namespace
}  // namespace envmgr::host::timeline

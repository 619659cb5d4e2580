// The health supervisor with the real probe plugins against real containers of the test-bed:
// the Redis image ready by PING, an HTTP stand-in by its health path, an exec probe, and a
// container killed from outside reported through the engine's events.
#include "tests/support/health_harness.h"

#include <boost/asio/ip/tcp.hpp>

#include <gtest/gtest.h>

namespace envmgr::tests {
namespace {

using namespace std::chrono_literals;
using host::health::HealthState;

const std::string kRespPing = "*1\r\n$4\r\nPING\r\n";

sdk::ProbeSpec probe(const std::string& type, int port) {
    sdk::ProbeSpec spec;
    spec.type = type;
    spec.port = port;
    return spec;
}

// A host port nothing listens on now.
int free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::address_v4::loopback(), 0});
    return acceptor.local_endpoint().port();
}

class HealthEngineTest : public ::testing::Test {
protected:
    void SetUp() override { require_engine(); }
};

TEST_F(HealthEngineTest, RedisIsReadyWhenItAnswersPingOnItsOwnAddressAndOnThePublishedPort) {
    HealthHarness harness;
    auto on_container = probe("tcp", 6379);
    on_container.name = "ping";
    on_container.send = kRespPing;
    on_container.expect = "+PONG";
    auto on_host_port = on_container;
    on_host_port.name = "ping-published";
    on_host_port.target = "published";
    const auto target = harness.run(
        {{"name", unique_name("redis")},
         {"image", "redis:7-alpine"},
         {"ports", {{{"container_port", 6379}, {"host_port", free_port()}, {"host_ip", "127.0.0.1"}}}}},
        {on_container, on_host_port});
    ASSERT_FALSE(target.container_ip.empty());
    const auto id = harness.supervisor().watch(target);
    const auto ready = harness.wait_for("ready", target.container_id, 10s);
    ASSERT_TRUE(ready) << "redis never became ready";
    const auto status = harness.supervisor().status(id);
    ASSERT_TRUE(status);
    EXPECT_EQ(status->state, HealthState::ready);
    EXPECT_EQ(status->checks.at("ping").message, "+PONG");
    EXPECT_EQ(status->checks.at("ping-published").message, "+PONG");
}

TEST_F(HealthEngineTest, AnHttpStandInIsReadyOnlyOnceItAnswersItsHealthPath) {
    HealthHarness harness;
    auto health = probe("http", 8080);
    health.path = "/health";
    // A test fixture standing in for RedB: busybox httpd answering /health after 0.5 s.
    const auto target = harness.run({{"name", unique_name("redb-standin")},
                                     {"image", "dspy-lightweight:latest"},
                                     {"env", {{"STANDIN_DELAY", "0.5"}}}},
                                    {health});
    harness.supervisor().watch(target);
    const auto ready = harness.wait_for("ready", target.container_id, 10s);
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->reason, "HTTP 200");
    EXPECT_GE(ready->at - target.started, 450ms) << "ready before the stand-in listened";
    EXPECT_LT(ready->at - target.started, 900ms) << "readiness noticed late";
}

TEST_F(HealthEngineTest, AnExecProbeRunsInTheContainer) {
    HealthHarness harness;
    auto ready_file = probe("exec", 0);
    ready_file.command = {"sh", "-c", "test -f /tmp/ready"};  // test is a shell builtin in this image
    const auto target =
        harness.run({{"name", unique_name("exec")},
                     {"image", "envmgr-test/busybox:latest"},
                     {"init", true},
                     {"command", {"sh", "-c", "sleep 0.5; touch /tmp/ready; exec sleep 600"}}},
                    {ready_file});
    const auto id = harness.supervisor().watch(target);
    std::this_thread::sleep_for(200ms);
    const auto before = harness.supervisor().status(id);
    ASSERT_TRUE(before);
    EXPECT_EQ(before->state, HealthState::waiting);
    EXPECT_EQ(before->checks.at("exec").message, "exit 1");
    const auto ready = harness.wait_for("ready", target.container_id, 10s);
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->reason, "exit 0");
}

TEST_F(HealthEngineTest, AContainerKilledFromOutsideIsReportedWithin100MsThroughEngineEvents) {
    host::health::SupervisorSettings settings;
    settings.defaults.interval = 60s;  // no probe would see it for a minute
    HealthHarness harness(settings);
    auto ping = probe("tcp", 6379);
    ping.send = kRespPing;
    ping.expect = "+PONG";
    const auto target = harness.run({{"name", unique_name("killed")}, {"image", "redis:7-alpine"}}, {ping});
    harness.supervisor().watch(target);
    ASSERT_TRUE(harness.wait_for("ready", target.container_id, 10s));
    ASSERT_TRUE(harness.backend().call("container.kill", {{"id", target.container_id}}).ok());
    const auto killed_at = host::health::Clock::now();
    const auto exited = harness.wait_for("exited", target.container_id, 2s);
    ASSERT_TRUE(exited) << "the kill was not reported";
    EXPECT_LT(exited->at - killed_at, 100ms);
    EXPECT_EQ(exited->reason, "the container exited with code 137");
}

}  // namespace
}  // namespace envmgr::tests

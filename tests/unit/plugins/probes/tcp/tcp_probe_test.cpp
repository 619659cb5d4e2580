#include "plugins/probes/tcp/tcp_probe.h"
#include "plugins/probes/tcp/tcp_reply.h"
#include "tests/support/loopback_server.h"
#include "tests/support/probe_harness.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::probes::tcp {
namespace {

using namespace std::chrono_literals;
using tests::LoopbackServer;
using tests::probe_result;
using Harness = tests::ProbeHarness<TcpProbe>;

// Redis's own request form: a RESP array holding PING.
const std::string kRespPing = "*1\r\n$4\r\nPING\r\n";

nlohmann::json spec_for(const LoopbackServer& server,
                        const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json spec{
        {"type", "tcp"}, {"host", "127.0.0.1"}, {"port", server.port()}, {"timeout_ms", 1000}};
    spec.update(extra);
    return spec;
}

TEST(TcpReply, AReplyIsJudgedAsSoonAsItsBytesDecide) {
    EXPECT_EQ(judge_reply("+PO", "+PONG", false), std::nullopt);  // more may come
    EXPECT_TRUE(judge_reply("+PONG\r\n", "+PONG", false)->healthy);
    const auto loading = judge_reply("-LOADING Redis is loading the dataset in memory\r\n", "+PONG", false);
    EXPECT_FALSE(loading->healthy);
    EXPECT_EQ(loading->message, "unexpected reply: -LOADING Redis is loading the dataset in memory");
    EXPECT_EQ(judge_reply("", "+PONG", true)->message, "connection closed without a reply");
    EXPECT_EQ(judge_reply("+PO", "+PONG", true)->message, "reply ended early: +PO");
    EXPECT_EQ(judge_reply("", "", true)->message, "connected");
}

TEST(TcpProbe, AListenerThatStartsAcceptingLateIsNotReadyUntilItDoes) {
    LoopbackServer server(LoopbackServer::Behaviour::answer);
    Harness probe;
    const auto before = probe_result(probe.check(spec_for(server)));
    EXPECT_FALSE(before.healthy);
    EXPECT_EQ(before.message, "Connection refused");
    server.start();
    const auto after = probe_result(probe.check(spec_for(server)));
    EXPECT_TRUE(after.healthy) << after.message;
    EXPECT_EQ(after.message, "connected");
    EXPECT_GT(after.latency_ms, 0.0);
}

TEST(TcpProbe, APeerThatAcceptsAndClosesWithoutAReplyIsNotReady) {
    // What Docker's userland proxy does on a published port while the service is not listening.
    LoopbackServer server(LoopbackServer::Behaviour::close_at_once);
    server.start();
    Harness probe;
    const auto result =
        probe_result(probe.check(spec_for(server, {{"send", kRespPing}, {"expect", "+PONG"}})));
    EXPECT_FALSE(result.healthy);
    EXPECT_EQ(result.message, "connection closed without a reply");
}

TEST(TcpProbe, ARedisThatIsLoadingIsNotReadyThenItsPongIs) {
    LoopbackServer server(LoopbackServer::Behaviour::answer,
                          {"-LOADING Redis is loading the dataset in memory\r\n", "+PONG\r\n"});
    server.start();
    Harness probe;
    const auto spec = spec_for(server, {{"send", kRespPing}, {"expect", "+PONG"}});
    const auto loading = probe_result(probe.check(spec));
    EXPECT_FALSE(loading.healthy);
    EXPECT_NE(loading.message.find("-LOADING"), std::string::npos) << loading.message;
    EXPECT_EQ(server.last_request(), kRespPing);
    const auto ready = probe_result(probe.check(spec));
    EXPECT_TRUE(ready.healthy) << ready.message;
    EXPECT_EQ(ready.message, "+PONG");
}

TEST(TcpProbe, ARedisAskingForAuthSaysSo) {
    LoopbackServer server(LoopbackServer::Behaviour::answer, {"-NOAUTH Authentication required.\r\n"});
    server.start();
    Harness probe;
    const auto result =
        probe_result(probe.check(spec_for(server, {{"send", kRespPing}, {"expect", "+PONG"}})));
    EXPECT_FALSE(result.healthy);
    EXPECT_EQ(result.message, "unexpected reply: -NOAUTH Authentication required.");
}

TEST(TcpProbe, AServerThatNeverAnswersIsCutAtTheTimeout) {
    LoopbackServer server(LoopbackServer::Behaviour::never_answer);
    server.start();
    Harness probe;
    const auto started = std::chrono::steady_clock::now();
    const auto result = probe_result(
        probe.check(spec_for(server, {{"send", kRespPing}, {"expect", "+PONG"}, {"timeout_ms", 200}})));
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_FALSE(result.healthy);
    EXPECT_EQ(result.message, "timed out after 200 ms waiting for a reply");
    EXPECT_GE(took, 200ms);
    EXPECT_LT(took, 1s);
}

TEST(TcpProbe, ACancelledCheckEndsAtOnce) {
    LoopbackServer server(LoopbackServer::Behaviour::never_answer);
    server.start();
    Harness probe;
    const auto call = probe.start(spec_for(server, {{"send", "x"}, {"expect", "y"}, {"timeout_ms", 10000}}));
    std::this_thread::sleep_for(50ms);
    const auto started = std::chrono::steady_clock::now();
    probe.cancel(call.id);
    const auto result = call.wait(2s);
    EXPECT_EQ(result.status, ENVMGR_STATUS_CANCELLED);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
}

TEST(TcpProbe, ASpecItCannotUseIsRefusedNamingTheField) {
    Harness probe;
    const auto no_host = probe.check({{"type", "tcp"}, {"port", 6379}});
    EXPECT_EQ(no_host.status, ENVMGR_STATUS_INVALID);
    EXPECT_EQ(no_host.payload, "host: required for a tcp check");
    const auto bad_timeout =
        probe.check({{"type", "tcp"}, {"host", "127.0.0.1"}, {"port", 1}, {"timeout_ms", 0}});
    EXPECT_EQ(bad_timeout.status, ENVMGR_STATUS_INVALID);
    EXPECT_EQ(bad_timeout.payload, "probe spec: timeout_ms: must be > 0");
}

}  // namespace
}  // namespace envmgr::plugins::probes::tcp

#include "plugins/probes/http/http_probe.h"
#include "plugins/probes/http/http_judge.h"
#include "tests/support/loopback_server.h"
#include "tests/support/probe_harness.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::probes::http {
namespace {

using namespace std::chrono_literals;
using tests::LoopbackServer;
using tests::probe_result;
using Harness = tests::ProbeHarness<HttpProbe>;

std::string answer(int status, const std::string& body = {}) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

nlohmann::json spec_for(const LoopbackServer& server,
                        const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json spec{{"type", "http"},
                        {"host", "127.0.0.1"},
                        {"port", server.port()},
                        {"path", "/health"},
                        {"timeout_ms", 1000}};
    spec.update(extra);
    return spec;
}

TEST(HttpJudge, StatusRangeAndBodyText) {
    EXPECT_TRUE(judge_http(204, "", true, {}).healthy);
    EXPECT_EQ(judge_http(503, "", true, {}).message, "HTTP 503");
    EXPECT_TRUE(judge_http(404, "", true, {200, 499, ""}).healthy);
    EXPECT_EQ(judge_http(200, "starting", true, {200, 299, "ready"}).message,
              "HTTP 200, body lacks \"ready\"");
    EXPECT_FALSE(judge_http(200, "xxxx", false, {200, 299, "ready"}).healthy);
    EXPECT_EQ(host_header("127.0.0.1", 8080), "127.0.0.1:8080");
    EXPECT_EQ(host_header("redb", 80), "redb");
    EXPECT_EQ(host_header("::1", 9000), "[::1]:9000");
}

TEST(HttpProbe, AServerAnswering500IsNotReadyUntilIt200s) {
    LoopbackServer server(LoopbackServer::Behaviour::answer, {answer(500), answer(200, "ok")});
    server.start();
    Harness probe;
    const auto failing = probe_result(probe.check(spec_for(server)));
    EXPECT_FALSE(failing.healthy);
    EXPECT_EQ(failing.message, "HTTP 500");
    EXPECT_EQ(failing.details.at("status"), "500");
    const auto ready = probe_result(probe.check(spec_for(server)));
    EXPECT_TRUE(ready.healthy) << ready.message;
    EXPECT_EQ(ready.message, "HTTP 200");
}

TEST(HttpProbe, TheRequestCarriesTheRightHostHeaderPathMethodAndExtraHeaders) {
    LoopbackServer server(LoopbackServer::Behaviour::answer, {answer(200)});
    server.start();
    Harness probe;
    const auto result = probe_result(
        probe.check(spec_for(server, {{"method", "HEAD"}, {"headers", {{"X-Probe", "env-manager"}}}})));
    EXPECT_TRUE(result.healthy) << result.message;
    const auto request = server.last_request();
    EXPECT_EQ(request.rfind("HEAD /health HTTP/1.1\r\n", 0), 0U) << request;
    EXPECT_NE(request.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos)
        << request;
    EXPECT_NE(request.find("X-Probe: env-manager\r\n"), std::string::npos) << request;
}

TEST(HttpProbe, TheBodyMustHoldTheTextWhenAsked) {
    LoopbackServer server(LoopbackServer::Behaviour::answer,
                          {answer(200, R"({"status":"starting"})"), answer(200, R"({"status":"ready"})")});
    server.start();
    Harness probe;
    const auto spec = spec_for(server, {{"body_contains", "ready"}});
    EXPECT_EQ(probe_result(probe.check(spec)).message, "HTTP 200, body lacks \"ready\"");
    EXPECT_TRUE(probe_result(probe.check(spec)).healthy);
}

TEST(HttpProbe, AnAnswerIsReadOnlyUpToItsSizeLimit) {
    LoopbackServer server(LoopbackServer::Behaviour::answer, {answer(200, std::string(1 << 20, 'x'))});
    server.start();
    Harness probe;
    // The status is enough without a body check; with one, a body over the limit is not ready.
    EXPECT_TRUE(probe_result(probe.check(spec_for(server, {{"max_response_bytes", 1024}}))).healthy);
    const auto with_check = probe_result(
        probe.check(spec_for(server, {{"max_response_bytes", 1024}, {"body_contains", "ready"}})));
    EXPECT_FALSE(with_check.healthy);
    EXPECT_EQ(with_check.message, "HTTP 200, body over the size limit without \"ready\"");
}

TEST(HttpProbe, APeerThatClosesWithoutAStatusLineIsNotReady) {
    LoopbackServer server(LoopbackServer::Behaviour::close_at_once);
    server.start();
    Harness probe;
    const auto result = probe_result(probe.check(spec_for(server)));
    EXPECT_FALSE(result.healthy);
    EXPECT_EQ(result.message.rfind("no HTTP answer: ", 0), 0U) << result.message;
}

TEST(HttpProbe, AServerThatNeverAnswersIsCutAtTheTimeout) {
    LoopbackServer server(LoopbackServer::Behaviour::never_answer);
    server.start();
    Harness probe;
    const auto result = probe_result(probe.check(spec_for(server, {{"timeout_ms", 150}})));
    EXPECT_FALSE(result.healthy);
    EXPECT_EQ(result.message, "timed out after 150 ms waiting for the answer");
}

TEST(HttpProbe, AHeaderThatWouldSplitTheRequestIsRefused) {
    Harness probe;
    const auto result = probe.check(
        {{"type", "http"}, {"host", "127.0.0.1"}, {"port", 80}, {"headers", {{"X", "a\r\nB: c"}}}});
    EXPECT_EQ(result.status, ENVMGR_STATUS_INVALID);
    EXPECT_EQ(result.payload, "headers.X: not a valid header line");
}

}  // namespace
}  // namespace envmgr::plugins::probes::http

// backend.docker against engines that misbehave: every failure is a clear error within the
// call's deadline, never a crash or a hang.
#include "tests/support/backend_harness.h"
#include "tests/support/canned_server.h"

#include <gtest/gtest.h>

namespace envmgr::tests {
namespace {

using namespace std::chrono_literals;

CallResult inspect_via(const CannedServer& server, nlohmann::json settings = nlohmann::json::object()) {
    // A fixed API version: the canned server answers only the one request under test.
    BackendHarness backend({{"DOCKER_HOST", server.docker_host()}, {"DOCKER_API_VERSION", "1.41"}},
                           std::move(settings));
    return backend.call("container.inspect", {{"id", "x"}}, 10s);
}

TEST(BrokenEngine, TruncatedBodyIsUnavailableMidResponse) {
    CannedServer server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"Id\":",
        CannedServer::After::close);
    const auto result = inspect_via(server);
    EXPECT_EQ(result.status, ENVMGR_STATUS_UNAVAILABLE);
    EXPECT_NE(result.payload.find("closed the connection mid-response"), std::string::npos) << result.payload;
}

TEST(BrokenEngine, GarbageIsAMalformedResponse) {
    CannedServer server("SSH-2.0-OpenSSH_9.2\r\n\r\n", CannedServer::After::close);
    const auto result = inspect_via(server);
    EXPECT_EQ(result.status, ENVMGR_STATUS_INTERNAL);
    EXPECT_NE(result.payload.find("malformed response from the Docker engine"), std::string::npos)
        << result.payload;
}

TEST(BrokenEngine, InvalidJsonBodyIsReportedNotThrown) {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{oops",
                        CannedServer::After::close);
    const auto result = inspect_via(server);
    EXPECT_EQ(result.status, ENVMGR_STATUS_INTERNAL);
    EXPECT_NE(result.payload.find("unexpected response from the Docker engine"), std::string::npos)
        << result.payload;
}

TEST(BrokenEngine, BrokenChunkedEncodingIsAMalformedResponse) {
    CannedServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n",
                        CannedServer::After::close);
    const auto result = inspect_via(server);
    EXPECT_EQ(result.status, ENVMGR_STATUS_INTERNAL);
    EXPECT_NE(result.payload.find("malformed response"), std::string::npos) << result.payload;
}

TEST(BrokenEngine, AnAnswerOverTheBodyLimitIsRefusedBeforeItIsRead) {
    CannedServer server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 300000000\r\n\r\n",
        CannedServer::After::hang);
    const auto result = inspect_via(server);
    EXPECT_EQ(result.status, ENVMGR_STATUS_INTERNAL);
    EXPECT_NE(result.payload.find("answer exceeds 256 MiB"), std::string::npos) << result.payload;
    EXPECT_LT(result.elapsed, 2s);
}

TEST(BrokenEngine, SilentEngineTimesOutAtTheDeadline) {
    CannedServer server("", CannedServer::After::hang);
    const auto result = inspect_via(server, {{"timeout_ms", 300}});
    EXPECT_EQ(result.status, ENVMGR_STATUS_TIMEOUT);
    EXPECT_NE(result.payload.find("did not answer within 300 ms"), std::string::npos) << result.payload;
    EXPECT_LT(result.elapsed, 2s);
}

TEST(BrokenEngine, HalfAHeaderThenSilenceTimesOut) {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Le", CannedServer::After::hang);
    const auto result = inspect_via(server, {{"timeout_ms", 300}});
    EXPECT_EQ(result.status, ENVMGR_STATUS_TIMEOUT);
}

TEST(EngineRequests, PullSendsTheConfiguredRegistryCredentials) {
    const std::string stream = R"({"status":"Pulling fs layer","progressDetail":{},"id":"l1"})"
                               "\r\n"
                               R"({"status":"Pull complete","progressDetail":{},"id":"l1"})"
                               "\r\n";
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                            std::to_string(stream.size()) + "\r\n\r\n" + stream,
                        CannedServer::After::close);
    BackendHarness backend(
        {{"DOCKER_HOST", server.docker_host()}, {"DOCKER_API_VERSION", "1.41"}},
        {{"registry_auth", {{"registry.example:5000", {{"username", "u"}, {"password", "p"}}}}}});
    const auto pulled = backend.call("image.pull", {{"image", "registry.example:5000/team/app:1.2"}}, 10s);
    ASSERT_TRUE(pulled.ok()) << pulled.payload;
    const std::string request = server.last_request();
    EXPECT_NE(
        request.find("POST /v1.41/images/create?fromImage=registry.example%3A5000%2Fteam%2Fapp&tag=1.2 "),
        std::string::npos)
        << request;
    // base64url of {"password":"p","serveraddress":"registry.example:5000","username":"u"}
    EXPECT_NE(request.find("X-Registry-Auth: "
                           "eyJwYXNzd29yZCI6InAiLCJzZXJ2ZXJhZGRyZXNzIjoicmVnaXN0cnkuZXhhbXBsZTo1MDAwIiwidXNlc"
                           "m5hbWUiOiJ1In0="),
              std::string::npos)
        << request;
    EXPECT_EQ(pulled.items.back()["status"], "complete");
}

TEST(EngineRequests, PullFromARegistryWithoutCredentialsSendsNone) {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", CannedServer::After::close);
    BackendHarness backend(
        {{"DOCKER_HOST", server.docker_host()}, {"DOCKER_API_VERSION", "1.41"}},
        {{"registry_auth", {{"registry.example:5000", {{"username", "u"}, {"password", "p"}}}}}});
    ASSERT_TRUE(backend.call("image.pull", {{"image", "redis:7-alpine"}}, 10s).ok());
    EXPECT_EQ(server.last_request().find("X-Registry-Auth"), std::string::npos) << server.last_request();
}

}  // namespace
}  // namespace envmgr::tests

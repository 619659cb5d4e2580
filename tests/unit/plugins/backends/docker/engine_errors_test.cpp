#include "plugins/backends/docker/engine_errors.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(EngineErrors, ErrorsKeepTheEngineMessage) {
    EXPECT_EQ(status_for_http(404), ENVMGR_STATUS_NOT_FOUND);
    EXPECT_EQ(status_for_http(409), ENVMGR_STATUS_CONFLICT);
    EXPECT_EQ(status_for_http(400), ENVMGR_STATUS_INVALID);
    EXPECT_EQ(status_for_http(500), ENVMGR_STATUS_INTERNAL);
    EXPECT_EQ(status_for_http(503), ENVMGR_STATUS_UNAVAILABLE);
    EXPECT_EQ(engine_message(R"({"message":"No such container: x"})", 404), "No such container: x");
    EXPECT_EQ(engine_message("page not found\n", 404), "HTTP 404: page not found");
}

// The engine going down under a call answers 500 with containerd's words: retryable, and said so.
TEST(EngineErrors, ALostContainerRuntimeIsUnavailableNotInternal) {
    const auto closing = engine_error(R"({"message":"transport is closing: unavailable"})", 500);
    EXPECT_EQ(closing.status, ENVMGR_STATUS_UNAVAILABLE);
    EXPECT_EQ(
        closing.message,
        "the Docker engine cannot reach its container runtime (is it restarting?): transport is closing: "
        "unavailable");
    const auto other = engine_error(R"({"message":"OCI runtime create failed: no such file"})", 500);
    EXPECT_EQ(other.status, ENVMGR_STATUS_INTERNAL);
    EXPECT_EQ(other.message, "OCI runtime create failed: no such file");
    EXPECT_EQ(engine_error(R"({"message":"No such container: x"})", 404).status, ENVMGR_STATUS_NOT_FOUND);
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker

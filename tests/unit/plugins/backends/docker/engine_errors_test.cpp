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

}  // namespace
}  // namespace envmgr::plugins::backends::docker

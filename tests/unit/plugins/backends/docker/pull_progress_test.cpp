#include "plugins/backends/docker/pull_progress.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

nlohmann::json line(const char* text) {
    return nlohmann::json::parse(text);
}

TEST(PullProgress, LayerBytesRiseToTotalAndAddUpPerImage) {
    PullProgress progress("redis:7-alpine");
    EXPECT_FALSE(progress.on_line(line(R"({"status":"Pulling from library/redis","id":"7-alpine"})")));
    EXPECT_TRUE(progress.on_line(line(R"({"status":"Pulling fs layer","progressDetail":{},"id":"a"})")));
    auto item = progress.on_line(
        line(R"({"status":"Downloading","progressDetail":{"current":100,"total":400},"id":"a"})"));
    ASSERT_TRUE(item);
    EXPECT_EQ((*item)["status"], "downloading");
    EXPECT_EQ((*item)["current"], 100);
    EXPECT_EQ((*item)["total"], 400);
    progress.on_line(
        line(R"({"status":"Downloading","progressDetail":{"current":50,"total":100},"id":"b"})"));
    item = progress.on_line(line(R"({"status":"Download complete","progressDetail":{},"id":"a"})"));
    EXPECT_EQ((*item)["current"], 400);
    EXPECT_EQ((*item)["image_current"], 450);
    EXPECT_EQ((*item)["image_total"], 500);
    EXPECT_EQ((*item)["progress_percent"], 90);
    item = progress.on_line(line(R"({"status":"Pull complete","progressDetail":{},"id":"b"})"));
    EXPECT_EQ((*item)["status"], "complete");
    EXPECT_EQ((*item)["progress_percent"], 99) << "100 only at the very end";
    EXPECT_FALSE(progress.on_line(line(R"({"status":"Digest: sha256:abc"})")));
    EXPECT_EQ(progress.complete_item()["progress_percent"], 100);
    EXPECT_FALSE(progress.error());
}

TEST(PullProgress, ErrorLinesAreKept) {
    PullProgress progress("x");
    progress.on_line(line(R"({"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"})"));
    ASSERT_TRUE(progress.error());
    EXPECT_EQ(*progress.error(), "manifest unknown");
}

TEST(PullProgress, AMissingImageIsNotFoundAndAnyOtherErrorInternal) {
    EXPECT_EQ(pull_error_status("manifest for x:latest not found: manifest unknown"),
              ENVMGR_STATUS_NOT_FOUND);
    EXPECT_EQ(pull_error_status("repository x does not exist or may require 'docker login'"),
              ENVMGR_STATUS_NOT_FOUND);
    EXPECT_EQ(pull_error_status("unauthorized: authentication required"), ENVMGR_STATUS_INTERNAL);
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
